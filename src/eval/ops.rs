//! Expression evaluation: Kleene logic, comparisons, checked arithmetic and
//! the date built-ins.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use smallvec::SmallVec;

use super::{Evaluation, Needs, Tv};

/// The keys of one item for `first` (one or two).
type Keys = SmallVec<[Tv; 2]>;
use crate::check::ir::*;
use crate::syntax::ast::QuantKind;
use crate::time;
use crate::value::{Money, Slot, Value};

fn merge(mut a: Needs, b: Needs) -> Needs {
    for p in b {
        if !a.contains(&p) {
            a.push(p);
        }
    }
    a
}

/// Combines two operands that must both be known: errors win, then unknowns.
fn both(a: Tv, b: Tv) -> Result<(Value, Value), Tv> {
    match (a, b) {
        (Tv::Err(e), _) | (_, Tv::Err(e)) => Err(Tv::Err(e)),
        (Tv::Unknown(x), Tv::Unknown(y)) => Err(Tv::Unknown(merge(x, y))),
        (Tv::Unknown(x), _) | (_, Tv::Unknown(x)) => Err(Tv::Unknown(x)),
        (Tv::Val(x), Tv::Val(y)) => Ok((x, y)),
    }
}

/// A value where true or false is wanted; `what` names the expression (made
/// only for the message).
fn bool_of(tv: Tv, what: impl FnOnce() -> String) -> Result<Option<bool>, Tv> {
    match tv {
        Tv::Val(Value::Bool(b)) => Ok(Some(b)),
        Tv::Val(Value::None) => Err(Tv::Err(format!("`{}` has no value (none)", what()))),
        Tv::Val(other) => Err(Tv::Err(format!(
            "`{}` is {}, not true/false",
            what(),
            other.type_word()
        ))),
        Tv::Unknown(_) => Ok(None),
        Tv::Err(e) => Err(Tv::Err(e)),
    }
}

use crate::value::order as compare;

/// Equality across integer and decimal.
pub(super) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Integer(_), Value::Decimal(_)) | (Value::Decimal(_), Value::Integer(_)) => {
            compare(a, b) == Some(Ordering::Equal)
        }
        _ => a == b,
    }
}

fn overflow() -> Tv {
    Tv::Err("arithmetic overflow".into())
}

fn decimal_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) => Some(*d),
        Value::Percent(p) => p.checked_div(Decimal::ONE_HUNDRED),
        _ => None,
    }
}

pub(super) fn arith(op: ArithOp, a: &Value, b: &Value) -> Tv {
    use ArithOp::*;
    let dec = |r: Option<Decimal>| {
        r.map(|d| Tv::Val(Value::Decimal(d)))
            .unwrap_or_else(overflow)
    };
    match (op, a, b) {
        (_, Value::None, _) | (_, _, Value::None) => {
            Tv::Err("a value in this calculation is none".into())
        }
        (Add, &Value::Integer(x), &Value::Integer(y)) => x
            .checked_add(y)
            .map(|r| Tv::Val(Value::Integer(r)))
            .unwrap_or_else(overflow),
        (Sub, &Value::Integer(x), &Value::Integer(y)) => x
            .checked_sub(y)
            .map(|r| Tv::Val(Value::Integer(r)))
            .unwrap_or_else(overflow),
        (Mul, &Value::Integer(x), &Value::Integer(y)) => x
            .checked_mul(y)
            .map(|r| Tv::Val(Value::Integer(r)))
            .unwrap_or_else(overflow),
        (Add | Sub, &Value::Percent(x), &Value::Percent(y)) => {
            let r = if op == Add {
                x.checked_add(y)
            } else {
                x.checked_sub(y)
            };
            r.map(|d| Tv::Val(Value::Percent(d)))
                .unwrap_or_else(overflow)
        }
        (Add | Sub, &Value::Money(x), &Value::Money(y)) => {
            if x.currency != y.currency {
                return Tv::Err(format!("cannot add {} and {}", x, y));
            }
            let r = if op == Add {
                x.amount.checked_add(y.amount)
            } else {
                x.amount.checked_sub(y.amount)
            };
            r.map(|amount| Tv::Val(Value::Money(Money { amount, ..x })))
                .unwrap_or_else(overflow)
        }
        (Mul, &Value::Money(m), k) | (Mul, k, &Value::Money(m)) => {
            match decimal_of(k).and_then(|k| m.amount.checked_mul(k)) {
                Some(amount) => Tv::Val(Value::Money(Money { amount, ..m })),
                None => overflow(),
            }
        }
        (Div, &Value::Money(m), k) => match decimal_of(k) {
            Some(k) if k.is_zero() => Tv::Err("division by zero".into()),
            Some(k) => m
                .amount
                .checked_div(k)
                .map(|amount| Tv::Val(Value::Money(Money { amount, ..m })))
                .unwrap_or_else(overflow),
            None => Tv::Err("money is divided by a number".into()),
        },
        (Add | Sub, &Value::Date(d), &Value::Duration(p)) => {
            let p = if op == Sub {
                // (F09: the most negative amount has no opposite.)
                match p.amount.checked_neg() {
                    Some(amount) => crate::value::Period { amount, ..p },
                    None => return overflow(),
                }
            } else {
                p
            };
            match time::add_period(d, p) {
                Ok(r) => Tv::Val(Value::Date(r)),
                Err(e) => Tv::Err(e.to_string()),
            }
        }
        (Add, &Value::Duration(p), &Value::Date(d)) => match time::add_period(d, p) {
            Ok(r) => Tv::Val(Value::Date(r)),
            Err(e) => Tv::Err(e.to_string()),
        },
        (op, x, y) => match (decimal_of(x), decimal_of(y)) {
            (Some(x), Some(y)) => match op {
                Add => dec(x.checked_add(y)),
                Sub => dec(x.checked_sub(y)),
                Mul => dec(x.checked_mul(y)),
                Div if y.is_zero() => Tv::Err("division by zero".into()),
                Div => dec(x.checked_div(y)),
            },
            _ => Tv::Err(format!(
                "cannot calculate with {} and {}",
                x.type_word(),
                y.type_word()
            )),
        },
    }
}

