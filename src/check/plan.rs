//! Conditions laid out for explanations. An explanation evaluates every
//! rule's condition in full (every part of an `and`/`or`), keeping each
//! expression's value. Most conditions are `and`s and `or`s of comparisons
//! (and `not`s and `exists`) between record fields, decisions, defs, params,
//! literals and the as-of date; a [`Plan`] lists those in the order they are
//! evaluated (operands first), each with the slot its value is kept in, so
//! that an explanation runs down a list instead of walking the tree. Anything else, and any part whose value is
//! not plainly known, is left to the general code ([`Op::Full`]), found by
//! its place under the condition.

use smallvec::SmallVec;

use super::ir::*;
use crate::value::Value;

/// Where an expression is under the root of its plan: the operand taken at
/// each level (0 or 1: `and`, `or`, comparisons and `in` have two, `not` and
/// `exists` one).
pub type Place = SmallVec<[u8; 8]>;

/// A condition as a list of steps, operands first.
pub type Plan = Vec<Step>;

/// An operand of a comparison or `in`.
#[derive(Clone, Debug)]
pub enum Arg {
    /// Kept in this slot by an earlier step.
    Slot(u32),
    /// Written in the rule (a literal, or a list of literals): not kept.
    Lit(Value),
}

/// One expression of a plan: where it is, the slot its value is kept in,
/// and how it is computed.
#[derive(Clone, Debug)]
pub struct Step {
    pub at: Place,
    pub slot: u32,
    pub op: Op,
}

#[derive(Clone, Debug)]
pub enum Op {
    /// Evaluated by the general code.
    Full,
    /// A record field: the input and the fields below it.
    Read {
        input: InputId,
        fields: SmallVec<[u32; 2]>,
    },
    Decision(DecisionId),
    Def(DefId),
    Param(ParamId),
    /// A literal (a condition written `true`).
    Lit(Value),
    /// The as-of date.
    AsOf,
    /// `exists` of the value in this slot.
    Exists(u32),
    Cmp(CmpOp, Arg, Arg),
    In {
        negated: bool,
        item: Arg,
        list: Arg,
    },
    /// `not` of the value in this slot.
    Not(u32),
    /// An `and` (or `or`) of the values in these slots.
    Chain {
        or_mode: bool,
        parts: SmallVec<[u32; 4]>,
    },
}

/// The expression at `at` under `root`.
pub fn node_at<'a>(root: &'a Node, at: &[u8]) -> Option<&'a Node> {
    let mut n = root;
    for &i in at {
        n = match (&n.kind, i) {
            (
                Expr::And(a, _)
                | Expr::Or(a, _)
                | Expr::Cmp(_, a, _)
                | Expr::Not(a)
                | Expr::Exists(a),
                0,
            )
            | (Expr::In { item: a, .. }, 0) => a,
            (Expr::And(_, b) | Expr::Or(_, b) | Expr::Cmp(_, _, b), 1)
            | (Expr::In { list: b, .. }, 1) => b,
            _ => return None,
        };
    }
    Some(n)
}

/// The plan of a condition (or a def's body).
pub fn plan(root: &Node) -> Plan {
    let mut out = Vec::new();
    let mut at = Place::new();
    step(root, &mut at, &mut out);
    out
}

fn step(n: &Node, at: &mut Place, out: &mut Plan) {
    let here = at.clone();
    let op = match &n.kind {
        Expr::And(..) | Expr::Or(..) => {
            let or_mode = matches!(n.kind, Expr::Or(..));
            let mut parts = SmallVec::new();
            chain(n, or_mode, at, out, &mut parts);
            Op::Chain { or_mode, parts }
        }
        Expr::Not(a) => {
            at.push(0);
            step(a, at, out);
            at.pop();
            Op::Not(a.slot)
        }
        Expr::Cmp(op, a, b) => {
            let (a, b) = (operand(a, 0, at, out), operand(b, 1, at, out));
            Op::Cmp(*op, a, b)
        }
        Expr::In {
            item,
            list,
            negated,
        } => {
            let (item, list) = (operand(item, 0, at, out), operand(list, 1, at, out));
            Op::In {
                negated: *negated,
                item,
                list,
            }
        }
        Expr::Exists(a) => {
            at.push(0);
            step(a, at, out);
            at.pop();
            Op::Exists(a.slot)
        }
        Expr::Lit(v) => Op::Lit(v.clone()),
        Expr::AsOf => Op::AsOf,
        Expr::Decision(id) => Op::Decision(*id),
        Expr::Def(id) => Op::Def(*id),
        Expr::Param(id) => Op::Param(*id),
        Expr::Input(_) | Expr::Field { .. } => match read(n) {
            Some((input, fields)) => Op::Read { input, fields },
            None => Op::Full,
        },
        _ => Op::Full,
    };
    out.push(Step {
        at: here,
        slot: n.slot,
        op,
    });
}

/// The parts of a chain of `and`s (or of `or`s), each planned in turn.
fn chain(n: &Node, or_mode: bool, at: &mut Place, out: &mut Plan, parts: &mut SmallVec<[u32; 4]>) {
    match (&n.kind, or_mode) {
        (Expr::And(a, b), false) | (Expr::Or(a, b), true) => {
            for (i, part) in [a, b].into_iter().enumerate() {
                at.push(i as u8);
                chain(part, or_mode, at, out, parts);
                at.pop();
            }
        }
        _ => {
            step(n, at, out);
            parts.push(n.slot);
        }
    }
}

/// A comparison's operand: written in the rule, or planned and kept.
fn operand(o: &Node, i: u8, at: &mut Place, out: &mut Plan) -> Arg {
    match &o.kind {
        Expr::Lit(v) => return Arg::Lit(v.clone()),
        Expr::List(items) => {
            let values: Option<Vec<Value>> = items
                .iter()
                .map(|item| match &item.kind {
                    Expr::Lit(v) => Some(v.clone()),
                    _ => None,
                })
                .collect();
            if let Some(values) = values {
                return Arg::Lit(Value::List(values.into()));
            }
        }
        _ => {}
    }
    at.push(i);
    step(o, at, out);
    at.pop();
    Arg::Slot(o.slot)
}

/// A record read: the input and the fields from it down.
fn read(n: &Node) -> Option<(InputId, SmallVec<[u32; 2]>)> {
    match &n.kind {
        Expr::Input(i) => Some((*i, SmallVec::new())),
        Expr::Field { base, field, .. } => {
            let (input, mut fields) = read(base)?;
            fields.push(*field);
            Some((input, fields))
        }
        _ => None,
    }
}
