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
/// Machine words compared to check every two rules of a `unique` decision:
/// a fraction of a second in a release build at most.
const MAX_WORK: u64 = 1 << 28;
const MAX_DEF_DEPTH: usize = 16;

/// The most expressions abstracted for one rule's condition: a def read by
/// the next several times over a chain is abstracted at every read, which
/// grows exponentially (a chain of 15 defs each read four times by the next:
/// 4^14 propositions, minutes and gigabytes); past this, nothing is claimed
/// of that rule.
const MAX_PROP_NODES: u32 = 1 << 16;

struct Abstractor<'a> {
    defs: &'a [DefDef],
    enums: &'a [EnumDef],
    /// What is left of [`MAX_PROP_NODES`] for the rule at hand.
    budget: std::cell::Cell<u32>,
}

impl Abstractor<'_> {
    fn prop(&self, n: &Node, facts: &mut Facts, depth: usize) -> Option<Prop> {
        let left = self.budget.get();
        if depth > MAX_DEF_DEPTH || left == 0 {
            return None;
        }
        self.budget.set(left - 1);
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
                // A list of enum values, written out (or folded into one literal).
                let enum_value = |v: &Value| match v {
                    Value::Enum(_, v) => Some(*v),
                    _ => None,
                };
                let values = match &list.kind {
                    Expr::List(items) => items
                        .iter()
                        .map(|i| match &i.kind {
                            Expr::Lit(v) => enum_value(v),
                            _ => None,
                        })
                        .collect::<Option<Vec<u32>>>()?,
                    Expr::Lit(Value::List(items)) => {
                        items.iter().map(enum_value).collect::<Option<Vec<u32>>>()?
                    }
                    _ => return None,
                };
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

/// A set of assignments of a decision's facts, one bit each.
#[derive(Clone)]
struct Set(Vec<u64>);

impl Set {
    fn and(mut self, other: &Set) -> Set {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
        self
    }

    fn or(mut self, other: &Set) -> Set {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
        self
    }

    fn minus(mut self, other: &Set) -> Set {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= !b);
        self
    }

    fn meets(&self, other: &Set) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

/// The rules of one decision that can be reasoned about, each with the set
/// of assignments of the decision's facts under which its condition holds:
/// every assignment is tried at once, a machine word at a time.
struct Rules<'d> {
    /// (rule index, where its condition holds), in rule order.
    sets: Vec<(usize, Set)>,
    decision: &'d DecisionDef,
}

impl<'d> Rules<'d> {
    /// `None` when the facts have too many assignments to try.
    fn new(decision: &'d DecisionDef, props: &[Option<Prop>], facts: &Facts) -> Option<Rules<'d>> {
        let total = facts
            .domains
            .values()
            .try_fold(1u64, |acc, d| acc.checked_mul(u64::from(*d)))?;
        if total > MAX_ASSIGNMENTS {
            return None;
        }
        let total = total as usize;
        let words = total.div_ceil(64);
        let all = {
            let mut s = Set(vec![u64::MAX; words]);
            if total % 64 != 0 {
                if let Some(last) = s.0.last_mut() {
                    *last = (1u64 << (total % 64)) - 1;
                }
            }
            s
        };
        // Assignment n gives fact k the value (n / stride_k) % size_k; where
        // each fact takes each value, as a set.
        let mut values: BTreeMap<PathId, Vec<Set>> = BTreeMap::new();
        let mut stride = 1usize;
        for (path, size) in &facts.domains {
            let size = *size as usize;
            let mut sets = vec![Set(vec![0; words]); size];
            for n in 0..total {
                if let Some(word) = sets
                    .get_mut((n / stride) % size.max(1))
                    .and_then(|s| s.0.get_mut(n / 64))
                {
                    *word |= 1 << (n % 64);
                }
            }
            values.insert(*path, sets);
            stride = stride.saturating_mul(size.max(1));
        }
        let sets = props
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, holds(p.as_ref()?, &values, &all))))
            .collect();
        Some(Rules { sets, decision })
    }

    /// Words of work to compare every two rules.
    fn pair_work(&self) -> u64 {
        let n = self.sets.len() as u64;
        let words = self.sets.first().map_or(0, |(_, s)| s.0.len()) as u64;
        (n * n.saturating_sub(1) / 2).saturating_mul(words.max(1))
    }
}

/// Where `p` holds, given where each fact takes each value.
fn holds(p: &Prop, values: &BTreeMap<PathId, Vec<Set>>, all: &Set) -> Set {
    let none = || Set(vec![0; all.0.len()]);
    let value = |path: &PathId, v: u32| {
        values
            .get(path)
            .and_then(|sets| sets.get(v as usize))
            .cloned()
            .unwrap_or_else(none)
    };
    match p {
        Prop::Const(true) => all.clone(),
        Prop::Const(false) => none(),
        Prop::Flag(path) => value(path, 1),
        Prop::OneOf(path, vs) => vs.iter().fold(none(), |acc, v| acc.or(&value(path, *v))),
        Prop::Not(a) => all.clone().minus(&holds(a, values, all)),
        Prop::And(a, b) => holds(a, values, all).and(&holds(b, values, all)),
        Prop::Or(a, b) => holds(a, values, all).or(&holds(b, values, all)),
    }
}

