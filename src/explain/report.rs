//! The caseworker's report of one case: the answer first (each
//! determination, in words, with its citation), then what to ask the
//! applicant next, then why: by default the deciding rule and the facts it
//! rested on (and each step of a time limit), or the full derivation.

use std::collections::BTreeSet;

use crate::check::ir::{DecisionId, Program};
use crate::eval::why::{Derivation, Role, Step};
use crate::eval::{Outcome, Reason, Status};
use crate::lang::Lang;
use crate::time::Tongue;

use super::words::Words;
use super::{AsOfFrom, CaseReport};

/// How much of each derivation the report shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// The deciding rule, the facts it rested on, a time limit's steps.
    Brief,
    /// Every rule and every step (the drafter's view).
    Full,
}

/// The fixed words of the report (and of `lsa select`'s).
pub(crate) struct Say(pub(crate) Lang);

impl Say {
    pub(crate) fn pick(&self, en: &'static str, lt: &'static str) -> &'static str {
        match self.0 {
            Lang::En => en,
            Lang::Lt => lt,
        }
    }
    fn case(&self) -> &'static str {
        self.pick("Case", "Byla")
    }
    fn as_of(&self) -> &'static str {
        self.pick("as of", "vertinimo data")
    }
    pub(crate) fn as_of_from(&self, from: AsOfFrom) -> &'static str {
        match from {
            AsOfFrom::Record => self.pick("the record's date", "įraše nurodyta data"),
            AsOfFrom::Option => self.pick("given with --as-of", "nurodyta su --as-of"),
            AsOfFrom::Today => self.pick("today", "šiandien"),
            AsOfFrom::Compared => self.pick("a date compared", "lyginama data"),
        }
    }
    fn check_facts(&self) -> &'static str {
        self.pick("Check the facts", "Patikrinkite faktus")
    }
    fn determinations(&self) -> &'static str {
        self.pick("Determinations", "Sprendimai")
    }
    fn ask_next(&self) -> &'static str {
        self.pick("What to ask next", "Ko dar paklausti")
    }
    fn nothing_to_ask(&self) -> &'static str {
        self.pick(
            "Nothing: the record holds every fact the determinations need.",
            "Nieko: įraše yra visi faktai, kurių reikia sprendimams.",
        )
    }
    fn why(&self) -> &'static str {
        self.pick("Why", "Kodėl")
    }
    fn by_rule(&self, exception: bool) -> &'static str {
        match exception {
            false => self.pick("by the rule", "pagal taisyklę"),
            true => self.pick("by the exception", "pagal išimtį"),
        }
    }
    pub(crate) fn by_default(&self) -> &'static str {
        self.pick(
            "no rule applies: the value the law gives otherwise",
            "netaikoma jokia taisyklė: kita teisės nustatyta reikšmė",
        )
    }
    fn facts(&self) -> &'static str {
        self.pick("from the facts", "remiantis faktais")
    }
    fn read_determinations(&self) -> &'static str {
        self.pick("and the determinations", "ir sprendimais")
    }
    fn waits(&self) -> &'static str {
        self.pick("needs", "trūksta")
    }
    pub(crate) fn undetermined(&self) -> &'static str {
        self.pick("not determined", "nenustatyta")
    }
    pub(crate) fn conflict(&self) -> &'static str {
        self.pick("conflict between rules", "taisyklės prieštarauja")
    }
    pub(crate) fn reason(&self, r: Reason) -> &'static str {
        match r {
            Reason::NoRule => self.pick(
                "no rule applies and the law gives no other value",
                "netaikoma jokia taisyklė, kitos reikšmės teisė nenustato",
            ),
            Reason::NotInForce => self.pick(
                "not in force on the as-of date",
                "vertinimo dieną negalioja",
            ),
            Reason::NotApplicable(_) => {
                self.pick("does not apply to this case", "šiai bylai netaikoma")
            }
        }
    }
    fn full_hint(&self) -> &'static str {
        self.pick(
            "(every rule and every step: --explain full)",
            "(visos taisyklės ir visi žingsniai: --explain full)",
        )
    }
}