/// `x op y` on known values: true or false, or `None` where comparing them
/// is an error ([`compare_op`] says which).
pub(super) fn compare_known(op: CmpOp, x: &Value, y: &Value) -> Option<bool> {
    match op {
        CmpOp::Eq => Some(equal(x, y)),
        CmpOp::Ne => Some(!equal(x, y)),
        _ => {
            if *x == Value::None || *y == Value::None {
                return None;
            }
            Some(op.holds(compare(x, y)?))
        }
    }
}

/// `x op y` on known values.
fn compare_op(op: CmpOp, x: &Value, y: &Value, a: &Node, b: &Node) -> Tv {
    match compare_known(op, x, y) {
        Some(result) => Tv::Val(Value::Bool(result)),
        None if *x == Value::None || *y == Value::None => {
            Tv::Err(none_to_compare(if *x == Value::None { a } else { b }))
        }
        None => Tv::Err(format!(
            "cannot compare {} with {}",
            x.type_word(),
            y.type_word()
        )),
    }
}

/// The error of a comparison with an operand (`which`) that is none.
pub(super) fn none_to_compare(which: &Node) -> String {
    ["`", &which.text, "` has no value (none) to compare"].concat()
}

/// `x in l` on known values: `None` if `l` is not a list (an error).
pub(super) fn member_known(x: &Value, l: &Value, negated: bool) -> Option<bool> {
    let found = match l {
        Value::List(items) => items.iter().any(|v| equal(v, x)),
        Value::None => false,
        _ => return None,
    };
    Some(found != negated)
}

/// `x in l` on known values.
fn member(x: &Value, l: &Value, negated: bool) -> Tv {
    match member_known(x, l, negated) {
        Some(found) => Tv::Val(Value::Bool(found)),
        None => Tv::Err(format!("`in` needs a list, found {}", l.type_word())),
    }
}

/// A value where true or false was needed: the error that says so.
pub(super) fn not_bool(tv: Tv, n: &Node) -> Tv {
    match bool_of(tv, || n.text.to_string()) {
        Err(e) => e,
        Ok(_) => Tv::Err("not a true/false value".into()),
    }
}

/// `if` whose condition is unknown: the branches' value if they agree,
/// else unknown, waiting on the condition and the branches.
pub(super) fn if_unknown(needs: Needs, a: Tv, b: Tv) -> Tv {
    match (a, b) {
        // Both branches agree: the condition does not matter.
        (Tv::Val(x), Tv::Val(y)) if equal(&x, &y) => Tv::Val(x),
        (Tv::Unknown(x), Tv::Unknown(y)) => Tv::Unknown(merge(needs, merge(x, y))),
        (Tv::Unknown(x), _) | (_, Tv::Unknown(x)) => Tv::Unknown(merge(needs, x)),
        _ => Tv::Unknown(needs),
    }
}

/// `and` (`or_mode` false) and `or` (true) of two evaluated operands, by
/// Kleene's strong logic: the deciding value (false for `and`, true for `or`)
/// wins even over unknowns and errors on the other side; then errors, then
/// unknowns. Associative, so a chain folds pairwise from the left.
pub(super) fn kleene(a: (Tv, &Node), b: (Tv, &Node), or_mode: bool) -> Tv {
    let decisive = or_mode;
    if a.0.truth() == Some(decisive) || b.0.truth() == Some(decisive) {
        return Tv::Val(Value::Bool(decisive));
    }
    for (tv, node) in [(&a.0, a.1), (&b.0, b.1)] {
        if !matches!(tv, Tv::Val(Value::Bool(_)) | Tv::Unknown(_)) {
            return not_bool(tv.clone(), node);
        }
    }
    match (a.0, b.0) {
        (Tv::Unknown(x), Tv::Unknown(y)) => Tv::Unknown(merge(x, y)),
        (Tv::Unknown(x), _) | (_, Tv::Unknown(x)) => Tv::Unknown(x),
        _ => Tv::Val(Value::Bool(!decisive)),
    }
}

