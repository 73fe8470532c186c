//! Static analyses over checked decisions: rules that can never fire under
//! `first`, and `unique` rules that can apply together with different values.
//!
//! Conditions are abstracted to propositions over the facts they test. Only
//! facts that a case record can set freely (boolean input fields, and enum input
//! fields compared with enum values) count as proof; a condition that tests
//! anything else (dates, numbers, decisions) is left alone, so every finding is
//! a certainty, never a guess.

use std::collections::BTreeMap;

use super::ir::*;
use crate::diag::Diagnostic;
use crate::syntax::ast::Policy;
use crate::value::{Type, Value};

#[derive(Clone, Debug)]
enum Prop {
    Const(bool),
    /// A boolean input field.
    Flag(PathId),
    /// An enum input field takes one of these values.
    OneOf(PathId, Vec<u32>),
    Not(Box<Prop>),
    And(Box<Prop>, Box<Prop>),
    Or(Box<Prop>, Box<Prop>),
}

/// The free facts a set of propositions tests, with the size of each domain.
#[derive(Default)]
struct Facts {
    domains: BTreeMap<PathId, u32>,
}

const MAX_ASSIGNMENTS: u64 = 1 << 14;
const MAX_DEF_DEPTH: usize = 16;

struct Abstractor<'a> {
    defs: &'a [DefDef],
    enums: &'a [EnumDef],
}

impl Abstractor<'_> {
    fn prop(&self, n: &Node, facts: &mut Facts, depth: usize) -> Option<Prop> {
        if depth > MAX_DEF_DEPTH {
            return None;
        }
        match &n.kind {
            Expr::Lit(Value::Bool(b)) => Some(Prop::Const(*b)),
            Expr::Field { path, base, .. } if n.ty == Type::Bool && static_path(base) => {
                facts.domains.insert(*path, 2);
                Some(Prop::Flag(*path))
            }
            Expr::Not(a) => Some(Prop::Not(Box::new(self.prop(a, facts, depth)?))),
            Expr::And(a, b) => Some(Prop::And(
                Box::new(self.prop(a, facts, depth)?),
                Box::new(self.prop(b, facts, depth)?),
            )),
            Expr::Or(a, b) => Some(Prop::Or(
                Box::new(self.prop(a, facts, depth)?),
                Box::new(self.prop(b, facts, depth)?),
            )),
            Expr::Def(id) => {
                let def = self.defs.get(id.index())?;
                self.prop(&def.body, facts, depth + 1)
            }
            Expr::Cmp(op @ (CmpOp::Eq | CmpOp::Ne), a, b) => {
                let (path, size, v) = self.enum_test(a, b).or_else(|| self.enum_test(b, a))?;
                facts.domains.insert(path, size);
                let p = Prop::OneOf(path, vec![v]);
                Some(if *op == CmpOp::Eq {
                    p
                } else {
                    Prop::Not(Box::new(p))
                })
            }
            Expr::In {
                item,
                list,
                negated,
            } => {
                let (path, size) = self.enum_field(item)?;
                let Expr::List(items) = &list.kind else {
                    return None;
                };
                let mut values = Vec::new();
                for i in items {
                    match &i.kind {
                        Expr::Lit(Value::Enum(_, v)) => values.push(*v),
                        _ => return None,
                    }
                }
                facts.domains.insert(path, size);
                let p = Prop::OneOf(path, values);
                Some(if *negated { Prop::Not(Box::new(p)) } else { p })
            }
            _ => None,
        }
    }

    fn enum_field(&self, n: &Node) -> Option<(PathId, u32)> {
        match (&n.kind, &n.ty) {
            (Expr::Field { path, base, .. }, Type::Enum(e)) if static_path(base) => {
                Some((*path, self.enums.get(e.0 as usize)?.variants.len() as u32))
            }
            _ => None,
        }
    }

    fn enum_test(&self, field: &Node, value: &Node) -> Option<(PathId, u32, u32)> {
        let (path, size) = self.enum_field(field)?;
        match &value.kind {
            Expr::Lit(Value::Enum(_, v)) => Some((path, size, *v)),
            _ => None,
        }
    }
}

/// A path from an input through record fields (not through list elements,
/// whose facts are not independent of each other).
fn static_path(n: &Node) -> bool {
    match &n.kind {
        Expr::Input(_) => true,
        Expr::Field { base, .. } => static_path(base),
        _ => false,
    }
}

fn eval(p: &Prop, assignment: &BTreeMap<PathId, u32>) -> bool {
    match p {
        Prop::Const(b) => *b,
        Prop::Flag(path) => assignment.get(path).copied() == Some(1),
        Prop::OneOf(path, values) => assignment.get(path).is_some_and(|v| values.contains(v)),
        Prop::Not(a) => !eval(a, assignment),
        Prop::And(a, b) => eval(a, assignment) && eval(b, assignment),
        Prop::Or(a, b) => eval(a, assignment) || eval(b, assignment),
    }
}