/// The report of one case, explained (`report` must carry explanations).
/// `acts`: whether the time limits' acts were done, as the case's record
/// says (`crate::agenda::acts`), shown beside their dates.
pub fn report_text(
    program: &Program,
    report: &CaseReport,
    lang: Lang,
    detail: Detail,
    acts: &[(DecisionId, crate::agenda::Act)],
) -> String {
    let words = Words::new(program, lang);
    let say = Say(lang);
    let mut out = format!(
        "{} {} — {} {} ({})\n",
        say.case(),
        report.case,
        say.as_of(),
        words.date(report.as_of),
        say.as_of_from(report.as_of_from)
    );
    // Facts that cannot all be right come first: every answer below rests
    // on them.
    if !report.warnings.is_empty() {
        out.push_str(&format!("\n{}\n", say.check_facts()));
        for w in &report.warnings {
            let Some((label, cite, facts)) = words.warning(w) else {
                continue;
            };
            let cite = cite.map(|c| format!("  [{c}]")).unwrap_or_default();
            out.push_str(&format!("  ! {label}{cite}\n    {facts}\n"));
            if let Some(found) = words.warning_found(w, &report.outcomes) {
                out.push_str(&format!("    {}: {found}\n", words.rules_find()));
            }
        }
    }
    out.push_str(&format!("\n{}\n", say.determinations()));
    for (id, outcome) in &report.outcomes {
        let cite = program
            .decisions
            .get(id.index())
            .and_then(|d| d.citation.as_ref())
            .map(|c| format!("  [{}]", words.cite(&c.text)))
            .unwrap_or_default();
        let act = acts
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, a)| format!(" – {}", words.act_brief(a)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}: {}{act}{cite}\n",
            words.decision(*id),
            outcome_words(&words, &say, outcome)
        ));
    }
    out.push_str(&format!("\n{}\n", say.ask_next()));
    if report.ask_next.is_empty() {
        out.push_str(&format!("  {}\n", say.nothing_to_ask()));
    }
    for (n, path) in report.ask_next.iter().enumerate() {
        let path = program.path(*path);
        // A field of list items: the items that lack it, by their place.
        let places = match report.ask_at.get(n) {
            Some(at) if !at.is_empty() => at.join(", "),
            _ => path.to_string(),
        };
        out.push_str(&format!(
            "  {}. {}\n     ({places})\n",
            n + 1,
            words.question(path)
        ));
    }
    out.push_str(&format!("\n{}", say.why()));
    if detail == Detail::Brief {
        out.push_str(&format!(" {}", say.full_hint()));
    }
    out.push('\n');
    // In brief, determinations in a row that are not made for the same
    // reason (a file's `applies` line: every time limit of the Member State
    // responsible, for a person offered for relocation) are named one
    // under the other and the reason said once.
    let mut held: Option<(String, String)> = None;
    for d in report.derivations() {
        if detail == Detail::Full {
            out.push('\n');
            super::derivation_text_in(&mut out, &d, Some(&words));
            continue;
        }
        let mut block = String::new();
        brief(&mut block, program, &words, &say, &d);
        let (head, body) = block.split_once('\n').unwrap_or((block.as_str(), ""));
        let shared = d.status() == Status::Undetermined && !body.is_empty();
        match &mut held {
            Some((heads, held_body)) if shared && held_body.as_str() == body => {
                heads.push_str(head);
                heads.push('\n');
            }
            _ => {
                flush(&mut out, held.take());
                if shared {
                    held = Some((format!("{head}\n"), body.to_string()));
                } else {
                    out.push('\n');
                    out.push_str(&block);
                }
            }
        }
    }
    flush(&mut out, held);
    out
}

/// Writes determinations held back to share their reason: their lines,
/// then the reason once.
fn flush(out: &mut String, held: Option<(String, String)>) {
    if let Some((heads, body)) = held {
        out.push('\n');
        out.push_str(&heads);
        out.push_str(&body);
    }
}

/// An outcome in words, for the summary.
fn outcome_words(words: &Words, say: &Say, o: &Outcome) -> String {
    match o {
        Outcome::Determined { value, .. } => words.value(value),
        Outcome::Unknown { needs } => {
            format!(
                "{} ({}: {})",
                words.unknown(),
                say.waits(),
                words.facts_brief(needs)
            )
        }
        Outcome::Undetermined { reason } => {
            format!("{} ({})", say.undetermined(), say.reason(*reason))
        }
        Outcome::Conflict { .. } => say.conflict().to_string(),
        Outcome::Error { message } => format!("{}: {}", words.error(), words.message(message)),
    }
}