/// An operator applied to its operands' values, given in the order they are
/// written. Evaluation and explanation share it: evaluation passes values as
/// it computes them (a list stops at its first error), an explanation passes
/// the values of the steps it built. For `not`, `-`, `known`, `exists`,
/// comparisons, `in`, arithmetic, `age`, `days_between` and lists.
pub(super) fn combine(n: &Node, vals: impl IntoIterator<Item = Tv>) -> Tv {
    let mut vals = vals.into_iter();
    let mut next = || {
        vals.next()
            .unwrap_or_else(|| Tv::Err("an operand is missing".into()))
    };
    match &n.kind {
        Expr::Not(_) | Expr::Neg(_) | Expr::Known(_) | Expr::Exists(_) => unary(n, next()),
        Expr::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut unknown: Option<Needs> = None;
            for tv in vals.by_ref().take(items.len()) {
                match tv {
                    Tv::Val(v) => out.push(v),
                    Tv::Unknown(n) => unknown = Some(merge(unknown.unwrap_or_default(), n)),
                    Tv::Err(e) => return Tv::Err(e),
                }
            }
            match unknown {
                Some(n) => Tv::Unknown(n),
                None => Tv::Val(Value::List(out.into())),
            }
        }
        _ => {
            let a = next();
            binary(n, a, next())
        }
    }
}

/// `not`, `-`, `known` and `exists` of an evaluated operand.
pub(super) fn unary(n: &Node, tv: Tv) -> Tv {
    match &n.kind {
        Expr::Not(a) => match tv {
            Tv::Val(Value::Bool(b)) => Tv::Val(Value::Bool(!b)),
            Tv::Unknown(n) => Tv::Unknown(n),
            other => not_bool(other, a),
        },
        Expr::Neg(_) => match tv {
            Tv::Val(Value::Integer(i)) => i
                .checked_neg()
                .map(|r| Tv::Val(Value::Integer(r)))
                .unwrap_or_else(overflow),
            Tv::Val(Value::Decimal(d)) => Tv::Val(Value::Decimal(-d)),
            Tv::Val(Value::Percent(d)) => Tv::Val(Value::Percent(-d)),
            Tv::Val(Value::Money(m)) => Tv::Val(Value::Money(Money {
                amount: -m.amount,
                ..m
            })),
            Tv::Val(other) => Tv::Err(format!("cannot negate {}", other.type_word())),
            other => other,
        },
        Expr::Known(_) => match tv {
            Tv::Val(_) => Tv::Val(Value::Bool(true)),
            Tv::Unknown(_) => Tv::Val(Value::Bool(false)),
            Tv::Err(e) => Tv::Err(e),
        },
        Expr::Exists(_) => match tv {
            Tv::Val(Value::None) => Tv::Val(Value::Bool(false)),
            Tv::Val(_) => Tv::Val(Value::Bool(true)),
            other => other,
        },
        _ => Tv::Err("not a unary operator".into()),
    }
}

/// Comparisons, `in`, arithmetic, `age` and `days_between` of two evaluated operands.
pub(super) fn binary(n: &Node, ta: Tv, tb: Tv) -> Tv {
    match both(ta, tb) {
        Ok((x, y)) => on_values(n, &x, &y),
        Err(tv) => tv,
    }
}

/// A binary operator on two known values.
pub(super) fn on_values(n: &Node, x: &Value, y: &Value) -> Tv {
    match (&n.kind, x, y) {
        (Expr::Cmp(op, a, b), x, y) => compare_op(*op, x, y, a, b),
        (Expr::In { negated, .. }, x, l) => member(x, l, *negated),
        (Expr::Arith(op, ..), x, y) => arith(*op, x, y),
        (Expr::Age { .. }, Value::Date(b), Value::Date(o)) => {
            Tv::Val(Value::Integer(time::age(*b, *o)))
        }
        (Expr::Age { .. }, ..) => Tv::Err("`age` needs two dates".into()),
        (Expr::DaysBetween(..), Value::Date(x), Value::Date(y)) => {
            Tv::Val(Value::Integer(time::days_between(*x, *y)))
        }
        (Expr::DaysBetween(..), ..) => Tv::Err("`days_between` needs two dates".into()),
        _ => Tv::Err("not a binary operator".into()),
    }
}

