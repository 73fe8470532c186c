//! The law's words in a language: labels from the rules, values as people
//! read them, citations in the language's form. Used by the caseworker's
//! report (text and HTML) and the labels of the JSON output.

use crate::check::ir::{DecisionId, Labelled, Program};
use crate::eval::why::Shown;
use crate::lang::Lang;
use crate::time::{day_words, Tongue};
use crate::value::{date_str, Value};

/// A program's words in one language.
#[derive(Clone, Copy)]
pub struct Words<'p> {
    pub program: &'p Program,
    pub lang: Lang,
}

impl<'p> Words<'p> {
    pub fn new(program: &'p Program, lang: Lang) -> Words<'p> {
        Words { program, lang }
    }

    fn label(&self, what: &Labelled) -> Option<&'p str> {
        self.program.labels.label(what, self.lang)
    }

    /// A decision's label, else its key.
    pub fn decision(&self, id: DecisionId) -> String {
        self.label(&Labelled::Decision(id)).map_or_else(
            || {
                self.program
                    .decisions
                    .get(id.index())
                    .map(|d| d.key())
                    .unwrap_or_default()
            },
            str::to_string,
        )
    }

    /// Why a decision has no value, in the language: for one that does not
    /// apply to the case, what its `applies` line says (its label in the
    /// language, else its own words).
    pub fn note(&self, d: &crate::eval::why::Derivation) -> Option<String> {
        match d.not_applicable() {
            Some((def, otherwise)) => {
                let why = self.label(&Labelled::Def(def)).unwrap_or(otherwise);
                let word = match self.lang {
                    Lang::En => "not applicable",
                    Lang::Lt => "netaikoma",
                };
                Some(format!("{word}: {why}"))
            }
            None => match (self.lang, d.outcome_reason()) {
                (Lang::Lt, Some(crate::eval::Reason::NotInForce)) => {
                    Some(d.not_in_force(self.lang))
                }
                (Lang::Lt, Some(crate::eval::Reason::NoRule)) => Some(
                    super::report::Say(self.lang)
                        .reason(crate::eval::Reason::NoRule)
                        .into(),
                ),
                _ => d.note(),
            },
        }
    }

    /// A def's label, else its key.
    pub fn def(&self, id: crate::check::ir::DefId) -> String {
        self.label(&Labelled::Def(id)).map_or_else(
            || {
                self.program
                    .defs
                    .get(id.index())
                    .map(|d| d.key.to_string())
                    .unwrap_or_default()
            },
            str::to_string,
        )
    }

