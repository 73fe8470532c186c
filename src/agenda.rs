//! The agenda of a caseload: the dates the law sets for its cases (the time
//! limits, and the other dates the determinations give) that fall in a
//! window of days, in date order, each time limit with whether the record
//! shows its act done (`met by`: [`Act`]), the time limits past without it,
//! and the dates that cannot be computed yet, and why. Pure: `lsa agenda`
//! reads the caseload and writes text or JSON, `lsa serve` answers `POST
//! /v1/agenda` with the JSON; `lsa check` and `lsa test` read a case's acts
//! with [`acts`].

use jiff::civil::Date;
use serde_json::{json, Value as Json};

use crate::check::ir::{DecisionId, MetBy, Node, PathId, Program};
use crate::eval::{By, Evaluation, Outcome, Tv};
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
    /// For a time limit whose act the rules name (`met by`): whether the
    /// record says it was done.
    pub act: Option<Act>,
}

/// Whether the act a time limit limits was done, as the case record says:
/// the facts the rules name for it (`met by`, [`met_by`]), any of which
/// meets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// Done on this day, the time limit's last day or before it.
    InTime(Date),
    /// Done on this day, after the time limit's last day.
    Late(Date),
    /// Not done (every fact `null`), and the last day is not past on the
    /// case's evaluation date.
    Pending,
    /// Not done, and the last day is before the case's evaluation date.
    Missed,
    /// Not done, and not owed in this case (`owed when` is false): the
    /// time limit asks for nothing. With the def that made it so, where
    /// the condition names one (`not another_member_state_responsible`: that
    /// def, true).
    NotOwed(Option<Because>),
    /// The record does not say whether it was done on time: the facts it
    /// lacks.
    Unknown(Vec<PathId>),
    /// Not done, and the record does not say whether it is owed (`owed
    /// when` is unknown): the facts it lacks.
    OwedUnknown(Vec<PathId>),
}

/// What made an act not owed: a def the `owed when` condition reads, and
/// the value it has (the condition `d` false: `d` is false; `not d`: true).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Because {
    pub def: crate::check::ir::DefId,
    pub holds: bool,
    /// Whether its provision is said beside it: not where it is the one
    /// the time limit's rule (or decision) already cites.
    pub cited: bool,
}

impl Because {
    /// The def that makes the `owed when` condition of `met_by` (false for
    /// the case) false: the first of [`MetBy::reason_defs`] whose part is
    /// false (`d` false, or `not d` with `d` true); `None` where none is.
    fn of(ev: &mut Evaluation, met_by: &MetBy) -> Option<Because> {
        met_by.reason_defs().into_iter().find_map(|(def, negated)| {
            matches!(ev.def(def), Tv::Val(Value::Bool(b)) if b == negated).then_some(Because {
                def,
                holds: negated,
                cited: true,
            })
        })
    }
}