pub(super) fn analyse(
    defs: &[DefDef],
    decisions: &[DecisionDef],
    enums: &[EnumDef],
) -> Vec<Diagnostic> {
    let abstractor = Abstractor {
        defs,
        enums,
        budget: std::cell::Cell::new(MAX_PROP_NODES),
    };
    let mut out = Vec::new();
    for d in decisions {
        if d.policy == Policy::Collect {
            continue;
        }
        let mut facts = Facts::default();
        let props: Vec<Option<Prop>> = d
            .rules
            .iter()
            .map(|r| {
                abstractor.budget.set(MAX_PROP_NODES);
                abstractor.prop(&r.when, &mut facts, 0)
            })
            .collect();
        // Too many facts to try every assignment: nothing is claimed.
        let Some(rules) = Rules::new(d, &props, &facts) else {
            continue;
        };
        let done = match d.policy {
            Policy::First => unreachable_rules(&rules, &mut out),
            Policy::Unique => overlapping_rules(&rules, &mut out),
            Policy::Collect => Some(()),
        };
        if done.is_none() {
            out.push(
                Diagnostic::warning(
                    d.span,
                    format!(
                        "analysis skipped: `{}` has too many rules ({}) to check every two of them against each other",
                        d.key(),
                        rules.sets.len(),
                    ),
                )
                .with_help("lsa checks that no two rules can apply together with different values (policy unique) when that takes under a second; split the decision to have it checked"),
            );
        }
    }
    out
}

/// Under `policy first`: the rules that never decide, because whenever they
/// apply an earlier rule (in force over the same dates) applies too. Linear
/// in the rules: each is compared with the union of the earlier ones.
fn unreachable_rules(rules: &Rules, out: &mut Vec<Diagnostic>) -> Option<()> {
    let d = rules.decision;
    // Exceptions take no part; a rule is shadowed only by earlier rules of
    // the same dates, so each validity has its own union.
    let mut covered: Vec<(Validity, Set)> = Vec::new();
    // Per rule taking part: where it is the first of its dates to apply.
    let mut first_at: Vec<(usize, Validity, Set)> = Vec::new();
    for (j, set) in &rules.sets {
        let Some(rule) = d.rules.get(*j).filter(|r| !r.is_exception) else {
            continue;
        };
        let earlier = match covered.iter_mut().find(|(v, _)| *v == rule.validity) {
            Some((_, c)) => c,
            None => {
                covered.push((rule.validity, Set(vec![0; set.0.len()])));
                match covered.last_mut() {
                    Some((_, c)) => c,
                    None => continue,
                }
            }
        };
        let first = set.clone().minus(earlier);
        *earlier = std::mem::replace(earlier, Set(Vec::new())).or(set);
        if first.is_empty() {
            // Never the first to apply: name the earlier rules that are first
            // where this one applies.
            let names: Vec<String> = first_at
                .iter()
                .filter(|(_, v, f)| *v == rule.validity && f.meets(set))
                .filter_map(|(i, _, _)| d.rules.get(*i))
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
        first_at.push((*j, rule.validity, first));
    }
    Some(())
}

/// At most this many overlapping pairs are reported per decision.
const MAX_OVERLAPS: usize = 20;

/// Under `policy unique`: pairs of rules with different values that can
/// apply together (neither an exception to the other, in force together).
/// `None` when there are too many rules to compare every two.
fn overlapping_rules(rules: &Rules, out: &mut Vec<Diagnostic>) -> Option<()> {
    let d = rules.decision;
    if rules.pair_work() > MAX_WORK {
        return None;
    }
    let clash = |i: usize, j: usize| -> bool {
        let (Some(a), Some(b)) = (d.rules.get(i), d.rules.get(j)) else {
            return false;
        };
        if a.overrides.contains(&j) || b.overrides.contains(&i) {
            return false;
        }
        // Both may be set aside by a third that always wins together with
        // them; that is still a conflict when that third does not apply, so
        // it is reported. Rules of disjoint validity never meet.
        matches!((&a.then.kind, &b.then.kind), (Expr::Lit(va), Expr::Lit(vb)) if va != vb)
            && validity_overlaps(a.validity, b.validity)
    };
    let mut found = Vec::new();
    let mut more = false;
    'pairs: for (k, (i, a)) in rules.sets.iter().enumerate() {
        for (j, b) in rules.sets.iter().skip(k + 1) {
            if clash(*i, *j) && a.meets(b) {
                if found.len() == MAX_OVERLAPS {
                    more = true;
                    break 'pairs;
                }
                found.push((*i, *j));
            }
        }
    }
    for (i, j) in found {
        let (Some(a), Some(b)) = (d.rules.get(i), d.rules.get(j)) else {
            continue;
        };
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
    if more {
        out.push(Diagnostic::warning(
            d.span,
            format!("and more rules of `{}` can apply together with different values (only the first {MAX_OVERLAPS} pairs are listed)", d.key()),
        ));
    }
    Some(())
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