    /// A selection's label, if the rules give one.
    pub fn selection_label(&self, key: &str) -> Option<&'p str> {
        self.label(&Labelled::Selection(key.to_string()))
    }

    /// A decision's label, if the rules give one.
    pub fn decision_label(&self, id: DecisionId) -> Option<&'p str> {
        self.label(&Labelled::Decision(id))
    }

    /// A rule's label, else its name.
    pub fn rule(&self, decision: DecisionId, name: &str) -> String {
        let index = self
            .program
            .decisions
            .get(decision.index())
            .and_then(|d| d.rules.iter().position(|r| &*r.name == name));
        index
            .and_then(|i| self.label(&Labelled::Rule(decision, i as u32)))
            .map_or_else(|| name.to_string(), str::to_string)
    }

    /// The facts a value waits on, each by its label (else its path), in
    /// the order given: what an unknown outcome or act needs.
    pub fn facts(&self, paths: &[crate::check::ir::PathId]) -> String {
        let words: Vec<String> = paths
            .iter()
            .map(|p| self.path(self.program.path(*p)))
            .collect();
        words.join("; ")
    }

    /// What a record lacks, for a line of the summary: up to three facts,
    /// the rest counted and left to the questions that ask for every one
    /// ("What to ask next"; the explanation below lists them all).
    pub fn facts_brief(&self, paths: &[crate::check::ir::PathId]) -> String {
        const NAMED: usize = 3;
        match paths.get(..NAMED) {
            Some(named) if paths.len() > NAMED + 1 => {
                let (named, more) = (self.facts(named), paths.len() - NAMED);
                match self.lang {
                    Lang::En => format!("{named}; and {more} more (see “What to ask next”)"),
                    Lang::Lt => format!("{named} ir dar {more} (žr. „Ko dar paklausti“)"),
                }
            }
            _ => self.facts(paths),
        }
    }

    /// A fact's label, else its path.
    pub fn path(&self, path: &str) -> String {
        self.path_label(path)
            .map_or_else(|| path.to_string(), str::to_string)
    }

    /// A fact's label, if the rules give one.
    pub fn path_label(&self, path: &str) -> Option<&'p str> {
        self.label(&Labelled::Path(path.to_string()))
    }

    /// The question that asks for a fact: the rules' own, else its label (or
    /// path) as a question.
    pub fn question(&self, path: &str) -> String {
        let words = self
            .program
            .labels
            .get(&Labelled::Path(path.to_string()), self.lang);
        match words {
            Some(w) => w
                .ask
                .as_deref()
                .map_or_else(|| format!("{}?", w.label), str::to_string),
            None => format!("{path}?"),
        }
    }

    /// The question in the rules, if they give one.
    pub fn question_in_rules(&self, path: &str) -> Option<&'p str> {
        self.program
            .labels
            .get(&Labelled::Path(path.to_string()), self.lang)?
            .ask
            .as_deref()
    }

    /// A value as people read it: yes or no, an enum value's label, a date
    /// with its weekday, "none recorded" for `null`.
    pub fn value(&self, v: &Value) -> String {
        match v {
            Value::Bool(b) => self.lang.yes_no(*b).to_string(),
            Value::None => self.lang.none_recorded().to_string(),
            Value::Enum(e, i) => self.label(&Labelled::Value(*e, *i)).map_or_else(
                || self.program.enum_variant(*e, *i).to_string(),
                str::to_string,
            ),
            Value::Date(d) => day_words(self.lang, *d),
            // A code (`LTU`) reads as its label with the code beside it
            // ("Lietuva (LTU)"), or as itself where the rules give no
            // label; quotes are for rule text.
            Value::Text(t) => match self.label(&Labelled::Text(t.to_string())) {
                Some(label) => format!("{label} ({t})"),
                None => t.to_string(),
            },
            Value::List(items) if items.is_empty() => match self.lang {
                Lang::En => "none".into(),
                Lang::Lt => "nėra".into(),
            },
            Value::List(items) => items
                .iter()
                .map(|v| self.value(v))
                .collect::<Vec<_>>()
                .join(", "),
            // Lithuanian writes a decimal comma.
            Value::Percent(p) => format!("{} %", self.decimal(&p.normalize().to_string())),
            Value::Decimal(d) => self.decimal(&d.normalize().to_string()),
            Value::Duration(p) => crate::time::period_words(self.lang, p),
            other => crate::eval::why::show(self.program, other),
        }
    }

    fn decimal(&self, text: &str) -> String {
        match self.lang {
            Lang::En => text.to_string(),
            Lang::Lt => text.replace('.', ","),
        }
    }

    /// A three-valued result in words.
    pub fn tv(&self, tv: &crate::eval::Tv) -> String {
        match tv {
            crate::eval::Tv::Val(v) => self.value(v),
            crate::eval::Tv::Unknown(_) => self.unknown().to_string(),
            crate::eval::Tv::Err(e) => format!("{}: {}", self.error(), self.message(e)),
        }
    }

    /// An evaluation error's message in the language: in Lithuanian by the
    /// wordings of `EVALUATION_ROWS`, with the names and dates it quotes
    /// as they are; a wording not known there stays in English.
    pub fn message(&self, e: &str) -> String {
        static ROWS: std::sync::LazyLock<Vec<(regex_lite::Regex, &'static str)>> =
            std::sync::LazyLock::new(|| crate::record::words::table(EVALUATION_ROWS));
        match self.lang {
            Lang::Lt => crate::record::words::put(&ROWS, e).unwrap_or_else(|| e.to_string()),
            Lang::En => e.to_string(),
        }
    }

    /// The value of an explanation step in words: a record with its fields
    /// named, and for `first` the place in its list of the item it chose.
    pub fn step(&self, s: &crate::eval::why::Step) -> String {
        let tv = s.tv();
        match (&tv, s.item()) {
            (crate::eval::Tv::Val(v), item) if crate::eval::why::holds_records(s.ty()) => {
                let text = self.typed(s.ty(), v, (s.source() == "record").then(|| s.expr()));
                match item {
                    Some((list, at)) => format!("{list}[{at}] {text}"),
                    None => text,
                }
            }
            // `any` true, `all` false: the item that made it so.
            (_, Some((list, at))) => format!("{} ({list}[{at}])", self.tv(&tv)),
            _ => self.tv(&tv),
        }
    }

    /// A value in words, a record's fields named by their labels: the
    /// labels of the fields at the case file's path `read` where it was
    /// read there, else of the one place in the case file that holds
    /// records of its type; where there is no such place, by their keys.
    fn typed(&self, ty: &crate::value::Type, v: &Value, read: Option<&str>) -> String {
        use crate::eval::why::Names;
        use crate::value::Type;
        let label = |path: &str| self.path_label(path).map(str::to_string);
        // The record type inside the lists, and how many lists deep.
        let (mut inner, mut lists) = (ty.base(), 0);
        while let Type::List(item) = inner {
            (inner, lists) = (item.base(), lists + 1);
        }
        let place = match inner {
            Type::Record(rid) => self.program.record_place(*rid).and_then(|mut at| {
                // The place of the items, less a `[]` for each list the
                // value is (written out, each list adds it back).
                for _ in 0..lists {
                    at.truncate(at.strip_suffix("[]")?.len());
                }
                Some(at)
            }),
            _ => None,
        };
        let at = place.as_deref().or(read);
        let names = match at {
            Some(at) => Names::Labels { at, label: &label },
            None => Names::Keys,
        };
        crate::eval::why::typed_with(self.program, ty, v, &names, &|v| self.value(v))
    }

    /// A value of an explanation step.
    pub fn shown(&self, s: &Shown) -> String {
        match s {
            Shown::Value(v) => self.value(v),
            Shown::Text(t) => t.clone(),
            Shown::Name(n) => n.to_string(),
            Shown::Names(ns) => ns.iter().map(|n| &**n).collect::<Vec<_>>().join(", "),
            Shown::Unknown => self.unknown().to_string(),
            Shown::Error(e) => format!("{}: {e}", self.error()),
        }
    }

    /// A warning raised for a case, in words: its label, its citation in
    /// the language (if it has one), and the facts it read that the
    /// record gives, with their values (`label: value; …`).
    pub fn warning(&self, w: &super::Warned) -> Option<(String, Option<String>, String)> {
        let def = self.program.warnings.get(w.warning)?;
        let facts: Vec<String> = w
            .facts
            .iter()
            .map(|(p, v)| format!("{}: {}", self.path(self.program.path(*p)), self.value(v)))
            .collect();
        let cite = def.citation.as_ref().map(|c| self.cite(&c.text));
        Some((self.def(def.def), cite, facts.join("; ")))
    }

    /// What the rules found for the determinations a raised warning's
    /// condition reads (`Examination procedure: border procedure`), as
    /// `outcomes` have them; `None` where it reads none that is determined.
    pub fn warning_found(
        &self,
        w: &super::Warned,
        outcomes: &[(DecisionId, crate::eval::Outcome)],
    ) -> Option<String> {
        let def = self.program.warnings.get(w.warning)?;
        let found: Vec<String> = def
            .decisions
            .iter()
            .filter_map(|id| {
                let (_, outcome) = outcomes.iter().find(|(d, _)| d == id)?;
                Some(format!(
                    "{}: {}",
                    self.decision(*id),
                    self.value(outcome.value()?)
                ))
            })
            .collect();
        (!found.is_empty()).then(|| found.join("; "))
    }

    /// How the rules' findings beside a warning's facts are introduced.
    pub fn rules_find(&self) -> &'static str {
        match self.lang {
            Lang::En => "The rules find",
            Lang::Lt => "Pagal taisykles",
        }
    }

    pub fn unknown(&self) -> &'static str {
        match self.lang {
            Lang::En => "unknown",
            Lang::Lt => "nežinoma",
        }
    }

    pub fn error(&self) -> &'static str {
        self.lang.error()
    }

    /// A date as the report heads it.
    pub fn date(&self, d: jiff::civil::Date) -> String {
        match self.lang {
            Lang::En => date_str(d),
            Lang::Lt => self.lang.date(d),
        }
    }
}