impl Act {
    /// The state's key in JSON.
    pub fn key(&self) -> &'static str {
        match self {
            Act::InTime(_) => "in_time",
            Act::Late(_) => "late",
            Act::Pending => "pending",
            Act::Missed => "missed",
            Act::NotOwed(_) => "not_owed",
            Act::Unknown(_) | Act::OwedUnknown(_) => "unknown",
        }
    }

    /// What the record lacks to say it.
    pub fn needs(&self) -> Option<&[PathId]> {
        match self {
            Act::Unknown(needs) | Act::OwedUnknown(needs) => Some(needs),
            _ => None,
        }
    }

    /// Whether nothing is left to do for it: done, or not owed.
    pub fn closed(&self) -> bool {
        matches!(self, Act::InTime(_) | Act::Late(_) | Act::NotOwed(_))
    }

    /// Whether `other` is the same state, done on the same day (what made
    /// an act not owed, or what a record lacks, aside): what `lsa diff`
    /// and `POST /v1/diff` count as no change.
    pub fn same_state(&self, other: &Act) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.done_on() == other.done_on()
    }

    /// The day it was done, if the record says.
    pub fn done_on(&self) -> Option<Date> {
        match self {
            Act::InTime(d) | Act::Late(d) => Some(*d),
            _ => None,
        }
    }

    /// Whether the time limit ending on `last_day` is met on `as_of` by the
    /// facts `met_by` (none: the rules name no act for it). Done in time if
    /// any fact holds a day up to the last; late if every fact that holds a
    /// day holds a later one and none is missing from the record; not done
    /// if every fact is `null`, and then not owed where its `owed when` is
    /// false (a day on record is shown whether owed or not).
    pub fn of(ev: &mut Evaluation, met_by: &MetBy, last_day: Date, as_of: Date) -> Option<Act> {
        if met_by.is_empty() {
            return None;
        }
        let (mut first_in_time, mut first_late, mut lacking) = (None, None, Vec::new());
        for n in &met_by.facts {
            match ev.eval(n) {
                Tv::Val(Value::Date(d)) if d <= last_day => {
                    first_in_time = Some(first_in_time.map_or(d, |f: Date| f.min(d)))
                }
                Tv::Val(Value::Date(d)) => {
                    first_late = Some(first_late.map_or(d, |f: Date| f.min(d)))
                }
                Tv::Unknown(needs) => lacking.extend(needs),
                // `null`: not done (an error cannot come from a fact).
                _ => {}
            }
        }
        Some(match (first_in_time, first_late) {
            (Some(d), _) => Act::InTime(d),
            _ if !lacking.is_empty() => Act::Unknown(lacking),
            (None, Some(d)) => Act::Late(d),
            (None, None) => match met_by.owed.as_ref().map(|c| ev.eval(c)) {
                Some(Tv::Val(Value::Bool(false))) => Act::NotOwed(Because::of(ev, met_by)),
                Some(Tv::Unknown(needs)) => Act::OwedUnknown(needs),
                _ if last_day < as_of => Act::Missed,
                _ => Act::Pending,
            },
        })
    }

    /// The act of a determination, if it is a date whose deciding rule (or
    /// decision, for its default) names the facts that meet it.
    pub fn of_outcome(
        program: &Program,
        ev: &mut Evaluation,
        decision: DecisionId,
        outcome: &Outcome,
        as_of: Date,
    ) -> Option<Act> {
        let (met_by, last_day) = met_by(program, decision, outcome)?;
        let act = Act::of(ev, met_by, last_day, as_of)?;
        Some(match act {
            Act::NotOwed(Some(b)) => {
                let text = |c: Option<&crate::check::ir::Citation>| c.map(|c| c.text.clone());
                let d = program.decisions.get(decision.index());
                let rule = match outcome {
                    Outcome::Determined {
                        by: By::Rule(i), ..
                    } => d.and_then(|d| d.rules.get(*i)),
                    _ => None,
                };
                let own = text(
                    program
                        .defs
                        .get(b.def.index())
                        .and_then(|x| x.citation.as_ref()),
                );
                let cited = own.is_some()
                    && own != text(rule.and_then(|r| r.citation.as_ref()))
                    && own != text(d.and_then(|d| d.citation.as_ref()));
                Act::NotOwed(Some(Because { cited, ..b }))
            }
            act => act,
        })
    }
}

/// What meets a determination's time limit (its deciding rule's `met by`,
/// its decision's for the default), with the time limit's last day; `None`
/// where it is no date or the rules name no act for it.
pub fn met_by<'p>(
    program: &'p Program,
    decision: DecisionId,
    outcome: &Outcome,
) -> Option<(&'p MetBy, Date)> {
    let Outcome::Determined {
        value: Value::Date(last_day),
        by,
    } = outcome
    else {
        return None;
    };
    let def = program.decisions.get(decision.index())?;
    let met_by = match by {
        By::Rule(i) => &def.rules.get(*i)?.met_by,
        By::Rules(_) | By::Default => &def.met_by,
    };
    (!met_by.is_empty()).then_some((met_by, *last_day))
}

/// The record paths of the facts of a `met by`.
pub fn fact_paths<'p>(program: &'p Program, facts: &[Node]) -> Vec<&'p str> {
    facts
        .iter()
        .filter_map(|n| match &n.kind {
            crate::check::ir::Expr::Field { path, .. } => Some(program.path(*path)),
            _ => None,
        })
        .collect()
}

