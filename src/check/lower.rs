//! Each def and decision lowered for evaluation without explanations
//! (`eval::fast`): a slim tree with what the checked IR spells out for
//! explanations (texts, spans, slots, needs) left behind, chains of fields
//! from an input or a list variable read in one step, `and`/`or` chains
//! flattened, and a literal list of enum values turned into a set of bits.
//! Built once with the program, and compiled at once into the fast
//! evaluation's nodes (`eval::fast::Nodes::new_apart`), which are what the
//! program keeps; the checked IR stays what explanations and the general
//! evaluator walk.

use crate::syntax::ast::QuantKind;
use crate::value::{EnumId, Type, Value};

use super::ir::*;

/// One operation. Each one computes what the [`Expr`] it comes from does.
#[derive(Clone, Debug, Hash)]
pub enum Op {
    Lit(Value),
    /// An input and the fields below it, and what kind of value the
    /// last one's type holds.
    Path {
        input: InputId,
        fields: Box<[u32]>,
        kind: Kind,
    },
    /// A list variable and the fields below it.
    Local {
        local: u32,
        fields: Box<[u32]>,
    },
    /// A field of a record computed by an expression (`first(…).field`).
    Field {
        base: Box<Op>,
        field: u32,
    },
    Param(ParamId),
    ParamOn {
        param: ParamId,
        on: Box<Op>,
    },
    Def(DefId),
    Decision(DecisionId),
    /// `determined(d)`: whether the decision has a value for the case.
    Determined(DecisionId),
    AsOf,
    Not(Box<Op>),
    /// `and` over every operand (a chain, flattened: Kleene's `and` is
    /// associative).
    And(Box<[Op]>),
    Or(Box<[Op]>),
    Cmp(CmpOp, Box<Op>, Box<Op>),
    /// A comparison with a literal (written on either side: the operator
    /// turned to have it on the right).
    CmpLit(CmpOp, Box<Op>, Value),
    /// `x == v` (or `!=`, `negated`) for an enum value `v`.
    IsEnum {
        item: Box<Op>,
        of: EnumId,
        variant: u32,
        negated: bool,
    },
    In {
        item: Box<Op>,
        list: Box<Op>,
        negated: bool,
    },
    /// `x in [a, b, …]` where every item is a value of one enum: the set
    /// as bits, by variant.
    InEnums {
        item: Box<Op>,
        of: EnumId,
        bits: u64,
        negated: bool,
    },
    Arith(ArithOp, Box<Op>, Box<Op>),
    Neg(Box<Op>),
    If(Box<[Op; 3]>),
    /// A list written with expressions that are not all literals.
    List(Box<[Op]>),
    Known(Box<Op>),
    Exists(Box<Op>),
    Age(Box<Op>, Box<Op>),
    DaysBetween(Box<Op>, Box<Op>),
    DeadlineFrom {
        event: Box<Op>,
        period: Box<Op>,
        calendar: Option<CalendarId>,
        computation: Option<ComputationId>,
    },
    DeadlineBefore {
        anchor: Box<Op>,
        period: Box<Op>,
    },
    Quant {
        kind: QuantKind,
        list: Box<Op>,
        body: Box<Op>,
        local: u32,
        /// `first`'s order: each key, and whether it is descending.
        keys: Box<[(Op, bool)]>,
    },
}

fn boxed(n: &Node) -> Box<Op> {
    Box::new(lower(n))
}

/// The operands of a chain of `and` (`or_mode` false) or `or`, in order.
fn chain(n: &Node, or_mode: bool, out: &mut Vec<Op>) {
    match &n.kind {
        Expr::And(a, b) if !or_mode => {
            chain(a, or_mode, out);
            chain(b, or_mode, out);
        }
        Expr::Or(a, b) if or_mode => {
            chain(a, or_mode, out);
            chain(b, or_mode, out);
        }
        _ => out.push(lower(n)),
    }
}

/// A literal list of values of one enum, as bits by variant.
fn enum_set(list: &Op) -> Option<(EnumId, u64)> {
    let Op::Lit(Value::List(items)) = list else {
        return None;
    };
    let mut of = None;
    let mut bits = 0u64;
    for item in items.iter() {
        let Value::Enum(id, variant) = item else {
            return None;
        };
        if *of.get_or_insert(*id) != *id || *variant >= 64 {
            return None;
        }
        bits |= 1 << variant;
    }
    Some((of?, bits))
}

/// `a op b`, with a literal operand put on the right, and an enum value's
/// (in)equality as its own operation.
fn comparison(op: CmpOp, a: Op, b: Op) -> Op {
    let (op, a, b) = match (a, b) {
        (Op::Lit(x), Op::Lit(y)) => return Op::Cmp(op, Box::new(Op::Lit(x)), Box::new(Op::Lit(y))),
        (Op::Lit(x), b) => (flipped(op), b, x),
        (a, Op::Lit(y)) => (op, a, y),
        (a, b) => return Op::Cmp(op, Box::new(a), Box::new(b)),
    };
    match (op, b) {
        (CmpOp::Eq | CmpOp::Ne, Value::Enum(of, variant)) => Op::IsEnum {
            item: Box::new(a),
            of,
            variant,
            negated: op == CmpOp::Ne,
        },
        (op, lit) => Op::CmpLit(op, Box::new(a), lit),
    }
}

