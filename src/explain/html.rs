//! The report of one case as a self-contained HTML page for the case file:
//! the determinations, what to ask next, and each explanation as a
//! collapsible tree with its citations. No scripts, no external resources;
//! printable.

use crate::check::ir::{DecisionId, Program};
use crate::eval::why::{Applied, Derivation, Role, Seen, Step};
use crate::eval::Outcome;
use crate::lang::Lang;
use crate::time::Tongue;

use super::words::Words;
use super::CaseReport;

/// Text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;line-height:1.4;color:#111}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f0f0f0}.cite{color:#555;font-size:.9em;white-space:nowrap}.path{color:#666;font-family:monospace;font-size:.85em}\
details{margin:.2em 0 .2em 1em}summary{cursor:pointer}ul{margin:.2em 0;padding-left:1.2em}\
.unknown{color:#a40}.warn{color:#a00}@media print{details{display:block}summary{list-style:none}}";

/// The start of a self-contained page (no scripts, no network): its
/// language, its title (escaped here) and its style, up to `<body>`.
pub(crate) fn page_head(lang: Lang, title: &str, style: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{style}</style></head><body>\n",
        lang.code(),
        esc(title)
    )
}

/// The page of one case (`report` must carry explanations).
pub fn case_page(program: &Program, report: &CaseReport, lang: Lang) -> String {
    case_page_with(program, report, lang, None, &[])
}

/// [`case_page`] of a case checked with facts set (`--set`): what they
/// change first; with `acts`, whether the time limits' acts were done
/// (`crate::agenda::acts`), beside their dates.
pub fn case_page_with(
    program: &Program,
    report: &CaseReport,
    lang: Lang,
    what_if: Option<&super::report::WhatIf>,
    acts: &[(crate::check::ir::DecisionId, crate::agenda::Act)],
) -> String {
    let w = Words::new(program, lang);
    let t = |en: &'static str, lt: &'static str| if lang == Lang::Lt { lt } else { en };
    let mut out = page_head(
        lang,
        &format!("{} {}", t("Case", "Byla"), report.case),
        STYLE,
    );
    out.push_str(&format!(
        "<h1>{} {}</h1>\n<p>{} {} · {}</p>\n",
        t("Case", "Byla"),
        esc(&report.case),
        t("As of", "Vertinimo data"),
        esc(&w.date(report.as_of)),
        esc(&super::law_text_in(&program.provenance, w.lang))
    ));
    if let Some(what_if) = what_if {
        out.push_str(&format!(
            "<h2>{}</h2>\n<p>{}</p>\n",
            t("What if", "Kas, jei"),
            esc(&what_if.facts(&w).join("; "))
        ));
        let changed = what_if.changed(&w);
        if changed.is_empty() {
            out.push_str(&format!(
                "<p>{}</p>\n",
                t(
                    "No determination changes.",
                    "Nė vienas sprendimas nepasikeičia."
                )
            ));
        } else {
            out.push_str(&format!(
                "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                t("Determination", "Sprendimas"),
                t("As the record is", "Pagal įrašą"),
                t("With these facts", "Su šiais faktais")
            ));
            for (label, before, after) in changed {
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(&label),
                    esc(&before),
                    esc(&after)
                ));
            }
            out.push_str("</table>\n");
        }
    }
    // Facts that cannot all be right, before the answers that rest on them.
    if !report.warnings.is_empty() {
        out.push_str(&format!(
            "<h2 class=\"warn\">{}</h2>\n<ul>\n",
            t("Check the facts", "Patikrinkite faktus")
        ));
        for x in &report.warnings {
            let Some((label, cite, facts)) = w.warning(x) else {
                continue;
            };
            let found = w
                .warning_found(x, &report.outcomes)
                .map(|f| {
                    format!(
                        "<br><span class=\"path\">{}: {}</span>",
                        w.rules_find(),
                        esc(&f)
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "<li class=\"warn\">{} <span class=\"cite\">{}</span><br><span class=\"path\">{}</span>{found}</li>\n",
                esc(&label),
                esc(&cite.unwrap_or_default()),
                esc(&facts)
            ));
        }
        out.push_str("</ul>\n");
    }
    // The answer first.
    out.push_str(&format!(
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        t("Determinations", "Sprendimai"),
        t("Determination", "Sprendimas"),
        t("Result", "Rezultatas"),
        t("Provision", "Nuostata")
    ));
    for (id, outcome) in &report.outcomes {
        let d = program.decisions.get(id.index());
        let cite = d
            .and_then(|d| d.citation.as_ref())
            .map(|c| w.cite(&c.text))
            .unwrap_or_default();
        let class = if matches!(outcome, Outcome::Unknown { .. }) {
            " class=\"unknown\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<tr id=\"{}\"><td>{}</td><td{class}>{}{}</td><td class=\"cite\">{}</td></tr>\n",
            esc(d.map(|d| &*d.key).unwrap_or_default()),
            esc(&w.decision(*id)),
            esc(&value_words(&w, outcome)),
            acts.iter()
                .find(|(d, _)| d == id)
                .map(|(_, a)| format!("<br><span class=\"path\">{}</span>", esc(&w.act_brief(a))))
                .unwrap_or_default(),
            esc(&cite)
        ));
    }
    out.push_str("</table>\n");
    // What to ask.
    out.push_str(&format!(
        "<h2>{}</h2>\n",
        t("What to ask next", "Ko dar paklausti")
    ));
    if report.ask_next.is_empty() {
        out.push_str(&format!(
            "<p>{}</p>\n",
            t(
                "Nothing: the record holds every fact the determinations need.",
                "Nieko: įraše yra visi faktai, kurių reikia sprendimams."
            )
        ));
    } else {
        out.push_str("<ol>\n");
        for (n, p) in report.ask_next.iter().enumerate() {
            let path = program.path(*p);
            let places = match report.ask_at.get(n) {
                Some(at) if !at.is_empty() => at.join(", "),
                _ => path.to_string(),
            };
            out.push_str(&format!(
                "<li>{} <span class=\"path\">{}</span></li>\n",
                esc(&w.question(path)),
                esc(&places)
            ));
        }
        out.push_str("</ol>\n");
    }
    // Why: each derivation as a tree.
    out.push_str(&format!("<h2>{}</h2>\n", t("Why", "Kodėl")));
    for d in report.derivations() {
        derivation(&mut out, program, &w, &d);
    }
    out.push_str("</body></html>\n");
    out
}