/// The deciding rule, the facts it rested on and a time limit's steps.
fn brief(out: &mut String, program: &Program, words: &Words, say: &Say, d: &Derivation) {
    let id = program
        .decision_by_key(d.key())
        .unwrap_or(DecisionId(u32::MAX));
    let outcome_value = report_value(d, words);
    let value = match (d.status(), d.value()) {
        (Status::Determined, Some(v)) => outcome_value.unwrap_or_else(|| words.shown(&v)),
        (Status::Unknown, _) => words.unknown().to_string(),
        (Status::Undetermined, _) => say.undetermined().to_string(),
        (Status::Conflict, _) => say.conflict().to_string(),
        _ => words.error().to_string(),
    };
    out.push_str(&format!("  {}: {value}\n", words.decision(id)));
    let mut read = Read::default();
    let mut gather = |step: Step| collect(step, words, &mut read);
    let mut said = false;
    for a in d.parts(Role::By).chain(d.parts(Role::Conflict)) {
        let cite = a
            .citation()
            .map(|c| format!("  [{}]", words.cite(c)))
            .unwrap_or_default();
        out.push_str(&format!(
            "    {} «{}»{cite}\n",
            say.by_rule(a.rule().is_exception),
            words.rule(id, &a.rule().name)
        ));
        said = true;
        for s in a.because().into_iter().chain(a.value()) {
            gather(s);
        }
    }
    if let Some(default) = d.default() {
        out.push_str(&format!("    {}\n", say.by_default()));
        said = true;
        gather(default);
        for a in d.parts(Role::NotApplicable) {
            if let Some(s) = a.because() {
                gather(s);
            }
        }
    }
    if d.status() == Status::Unknown {
        let needs: Vec<String> = d.needs().iter().map(|p| words.path(p)).collect();
        out.push_str(&format!("    {}: {}\n", say.waits(), needs.join("; ")));
        said = true;
    }
    if !said {
        if let Some(note) = words.note(d) {
            out.push_str(&format!("    {note}\n"));
        }
    }
    let listed = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !read.facts.is_empty() {
        out.push_str(&format!("    {}: {}\n", say.facts(), listed(&read.facts)));
    }
    if !read.decisions.is_empty() {
        let list = listed(&read.decisions);
        out.push_str(&format!("    {}: {list}\n", say.read_determinations()));
    }
    for l in read.limits {
        out.push_str(&format!("      · {l}\n"));
    }
}

/// What a rule's derivation read: the facts of the record and the other
/// determinations (label and value, each once), and the steps of the time
/// limits computed there.
#[derive(Default)]
struct Read {
    facts: Vec<(String, String)>,
    decisions: Vec<(String, String)>,
    limits: Vec<String>,
    seen: BTreeSet<String>,
}

/// What `step` reads, into `read`. Another determination is named with its
/// value, not opened: it has its own explanation.
fn collect(step: Step, words: &Words, read: &mut Read) {
    // A fact of the case record (a field of what a def gives is not: its
    // def is opened below).
    if step.source() == "record" {
        let path = step.expr().to_string();
        if read.seen.insert(path.clone()) {
            read.facts.push((words.path(&path), words.step(&step)));
        }
        return;
    }
    if let Some(id) = step.decision() {
        if read.seen.insert(format!("decision {}", id.index())) {
            read.decisions.push((words.decision(id), words.step(&step)));
        }
        return;
    }
    // A time limit a def computes: named, and its steps given once.
    if let Some(id) = step.def() {
        let body = step.children().next();
        if let Some(body) = body.filter(|b| b.is_time_limit()) {
            if read.seen.insert(format!("def {}", id.index())) {
                read.limits
                    .push(format!("{}: {}", words.def(id), words.step(&step)));
                read.limits.extend(body.steps_text_in(words));
            }
            return;
        }
    }
    if step.is_time_limit() {
        read.limits.extend(step.steps_text_in(words));
    }
    for child in step.children() {
        collect(child, words, read);
    }
}

/// A determined outcome's value in words (an enum value by its label).
fn report_value(d: &Derivation, words: &Words) -> Option<String> {
    d.outcome_value().map(|v| words.value(v))
}

/// A case checked with facts set (`lsa check --set PATH=VALUE`): the facts
/// set, and each determination that comes out otherwise than for the record
/// as given (its outcome before and with the facts).
#[derive(Clone, Debug)]
pub struct WhatIf {
    /// Each path set and the value given, as read.
    pub set: Vec<(String, serde_json::Value)>,
    pub changes: Vec<(DecisionId, Outcome, Outcome)>,
}