/// A field of a value read from the record, if it has it (the fields of a
/// record known not to exist are none).
fn field_of(v: &Value, field: u32) -> Option<&Value> {
    match v {
        Value::Record(r) => match r.get(field as usize) {
            Some(Slot::Value(v)) => Some(v),
            _ => None,
        },
        Value::None => Some(&Value::None),
        _ => None,
    }
}

/// The field `field` (at `path`) of `record`, the value of `base`.
pub(super) fn field_tv(record: Tv, base: &Node, field: u32, path: PathId) -> Tv {
    match record {
        Tv::Val(Value::Record(r)) => match r.get(field as usize) {
            Some(Slot::Value(v)) => Tv::Val(v.clone()),
            _ => Tv::Unknown(vec![path]),
        },
        // The fields of a record that is known not to exist are none.
        Tv::Val(Value::None) => Tv::Val(Value::None),
        Tv::Val(other) => Tv::Err(format!("expected a record, found {}", other.type_word())),
        // A record read from the case: this field is what it lacks;
        // one a def or `first` gives: what that waits on.
        Tv::Unknown(_) if is_input_path(base) => Tv::Unknown(vec![path]),
        Tv::Unknown(needs) => Tv::Unknown(needs),
        Tv::Err(e) => Tv::Err(e),
    }
}

pub(super) use crate::check::ir::is_input_path;

impl<'c> Evaluation<'_, 'c> {
    /// The values of two operands, borrowed where they are, if both are
    /// plainly known (a def or decision they read is computed first).
    fn peeked<'a>(&'a mut self, a: &'a Node, b: &'a Node) -> Option<(&'a Value, &'a Value)>
    where
        'c: 'a,
    {
        self.settle(a);
        self.settle(b);
        let this: &'a Self = self;
        Some((this.peek(a)?, this.peek(b)?))
    }

    /// A literal, a known record value, a param, or a def or decision already
    /// computed, borrowed where it is (`None` for anything that must be
    /// evaluated, or is unknown).
    fn peek<'a>(&'a self, n: &'a Node) -> Option<&'a Value>
    where
        'c: 'a,
    {
        match &n.kind {
            Expr::Lit(v) => Some(v),
            Expr::Param(id) => super::param_version(self.program, *id, self.as_of).map(|(_, v)| v),
            Expr::Def(id) => match self.defs.get(id.index()) {
                Some(Some(Tv::Val(v))) => Some(v),
                _ => None,
            },
            Expr::Decision(id) => match self.decisions.get(id.index()) {
                Some(Some(super::Outcome::Determined { value, .. })) => Some(value),
                _ => None,
            },
            _ => self.input_ref(n),
        }
    }

    /// `exists(a)` or `known(a)` (`n`) where `a`'s value is already at hand
    /// (see [`Evaluation::peek`]), without copying it; `None` where `a` must
    /// be evaluated.
    fn presence_at_hand(&mut self, n: &Node, a: &Node) -> Option<bool> {
        self.settle(a);
        let known = matches!(n.kind, Expr::Known(_));
        self.peek(a).map(|v| known || !matches!(v, Value::None))
    }

    /// Computes the def or decision `n` reads (if it reads one), so that
    /// [`Evaluation::peek`] can borrow its value.
    fn settle(&mut self, n: &Node) {
        match &n.kind {
            Expr::Def(id) => {
                self.def_done(*id);
            }
            Expr::Decision(id) => {
                self.decided(*id);
            }
            _ => {}
        }
    }

    /// The value at an input path, borrowed from the record (no reference
    /// counting on the way down), if the record has it (the common case,
    /// without building what is missing: see [`Evaluation::input_value`]).
    pub(super) fn input_ref(&self, n: &Node) -> Option<&'c Value> {
        match &n.kind {
            Expr::Input(i) => match self.inputs.get(i.index()) {
                Some(Slot::Value(v)) => Some(v),
                _ => None,
            },
            Expr::Field { base, field, .. } => field_of(self.input_ref(base)?, *field),
            _ => None,
        }
    }

    /// The value read from input `input` and then `fields` in turn, as
    /// [`Evaluation::input_ref`] reads it for the expression that names them.
    pub(super) fn read(&self, input: InputId, fields: &[u32]) -> Option<&'c Value> {
        let mut v = match self.inputs.get(input.index()) {
            Some(Slot::Value(v)) => v,
            _ => return None,
        };
        for &field in fields {
            v = field_of(v, field)?;
        }
        Some(v)
    }

    /// The value at an input path, or why there is none: unknown (with the
    /// path) if a field on the way is absent.
    pub(super) fn input_value(&self, n: &Node) -> Result<&'c Value, Tv> {
        if let Some(v) = self.input_ref(n) {
            return Ok(v);
        }
        match &n.kind {
            Expr::Input(i) => match self.inputs.get(i.index()) {
                Some(Slot::Value(v)) => Ok(v),
                _ => Err(Tv::Unknown(
                    self.program
                        .inputs
                        .get(i.index())
                        .map(|d| vec![d.path])
                        .unwrap_or_default(),
                )),
            },
            Expr::Field { base, field, path } => match self.input_value(base) {
                Ok(Value::Record(r)) => match r.get(*field as usize) {
                    Some(Slot::Value(v)) => Ok(v),
                    _ => Err(Tv::Unknown(vec![*path])),
                },
                Ok(Value::None) => Ok(&Value::None),
                Ok(other) => Err(Tv::Err(format!(
                    "expected a record, found {}",
                    other.type_word()
                ))),
                Err(Tv::Unknown(_)) => Err(Tv::Unknown(vec![*path])),
                Err(e) => Err(e),
            },
            _ => Err(Tv::Err("not a record path".into())),
        }
    }
}