/// An outcome in words (the same as the text report's).
fn value_words(w: &Words, o: &Outcome) -> String {
    match o {
        Outcome::Determined { value, .. } => w.value(value),
        Outcome::Unknown { needs } => format!("{} — {}", w.unknown(), w.facts_brief(needs)),
        Outcome::Undetermined { .. } => match w.lang {
            Lang::En => "not determined".into(),
            Lang::Lt => "nenustatyta".into(),
        },
        Outcome::Conflict { .. } => match w.lang {
            Lang::En => "conflict between rules".into(),
            Lang::Lt => "taisyklės prieštarauja".into(),
        },
        Outcome::Error { message } => format!("{}: {}", w.error(), w.message(message)),
    }
}

fn derivation(out: &mut String, program: &Program, w: &Words, d: &Derivation) {
    let id = program
        .decision_by_key(d.key())
        .unwrap_or(DecisionId(u32::MAX));
    let value = d
        .outcome_value()
        .map(|v| w.value(v))
        .unwrap_or_else(|| w.unknown().to_string());
    let cite = d
        .citation()
        .map(|c| format!(" <span class=\"cite\">[{}]</span>", esc(&w.cite(c))))
        .unwrap_or_default();
    out.push_str(&format!(
        "<details><summary><b>{}</b>: {}{cite}</summary>\n<ul>\n",
        esc(&w.decision(id)),
        esc(&value)
    ));
    if let Some(note) = w.note(d) {
        out.push_str(&format!("<li>{}</li>\n", esc(&note)));
    }
    let seen = Seen::default();
    let lt = w.lang == Lang::Lt;
    let roles: [(Role, &str); 5] = [
        (Role::By, if lt { "pagal" } else { "by" }),
        (
            Role::Conflict,
            if lt { "prieštarauja" } else { "in conflict" },
        ),
        (Role::Open, if lt { "neaišku" } else { "open" }),
        (
            Role::NotApplicable,
            if lt { "netaikoma" } else { "not applicable" },
        ),
        (Role::SetAside, if lt { "atmesta" } else { "set aside" }),
    ];
    for (role, word) in roles {
        for a in d.parts(role) {
            applied(out, w, id, word, &a, &seen);
        }
    }
    if let Some(default) = d.default() {
        let word = if lt { "kitu atveju" } else { "otherwise" };
        out.push_str(&format!(
            "<li>{word}: {}</li>\n",
            esc(&w.shown(&default.value()))
        ));
    }
    out.push_str("</ul></details>\n");
}

fn applied(out: &mut String, w: &Words, id: DecisionId, word: &str, a: &Applied, seen: &Seen) {
    let cite = a
        .citation()
        .map(|c| format!(" <span class=\"cite\">[{}]</span>", esc(&w.cite(c))))
        .unwrap_or_default();
    out.push_str(&format!(
        "<li><details open><summary>{word} «{}»{cite}</summary><ul>\n",
        esc(&w.rule(id, &a.rule().name))
    ));
    for s in a.because().into_iter().chain(a.value()) {
        step(out, w, s, seen, 0);
    }
    out.push_str("</ul></details></li>\n");
}

/// One step and those under it; deep trees are closed (a click opens them).
fn step(out: &mut String, w: &Words, s: Step, seen: &Seen, depth: usize) {
    let (note, children) = s.shown(seen);
    let source = s.source();
    if source == "rule" && children.is_empty() {
        return;
    }
    let what = if source == "record" {
        format!(
            "{} <span class=\"path\">{}</span>",
            esc(&w.path(s.expr())),
            esc(s.expr())
        )
    } else {
        format!("<code>{}</code>", esc(s.expr()))
    };
    let cite = s
        .citation()
        .map(|c| format!(" <span class=\"cite\">[{}]</span>", esc(&w.cite(c))))
        .unwrap_or_default();
    let note = note.words(w.lang, &|c| w.cite(c));
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"cite\">({})</span>", esc(&note))
    };
    let head = format!("{what} = {}{cite}{note}", esc(&w.step(&s)));
    let limits: Vec<String> = s.steps_text_in(w).collect();
    if children.is_empty() && limits.is_empty() {
        out.push_str(&format!("<li>{head}</li>\n"));
        return;
    }
    let open = if depth < 2 { " open" } else { "" };
    out.push_str(&format!(
        "<li><details{open}><summary>{head}</summary><ul>\n"
    ));
    for l in limits {
        out.push_str(&format!("<li>· {}</li>\n", esc(&l)));
    }
    if depth < 64 {
        for c in children {
            step(out, w, c, seen, depth + 1);
        }
    }
    out.push_str("</ul></details></li>\n");
}
