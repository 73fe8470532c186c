//! The agenda of a caseload: the dates the law sets for its cases (the time
//! limits, and the other dates the determinations give) that fall in a
//! window of days, in date order, and the dates that cannot be computed
//! yet, and why. Pure: `lsa agenda` reads the caseload and writes text or
//! JSON, `lsa serve` answers `POST /v1/agenda` with the JSON.

use jiff::civil::Date;
use serde_json::{json, Value as Json};

use crate::check::ir::{DecisionId, Program};
use crate::eval::{By, Evaluation, Outcome};
use crate::explain::{self, AsOf, OutcomeJson};
use crate::lang::Lang;
use crate::value::{date_str, Slot, Type, Value};

/// How many days the window spans when its last day is not given: two
/// weeks after its first.
pub const DAYS: i32 = 14;

/// The window of days: from `from` (else `as_of`, else `today`) to `to`
/// (else two weeks later), both included; an error (in the words of the
/// command's options) where it would end before it starts.
pub fn window(
    from: Option<Date>,
    to: Option<Date>,
    as_of: Option<Date>,
    today: Date,
) -> Result<(Date, Date), String> {
    let from = from.or(as_of).unwrap_or(today);
    let to = match to {
        Some(to) => to,
        None => from
            .checked_add(jiff::Span::new().days(DAYS))
            .map_err(|e| format!("from {from}: {e}"))?,
    };
    if to < from {
        return Err(format!("to {to} is before the window's first day, {from}"));
    }
    Ok((from, to))
}

/// A case of the caseload, as read.
pub struct Case {
    pub name: String,
    pub as_of: AsOf,
    /// The warnings its facts raise (by index in `Program::warnings`): a
    /// time limit counted from a date typed wrong is wrong too.
    pub warnings: Vec<u32>,
}

/// A date-valued determination of one case: its date within the window, or
/// why it has none yet.
pub struct Dated {
    /// Its case's place in [`Agenda::cases`].
    pub case: usize,
    pub decision: DecisionId,
    pub outcome: Outcome,
}

impl Dated {
    pub fn date(&self) -> Option<Date> {
        match &self.outcome {
            Outcome::Determined {
                value: Value::Date(d),
                ..
            } => Some(*d),
            _ => None,
        }
    }
}

/// The agenda of the cases added to it.
pub struct Agenda<'p> {
    program: &'p Program,
    pub from: Date,
    pub to: Date,
    /// The date-valued decisions, in the rules' order.
    dated: Vec<DecisionId>,
    /// Whether the dates that wait on facts are kept (else only counted).
    keep_waiting: bool,
    pub cases: Vec<Case>,
    /// In the window, by date, then case id, then input order, then the
    /// rules' order (once [`Agenda::finish`]ed).
    pub dates: Vec<Dated>,
    /// Not computed: an error, rules in conflict, facts missing (if kept),
    /// in input order, then the rules' order.
    pub open: Vec<Dated>,
    /// How many dates wait on facts (kept in `open` or not).
    pub waiting: usize,
    /// Each invalid record's source and error object (as `lsa batch`
    /// writes it).
    pub invalid: Vec<(String, String)>,
}