impl Evaluation<'_, '_> {
    /// Evaluates an expression for this case.
    pub fn eval(&mut self, n: &Node) -> Tv {
        match &n.kind {
            Expr::Lit(v) => Tv::Val(v.clone()),
            Expr::Input(i) => match self.inputs.get(i.index()) {
                Some(Slot::Value(v)) => Tv::Val(v.clone()),
                _ => Tv::Unknown(
                    self.program
                        .inputs
                        .get(i.index())
                        .map(|d| vec![d.path])
                        .unwrap_or_default(),
                ),
            },
            Expr::Field { base, field, path } if is_input_path(base) => match self.input_value(n) {
                Ok(v) => Tv::Val(v.clone()),
                Err(tv) => tv,
            },
            Expr::Param(id) => match self.param(*id) {
                Ok((_, v)) => Tv::Val(v),
                Err(e) => Tv::Err(e),
            },
            Expr::Def(id) => self.def(*id),
            Expr::Decision(id) => self.decision_value(*id),
            Expr::AsOf => Tv::Val(Value::Date(self.as_of)),
            Expr::And(a, b) => self.kleene(a, b, false),
            Expr::Or(a, b) => self.kleene(a, b, true),
            // Values already known are compared where they are.
            Expr::Cmp(op, a, b) => match self.peeked(a, b) {
                Some((x, y)) => compare_op(*op, x, y, a, b),
                None => {
                    let ta = self.eval(a);
                    binary(n, ta, self.eval(b))
                }
            },
            Expr::In {
                item,
                list,
                negated,
            } => match self.peeked(item, list) {
                Some((x, l)) => member(x, l, *negated),
                None => {
                    let ta = self.eval(item);
                    binary(n, ta, self.eval(list))
                }
            },
            Expr::Not(a) => {
                let tv = self.eval(a);
                unary(n, tv)
            }
            Expr::Exists(a) | Expr::Known(a) => match self.presence_at_hand(n, a) {
                Some(b) => Tv::Val(Value::Bool(b)),
                None => self.eval_more(n),
            },
            _ => self.eval_more(n),
        }
    }

    /// A condition's truth when it is plainly true or false, without building
    /// a [`Tv`]: `None` when it is anything else (unknown, an error, not a
    /// boolean), which callers then evaluate in full with [`Evaluation::eval`].
    /// `Some(b)` exactly when `eval` gives `b`: Kleene's `and`/`or` with a
    /// deciding side win over anything on the other. (Explanations evaluate
    /// conditions in full, without it; the property test that compares their
    /// outcomes with evaluation's checks the two agree.)
    pub(super) fn truth_of(&mut self, n: &Node) -> Option<bool> {
        let of = |tv: Tv| match tv {
            Tv::Val(Value::Bool(b)) => Some(b),
            _ => None,
        };
        match &n.kind {
            Expr::And(a, b) | Expr::Or(a, b) => {
                let decisive = matches!(n.kind, Expr::Or(..));
                match self.truth_of(a) {
                    Some(x) if x == decisive => Some(decisive),
                    Some(_) => self.truth_of(b),
                    None => match self.truth_of(b) {
                        Some(y) if y == decisive => Some(decisive),
                        _ => None,
                    },
                }
            }
            Expr::Not(a) => self.truth_of(a).map(|b| !b),
            Expr::Exists(a) | Expr::Known(a) => match self.presence_at_hand(n, a) {
                Some(b) => Some(b),
                None => of(self.eval(n)),
            },
            Expr::Def(id) => match self.def_done(*id) {
                Some(Tv::Val(Value::Bool(b))) => Some(*b),
                _ => None,
            },
            Expr::Decision(id) => match self.decided(*id) {
                Some(super::Outcome::Determined {
                    value: Value::Bool(b),
                    ..
                }) => Some(*b),
                _ => None,
            },
            _ if is_input_path(n) => match self.input_ref(n) {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            },
            // As `eval` does, values already known are compared where they are.
            Expr::Cmp(op, a, b) => match self.peeked(a, b) {
                Some((x, y)) => compare_known(*op, x, y),
                None => of(self.eval(n)),
            },
            Expr::In {
                item,
                list,
                negated,
            } => match self.peeked(item, list) {
                Some((x, l)) => member_known(x, l, *negated),
                None => of(self.eval(n)),
            },
            _ => of(self.eval(n)),
        }
    }

