//! Derivations: why a decision came out as it did, as data. Built only when an
//! explanation is asked for, by re-reading the (memoised) evaluation: the rule
//! that decided and the facts it used, rules set aside by exceptions, rules that
//! did not apply with the condition that failed, and what is still unknown.

use std::sync::Arc;

use serde::Serialize;

use super::{By, Cond, Evaluation, Outcome, Status, Tv};
use crate::check::ir::*;
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
    pub value: Option<String>,
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

/// One evaluated expression and what it rests on.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub expr: Arc<str>,
    /// The qualified name of the def, param or decision this step reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Arc<str>>,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Arc<str>>,
    /// Where the value comes from: `record`, `def`, `param`, `decision`, `computed`.
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The steps of a time limit, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Step>,
}

/// A value as a caseworker reads it.
pub fn show(program: &Program, v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => d.normalize().to_string(),
        Value::Money(m) => m.to_string(),
        Value::Percent(p) => format!("{}%", p.normalize()),
        Value::Text(t) => format!("{t:?}"),
        Value::Date(d) => date_str(*d),
        Value::DateTime(d) => datetime_str(*d),
        Value::Duration(p) => p.to_string(),
        Value::Enum(e, i) => program.enum_variant(*e, *i).to_string(),
        Value::List(items) => format!("[{}]", items.iter().map(|v| show(program, v)).collect::<Vec<_>>().join(", ")),
        Value::Record(_) => "{…}".into(),
        Value::None => "none".into(),
    }
}

fn show_tv(program: &Program, tv: &Tv) -> String {
    match tv {
        Tv::Val(v) => show(program, v),
        Tv::Unknown(_) => "unknown".into(),
        Tv::Err(e) => format!("error: {e}"),
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
            value: outcome.value().map(|v| show(program, v)),
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
                out.note = Some(format!("not in force on {} ({})", date_str(self.as_of), d.validity.describe()));
                return out;
            }
            Outcome::Undetermined { .. } => out.note = Some("no rule applies and the decision has no default".into()),
            Outcome::Unknown { needs } => out.needs = needs.iter().map(|p| program.path(*p).to_string()).collect(),
            Outcome::Error { message } => out.error = Some(message.clone()),
            _ => {}
        }
        let conds = self.conditions(d, true);
        let applies: Vec<bool> = conds.iter().map(|c| matches!(c, Cond::True)).collect();
        let deciding: Vec<usize> = match &outcome {
            Outcome::Determined { by: By::Rule(i), .. } => vec![*i],
            Outcome::Determined { by: By::Rules(rs), .. } => rs.clone(),
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
                .filter(|(k, o)| applies.get(*k).copied().unwrap_or(false) && o.overrides.contains(&i))
                .map(|(_, o)| o.name.clone())
                .collect();
            match cond {
                Cond::Off => out.not_in_force.push(rule_ref(r)),
                Cond::True if !overriders.is_empty() => {
                    out.set_aside.push(SetAside { rule: rule_ref(r), by: overriders })
                }
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
        if let (Outcome::Determined { by: By::Default, .. }, Some(default)) = (&outcome, &d.default) {
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
        let value = if with_value && !matches!(r.then.kind, Expr::Lit(_)) { Some(self.step(&r.then)) } else { None };
        Applied { rule: rule_ref(r), because, value }
    }

    /// The explanation of one expression: its value and the facts under it.
    pub fn step(&mut self, n: &Node) -> Step {
        let program = self.program;
        let tv = self.eval(n);
        let mut step = Step {
            expr: n.text.clone(),
            name: None,
            value: show_tv(program, &tv),
            citation: None,
            source: "computed",
            note: None,
            steps: Vec::new(),
            children: Vec::new(),
        };
        match &n.kind {
            Expr::Lit(_) => step.source = "rule",
            Expr::Input(_) | Expr::Field { .. } => {
                step.source = "record";
                if let (Tv::Unknown(_), Expr::Field { path, .. }) = (&tv, &n.kind) {
                    step.note = Some(format!("`{}` is not in the record", program.path(*path)));
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
                    step.note = Some(format!("value in force from {}", date_str(from)));
                }
            }
            Expr::Def(id) => {
                step.source = "def";
                if let Some(def) = program.defs.get(id.index()) {
                    step.name = Some(def.key.clone());
                    step.citation = def.citation.as_ref().map(|c| c.text.clone());
                    if self.expanded.get(id.index()).copied().unwrap_or(false) {
                        step.note = Some("as above".into());
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
                        Outcome::Determined { by: By::Rule(i), .. } => d.rules.get(i).map(|r| match &r.citation {
                            Some(c) => format!(
                                "by {} `{}` [{}]",
                                if r.is_exception { "exception" } else { "rule" },
                                r.name,
                                c.text
                            ),
                            None => format!("by rule `{}`", r.name),
                        }),
                        Outcome::Determined { by: By::Default, .. } => Some("by default".into()),
                        Outcome::Unknown { needs } => Some(format!(
                            "waits on {}",
                            needs.iter().map(|p| program.path(*p)).collect::<Vec<_>>().join(", ")
                        )),
                        _ => None,
                    };
                }
            }
            Expr::And(..) | Expr::Or(..) => {
                let is_and = matches!(n.kind, Expr::And(..));
                let mut operands = Vec::new();
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
                        Some(b) => child.value == b.to_string(),
                        None => true,
                    };
                    if keep {
                        step.children.push(child);
                    }
                }
            }
            Expr::DeadlineFrom { event, period, .. } | Expr::DeadlineBefore { anchor: event, period } => {
                let mut trace = Vec::new();
                self.deadline(n, Some(&mut trace));
                step.steps = trace;
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

fn flatten<'n>(n: &'n Node, is_and: bool, out: &mut Vec<&'n Node>) {
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
fn operands(n: &Node) -> Vec<&Node> {
    match &n.kind {
        Expr::Not(a) | Expr::Neg(a) | Expr::Known(a) | Expr::Exists(a) => vec![a],
        Expr::Cmp(_, a, b) | Expr::Arith(_, a, b) | Expr::DaysBetween(a, b) => vec![a, b],
        Expr::In { item, list, .. } => vec![item, list],
        Expr::If(c, a, b) => vec![c, a, b],
        Expr::List(items) => items.iter().collect(),
        Expr::Age { birth, on } => vec![birth, on],
        Expr::Quant { list, .. } => vec![list],
        Expr::And(a, b) | Expr::Or(a, b) => vec![a, b],
        Expr::Field { .. } | Expr::Input(_) | Expr::Local(_) | Expr::Lit(_) => Vec::new(),
        Expr::Param(_) | Expr::Def(_) | Expr::Decision(_) | Expr::AsOf => Vec::new(),
        Expr::DeadlineFrom { event, period, .. } => vec![event, period],
        Expr::DeadlineBefore { anchor, period } => vec![anchor, period],
    }
}
