//! Derivations: why a decision came out as it did, as data. Built only when an
//! explanation is asked for, by re-reading the (memoised) evaluation: the rule
//! that decided and the facts it used, rules set aside by exceptions, rules that
//! did not apply with the condition that failed, and what is still unknown.

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::{Serialize, Serializer};
use smallvec::SmallVec;

use super::{By, Cond, Evaluation, Outcome, Status, Tv};
use crate::check::ir::*;
use crate::time::{Calendar, PeriodStep};
use crate::value::{date_str, datetime_str, Value};

/// The derivation of one decision for one case.
#[derive(Clone, Debug, Serialize)]
pub struct Derivation {
    pub decision: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Arc<str>>,
    #[serde(skip_serializing_if = "is_empty")]
    pub doc: Arc<str>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Shown>,
    /// The rule (or rules, under `collect`) that gave the value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<Applied>,
    /// The default, when no rule applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Step>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflict: Vec<Applied>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAside>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<Applied>,
    /// Rules whose conditions wait on unknown facts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub open: Vec<Applied>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_in_force: Vec<RuleRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleRef {
    pub kind: &'static str,
    pub name: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Arc<str>>,
    #[serde(skip_serializing_if = "is_empty")]
    pub doc: Arc<str>,
}

fn is_empty(s: &Arc<str>) -> bool {
    s.is_empty()
}

#[derive(Clone, Debug, Serialize)]
pub struct Applied {
    pub rule: RuleRef,
    /// The condition, as evaluated (for a rule that did not apply: the parts that failed).
    pub because: Step,
    /// How the value was computed, when it is not written out in the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Step>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SetAside {
    pub rule: RuleRef,
    pub by: Vec<Arc<str>>,
}

/// One evaluated expression and what it rests on. Holds values, not text:
/// words are made only when the explanation is shown ([`fmt::Display`] on the
/// parts, or JSON).
#[derive(Clone, Debug)]
pub struct Step {
    pub expr: Arc<str>,
    /// The qualified name of the def, param or decision this step reads.
    pub name: Option<Arc<str>>,
    pub value: Shown,
    pub citation: Option<Arc<str>>,
    /// Where the value comes from: `record`, `def`, `param`, `decision`, `computed`.
    pub source: &'static str,
    pub note: Note,
    /// The steps of a time limit, with the calendar it used (to name the
    /// holidays it passed); boxed, as few steps have one.
    pub limit: Option<Box<Limit>>,
    pub children: Vec<Step>,
}

/// The steps of a time limit and the calendar it used.
pub type Limit = (Vec<PeriodStep>, Option<Arc<Calendar>>);

impl Step {
    /// The steps of its time limit, in words.
    pub fn steps_text(&self) -> impl Iterator<Item = String> + '_ {
        self.limit
            .iter()
            .flat_map(|l| l.0.iter().map(|s| s.render(l.1.as_deref())))
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("expr", &*self.expr)?;
        if let Some(name) = &self.name {
            m.serialize_entry("name", &**name)?;
        }
        m.serialize_entry("value", &self.value)?;
        if let Some(c) = &self.citation {
            m.serialize_entry("citation", &**c)?;
        }
        m.serialize_entry("source", self.source)?;
        if !matches!(self.note, Note::None) {
            m.serialize_entry("note", &self.note)?;
        }
        if self.limit.is_some() {
            m.serialize_entry("steps", &self.steps_text().collect::<Vec<_>>())?;
        }
        if !self.children.is_empty() {
            m.serialize_entry("children", &self.children)?;
        }
        m.end()
    }
}

/// A value as an explanation shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Value(Value),
    /// An enum value, by name.
    Name(Arc<str>),
    /// A list holding enum values (names resolved).
    Names(Vec<Arc<str>>),
    Unknown,
    Error(String),
}