impl Words<'_> {
    /// An act's state in words, without the day it was done, the reason it
    /// is not owed or the facts lacking (`lsa diff` groups cases by it).
    pub fn act_state(&self, state: &crate::agenda::Act) -> &'static str {
        use crate::agenda::Act;
        let say = super::report::Say(self.lang);
        match state {
            Act::InTime(_) => say.pick("done in time", "atlikta per terminą"),
            Act::Late(_) => say.pick("done after the time limit", "atlikta po termino"),
            Act::Pending => say.pick("not done on record yet", "įraše dar neatlikta"),
            Act::Missed => say.pick(
                "not done on record, and the time limit is past",
                "įraše neatlikta, o terminas praėjo",
            ),
            Act::NotOwed(_) => say.pick("not owed in this case", "šioje byloje atlikti nereikia"),
            Act::Unknown(_) => say.pick("whether done is not known", "ar atlikta, nežinoma"),
            Act::OwedUnknown(_) => say.pick(
                "not done on record; whether owed is not known",
                "įraše neatlikta; ar reikia atlikti, nežinoma",
            ),
        }
    }

    /// Whether a time limit's act was done, in words (the record's dates
    /// plain, as in a case file; what the record lacks by its labels in
    /// Lithuanian, by its paths in English).
    pub fn act(&self, state: &crate::agenda::Act) -> String {
        self.act_listing(state, Self::facts)
    }

    /// [`Self::act`] for a line of the summary: what the record lacks as
    /// [`Self::facts_brief`] says it.
    pub fn act_brief(&self, state: &crate::agenda::Act) -> String {
        self.act_listing(state, Self::facts_brief)
    }

    /// [`Self::act`], the facts lacking listed by `list`.
    fn act_listing(
        &self,
        state: &crate::agenda::Act,
        list: fn(&Self, &[crate::check::ir::PathId]) -> String,
    ) -> String {
        use crate::agenda::Act;
        let lt = self.lang == Lang::Lt;
        match state {
            Act::InTime(d) => match lt {
                true => format!("atlikta {d}, per terminą"),
                false => format!("done {d}, in time"),
            },
            Act::Late(d) => match lt {
                true => format!("atlikta {d}, po termino"),
                false => format!("done {d}, after the time limit"),
            },
            Act::Pending | Act::Missed => self.act_state(state).to_string(),
            Act::NotOwed(because) => {
                let not_owed = self.act_state(state);
                match because {
                    // Why, one step away: the def that decided it, its
                    // value and its provision.
                    Some(b) => {
                        let cite = self
                            .program
                            .defs
                            .get(b.def.index())
                            .and_then(|d| d.citation.as_ref())
                            .filter(|_| b.cited)
                            .map(|c| format!(" [{}]", self.cite(&c.text)))
                            .unwrap_or_default();
                        format!(
                            "{not_owed} ({}: {}{cite})",
                            self.def(b.def),
                            self.lang.yes_no(b.holds)
                        )
                    }
                    None => not_owed.to_string(),
                }
            }
            Act::Unknown(needs) | Act::OwedUnknown(needs) => {
                let needs = list(self, needs);
                let owed = matches!(state, Act::OwedUnknown(_));
                match (lt, owed) {
                    (true, false) => format!("ar atlikta, nežinoma: trūksta {needs}"),
                    (true, true) => {
                        format!("įraše neatlikta; ar reikia atlikti, nežinoma: trūksta {needs}")
                    }
                    (false, false) => format!("whether done is not known: needs {needs}"),
                    (false, true) => {
                        format!("not done on record; whether owed is not known: needs {needs}")
                    }
                }
            }
        }
    }
}