    /// The expressions rules use less often, kept out of [`Evaluation::eval`]
    /// so that its frame stays small.
    #[inline(never)]
    fn eval_more(&mut self, n: &Node) -> Tv {
        match &n.kind {
            Expr::Field { base, field, path } => {
                let record = self.eval(base);
                field_tv(record, base, *field, *path)
            }
            Expr::Local(i) => match self.locals.get(*i as usize) {
                Some(v) => Tv::Val(v.clone()),
                None => Tv::Err("unbound list variable".into()),
            },
            Expr::Neg(a) | Expr::Known(a) | Expr::Exists(a) => {
                let tv = self.eval(a);
                unary(n, tv)
            }
            // The decision's outcome, not its value (never read).
            Expr::Determined(a) => match a.kind {
                Expr::Decision(id) => self.determined_value(id),
                _ => Tv::Err("`determined` of something not a decision".into()),
            },
            Expr::Arith(_, a, b)
            | Expr::DaysBetween(a, b)
            | Expr::Age {
                birth: a, on: b, ..
            } => {
                let ta = self.eval(a);
                binary(n, ta, self.eval(b))
            }
            Expr::If(c, a, b) => match self.eval(c) {
                Tv::Val(Value::Bool(true)) => self.eval(a),
                Tv::Val(Value::Bool(false)) => self.eval(b),
                Tv::Unknown(needs) => {
                    let (x, y) = (self.eval(a), self.eval(b));
                    if_unknown(needs, x, y)
                }
                other => not_bool(other, c),
            },
            Expr::List(items) => combine(n, items.iter().map(|i| self.eval(i))),
            Expr::DeadlineFrom { event, period, .. }
            | Expr::DeadlineBefore {
                anchor: event,
                period,
                ..
            } => {
                let (e, p) = (self.eval(event), self.eval(period));
                self.deadline(n, e, p, None)
            }
            Expr::ParamOn { param, on } => {
                let on = self.eval(on);
                self.param_on(*param, on)
            }
            Expr::Quant {
                kind,
                list,
                body,
                local,
                keys,
                ..
            } => self.quantifier(*kind, list, body, keys, *local),
            Expr::Lit(_)
            | Expr::Input(_)
            | Expr::Param(_)
            | Expr::Def(_)
            | Expr::Decision(_)
            | Expr::AsOf
            | Expr::And(..)
            | Expr::Or(..)
            | Expr::Cmp(..)
            | Expr::In { .. }
            | Expr::Not(_) => self.eval(n),
        }
    }

    /// `and` (`or_mode` false) and `or` (true) with Kleene's strong logic: the
    /// deciding value (false for `and`, true for `or`) wins even over unknowns
    /// and errors on the other side.
    #[inline]
    fn kleene(&mut self, a: &Node, b: &Node, or_mode: bool) -> Tv {
        let ta = self.eval(a);
        if ta.truth() == Some(or_mode) {
            return ta;
        }
        let tb = self.eval(b);
        kleene((ta, a), (tb, b), or_mode)
    }

    /// A time limit, given the values of its event (or anchor) and period;
    /// with `trace`, the steps of the computation.
    pub(super) fn deadline(
        &self,
        n: &Node,
        event: Tv,
        period: Tv,
        trace: Option<&mut Vec<crate::time::PeriodStep>>,
    ) -> Tv {
        let (e, p) = match both(event, period) {
            Ok(v) => v,
            Err(tv) => return tv,
        };
        let (calendar, operand, computation) = match &n.kind {
            Expr::DeadlineFrom {
                calendar,
                event,
                computation,
                ..
            } => (*calendar, event, *computation),
            Expr::DeadlineBefore {
                anchor,
                computation,
                ..
            } => (None, anchor, *computation),
            _ => return Tv::Err("not a time limit".into()),
        };
        let computation = self.program.computation(computation);
        let before = matches!(n.kind, Expr::DeadlineBefore { .. });
        match (e, p) {
            (Value::DateTime(at), Value::Duration(p)) if !before => {
                match time::deadline_hours(at, p, trace) {
                    Ok(r) => Tv::Val(Value::DateTime(r)),
                    Err(e) => Tv::Err(e.to_string()),
                }
            }
            (Value::Date(d), Value::Duration(p)) if before => {
                match time::deadline_before(d, p, trace) {
                    Ok(r) => Tv::Val(Value::Date(r)),
                    Err(e) => Tv::Err(e.to_string()),
                }
            }
            (Value::Date(d), Value::Duration(p)) => {
                let Some(cal) = calendar.and_then(|c| self.program.calendars.get(c.0 as usize))
                else {
                    return Tv::Err("no public-holiday calendar".into());
                };
                match time::deadline_from(d, p, cal, computation, trace) {
                    Ok(r) => Tv::Val(Value::Date(r)),
                    Err(e) => Tv::Err(e.to_string()),
                }
            }
            (Value::None, _) => Tv::Err(format!(
                "`{}` has no value (none)",
                self.program.text(operand.span)
            )),
            _ => Tv::Err("`deadline` needs a date and a period".into()),
        }
    }