impl Shown {
    pub fn of(program: &Program, tv: &Tv) -> Shown {
        match tv {
            Tv::Val(Value::Enum(e, i)) => Shown::Name(enum_name(program, *e, *i)),
            Tv::Val(Value::List(items)) if items.iter().any(|v| matches!(v, Value::Enum(..))) => {
                Shown::Names(
                    items
                        .iter()
                        .map(|v| match v {
                            Value::Enum(e, i) => enum_name(program, *e, *i),
                            other => Arc::from(show(program, other)),
                        })
                        .collect(),
                )
            }
            Tv::Val(v) => Shown::Value(v.clone()),
            Tv::Unknown(_) => Shown::Unknown,
            Tv::Err(e) => Shown::Error(e.clone()),
        }
    }

    /// Whether this is the boolean `b`.
    pub fn is_bool(&self, b: bool) -> bool {
        matches!(self, Shown::Value(Value::Bool(x)) if *x == b)
    }
}

fn enum_name(program: &Program, e: crate::value::EnumId, i: u32) -> Arc<str> {
    program
        .enums
        .get(e.0 as usize)
        .and_then(|d| d.shared.get(i as usize))
        .cloned()
        .unwrap_or_else(|| Arc::from("?"))
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Value(v) => write_value(f, v),
            Shown::Name(n) => f.write_str(n),
            Shown::Names(names) => write!(
                f,
                "[{}]",
                names.iter().map(|n| &**n).collect::<Vec<_>>().join(", ")
            ),
            Shown::Unknown => f.write_str("unknown"),
            Shown::Error(e) => write!(f, "error: {e}"),
        }
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a step's value comes from, or how to read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    None,
    /// The record does not give this path.
    NotInRecord(Arc<str>),
    /// The version of a param that applied.
    ParamFrom(Date),
    /// The rule that decided a decision read here.
    DecidedBy {
        exception: bool,
        rule: Arc<str>,
        citation: Option<Arc<str>>,
    },
    ByDefault,
    /// What an unknown decision read here waits on.
    WaitsOn(Vec<Arc<str>>),
    /// A def explained in full earlier in the same derivation.
    AsAbove,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::None => Ok(()),
            Note::NotInRecord(path) => write!(f, "`{path}` is not in the record"),
            Note::ParamFrom(d) => write!(f, "value in force from {}", date_str(*d)),
            Note::DecidedBy {
                exception,
                rule,
                citation,
            } => {
                let kind = if *exception { "exception" } else { "rule" };
                match citation {
                    Some(c) => write!(f, "by {kind} `{rule}` [{c}]"),
                    None => write!(f, "by {kind} `{rule}`"),
                }
            }
            Note::ByDefault => f.write_str("by default"),
            Note::WaitsOn(paths) => write!(
                f,
                "waits on {}",
                paths.iter().map(|p| &**p).collect::<Vec<_>>().join(", ")
            ),
            Note::AsAbove => f.write_str("as above"),
        }
    }
}

impl Serialize for Note {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A value as a caseworker reads it.
pub fn show(program: &Program, v: &Value) -> String {
    match v {
        Value::Enum(e, i) => program.enum_variant(*e, *i).to_string(),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| show(program, v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => ValueText(other).to_string(),
    }
}

/// Displays a value that needs no program to name it.
struct ValueText<'a>(&'a Value);

impl fmt::Display for ValueText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_value(f, self.0)
    }
}

fn write_value(f: &mut fmt::Formatter<'_>, v: &Value) -> fmt::Result {
    match v {
        Value::Bool(b) => write!(f, "{b}"),
        Value::Integer(i) => write!(f, "{i}"),
        Value::Decimal(d) => write!(f, "{}", d.normalize()),
        Value::Money(m) => write!(f, "{m}"),
        Value::Percent(p) => write!(f, "{}%", p.normalize()),
        Value::Text(t) => write!(f, "{t:?}"),
        Value::Date(d) => f.write_str(&date_str(*d)),
        Value::DateTime(d) => f.write_str(&datetime_str(*d)),
        Value::Duration(p) => write!(f, "{p}"),
        // Enum values are resolved to names (`Shown::Name`) before they get here.
        Value::Enum(_, i) => write!(f, "#{i}"),
        Value::List(items) => {
            f.write_str("[")?;
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    f.write_str(", ")?;
                }
                write_value(f, item)?;
            }
            f.write_str("]")
        }
        Value::Record(_) => f.write_str("{…}"),
        Value::None => f.write_str("none"),
    }
}