impl Tongue for Words<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }

    /// `APR Art. 51(1); AMMR Art. 75` in the language: each act by its
    /// label, each pinpoint in the language's form.
    fn cite(&self, text: &str) -> String {
        if self.lang == Lang::En {
            return text.to_string();
        }
        // Consecutive provisions of one act name it once:
        // `Reglamento (ES) 2024/1348 28 str. 1 d., 51 str. 1 d.`.
        let mut out: Vec<String> = Vec::new();
        let mut last_act: Option<&str> = None;
        for part in text.split("; ") {
            let (act, pinpoint) = part.split_once(' ').unwrap_or((part, ""));
            let source = self
                .program
                .sources
                .iter()
                .position(|s| s.name == act)
                .and_then(|i| self.label(&Labelled::Source(crate::check::ir::SourceId(i as u32))));
            match source {
                Some(name) if last_act == Some(act) => {
                    let full = self.lang.citation(name, pinpoint);
                    let tail = full
                        .strip_prefix(name)
                        .unwrap_or(&full)
                        .trim_start()
                        .to_string();
                    if let Some(prev) = out.last_mut() {
                        prev.push_str(", ");
                        prev.push_str(&tail);
                    }
                }
                Some(name) => {
                    out.push(self.lang.citation(name, pinpoint));
                    last_act = Some(act);
                }
                None => {
                    out.push(part.to_string());
                    last_act = None;
                }
            }
        }
        out.join("; ")
    }

    fn holiday(&self, name: &str) -> String {
        self.label(&Labelled::Holiday(name.to_string()))
            .or_else(|| self.label(&Labelled::Calendar(name.to_string())))
            .map_or_else(|| name.to_string(), str::to_string)
    }
}