    /// A param's value on a date (`lodging_period(on: …)`), given the date's value.
    pub(super) fn param_on(&self, id: ParamId, on: Tv) -> Tv {
        match on {
            Tv::Val(Value::Date(d)) => match super::param_at(self.program, id, d) {
                Ok((_, v)) => Tv::Val(v),
                Err(e) => Tv::Err(e),
            },
            Tv::Val(Value::None) => Tv::Err(format!(
                "`{}` is read on a date that is none",
                self.program
                    .params
                    .get(id.index())
                    .map(|p| &*p.key)
                    .unwrap_or("?")
            )),
            Tv::Val(other) => Tv::Err(format!("a date was expected, found {}", other.type_word())),
            other => other,
        }
    }

    fn quantifier(
        &mut self,
        kind: QuantKind,
        list: &Node,
        body: &Node,
        keys: &[ListKey],
        local: u32,
    ) -> Tv {
        let items = match self.eval(list) {
            Tv::Val(Value::List(items)) => items,
            Tv::Val(Value::None) => Vec::new().into(),
            Tv::Val(other) => {
                return Tv::Err(format!("expected a list, found {}", other.type_word()))
            }
            other => return other,
        };
        if self.quantifiers == 0 {
            self.list_steps = 0;
        }
        self.list_steps = self.list_steps.saturating_add(items.len() as u64);
        if self.list_steps > super::MAX_LIST_STEPS {
            return Tv::Err(format!(
                "the list operations here go through more than {} items for this case (one inside another, over long lists); lsa stops there",
                super::MAX_LIST_STEPS
            ));
        }
        let depth = local as usize;
        self.locals.truncate(depth);
        self.quantifiers += 1;
        // Lists are short (a family, a person's documents): kept off the heap.
        let mut results: SmallVec<[Tv; 4]> = SmallVec::with_capacity(items.len());
        // For `first`: each item's keys, where its condition is not false.
        let mut ranks: SmallVec<[Keys; 4]> = SmallVec::new();
        for item in items.iter() {
            self.locals.push(item.clone());
            let r = self.eval(body);
            if kind == QuantKind::First && !keys.is_empty() {
                ranks.push(if r.truth() == Some(false) {
                    Keys::new()
                } else {
                    keys.iter().map(|k| self.eval(&k.key)).collect()
                });
            }
            self.locals.truncate(depth);
            let stop = matches!(r, Tv::Err(_)) && self.list_steps > super::MAX_LIST_STEPS;
            results.push(r);
            if stop {
                break;
            }
        }
        self.quantifiers -= 1;
        if kind == QuantKind::First {
            return first_of(&items, &results, &ranks, keys);
        }
        let mut needs: Option<Needs> = None;
        let mut values: SmallVec<[Value; 4]> = SmallVec::with_capacity(results.len());
        for r in results {
            match r {
                Tv::Val(v) => values.push(v),
                Tv::Unknown(n) => needs = Some(merge(needs.unwrap_or_default(), n)),
                Tv::Err(e) => return Tv::Err(e),
            }
        }
        let truths: SmallVec<[bool; 4]> = values
            .iter()
            .filter_map(|v| {
                if let Value::Bool(b) = v {
                    Some(*b)
                } else {
                    None
                }
            })
            .collect();
        match kind {
            QuantKind::Any if truths.contains(&true) => Tv::Val(Value::Bool(true)),
            QuantKind::All if truths.contains(&false) => Tv::Val(Value::Bool(false)),
            _ if needs.is_some() => Tv::Unknown(needs.unwrap_or_default()),
            QuantKind::Those => Tv::Val(Value::List(
                items
                    .iter()
                    .zip(&truths)
                    .filter(|(_, t)| **t)
                    .map(|(v, _)| v.clone())
                    .collect(),
            )),
            QuantKind::Any => Tv::Val(Value::Bool(false)),
            QuantKind::All => Tv::Val(Value::Bool(true)),
            QuantKind::Count => {
                Tv::Val(Value::Integer(truths.iter().filter(|b| **b).count() as i64))
            }
            QuantKind::Sum => {
                let mut acc: Option<Value> = None;
                for v in values {
                    acc = Some(match acc {
                        None => v,
                        Some(a) => match arith(ArithOp::Add, &a, &v) {
                            Tv::Val(r) => r,
                            other => return other,
                        },
                    });
                }
                Tv::Val(acc.unwrap_or(Value::Integer(0)))
            }
            QuantKind::Min | QuantKind::Max => {
                let want = if kind == QuantKind::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best: Option<Value> = None;
                for v in values {
                    best = Some(match best {
                        None => v,
                        Some(b) => match compare(&v, &b) {
                            Some(o) if o == want => v,
                            Some(_) => b,
                            None => return Tv::Err("values without an order".into()),
                        },
                    });
                }
                best.map(Tv::Val)
                    .unwrap_or_else(|| Tv::Err(format!("`{}` of an empty list", kind.keyword())))
            }
            // Answered above.
            QuantKind::First => Tv::Err("`first` is not evaluated here".into()),
        }
    }
}

