//! `lsa select`: a selection declared in the rules (e.g. whom Lithuania
//! relocates) run over a caseload: who is taken, in which order, and why
//! every other case is not.

use std::path::Path;

use indicatif::ProgressBar;
use jiff::civil::Date;
use serde_json::{json, Value as Json};

use super::batch::read_items;
use super::{today, Failure, Result, SelectFormat};
use crate::check::ir::{DecisionId, Expr, SelectionKey};
use crate::check::{Program, SelectionDef};
use crate::explain::{self, words::Words};
use crate::lang::Lang;
use crate::select::{self, Candidate, Deciding, Placed, Selection, Standing};
use crate::time::Tongue;
use crate::value::Type;

/// The options of one run.
pub(super) struct Options<'a> {
    pub input: &'a Path,
    pub name: Option<&'a str>,
    pub quota: Option<usize>,
    pub as_of: Option<Date>,
    pub format: SelectFormat,
    /// The language of the text and HTML reports (JSON: keys and codes).
    pub lang: Lang,
    pub max_line: usize,
}

/// The selection a run uses: the one named, or the only one there is.
fn find<'p>(program: &'p Program, name: Option<&str>) -> Result<&'p SelectionDef> {
    let keys: Vec<&str> = program.selections.iter().map(|s| &*s.key).collect();
    match name {
        Some(n) => program
            .selections
            .iter()
            .find(|s| &*s.key == n || s.name == n)
            .ok_or_else(|| {
                Failure::Io(format!(
                    "no selection `{n}` in the rules (they have: {})",
                    keys.join(", ")
                ))
            }),
        None => match program.selections.as_slice() {
            [one] => Ok(one),
            [] => Err(Failure::Io("the rules declare no selection".into())),
            _ => Err(Failure::Io(format!(
                "the rules declare several selections: name one with --selection ({})",
                keys.join(", ")
            ))),
        },
    }
}

pub(super) fn run(program: &Program, o: &Options) -> Result<()> {
    let sel = find(program, o.name)?;
    let today = today();
    let date = o.as_of.unwrap_or(today);
    let (quota, quota_from) = match (o.quota, select::quota_from_rules(program, sel, date)) {
        (Some(q), _) => (q, "--quota"),
        (None, Ok(Some(q))) => (q, "the rules"),
        (None, Ok(None)) => {
            return Err(Failure::Io(format!(
                "`{}` takes as many as it is given: name the number with --quota N",
                sel.key
            )))
        }
        (None, Err(e)) => return Err(Failure::Io(format!("`{}`: {e}", sel.key))),
    };
    let mut candidates = Vec::new();
    let mut invalid = Vec::new();
    read_items(o.input, o.max_line, &ProgressBar::hidden(), |item, _| {
        match item.read(program) {
            Ok(rec) => candidates.push(Candidate {
                case: item.case_name(&rec),
                as_of: explain::AsOf::of(rec.as_of, o.as_of, || today).date,
                inputs: rec.inputs,
            }),
            Err(e) => invalid.push(item.unread(program, &e, o.lang)),
        }
        Ok(())
    })?;
    let result = select::select(program, sel, &candidates, quota);
    let say = Say {
        w: Words::new(program, o.lang),
    };
    match o.format {
        SelectFormat::Text => text(&say, sel, &result, quota_from, &invalid)?,
        SelectFormat::Json => {
            let j = to_json(program, sel, &result, quota_from, &invalid);
            outln!("{}", serde_json::to_string_pretty(&j).unwrap_or_default())?;
        }
        SelectFormat::Html => out!("{}", html(&say, sel, &result, quota_from, &invalid))?,
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        let n = invalid.len();
        match o.lang {
            Lang::En => errln!(
                "{n} invalid record{} (not selected: the facts could not be read)",
                if n == 1 { "" } else { "s" }
            ),
            Lang::Lt => errln!("netinkamų įrašų: {n} (neatrinkti: faktų nepavyko perskaityti)"),
        }
        Err(Failure::Record(None))
    }
}

/// The reports' words in their language, as the caseworker's report gives
/// them: the selection, facts, decisions and rules by their labels (by
/// their keys where the rules give none), values and citations in the
/// language's form.
struct Say<'p> {
    w: Words<'p>,
}