/// The evaluator's messages that reach a report (an outcome that is an
/// error, a step of an explanation), each a pattern matched whole and its
/// Lithuanian (`$N`: capture N as it is).
pub(crate) const EVALUATION_ROWS: &[crate::record::words::Row] = &[
    (
        r"(`[^`]*`) does not apply to this case",
        r"$1 šiai bylai netaikoma",
    ),
    (
        r"(`[^`]*`) is undetermined: no rule applies and it has no default",
        r"$1 nenustatyta: netaikoma jokia taisyklė ir nėra numatytosios reikšmės",
    ),
    (
        r"(`[^`]*`) has conflicting rules",
        r"$1: taisyklės prieštarauja viena kitai",
    ),
    (r"(`[^`]*`) is not in force on (\S+)", r"$1 $2 negalioja"),
    (
        r"(`[^`]*`) has no value in force on (\S+)",
        r"$1 $2 neturi galiojančios reikšmės",
    ),
    (
        r"(`.*`) has no value \(none\) to compare",
        r"$1 neturi reikšmės (nenurodyta), su kuria būtų galima lyginti",
    ),
    (
        r"(`.*`) has no value \(none\)",
        r"$1 neturi reikšmės (nenurodyta)",
    ),
    (
        r"(`[^`]*`) of an empty list",
        r"$1 tuščiam sąrašui neapskaičiuojamas",
    ),
    (
        r"a value in this calculation is none",
        r"viena šio skaičiavimo reikšmių nenurodyta",
    ),
    (r"division by zero", r"dalyba iš nulio"),
    (
        r"arithmetic overflow",
        r"skaičius per didelis (aritmetinis perpildymas)",
    ),
];

#[cfg(test)]
mod tests {
    use super::EVALUATION_ROWS;

    /// A pattern that does not compile would be left out of the table
    /// silently, and its message shown in English.
    #[test]
    fn every_evaluation_pattern_compiles() {
        for (pattern, _) in EVALUATION_ROWS {
            assert!(crate::record::words::whole(pattern).is_ok(), "{pattern}");
        }
    }

    /// The evaluator's wordings, as it writes them, put into Lithuanian.
    #[test]
    fn the_evaluators_wordings_are_put_into_lithuanian() {
        let table = crate::record::words::table(EVALUATION_ROWS);
        for (english, lithuanian) in [
            (
                "`t.x` is not in force on 2026-07-01",
                "`t.x` 2026-07-01 negalioja",
            ),
            (
                "`t.x` has conflicting rules",
                "`t.x`: taisyklės prieštarauja viena kitai",
            ),
            (
                "`a.b` has no value (none)",
                "`a.b` neturi reikšmės (nenurodyta)",
            ),
            (
                "`a.b` has no value (none) to compare",
                "`a.b` neturi reikšmės (nenurodyta), su kuria būtų galima lyginti",
            ),
            (
                "`min` of an empty list",
                "`min` tuščiam sąrašui neapskaičiuojamas",
            ),
            (
                "a value in this calculation is none",
                "viena šio skaičiavimo reikšmių nenurodyta",
            ),
            (
                "arithmetic overflow",
                "skaičius per didelis (aritmetinis perpildymas)",
            ),
            (
                "`procedure.lodging_period` has no value in force on 2026-06-10",
                "`procedure.lodging_period` 2026-06-10 neturi galiojančios reikšmės",
            ),
        ] {
            let put = crate::record::words::put(&table, english);
            assert_eq!(put.as_deref(), Some(lithuanian), "{english}");
        }
        assert_eq!(crate::record::words::put(&table, "not a wording"), None);
    }
}