/// The operator with its operands swapped (`a < b` is `b > a`).
fn flipped(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// What kind of value an input's field holds, by its type (optional or
/// not): the generated code reads the fields of the kinds it compares and
/// tests as that kind, straight from the record. (A hint only: a value of
/// another kind, or none, is read as any other.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Bool,
    Integer,
    Date,
    Enum,
    Other,
}

impl Kind {
    fn of(ty: &Type) -> Kind {
        match ty.base() {
            Type::Bool => Kind::Bool,
            Type::Integer => Kind::Integer,
            Type::Date => Kind::Date,
            Type::Enum(_) => Kind::Enum,
            _ => Kind::Other,
        }
    }
}

/// Lowers one expression.
pub fn lower(n: &Node) -> Op {
    match &n.kind {
        Expr::Lit(v) => Op::Lit(v.clone()),
        Expr::Input(input) => Op::Path {
            input: *input,
            fields: Box::new([]),
            kind: Kind::of(&n.ty),
        },
        Expr::Local(local) => Op::Local {
            local: *local,
            fields: Box::new([]),
        },
        Expr::Field { base, field, .. } => match lower(base) {
            Op::Path { input, fields, .. } => Op::Path {
                input,
                fields: fields.iter().chain([field]).copied().collect(),
                kind: Kind::of(&n.ty),
            },
            Op::Local { local, fields } => Op::Local {
                local,
                fields: fields.iter().chain([field]).copied().collect(),
            },
            base => Op::Field {
                base: Box::new(base),
                field: *field,
            },
        },
        Expr::Param(id) => Op::Param(*id),
        Expr::ParamOn { param, on } => Op::ParamOn {
            param: *param,
            on: boxed(on),
        },
        Expr::Def(id) => Op::Def(*id),
        Expr::Decision(id) => Op::Decision(*id),
        Expr::AsOf => Op::AsOf,
        Expr::Not(a) => Op::Not(boxed(a)),
        Expr::And(..) | Expr::Or(..) => {
            let or_mode = matches!(n.kind, Expr::Or(..));
            let mut ops = Vec::new();
            chain(n, or_mode, &mut ops);
            if or_mode {
                Op::Or(ops.into())
            } else {
                Op::And(ops.into())
            }
        }
        Expr::Cmp(op, a, b) => comparison(*op, lower(a), lower(b)),
        Expr::In {
            item,
            list,
            negated,
        } => {
            let list = lower(list);
            match enum_set(&list) {
                Some((of, bits)) => Op::InEnums {
                    item: boxed(item),
                    of,
                    bits,
                    negated: *negated,
                },
                None => Op::In {
                    item: boxed(item),
                    list: Box::new(list),
                    negated: *negated,
                },
            }
        }
        Expr::Arith(op, a, b) => Op::Arith(*op, boxed(a), boxed(b)),
        Expr::Neg(a) => Op::Neg(boxed(a)),
        Expr::If(c, a, b) => Op::If(Box::new([lower(c), lower(a), lower(b)])),
        Expr::List(items) => {
            let ops: Vec<Op> = items.iter().map(lower).collect();
            let lits: Option<Vec<Value>> = ops
                .iter()
                .map(|o| match o {
                    Op::Lit(v) => Some(v.clone()),
                    _ => None,
                })
                .collect();
            match lits {
                Some(values) => Op::Lit(Value::List(values.into())),
                None => Op::List(ops.into()),
            }
        }
        Expr::Known(a) => Op::Known(boxed(a)),
        Expr::Exists(a) => Op::Exists(boxed(a)),
        Expr::Determined(a) => match a.kind {
            Expr::Decision(id) => Op::Determined(id),
            // (The checker allows only a decision; anything else is left
            // to the general evaluator, which says what is wrong.)
            _ => Op::Not(Box::new(Op::Lit(Value::None))),
        },
        Expr::Age { birth, on } => Op::Age(boxed(birth), boxed(on)),
        Expr::DaysBetween(a, b) => Op::DaysBetween(boxed(a), boxed(b)),
        Expr::DeadlineFrom {
            event,
            period,
            calendar,
            computation,
        } => Op::DeadlineFrom {
            event: boxed(event),
            period: boxed(period),
            calendar: *calendar,
            computation: *computation,
        },
        Expr::DeadlineBefore { anchor, period, .. } => Op::DeadlineBefore {
            anchor: boxed(anchor),
            period: boxed(period),
        },
        Expr::Quant {
            kind,
            list,
            body,
            local,
            keys,
            ..
        } => Op::Quant {
            kind: *kind,
            list: boxed(list),
            body: boxed(body),
            local: *local,
            keys: keys.iter().map(|k| (lower(&k.key), k.descending)).collect(),
        },
    }
}