/// The acts of a case's time limits (`met by`), for the determinations of
/// `outcomes` that have one, as the case's record says on `as_of`.
pub fn acts(
    program: &Program,
    inputs: &[Slot],
    as_of: Date,
    outcomes: &[(DecisionId, Outcome)],
) -> Vec<(DecisionId, Act)> {
    let mut ev = Evaluation::new(program, inputs, as_of);
    outcomes
        .iter()
        .filter_map(|(id, o)| Some((*id, Act::of_outcome(program, &mut ev, *id, o, as_of)?)))
        .collect()
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

/// One case's part of an agenda (see [`Agenda::evaluate`]).
#[derive(Default)]
pub struct CaseDates {
    dates: Vec<Dated>,
    open: Vec<Dated>,
    missed: Vec<Dated>,
    waiting: usize,
    warnings: Vec<u32>,
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
    /// The time limits not met, whose last day is past on their case's
    /// evaluation date, outside the window (those in it are in `dates`):
    /// by date, as `dates`.
    pub missed: Vec<Dated>,
    /// Whether the window keeps only what is still to be done: a time
    /// limit whose act the record says was done is left out.
    pub open_only: bool,
    /// Each invalid record's source and error object (as `lsa batch`
    /// writes it).
    pub invalid: Vec<crate::record::Unread>,
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
            missed: Vec::new(),
            open_only: false,
            invalid: Vec::new(),
        }
    }

    /// Evaluates a case on its date, for its date-valued decisions only
    /// (and the warnings its facts raise), and adds its dates.
    pub fn add(&mut self, name: String, inputs: &[Slot], as_of: AsOf) {
        let dates = self.evaluate(inputs, as_of);
        self.push(name, as_of, dates);
    }

    /// A case's dates, evaluated on its date, apart from the agenda (so
    /// that cases are evaluated in parallel, then [`Agenda::push`]ed in
    /// input order).
    pub fn evaluate(&self, inputs: &[Slot], as_of: AsOf) -> CaseDates {
        let mut out = CaseDates::default();
        let mut ev = Evaluation::new(self.program, inputs, as_of.date);
        for &decision in &self.dated {
            let mut d = Dated {
                case: 0,
                decision,
                outcome: ev.outcome(decision),
                act: None,
            };
            match &d.outcome {
                Outcome::Determined { .. } => {
                    let Some(day) = d.date() else { continue };
                    d.act =
                        Act::of_outcome(self.program, &mut ev, decision, &d.outcome, as_of.date);
                    let closed = d.act.as_ref().is_some_and(Act::closed);
                    if self.from <= day && day <= self.to {
                        if !(self.open_only && closed) {
                            out.dates.push(d);
                        }
                    } else if d.act == Some(Act::Missed) {
                        out.missed.push(d);
                    }
                }
                Outcome::Undetermined { .. } => {}
                Outcome::Unknown { .. } => {
                    out.waiting += 1;
                    if self.keep_waiting {
                        out.open.push(d)
                    }
                }
                Outcome::Conflict { .. } | Outcome::Error { .. } => out.open.push(d),
            }
        }
        out.warnings = ev.warned();
        out
    }

    /// Adds a case's dates, as [`Agenda::evaluate`] gave them, after the
    /// cases added before it.
    pub fn push(&mut self, name: String, as_of: AsOf, dates: CaseDates) {
        let case = self.cases.len();
        let mark = |mut d: Dated| {
            d.case = case;
            d
        };
        self.dates.extend(dates.dates.into_iter().map(mark));
        self.open.extend(dates.open.into_iter().map(mark));
        self.missed.extend(dates.missed.into_iter().map(mark));
        self.waiting += dates.waiting;
        self.cases.push(Case {
            name,
            as_of,
            warnings: dates.warnings,
        });
    }

    /// Puts the dates in order, once every case is added.
    pub fn finish(&mut self) {
        let cases = &self.cases;
        let name = |d: &Dated| cases.get(d.case).map(|c| c.name.as_str());
        let order = |a: &Dated, b: &Dated| {
            (a.date(), name(a), a.case, a.decision.0).cmp(&(
                b.date(),
                name(b),
                b.case,
                b.decision.0,
            ))
        };
        self.dates.sort_by(order);
        self.missed.sort_by(order);
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
            if let Some(act) = &d.act {
                head.insert("act".into(), self.act_json(lang, d, act));
            }
            *m = head;
        }
        j
    }

    /// Whether a time limit's act was done: the facts that say it, the
    /// state, the day it was done, what the record lacks to say it, and
    /// for an act not owed, why (`because`: the def its `owed when` read,
    /// its label in `lang`, its value and its citation).
    fn act_json(&self, lang: Lang, d: &Dated, act: &Act) -> Json {
        let program = self.program;
        let facts = met_by(program, d.decision, &d.outcome).map_or(&[][..], |(m, _)| &m.facts);
        let mut j = json!({
            "met_by": fact_paths(program, facts),
            "state": act.key(),
            "done_on": act.done_on().map(date_str),
        });
        if let (Some(needs), Json::Object(m)) = (act.needs(), &mut j) {
            let needs: Vec<&str> = needs.iter().map(|p| program.path(*p)).collect();
            m.insert("needs".into(), json!(needs));
        }
        if let (Act::NotOwed(Some(b)), Json::Object(m)) = (act, &mut j) {
            if let Some(def) = program.defs.get(b.def.index()) {
                let words = crate::explain::words::Words::new(program, lang);
                m.insert(
                    "because".into(),
                    json!({
                        "def": &*def.key,
                        "label": words.def(b.def),
                        "value": b.holds,
                        "citation": def.citation.as_ref().map(|c| &*c.text),
                    }),
                );
            }
        }
        j
    }

    /// The agenda as the contract's JSON (its labels in `lang`).
    pub fn to_json(&self, lang: Lang) -> Json {
        let invalid: Vec<Json> = self
            .invalid
            .iter()
            .map(|u| serde_json::from_str(&u.error).unwrap_or(Json::Null))
            .collect();
        json!({
            "format": explain::FORMAT,
            "law": explain::law_json(&self.program.provenance),
            "from": date_str(self.from),
            "to": date_str(self.to),
            "cases": self.cases.len() + self.invalid.len(),
            "dates": self.dates.iter().map(|d| self.dated_json(lang, d)).collect::<Vec<_>>(),
            "open": self.open.iter().map(|d| self.dated_json(lang, d)).collect::<Vec<_>>(),
            "missed": self.missed.iter().map(|d| self.dated_json(lang, d)).collect::<Vec<_>>(),
            "invalid": invalid,
        })
    }
}