fn rule_ref(r: &RuleDef) -> RuleRef {
    RuleRef {
        kind: if r.is_exception { "exception" } else { "rule" },
        name: r.name.clone(),
        citation: r.citation.as_ref().map(|c| c.text.clone()),
        doc: r.doc.clone(),
    }
}

impl Evaluation<'_, '_> {
    /// The derivation of a decision's outcome for this case.
    pub fn derive(&mut self, id: DecisionId) -> Derivation {
        let program = self.program;
        // Each derivation explains a def in full once.
        self.expanded.clear();
        self.expanded.resize(program.defs.len(), false);

        let outcome = self.decide(id);
        let Some(d) = program.decisions.get(id.index()) else {
            return self.bare(Arc::from("?"), &outcome);
        };
        let mut out = Derivation {
            decision: d.key.clone(),
            citation: d.citation.as_ref().map(|c| c.text.clone()),
            doc: d.doc.clone(),
            status: outcome.status(),
            value: outcome
                .value()
                .map(|v| Shown::of(program, &Tv::Val(v.clone()))),
            by: Vec::new(),
            default: None,
            conflict: Vec::new(),
            set_aside: Vec::new(),
            not_applicable: Vec::new(),
            open: Vec::new(),
            not_in_force: Vec::new(),
            needs: Vec::new(),
            error: None,
            note: None,
        };
        match &outcome {
            Outcome::Undetermined { not_in_force: true } => {
                out.note = Some(format!(
                    "not in force on {} ({})",
                    date_str(self.as_of),
                    d.validity.describe()
                ));
                return out;
            }
            Outcome::Undetermined { .. } => {
                out.note = Some("no rule applies and the decision has no default".into())
            }
            Outcome::Unknown { needs } => {
                out.needs = needs.iter().map(|p| program.path(*p).to_string()).collect()
            }
            Outcome::Error { message } => out.error = Some(message.clone()),
            _ => {}
        }
        let conds = self.conditions(d, true);
        let applies: Vec<bool> = conds.iter().map(|c| matches!(c, Cond::True)).collect();
        let deciding: Vec<usize> = match &outcome {
            Outcome::Determined {
                by: By::Rule(i), ..
            } => vec![*i],
            Outcome::Determined {
                by: By::Rules(rs), ..
            } => rs.clone(),
            _ => Vec::new(),
        };
        let conflicting: Vec<usize> = match &outcome {
            Outcome::Conflict { rules } => rules.clone(),
            _ => Vec::new(),
        };
        for (i, r) in d.rules.iter().enumerate() {
            let cond = conds.get(i).cloned().unwrap_or(Cond::Off);
            let overriders: Vec<Arc<str>> = d
                .rules
                .iter()
                .enumerate()
                .filter(|(k, o)| {
                    applies.get(*k).copied().unwrap_or(false) && o.overrides.contains(&i)
                })
                .map(|(_, o)| o.name.clone())
                .collect();
            match cond {
                Cond::Off => out.not_in_force.push(rule_ref(r)),
                Cond::True if !overriders.is_empty() => out.set_aside.push(SetAside {
                    rule: rule_ref(r),
                    by: overriders,
                }),
                Cond::True if deciding.contains(&i) || conflicting.contains(&i) => {
                    let applied = self.applied(r, true);
                    if deciding.contains(&i) {
                        out.by.push(applied);
                    } else {
                        out.conflict.push(applied);
                    }
                }
                // Applies, but an earlier rule decided (`first`) or it agreed with the one shown.
                Cond::True => {}
                Cond::False => {
                    let applied = self.applied(r, false);
                    out.not_applicable.push(applied);
                }
                Cond::Open(_) | Cond::Failed(_) => {
                    let applied = self.applied(r, false);
                    out.open.push(applied);
                }
            }
        }
        if let (
            Outcome::Determined {
                by: By::Default, ..
            },
            Some(default),
        ) = (&outcome, &d.default)
        {
            out.default = Some(self.step(default));
        }
        out
    }