impl Evaluation<'_, '_> {
    /// The place of the first item of `list` for which `body` is `want`
    /// (what made `any` true or `all` false), for an explanation.
    pub(super) fn witness(
        &mut self,
        list: &Node,
        body: &Node,
        local: u32,
        want: bool,
    ) -> Option<usize> {
        let Tv::Val(Value::List(items)) = self.eval(list) else {
            return None;
        };
        let depth = local as usize;
        self.locals.truncate(depth);
        self.quantifiers += 1;
        let mut found = None;
        for (i, item) in items.iter().enumerate() {
            self.locals.push(item.clone());
            let r = self.eval(body);
            self.locals.truncate(depth);
            if r.truth() == Some(want) {
                found = Some(i);
                break;
            }
        }
        self.quantifiers -= 1;
        found
    }
}

/// The order of two items by `first`'s keys (their values `a` and `b`, and
/// whether each key is descending); `None` where two values have no order.
pub(super) fn by_keys<T>(
    a: &[T],
    b: &[T],
    descending: impl IntoIterator<Item = bool>,
    order: impl Fn(&T, &T) -> Option<Ordering>,
) -> Option<Ordering> {
    for ((x, y), descending) in a.iter().zip(b).zip(descending) {
        match order(x, y)? {
            Ordering::Equal => continue,
            o if descending => return Some(o.reverse()),
            o => return Some(o),
        }
    }
    Some(Ordering::Equal)
}

/// `first`: the first item whose condition is true, looking in the order of
/// the keys (the list's order breaking ties), or none. Unknown while an item
/// that might come first waits on a fact: its condition, or a key of an
/// item that may qualify.
fn first_of(items: &[Value], results: &[Tv], ranks: &[Keys], keys: &[ListKey]) -> Tv {
    let mut candidates: SmallVec<[(usize, SmallVec<[Value; 2]>); 4]> = SmallVec::new();
    let mut needs: Option<Needs> = None;
    for (i, r) in results.iter().enumerate() {
        match r {
            Tv::Val(Value::Bool(false)) => continue,
            Tv::Val(Value::Bool(true)) | Tv::Unknown(_) => {}
            Tv::Val(other) => {
                return Tv::Err(format!(
                    "the condition of `first` should be true/false, but is {}",
                    other.type_word()
                ))
            }
            Tv::Err(e) => return Tv::Err(e.clone()),
        }
        let mut values: SmallVec<[Value; 2]> = SmallVec::with_capacity(keys.len());
        for k in ranks.get(i).map(|k| k.as_slice()).unwrap_or_default() {
            match k {
                Tv::Val(Value::None) => {
                    return Tv::Err(format!(
                        "`first` orders the items by a key that is none for item {i}"
                    ))
                }
                Tv::Val(v) => values.push(v.clone()),
                Tv::Unknown(n) => needs = Some(merge(needs.unwrap_or_default(), n.clone())),
                Tv::Err(e) => return Tv::Err(e.clone()),
            }
        }
        candidates.push((i, values));
    }
    if let Some(n) = needs {
        return Tv::Unknown(n);
    }
    let mut unordered = false;
    // Stable: items alike in every key keep the list's order.
    candidates.sort_by(|(_, a), (_, b)| {
        by_keys(a, b, keys.iter().map(|k| k.descending), compare).unwrap_or_else(|| {
            unordered = true;
            Ordering::Equal
        })
    });
    if unordered {
        return Tv::Err("`first` orders by values without an order".into());
    }
    match candidates.first() {
        None => Tv::Val(Value::None),
        Some((i, _)) => match results.get(*i) {
            Some(Tv::Unknown(n)) => Tv::Unknown(n.clone()),
            _ => items
                .get(*i)
                .cloned()
                .map(Tv::Val)
                .unwrap_or(Tv::Val(Value::None)),
        },
    }
}