impl Say<'_> {
    fn lt(&self) -> bool {
        self.w.lang == Lang::Lt
    }

    /// `en` or `lt`, as the report's language is.
    fn pick(&self, en: &'static str, lt: &'static str) -> &'static str {
        explain::report::Say(self.w.lang).pick(en, lt)
    }

    /// ` [citation]` in the language, or nothing.
    fn cite(&self, c: Option<&str>) -> String {
        c.map(|c| format!(" [{}]", Tongue::cite(&self.w, c)))
            .unwrap_or_default()
    }

    /// The selection: its label, else `selection KEY`.
    fn title(&self, sel: &SelectionDef) -> String {
        match self.w.selection_label(&sel.key) {
            Some(label) => label.to_string(),
            None => format!("{} {}", self.pick("selection", "atranka"), sel.key),
        }
    }

    /// A ranking key, by its label.
    fn key(&self, k: &SelectionKey) -> String {
        match &k.expr.kind {
            Expr::Decision(id) => self.w.decision(*id),
            Expr::Def(id) => self.w.def(*id),
            _ => self.w.path(&k.expr.text),
        }
    }

    /// Which of a key's values come first.
    fn order(&self, k: &SelectionKey) -> &'static str {
        match (k.expr.ty.base(), k.descending) {
            (Type::Bool, true) => self.pick("yes first", "pirmiau „taip“"),
            (Type::Bool, false) => self.pick("no first", "pirmiau „ne“"),
            (Type::Date, true) => self.pick("the latest first", "pirmiau vėlesnė data"),
            (Type::Date, false) => self.pick("the earliest first", "pirmiau ankstesnė data"),
            (_, true) => self.pick("the greatest first", "mažėjimo tvarka"),
            (_, false) => self.pick("the least first", "didėjimo tvarka"),
        }
    }

    /// A case's key values: `label: value; …`.
    fn key_values(&self, sel: &SelectionDef, p: &Placed) -> String {
        sel.keys
            .iter()
            .zip(&p.keys)
            .map(|(k, v)| match v {
                Some(v) => format!("{}: {}", self.key(k), self.w.value(v)),
                None => format!("{}: {}", self.key(k), self.w.unknown()),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The facts a case lacks, by their labels.
    fn needs(&self, needs: &[String]) -> String {
        needs
            .iter()
            .map(|p| self.w.path(p))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A candidate's warnings: each by its label, its key beside it.
    fn warnings(&self, p: &Placed) -> Vec<String> {
        let program = self.w.program;
        p.warnings
            .iter()
            .filter_map(|w| program.warnings.get(*w as usize))
            .map(|def| format!("{} ({})", self.w.def(def.def), def.key))
            .collect()
    }

    /// The rule that kept a case out, by its label, and its citation.
    fn rule(&self, decision: Option<(DecisionId, Deciding)>) -> (Option<String>, Option<String>) {
        let (key, citation) = select::deciding_rule(self.w.program, decision);
        let rule = match decision {
            Some((d, Deciding::Rule(i))) => {
                let name = self
                    .w
                    .program
                    .decisions
                    .get(d.index())
                    .and_then(|d| d.rules.get(i));
                name.map(|r| {
                    format!(
                        "{} «{}»",
                        self.pick("the rule", "taisyklė"),
                        self.w.rule(d, &r.name)
                    )
                })
            }
            Some((d, Deciding::Default)) => Some(format!(
                "{} – {}",
                self.w.decision(d),
                explain::report::Say(self.w.lang).by_default()
            )),
            // What the decision's `applies` line says of the case, in the
            // language (its label, else its own words).
            Some((d, Deciding::NotApplicable(k))) => self
                .w
                .program
                .decisions
                .get(d.index())
                .and_then(|d| d.applies.get(usize::from(k)))
                .map(|a| {
                    self.w
                        .program
                        .labels
                        .label(&crate::check::ir::Labelled::Def(a.def), self.w.lang)
                        .unwrap_or(&a.otherwise)
                        .to_string()
                }),
            // Not in force on the case's date, with when it is.
            Some((d, Deciding::NotInForce(on))) => {
                self.w.program.decisions.get(d.index()).map(|def| {
                    let (on, validity) = (
                        crate::value::date_str(on),
                        def.validity.describe_in(self.w.lang),
                    );
                    let label = self.w.decision(d);
                    match self.w.lang {
                        Lang::En => format!("«{label}» is not in force on {on} ({validity})"),
                        Lang::Lt => format!("«{label}» {on} negalioja ({validity})"),
                    }
                })
            }
            _ => key,
        };
        (rule, citation)
    }

    /// Why a case stands where it does, in words.
    fn reason(&self, p: &Placed, quota: usize) -> String {
        let lt = self.lt();
        match &p.standing {
            Standing::Selected { position } if lt => format!("atrinktas, {position} vieta"),
            Standing::Selected { position } => format!("selected, position {position}"),
            Standing::BeyondQuota { rank } if lt => {
                format!("atitinka sąlygas, {rank} vieta eilėje, kvota – {quota}")
            }
            Standing::BeyondQuota { rank } => {
                format!("qualifies, ranked {rank}: beyond the quota of {quota}")
            }
            Standing::NotQualified { decision } => {
                let head = self.pick("does not qualify", "neatitinka sąlygų");
                let (rule, citation) = self.rule(*decision);
                let cite = self.cite(citation.as_deref());
                match (rule, decision) {
                    (
                        Some(why),
                        Some((_, Deciding::NotApplicable(_) | Deciding::NotInForce(_))),
                    ) => format!("{head}: {why}{cite}"),
                    (Some(r), _) => format!("{head} ({r}{cite})"),
                    (None, _) => format!("{head}{cite}"),
                }
            }
            Standing::Unknown { needs } => format!(
                "{}{}",
                self.pick(
                    "whether it qualifies is unknown: needs ",
                    "nežinoma, ar atitinka sąlygas; trūksta: "
                ),
                self.needs(needs)
            ),
            Standing::Unranked { needs } => format!(
                "{}{}",
                self.pick(
                    "qualifies, but cannot be ranked: needs ",
                    "atitinka sąlygas, bet jo vietos eilėje negalima nustatyti; trūksta: "
                ),
                self.needs(needs)
            ),
            Standing::Error { message } => format!("{}: {message}", self.w.lang.error()),
        }
    }

    /// `n candidates`, in Lithuanian in the case its number asks for, after
    /// `iš` (`from_of`) or standing alone.
    fn candidates(&self, n: usize, from_of: bool) -> String {
        match (self.lt(), n) {
            (true, n) => format!("{n} {}", kandidatas(n, from_of)),
            (false, 1) => "1 candidate".into(),
            (false, n) => format!("{n} candidates"),
        }
    }
}

/// "candidate" after the number `n` in Lithuanian: the nominative (1, 21:
/// kandidatas; 2–9, 22: kandidatai; 0, 10–20: kandidatų), or after `iš`
/// (`from_of`) the genitive (1, 21: kandidato; else kandidatų).
fn kandidatas(n: usize, from_of: bool) -> &'static str {
    crate::lang::Lang::lt_count(
        n as u64,
        match from_of {
            true => ["kandidato", "kandidatų", "kandidatų"],
            false => ["kandidatas", "kandidatai", "kandidatų"],
        },
    )
}

fn text(
    say: &Say,
    sel: &SelectionDef,
    r: &Selection,
    quota_from: &str,
    invalid: &[crate::record::Unread],
) -> Result<()> {
    let program = say.w.program;
    let cite = say.cite(sel.citation.as_ref().map(|c| &*c.text));
    outln!("{}", super::law::describe(&program.provenance, say.w.lang))?;
    let total = r.placed.len() + invalid.len();
    if say.lt() {
        let from = match quota_from {
            "--quota" => "nurodyta --quota",
            _ => "pagal taisykles",
        };
        outln!(
            "{}{cite}: atrinkta {} iš {} (kvota {}, {from})",
            say.title(sel),
            r.selected(),
            say.candidates(total, true),
            r.quota
        )?;
    } else {
        outln!(
            "{}{cite}: {} selected of {} (quota {} from {quota_from})",
            say.title(sel),
            r.selected(),
            say.candidates(total, true),
            r.quota
        )?;
    }
    for (i, k) in sel.keys.iter().enumerate() {
        let cite = say.cite(k.citation.as_ref().map(|c| &*c.text));
        let (key, order) = (say.key(k), say.order(k));
        let by = say.pick("ranked by", "rikiavimo požymis");
        outln!("  {}. {by}: {key}, {order}{cite}", i + 1)?;
    }
    let mut selected: Vec<&Placed> = r
        .placed
        .iter()
        .filter(|p| matches!(p.standing, Standing::Selected { .. }))
        .collect();
    selected.sort_by_key(|p| match p.standing {
        Standing::Selected { position } => position,
        _ => usize::MAX,
    });
    let warned = r.placed.iter().filter(|p| !p.warnings.is_empty()).count();
    if warned > 0 {
        let who = say.candidates(warned, false);
        outln!(
            "  {who} {}",
            say.pick(
                "with facts that cannot all be right (marked !): check them before relying on a place",
                "su faktais, kurie negali būti visi teisingi (pažymėta !): patikrinkite juos, prieš remdamiesi vieta eilėje"
            )
        )?;
    }
    // A candidate's warnings, each on a line of its own below it.
    let warnings = |p: &Placed| -> Result<()> {
        for w in say.warnings(p) {
            outln!("        ! {w}")?;
        }
        Ok(())
    };
    // A list with nobody in it says so, not just its heading.
    let none = say.pick("  (none)", "  (nėra)");
    outln!("\n{}", say.pick("selected", "atrinkti"))?;
    if selected.is_empty() {
        outln!("{none}")?;
    }
    for p in &selected {
        if let Standing::Selected { position } = p.standing {
            outln!("  {position:>4}. {}  {}", p.case, say.key_values(sel, p))?;
            warnings(p)?;
        }
    }
    outln!("\n{}", say.pick("not selected", "neatrinkti"))?;
    if r.placed.len() == selected.len() && invalid.is_empty() {
        outln!("{none}")?;
    }
    for p in r
        .placed
        .iter()
        .filter(|p| !matches!(p.standing, Standing::Selected { .. }))
    {
        let keys = match p.standing {
            Standing::BeyondQuota { .. } => format!("  ({})", say.key_values(sel, p)),
            _ => String::new(),
        };
        outln!("  {}: {}{keys}", p.case, say.reason(p, r.quota))?;
        warnings(p)?;
    }
    super::invalid_records(say.w.lang, invalid)
}

fn to_json(
    program: &Program,
    sel: &SelectionDef,
    r: &Selection,
    quota_from: &str,
    invalid: &[crate::record::Unread],
) -> Json {
    let keys = |p: &Placed| -> Json {
        let mut m = serde_json::Map::new();
        for (k, v) in sel.keys.iter().zip(&p.keys) {
            let v = v
                .as_ref()
                .map_or(Json::Null, |v| explain::json_value(program, v));
            m.insert(k.expr.text.to_string(), v);
        }
        Json::Object(m)
    };
    let warnings = |p: &Placed| -> Json {
        p.warnings
            .iter()
            .filter_map(|w| program.warnings.get(*w as usize))
            .map(|w| Json::from(&*w.key))
            .collect()
    };
    let mut selected: Vec<(usize, Json)> = Vec::new();
    let mut rest = Vec::new();
    for p in &r.placed {
        let mut entry = match &p.standing {
            Standing::Selected { position } => {
                json!({ "position": position, "case": p.case, "keys": keys(p) })
            }
            Standing::BeyondQuota { rank } => json!({
                "case": p.case, "reason": "beyond_quota", "rank": rank, "keys": keys(p),
            }),
            Standing::NotQualified { decision } => {
                let (rule, citation) = select::deciding_rule(program, *decision);
                json!({
                    "case": p.case, "reason": "not_qualified", "rule": rule, "citation": citation,
                })
            }
            Standing::Unknown { needs } => {
                json!({ "case": p.case, "reason": "unknown", "needs": needs })
            }
            Standing::Unranked { needs } => {
                json!({ "case": p.case, "reason": "unranked", "needs": needs })
            }
            Standing::Error { message } => {
                json!({ "case": p.case, "reason": "error", "message": message })
            }
        };
        if let Json::Object(m) = &mut entry {
            m.insert("warnings".into(), warnings(p));
        }
        match p.standing {
            Standing::Selected { position } => selected.push((position, entry)),
            _ => rest.push(entry),
        }
    }
    for u in invalid {
        let error: Json = serde_json::from_str(&u.error).unwrap_or(Json::Null);
        rest.push(json!({ "case": error.get("case"), "reason": "invalid", "error": error }));
    }
    selected.sort_by_key(|(p, _)| *p);
    json!({
        "format": explain::FORMAT,
        "selection": &*sel.key,
        "citation": sel.citation.as_ref().map(|c| &*c.text),
        "law": explain::law_json(&program.provenance),
        "quota": r.quota,
        "quota_from": quota_from,
        "keys": sel.keys.iter().map(|k| json!({
            "key": &*k.expr.text,
            "order": if k.descending { "descending" } else { "ascending" },
            "citation": k.citation.as_ref().map(|c| &*c.text),
        })).collect::<Vec<_>>(),
        "candidates": r.placed.len() + invalid.len(),
        "selected": selected.into_iter().map(|(_, j)| j).collect::<Vec<_>>(),
        "not_selected": rest,
    })
}

use crate::explain::html::esc;

/// A self-contained page of the selection (no scripts, no network), in the
/// words of the text report: each case's place, or why it is not taken,
/// its key values and the facts to check, by their labels; an invalid
/// record with its problems (`invalid`: where it was read and its problems,
/// in the page's language).
fn html(
    say: &Say,
    sel: &SelectionDef,
    r: &Selection,
    quota_from: &str,
    invalid: &[crate::record::Unread],
) -> String {
    let lt = say.lt();
    let title = say.title(sel);
    let mut out = crate::explain::html::page_head(
        say.w.lang,
        &title,
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eee}pre{margin:0;white-space:pre-wrap}",
    );
    let total = say.candidates(r.placed.len() + invalid.len(), true);
    let summary = match (lt, quota_from) {
        (true, "--quota") => format!(
            "Atrinkta {} iš {total}; kvota {} (nurodyta --quota).",
            r.selected(),
            r.quota
        ),
        (true, _) => format!(
            "Atrinkta {} iš {total}; kvota {} (pagal taisykles).",
            r.selected(),
            r.quota
        ),
        (false, from) => format!(
            "{} selected of {total}; quota {} (from {from}).",
            r.selected(),
            r.quota
        ),
    };
    let cite = say.cite(sel.citation.as_ref().map(|c| &*c.text));
    out.push_str(&format!(
        "<h1>{}{}</h1>\n<p>{}</p>\n",
        esc(&title),
        esc(&cite),
        esc(&summary)
    ));
    out.push_str(&format!(
        "<h2>{}</h2><ol>",
        say.pick("Ranked by", "Rikiavimo požymiai")
    ));
    for k in &sel.keys {
        let cite = say.cite(k.citation.as_ref().map(|c| &*c.text));
        out.push_str(&format!(
            "<li>{}, {}{}</li>",
            esc(&say.key(k)),
            esc(say.order(k)),
            esc(&cite)
        ));
    }
    out.push_str("</ol>");
    // A table's heading and head row, in the page's language.
    let table = |title: [&'static str; 2], en: &[&str], lithuanian: &[&str]| {
        let heads = if lt { lithuanian } else { en };
        format!(
            "<h2>{}</h2><table><tr>{}</tr>\n",
            say.pick(title[0], title[1]),
            heads
                .iter()
                .map(|c| format!("<th>{c}</th>"))
                .collect::<String>()
        )
    };
    let warnings = |p: &Placed| {
        say.warnings(p)
            .iter()
            .map(|w| esc(w))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    out.push_str(&table(
        ["Selected", "Atrinkti"],
        &["position", "case", "ranked by", "facts to check"],
        &["vieta", "byla", "rikiavimo požymiai", "patikrintini faktai"],
    ));
    let mut selected: Vec<(usize, &Placed)> = r
        .placed
        .iter()
        .filter_map(|p| match p.standing {
            Standing::Selected { position } => Some((position, p)),
            _ => None,
        })
        .collect();
    selected.sort_by_key(|(position, _)| *position);
    for (position, p) in selected {
        out.push_str(&format!(
            "<tr><td>{position}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&p.case),
            esc(&say.key_values(sel, p)),
            warnings(p)
        ));
    }
    out.push_str("</table>");
    out.push_str(&table(
        ["Not selected", "Neatrinkti"],
        &["case", "why", "ranked by", "facts to check"],
        &["byla", "kodėl", "rikiavimo požymiai", "patikrintini faktai"],
    ));
    for p in r
        .placed
        .iter()
        .filter(|p| !matches!(p.standing, Standing::Selected { .. }))
    {
        let keys = match p.standing {
            Standing::BeyondQuota { .. } => say.key_values(sel, p),
            _ => String::new(),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&p.case),
            esc(&say.reason(p, r.quota)),
            esc(&keys),
            warnings(p)
        ));
    }
    for u in invalid {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}<pre>{}</pre></td><td></td><td></td></tr>\n",
            esc(&u.at),
            say.pick("invalid record:", "netinkamas įrašas:"),
            esc(&u.problems)
        ));
    }
    out.push_str("</table></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::kandidatas;

    #[test]
    fn candidates_in_lithuanian_agree_with_their_number() {
        let alone: Vec<&str> = [0, 1, 2, 5, 9, 10, 11, 12, 19, 20, 21, 22, 101, 111, 112]
            .iter()
            .map(|n| kandidatas(*n, false))
            .collect();
        assert_eq!(
            alone,
            [
                "kandidatų",
                "kandidatas",
                "kandidatai",
                "kandidatai",
                "kandidatai",
                "kandidatų",
                "kandidatų",
                "kandidatų",
                "kandidatų",
                "kandidatų",
                "kandidatas",
                "kandidatai",
                "kandidatas",
                "kandidatų",
                "kandidatų"
            ]
        );
        let after_is: Vec<&str> = [1, 2, 9, 11, 21, 300]
            .iter()
            .map(|n| kandidatas(*n, true))
            .collect();
        assert_eq!(
            after_is,
            [
                "kandidato",
                "kandidatų",
                "kandidatų",
                "kandidatų",
                "kandidato",
                "kandidatų"
            ]
        );
    }
}