    fn bare(&self, decision: Arc<str>, outcome: &Outcome) -> Derivation {
        Derivation {
            decision,
            citation: None,
            doc: Arc::from(""),
            status: outcome.status(),
            value: None,
            by: Vec::new(),
            default: None,
            conflict: Vec::new(),
            set_aside: Vec::new(),
            not_applicable: Vec::new(),
            open: Vec::new(),
            not_in_force: Vec::new(),
            needs: Vec::new(),
            error: None,
            note: None,
        }
    }

    fn applied(&mut self, r: &RuleDef, with_value: bool) -> Applied {
        let because = self.step(&r.when);
        let value = if with_value && !matches!(r.then.kind, Expr::Lit(_)) {
            Some(self.step(&r.then))
        } else {
            None
        };
        Applied {
            rule: rule_ref(r),
            because,
            value,
        }
    }

    /// The explanation of one expression: its value and the facts under it.
    pub fn step(&mut self, n: &Node) -> Step {
        let program = self.program;
        let tv = self.eval(n);
        let mut step = Step {
            expr: n.text.clone(),
            name: None,
            value: Shown::of(program, &tv),
            citation: None,
            source: "computed",
            note: Note::None,
            limit: None,
            children: Vec::new(),
        };
        match &n.kind {
            Expr::Lit(_) => step.source = "rule",
            Expr::Input(_) | Expr::Field { .. } => {
                step.source = "record";
                if let (Tv::Unknown(_), Expr::Field { path, .. }) = (&tv, &n.kind) {
                    step.note = Note::NotInRecord(program.path(*path).into());
                }
            }
            Expr::Local(_) => step.source = "list item",
            Expr::AsOf => step.source = "as-of date",
            Expr::Param(id) => {
                step.source = "param";
                if let Some(p) = program.params.get(id.index()) {
                    step.name = Some(p.key.clone());
                    step.citation = p.citation.as_ref().map(|c| c.text.clone());
                }
                if let Ok((from, _)) = self.param(*id) {
                    step.note = Note::ParamFrom(from);
                }
            }
            Expr::Def(id) => {
                step.source = "def";
                if let Some(def) = program.defs.get(id.index()) {
                    step.name = Some(def.key.clone());
                    step.citation = def.citation.as_ref().map(|c| c.text.clone());
                    if self.expanded.get(id.index()).copied().unwrap_or(false) {
                        step.note = Note::AsAbove;
                    } else {
                        if let Some(seen) = self.expanded.get_mut(id.index()) {
                            *seen = true;
                        }
                        let body = self.step(&def.body);
                        step.children.push(body);
                    }
                }
            }
            Expr::Decision(id) => {
                step.source = "decision";
                if let Some(d) = program.decisions.get(id.index()) {
                    step.name = Some(d.key.clone());
                    step.citation = d.citation.as_ref().map(|c| c.text.clone());
                    step.note = match self.decide(*id) {
                        Outcome::Determined {
                            by: By::Rule(i), ..
                        } => d
                            .rules
                            .get(i)
                            .map(|r| Note::DecidedBy {
                                exception: r.is_exception,
                                rule: r.name.clone(),
                                citation: r.citation.as_ref().map(|c| c.text.clone()),
                            })
                            .unwrap_or(Note::None),
                        Outcome::Determined {
                            by: By::Default, ..
                        } => Note::ByDefault,
                        Outcome::Unknown { needs } => Note::WaitsOn(
                            needs.iter().map(|p| Arc::from(program.path(*p))).collect(),
                        ),
                        _ => Note::None,
                    };
                }
            }
            Expr::And(..) | Expr::Or(..) => {
                let is_and = matches!(n.kind, Expr::And(..));
                let mut operands: SmallVec<[&Node; 8]> = SmallVec::new();
                flatten(n, is_and, &mut operands);
                // Show what decided: for a false `and` the false parts, for a true
                // `or` the true parts; otherwise every part.
                let decisive = match tv {
                    Tv::Val(Value::Bool(b)) if b != is_and => Some(b),
                    _ => None,
                };
                for o in operands {
                    let child = self.step(o);
                    let keep = match decisive {
                        Some(b) => child.value.is_bool(b),
                        None => true,
                    };
                    if keep {
                        step.children.push(child);
                    }
                }
            }
            Expr::DeadlineFrom { event, period, .. }
            | Expr::DeadlineBefore {
                anchor: event,
                period,
            } => {
                let mut trace = Vec::new();
                self.deadline(n, Some(&mut trace));
                let calendar = match &n.kind {
                    Expr::DeadlineFrom {
                        calendar: Some(c), ..
                    } => program.calendars.get(c.0 as usize).cloned(),
                    _ => None,
                };
                step.limit = Some(Box::new((trace, calendar)));
                for operand in [event, period] {
                    if !matches!(operand.kind, Expr::Lit(_)) {
                        let child = self.step(operand);
                        step.children.push(child);
                    }
                }
            }
            _ => {
                for operand in operands(n) {
                    if !matches!(operand.kind, Expr::Lit(_) | Expr::List(_)) || has_facts(operand) {
                        let child = self.step(operand);
                        step.children.push(child);
                    }
                }
            }
        }
        step
    }
}