impl WhatIf {
    /// What the facts `set` change: the outcomes of the record as given
    /// (`before`) against those of the record with them (`after`), in
    /// declaration order.
    pub fn between(
        set: Vec<(String, serde_json::Value)>,
        before: Vec<(DecisionId, Outcome)>,
        after: &[(DecisionId, Outcome)],
    ) -> WhatIf {
        let changes = before
            .into_iter()
            .zip(after)
            .filter(|((_, a), (_, b))| a != b)
            .map(|((id, a), (_, b))| (id, a, b.clone()))
            .collect();
        WhatIf { set, changes }
    }

    /// The facts set in words: `path = value` in English; in Lithuanian the
    /// field's label (its path beside it) and the value, true/false and
    /// `null` in words.
    pub fn facts(&self, words: &Words) -> Vec<String> {
        self.set
            .iter()
            .map(|(path, v)| {
                let value = match v {
                    serde_json::Value::Bool(b) => words.lang.yes_no(*b).to_string(),
                    serde_json::Value::Null => words.lang.none_recorded().to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match words.lang {
                    Lang::En => format!("{path} = {value}"),
                    Lang::Lt => format!("{} ({path}) = {value}", words.path(path)),
                }
            })
            .collect()
    }

    /// The changes in words: each determination, before → with the facts
    /// (where the value stays and another rule gives it, which one).
    pub fn changed(&self, words: &Words) -> Vec<(String, String, String)> {
        let say = Say(words.lang);
        self.changes
            .iter()
            .map(|(id, before, after)| {
                let (was, now) = (
                    outcome_words(words, &say, before),
                    outcome_words(words, &say, after),
                );
                let now = match (was == now, after) {
                    (
                        true,
                        Outcome::Determined {
                            by: crate::eval::By::Rule(i),
                            ..
                        },
                    ) => {
                        let rule = words
                            .program
                            .decisions
                            .get(id.index())
                            .and_then(|d| d.rules.get(*i))
                            .map(|r| words.rule(*id, &r.name))
                            .unwrap_or_default();
                        format!(
                            "{now} ({} «{rule}»)",
                            say.pick("given by another rule:", "pagal kitą taisyklę:")
                        )
                    }
                    (true, _) => format!(
                        "{now} ({})",
                        say.pick("given otherwise", "nustatyta kitaip")
                    ),
                    (false, _) => now,
                };
                (words.decision(*id), was, now)
            })
            .collect()
    }

    /// The block the text report starts with.
    pub fn text(&self, program: &Program, lang: Lang) -> String {
        let words = Words::new(program, lang);
        let say = Say(lang);
        let mut out = format!(
            "{}: {}\n",
            say.pick(
                "What if (facts set with --set)",
                "Kas, jei (faktai nurodyti su --set)"
            ),
            self.facts(&words).join("; ")
        );
        let changed = self.changed(&words);
        if changed.is_empty() {
            out.push_str(&format!(
                "  {}\n",
                say.pick(
                    "no determination changes",
                    "nė vienas sprendimas nepasikeičia"
                )
            ));
        } else {
            out.push_str(&format!(
                "{}\n",
                say.pick(
                    "What changes (as the record is → with these facts):",
                    "Kas pasikeičia (pagal įrašą → su šiais faktais):"
                )
            ));
            for (label, before, after) in changed {
                out.push_str(&format!("  {label}: {before} → {after}\n"));
            }
        }
        out.push_str(&format!(
            "{}\n\n",
            say.pick(
                "Below: the case with these facts.",
                "Toliau – byla su šiais faktais."
            )
        ));
        out
    }

    /// Adds `what_if` to a case's object of the contract's JSON.
    pub fn add_to(&self, case: &mut serde_json::Value, program: &Program, lang: Lang) {
        if let Some(m) = case.as_object_mut() {
            m.insert("what_if".into(), self.json(program, lang));
        }
    }

    /// `what_if` in the contract's JSON: the facts set, and each change with
    /// its outcome objects (without explanations) before and with them.
    pub fn json(&self, program: &Program, lang: Lang) -> serde_json::Value {
        let set: serde_json::Map<String, serde_json::Value> = self.set.iter().cloned().collect();
        let outcome = |id: DecisionId, o: &Outcome| {
            serde_json::to_value(super::OutcomeJson {
                program,
                id,
                outcome: o,
                derivation: None,
                lang,
            })
            .unwrap_or(serde_json::Value::Null)
        };
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|(id, before, after)| {
                serde_json::json!({
                    "determination": program.decisions.get(id.index()).map(|d| &*d.key),
                    "before": outcome(*id, before),
                    "after": outcome(*id, after),
                })
            })
            .collect();
        serde_json::json!({ "set": set, "changes": changes })
    }
}