impl<'p> Agenda<'p> {
    /// An empty agenda of the window `from`–`to`; `keep_waiting`: whether
    /// the dates that wait on facts are kept, with the facts (a caseload's
    /// are many), or only counted.
    pub fn new(program: &'p Program, from: Date, to: Date, keep_waiting: bool) -> Agenda<'p> {
        let dated = program
            .decisions
            .iter()
            .enumerate()
            .filter(|(_, d)| matches!(d.ty.base(), Type::Date))
            .map(|(i, _)| DecisionId(i as u32))
            .collect();
        Agenda {
            program,
            from,
            to,
            dated,
            keep_waiting,
            cases: Vec::new(),
            dates: Vec::new(),
            open: Vec::new(),
            waiting: 0,
            invalid: Vec::new(),
        }
    }

    /// Evaluates a case on its date, for its date-valued decisions only
    /// (and the warnings its facts raise), and adds its dates.
    pub fn add(&mut self, name: String, inputs: &[Slot], as_of: AsOf) {
        let case = self.cases.len();
        let mut ev = Evaluation::new(self.program, inputs, as_of.date);
        for &decision in &self.dated {
            let d = Dated {
                case,
                decision,
                outcome: ev.outcome(decision),
            };
            match &d.outcome {
                Outcome::Determined { .. } => {
                    if d.date().is_some_and(|d| self.from <= d && d <= self.to) {
                        self.dates.push(d);
                    }
                }
                Outcome::Undetermined { .. } => {}
                Outcome::Unknown { .. } => {
                    self.waiting += 1;
                    if self.keep_waiting {
                        self.open.push(d)
                    }
                }
                Outcome::Conflict { .. } | Outcome::Error { .. } => self.open.push(d),
            }
        }
        self.cases.push(Case {
            name,
            as_of,
            warnings: ev.warned(),
        });
    }

    /// Puts the dates in order, once every case is added.
    pub fn finish(&mut self) {
        let cases = &self.cases;
        let name = |d: &Dated| cases.get(d.case).map(|c| c.name.as_str());
        self.dates.sort_by(|a, b| {
            (a.date(), name(a), a.case, a.decision.0).cmp(&(
                b.date(),
                name(b),
                b.case,
                b.decision.0,
            ))
        });
    }

    /// The case a date is of.
    pub fn case(&self, d: &Dated) -> Option<&Case> {
        self.cases.get(d.case)
    }

    /// The citation a determination's date rests on: its deciding rule's,
    /// else its decision's (as the contract's outcome object gives it).
    pub fn citation(&self, d: &Dated) -> Option<&'p str> {
        let decision = self.program.decisions.get(d.decision.index())?;
        let rule = match &d.outcome {
            Outcome::Determined {
                by: By::Rule(i), ..
            } => decision.rules.get(*i).and_then(|r| r.citation.as_ref()),
            _ => None,
        };
        rule.or(decision.citation.as_ref()).map(|c| &*c.text)
    }

    /// How many cases `dates` are of.
    pub fn cases_among<'d>(dates: impl Iterator<Item = &'d Dated>) -> usize {
        let mut cases: Vec<usize> = dates.map(|d| d.case).collect();
        cases.sort_unstable();
        cases.dedup();
        cases.len()
    }

    /// One determination as the contract's outcome object, headed by its
    /// case, the case's evaluation date and where it came from, the
    /// determination's key and the keys of the warnings the case raises.
    fn dated_json(&self, lang: Lang, d: &Dated) -> Json {
        let program = self.program;
        let mut j = serde_json::to_value(OutcomeJson {
            program,
            id: d.decision,
            outcome: &d.outcome,
            derivation: None,
            lang,
        })
        .unwrap_or(Json::Null);
        let case = self.case(d);
        if let Json::Object(m) = &mut j {
            let key = program.decisions.get(d.decision.index()).map(|d| &*d.key);
            let warnings: Vec<&str> = case
                .into_iter()
                .flat_map(|c| &c.warnings)
                .filter_map(|k| program.warnings.get(*k as usize))
                .map(|w| &*w.key)
                .collect();
            let mut head = serde_json::Map::new();
            head.insert("case".into(), json!(case.map(|c| &c.name)));
            head.insert("as_of".into(), json!(case.map(|c| date_str(c.as_of.date))));
            head.insert("as_of_from".into(), json!(case.map(|c| c.as_of.from.key())));
            head.insert("determination".into(), json!(key));
            head.insert("warnings".into(), json!(warnings));
            head.append(m);
            *m = head;
        }
        j
    }

    /// The agenda as the contract's JSON (its labels in `lang`).
    pub fn to_json(&self, lang: Lang) -> Json {
        let invalid: Vec<Json> = self
            .invalid
            .iter()
            .map(|(_, e)| serde_json::from_str(e).unwrap_or(Json::Null))
            .collect();
        json!({
            "format": explain::FORMAT,
            "law": explain::law_json(&self.program.provenance),
            "from": date_str(self.from),
            "to": date_str(self.to),
            "cases": self.cases.len() + self.invalid.len(),
            "dates": self.dates.iter().map(|d| self.dated_json(lang, d)).collect::<Vec<_>>(),
            "open": self.open.iter().map(|d| self.dated_json(lang, d)).collect::<Vec<_>>(),
            "invalid": invalid,
        })
    }
}