/// Calls `f` on every assignment of the facts; stops early when `f` says so.
/// `None` when there are too many to try.
fn for_each_assignment(
    facts: &Facts,
    mut f: impl FnMut(&BTreeMap<PathId, u32>) -> bool,
) -> Option<()> {
    let total: u64 = facts
        .domains
        .values()
        .try_fold(1u64, |acc, d| acc.checked_mul(u64::from(*d)))?;
    if total > MAX_ASSIGNMENTS {
        return None;
    }
    let keys: Vec<(PathId, u32)> = facts.domains.iter().map(|(k, v)| (*k, *v)).collect();
    let mut assignment: BTreeMap<PathId, u32> = keys.iter().map(|(k, _)| (*k, 0)).collect();
    for mut n in 0..total {
        for (k, size) in &keys {
            assignment.insert(*k, (n % u64::from(*size)) as u32);
            n /= u64::from(*size);
        }
        if !f(&assignment) {
            break;
        }
    }
    Some(())
}

pub(super) fn analyse(
    defs: &[DefDef],
    decisions: &[DecisionDef],
    enums: &[EnumDef],
) -> Vec<Diagnostic> {
    let abstractor = Abstractor { defs, enums };
    let mut out = Vec::new();
    for d in decisions {
        let mut facts = Facts::default();
        let props: Vec<Option<Prop>> = d
            .rules
            .iter()
            .map(|r| abstractor.prop(&r.when, &mut facts, 0))
            .collect();
        match d.policy {
            Policy::First => unreachable_rules(d, &props, &facts, &mut out),
            Policy::Unique => overlapping_rules(d, &props, &facts, &mut out),
            Policy::Collect => {}
        }
    }
    out
}

fn unreachable_rules(
    d: &DecisionDef,
    props: &[Option<Prop>],
    facts: &Facts,
    out: &mut Vec<Diagnostic>,
) {
    for (j, rule) in d.rules.iter().enumerate() {
        if rule.is_exception {
            continue;
        }
        let earlier: Vec<(usize, &Prop)> = d
            .rules
            .iter()
            .enumerate()
            .take(j)
            .filter(|(i, r)| {
                !r.is_exception
                    && r.validity == rule.validity
                    && props.get(*i).is_some_and(Option::is_some)
            })
            .filter_map(|(i, _)| props.get(i).and_then(Option::as_ref).map(|p| (i, p)))
            .collect();
        let Some(Some(pj)) = props.get(j) else {
            continue;
        };
        let mut reachable = false;
        let mut decided_by = std::collections::BTreeSet::new();
        let tried = for_each_assignment(facts, |a| {
            if eval(pj, a) {
                match earlier.iter().find(|(_, p)| eval(p, a)) {
                    Some((i, _)) => {
                        decided_by.insert(*i);
                    }
                    None => {
                        reachable = true;
                        return false;
                    }
                }
            }
            true
        });
        if tried.is_some() && !reachable {
            let names: Vec<String> = decided_by
                .iter()
                .filter_map(|i| d.rules.get(*i))
                .map(|r| format!("`{}`", r.name))
                .collect();
            let why = if names.is_empty() {
                "its condition can never be true".to_string()
            } else {
                format!("whenever it applies, {} comes first", names.join(" or "))
            };
            out.push(
                Diagnostic::warning(rule.span, format!("rule `{}` of `{}` can never decide: {why}", rule.name, d.key()))
                    .with_help("under `policy first` the first rule that applies wins: reorder the rules or narrow the earlier one"),
            );
        }
    }
}

fn overlapping_rules(
    d: &DecisionDef,
    props: &[Option<Prop>],
    facts: &Facts,
    out: &mut Vec<Diagnostic>,
) {
    for (i, a) in d.rules.iter().enumerate() {
        for (j, b) in d.rules.iter().enumerate().skip(i + 1) {
            if a.overrides.contains(&j) || b.overrides.contains(&i) {
                continue;
            }
            let (Expr::Lit(va), Expr::Lit(vb)) = (&a.then.kind, &b.then.kind) else {
                continue;
            };
            if va == vb {
                continue;
            }
            // Rules of disjoint validity never meet.
            if !validity_overlaps(a.validity, b.validity) {
                continue;
            }
            // Both may be set aside by a third that always wins together with them; that is
            // still a conflict when that third does not apply, so it is reported.
            let (Some(Some(pa)), Some(Some(pb))) = (props.get(i), props.get(j)) else {
                continue;
            };
            let mut witness = None;
            for_each_assignment(facts, |asg| {
                if eval(pa, asg) && eval(pb, asg) {
                    witness = Some(asg.clone());
                    return false;
                }
                true
            });
            if witness.is_some() {
                out.push(
                    Diagnostic::warning(
                        b.span,
                        format!(
                            "rules `{}` and `{}` of `{}` can apply together with different values",
                            a.name,
                            b.name,
                            d.key()
                        ),
                    )
                    .with_related(a.span, "the other rule")
                    .with_help(
                        "make one an exception that overrides the other, narrow a condition, or use `policy first`",
                    ),
                );
            }
        }
    }
}

fn validity_overlaps(a: Validity, b: Validity) -> bool {
    let starts = a.from.max(b.from);
    let ends = match (a.until, b.until) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    };
    match (starts, ends) {
        (Some(s), Some(e)) => s <= e,
        _ => true,
    }
}