fn flatten<'n>(n: &'n Node, is_and: bool, out: &mut SmallVec<[&'n Node; 8]>) {
    match (&n.kind, is_and) {
        (Expr::And(a, b), true) | (Expr::Or(a, b), false) => {
            flatten(a, is_and, out);
            flatten(b, is_and, out);
        }
        _ => out.push(n),
    }
}

fn has_facts(n: &Node) -> bool {
    match &n.kind {
        Expr::Lit(_) => false,
        Expr::List(items) => items.iter().any(has_facts),
        _ => true,
    }
}

/// The direct operands of an expression.
fn operands(n: &Node) -> SmallVec<[&Node; 4]> {
    let mut out = SmallVec::new();
    match &n.kind {
        Expr::Not(a) | Expr::Neg(a) | Expr::Known(a) | Expr::Exists(a) => out.push(a.as_ref()),
        Expr::Cmp(_, a, b)
        | Expr::Arith(_, a, b)
        | Expr::DaysBetween(a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b) => out.extend([a.as_ref(), b.as_ref()]),
        Expr::In { item, list, .. } => out.extend([item.as_ref(), list.as_ref()]),
        Expr::If(c, a, b) => out.extend([c.as_ref(), a.as_ref(), b.as_ref()]),
        Expr::List(items) => out.extend(items.iter()),
        Expr::Age { birth, on } => out.extend([birth.as_ref(), on.as_ref()]),
        Expr::Quant { list, .. } => out.push(list.as_ref()),
        Expr::DeadlineFrom { event, period, .. } => out.extend([event.as_ref(), period.as_ref()]),
        Expr::DeadlineBefore { anchor, period } => out.extend([anchor.as_ref(), period.as_ref()]),
        Expr::Field { .. } | Expr::Input(_) | Expr::Local(_) | Expr::Lit(_) => {}
        Expr::Param(_) | Expr::Def(_) | Expr::Decision(_) | Expr::AsOf => {}
    }
    out
}
