//! The lowered program compiled once more for [`Fast`]: each def's body,
//! each rule's condition and value and each default as a tree of small
//! nodes, one type per kind of operation (and, for the tests rules are
//! mostly made of, per kind of operand), so that a test of a record field,
//! a def or a decision reads it in place, with no call for the operand and
//! no dispatch on what the operation is: both are known when the node is
//! built. Each node computes what the [`Op`] it was built from means.

use std::sync::Arc;

use crate::check::lower::lower;

use super::*;

/// A compiled operation.
pub(super) trait Node: Send + Sync + std::fmt::Debug {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a>;

    /// [`Node::run`] where a truth is wanted (a rule's condition, an
    /// operand of `and`/`or`, an `if`'s test, the body of a list operation
    /// that tests its items), as one byte, returned in a register (what
    /// `run` gives, 16 bytes, goes through memory). A value that is not
    /// true or false gives up there, as it is an error for the general
    /// evaluator.
    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        Truth::of(self.run(f))
    }
}

/// A condition's outcome (see [`Node::truth`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Truth {
    False,
    True,
    Unknown,
    GiveUp,
}

impl Truth {
    #[inline(always)]
    fn of(r: R<'_>) -> Truth {
        match r {
            Ok(V::B(b)) => Truth::from(b),
            Err(Unknown) => Truth::Unknown,
            Ok(_) | Err(GiveUp) => Truth::GiveUp,
        }
    }

    /// As [`Node::run`] gives it.
    #[inline(always)]
    fn value<'a>(self) -> R<'a> {
        match self {
            Truth::False => Ok(V::B(false)),
            Truth::True => Ok(V::B(true)),
            Truth::Unknown => Err(Unknown),
            Truth::GiveUp => Err(GiveUp),
        }
    }
}

impl From<bool> for Truth {
    #[inline(always)]
    fn from(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
}

pub(super) type N = Box<dyn Node>;

/// Every def's body and every decision, compiled (by id).
#[derive(Clone, Debug, Default)]
pub struct Nodes(Arc<Compiled>);

#[derive(Debug, Default)]
struct Compiled {
    defs: Vec<N>,
    decisions: Vec<Decision>,
    /// The list operations an explanation evaluates whole (those outside
    /// any other's condition), by their slot (`Node::slot`; written alike,
    /// they share one and mean the same).
    list_operations: Vec<Option<N>>,
}

/// A decision, with what resolving it needs at hand.
#[derive(Debug)]
pub(super) struct Decision {
    pub(super) validity: InForce,
    pub(super) applies: Option<DefId>,
    pub(super) policy: Policy,
    /// `first` without exceptions: the first rule that applies decides.
    pub(super) stop_early: bool,
    pub(super) has_exceptions: bool,
    /// Whether any of its rules has dates in force of its own (else only
    /// the decision's are checked).
    pub(super) rules_dated: bool,
    /// `None` for a decision of more than 64 rules (the fast evaluation
    /// keeps which rules apply as bits, and gives up on it).
    pub(super) rules: Option<Box<[Rule]>>,
    pub(super) default: Option<N>,
}

/// The days something is in force, as day numbers (`time::day_number`),
/// both included: the check of every decision and rule against the as-of
/// date, two comparisons of integers.
#[derive(Clone, Copy, Debug)]
pub(super) struct InForce {
    from: i32,
    until: i32,
}

impl InForce {
    /// Always.
    const ALWAYS: InForce = InForce {
        from: i32::MIN,
        until: i32::MAX,
    };

    fn of(v: &Validity) -> InForce {
        InForce {
            from: v.from.map_or(i32::MIN, time::day_number),
            until: v.until.map_or(i32::MAX, time::day_number),
        }
    }

    #[inline(always)]
    pub(super) fn contains(self, day: i32) -> bool {
        self.from <= day && day <= self.until
    }
}

#[derive(Debug)]
pub(super) struct Rule {
    /// Its condition, or the first operand of its `and`: in the rule
    /// itself, not behind a list of one (a memory read, most often out
    /// of the first level cache, for every rule tested).
    pub(super) when: N,
    /// The other operands of its `and` (none, and nothing allocated, if
    /// it is not one).
    pub(super) and: Box<[N]>,
    pub(super) then: Then,
    /// Its own dates in force, if it has any (else always: its
    /// decision's are checked first).
    pub(super) validity: InForce,
    /// The rules it sets aside, as bits.
    pub(super) overrides: u64,
}

/// A rule's value: most often a literal, read in place.
#[derive(Debug)]
pub(super) enum Then {
    Lit(Value),
    Node(N),
}

impl Then {
    #[inline(always)]
    pub(super) fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match self {
            Then::Lit(v) => Ok(of(v)),
            Then::Node(n) => n.run(f),
        }
    }
}

impl Nodes {
    /// Every def's and decision's nodes (`Nodes::new`), made on a thread of
    /// its own. A thread's first allocations come, with glibc's allocator,
    /// from an arena of its own, fresh: the nodes lie together in memory, in the order they are made
    /// (a decision's after one another, as they are evaluated), where made
    /// on the thread that checked the program they fill the gaps its
    /// freed memory left all over the heap. Evaluating them then reads
    /// fewer cache lines: the evaluation loop 11–12 % quicker (alternating
    /// runs), a `lsa batch` line 1,723 → 1,637 first level data cache
    /// misses (cachegrind's simulation). Elsewhere, or where no thread can
    /// be made, they are made in place: the same nodes.
    pub fn new_apart(defs: &[DefDef], decisions: &[DecisionDef], slots: usize) -> Nodes {
        std::thread::scope(|s| {
            let made = std::thread::Builder::new()
                // (The stack of lsa's threads that evaluate: the nodes are
                // made recursively, as deep as the deepest program allowed.)
                .stack_size(crate::cli::STACK_BYTES)
                .spawn_scoped(s, || Nodes::new(defs, decisions, slots));
            match made {
                Ok(thread) => match thread.join() {
                    Ok(nodes) => nodes,
                    // A defect in making them: as if made here.
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(_) => Nodes::new(defs, decisions, slots),
            }
        })
    }

    /// Lowers (`check::lower`) and compiles every def and decision, and the
    /// list operations explanations evaluate whole (`slots`: how many
    /// expression slots the program numbered).
    fn new(defs: &[DefDef], decisions: &[DecisionDef], slots: usize) -> Nodes {
        let compiled = |n: &crate::check::ir::Node| compile(&lower(n));
        let rule = |r: &RuleDef| {
            let (when, and) = match lower(&r.when) {
                Op::And(ops) => first_and_rest(&ops, false),
                when => (compile(&when), Box::default()),
            };
            Rule {
                when,
                and,
                then: match lower(&r.then) {
                    Op::Lit(v) => Then::Lit(v),
                    then => Then::Node(compile(&then)),
                },
                validity: if r.own_validity {
                    InForce::of(&r.validity)
                } else {
                    InForce::ALWAYS
                },
                overrides: r
                    .overrides
                    .iter()
                    .filter(|i| **i < 64)
                    .fold(0, |bits, i| bits | 1 << i),
            }
        };
        let decision = |d: &DecisionDef| Decision {
            validity: InForce::of(&d.validity),
            applies: d.applies.as_ref().map(|a| a.def),
            policy: d.policy,
            stop_early: d.policy == Policy::First && !d.has_exceptions,
            has_exceptions: d.has_exceptions,
            rules_dated: d.rules.iter().any(|r| r.own_validity),
            rules: (d.rules.len() <= 64).then(|| d.rules.iter().map(rule).collect()),
            default: d.default.as_ref().map(compiled),
        };
        let mut list_operations: Vec<Option<N>> = Vec::new();
        list_operations.resize_with(slots, || None);
        let roots = defs
            .iter()
            .map(|d| &d.body)
            .chain(decisions.iter().flat_map(|d| {
                d.rules
                    .iter()
                    .flat_map(|r| [&r.when, &r.then])
                    .chain(&d.default)
            }));
        for root in roots {
            outermost_list_operations(root, &mut |n| {
                if let Some(place @ None) = list_operations.get_mut(n.slot as usize) {
                    *place = Some(compiled(n));
                }
            });
        }
        Nodes(Arc::new(Compiled {
            defs: defs.iter().map(|d| compiled(&d.body)).collect(),
            decisions: decisions.iter().map(decision).collect(),
            list_operations,
        }))
    }

    /// The list operation written at `slot`, compiled, if it is one an
    /// explanation evaluates whole.
    pub(super) fn list_operation(&self, slot: u32) -> Option<&dyn Node> {
        self.0
            .list_operations
            .get(slot as usize)
            .and_then(|n| n.as_deref())
    }

    pub(super) fn def(&self, id: DefId) -> Option<&dyn Node> {
        self.0.defs.get(id.index()).map(|n| &**n)
    }

    pub(super) fn decision(&self, id: DecisionId) -> Option<&Decision> {
        self.0.decisions.get(id.index())
    }
}

/// `f` of each list operation under `n` that is in no other's condition or
/// keys (its list variable is the first of its expression's, so it is
/// evaluated alone as it is where it is written).
fn outermost_list_operations<'n>(
    n: &'n crate::check::ir::Node,
    f: &mut impl FnMut(&'n crate::check::ir::Node),
) {
    match &n.kind {
        Expr::Quant { list, .. } => {
            f(n);
            outermost_list_operations(list, f);
        }
        _ => {
            for c in n.children() {
                outermost_list_operations(c, f);
            }
        }
    }
}

/// An operand, read where it is (statically dispatched: each node is
/// built for the kind of operand it has).
trait Arg: Send + Sync + std::fmt::Debug + 'static {
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a>;
}

/// An input itself.
#[derive(Debug)]
struct Input(InputId);

/// A field of an input.
#[derive(Debug)]
struct Field(InputId, u32);

/// A field further down.
#[derive(Debug)]
struct Fields(InputId, Box<[u32]>);

#[derive(Debug)]
struct Lit(Value);

#[derive(Debug)]
struct DefArg(DefId);

#[derive(Debug)]
struct DecisionArg(DecisionId);

/// A list variable and the fields below it.
#[derive(Debug)]
struct Local(u32, Box<[u32]>);

/// An operand computed by a node of its own.
#[derive(Debug)]
struct Sub(N);

impl Arg for Input {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match f.inputs.get(self.0.index()) {
            Some(Slot::Value(v)) => Ok(of(v)),
            _ => Err(Unknown),
        }
    }
}

impl Arg for Field {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match f.inputs.get(self.0.index()) {
            Some(Slot::Value(v)) => fields_of(v, std::slice::from_ref(&self.1)),
            _ => Err(Unknown),
        }
    }
}

impl Arg for Fields {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match f.inputs.get(self.0.index()) {
            Some(Slot::Value(v)) => fields_of(v, &self.1),
            _ => Err(Unknown),
        }
    }
}

impl Arg for Local {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match (
            f.locals.get(f.local_base + self.0 as usize),
            self.1.is_empty(),
        ) {
            (Some(V::Ref(v)), false) => fields_of(v, &self.1),
            (Some(V::N), false) => Ok(V::N),
            (Some(v), true) => Ok(*v),
            _ => Err(GiveUp),
        }
    }
}

impl Arg for Lit {
    #[inline(always)]
    fn read<'a>(&'a self, _: &mut Fast<'a>) -> R<'a> {
        Ok(of(&self.0))
    }
}

impl Arg for DefArg {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        f.def(self.0)
    }
}

impl Arg for DecisionArg {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match f.decision(self.0) {
            Ok(Decided::Value(v, _)) => Ok(v),
            _ => Err(GiveUp),
        }
    }
}

impl Arg for Sub {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        self.0.run(f)
    }
}

/// Builds a node around an operand of any kind.
trait Build {
    fn build<A: Arg>(self, a: A) -> N;
}

/// `build` around the operand `op`, read in place where it can be.
fn with_arg(op: &Op, build: impl Build) -> N {
    match op {
        Op::Path { input, fields } => match **fields {
            [] => build.build(Input(*input)),
            [field] => build.build(Field(*input, field)),
            _ => build.build(Fields(*input, fields.clone())),
        },
        Op::Local { local, fields } => build.build(Local(*local, fields.clone())),
        Op::Lit(v) => build.build(Lit(v.clone())),
        Op::Def(id) => build.build(DefArg(*id)),
        Op::Decision(id) => build.build(DecisionArg(*id)),
        Op::AsOf => build.build(AsOf),
        op => build.build(Sub(compile(op))),
    }
}

/// The operands of an `and` (`or_mode` false) or `or`, compiled: the first
/// apart from the others, to be held in place (see [`kleene_after`]); none stand
/// for what decides neither (`true` for `and`).
fn first_and_rest(ops: &[Op], or_mode: bool) -> (N, Box<[N]>) {
    match ops.split_first() {
        Some((first, rest)) => (compile(first), rest.iter().map(compile).collect()),
        None => (compile(&Op::Lit(Value::Bool(!or_mode))), Box::default()),
    }
}

fn compile(op: &Op) -> N {
    match op {
        Op::Lit(_) | Op::Path { .. } | Op::Local { .. } | Op::Def(_) | Op::Decision(_) => {
            with_arg(op, LoadB)
        }
        Op::Not(a) => match &**a {
            Op::Exists(a) => with_arg(a, ExistsB(true)),
            a => with_arg(a, NotB),
        },
        Op::Exists(a) => with_arg(a, ExistsB(false)),
        Op::Known(a) => with_arg(a, KnownB),
        Op::IsEnum {
            item,
            of,
            variant,
            negated,
        } => with_arg(
            item,
            IsEnumB {
                of: *of,
                variant: *variant,
                negated: *negated,
            },
        ),
        Op::InEnums {
            item,
            of,
            bits,
            negated,
        } => with_arg(
            item,
            InEnumsB {
                of: *of,
                bits: *bits,
                negated: *negated,
            },
        ),
        Op::CmpLit(cmp, a, lit) => with_arg(
            a,
            CmpLitB {
                cmp: *cmp,
                lit: lit.clone(),
            },
        ),
        Op::Cmp(cmp, a, b) => with_arg(a, CmpB { cmp: *cmp, b }),
        Op::And(ops) | Op::Or(ops) => {
            let or_mode = matches!(op, Op::Or(_));
            let (first, rest) = first_and_rest(ops, or_mode);
            Box::new(Chain {
                first,
                rest,
                or_mode,
            })
        }
        Op::Field { base, field } => Box::new(Field_ {
            base: compile(base),
            field: *field,
        }),
        Op::Param(id) => Box::new(Param(*id)),
        Op::ParamOn { param, on } => Box::new(ParamOn {
            param: *param,
            on: compile(on),
        }),
        Op::AsOf => Box::new(AsOf),
        Op::In {
            item,
            list,
            negated,
        } => Box::new(In {
            item: compile(item),
            list: compile(list),
            negated: *negated,
        }),
        Op::Arith(arith, a, b) => Box::new(Arith {
            arith: *arith,
            a: compile(a),
            b: compile(b),
        }),
        Op::Neg(a) => Box::new(Neg(compile(a))),
        Op::If(ops) => {
            let [c, a, b] = &**ops;
            Box::new(If([compile(c), compile(a), compile(b)]))
        }
        Op::List(ops) => Box::new(List(ops.iter().map(compile).collect())),
        Op::Age(a, b) => Box::new(Dates {
            a: compile(a),
            b: compile(b),
            of: time::age,
        }),
        Op::DaysBetween(a, b) => Box::new(Dates {
            a: compile(a),
            b: compile(b),
            of: time::days_between,
        }),
        Op::DeadlineFrom {
            event,
            period,
            calendar,
            computation,
        } => match param_on(period, event) {
            Some(param) => with_arg(
                event,
                DeadlineOnB {
                    param,
                    calendar: *calendar,
                    computation: *computation,
                },
            ),
            None => Box::new(DeadlineFrom {
                event: compile(event),
                period: compile(period),
                calendar: *calendar,
                computation: *computation,
            }),
        },
        Op::DeadlineBefore { anchor, period } => Box::new(DeadlineBefore {
            anchor: compile(anchor),
            period: compile(period),
        }),
        Op::Quant {
            kind,
            list,
            body,
            local,
            keys,
        } => Box::new(Quant {
            kind: *kind,
            list: compile(list),
            body: compile(body),
            local: *local,
            keys: keys.iter().map(|(k, d)| (compile(k), *d)).collect(),
        }),
    }
}

/// The operand's value itself.
#[derive(Debug)]
struct Load<A>(A);
struct LoadB;
impl Build for LoadB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(Load(a))
    }
}
impl<A: Arg> Node for Load<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        self.0.read(f)
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        Truth::of(self.0.read(f))
    }
}

#[derive(Debug)]
struct Not<A>(A);
struct NotB;
impl Build for NotB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(Not(a))
    }
}
impl<A: Arg> Node for Not<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match self.0.read(f)? {
            V::B(b) => Ok(V::B(!b)),
            _ => Err(GiveUp),
        }
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        match self.0.read(f) {
            Ok(V::B(b)) => Truth::from(!b),
            r => Truth::of(r),
        }
    }
}

#[derive(Debug)]
struct Known<A>(A);
struct KnownB;
impl Build for KnownB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(Known(a))
    }
}
impl<A: Arg> Node for Known<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match self.0.read(f) {
            Ok(_) => Ok(V::B(true)),
            Err(Unknown) => Ok(V::B(false)),
            Err(GiveUp) => Err(GiveUp),
        }
    }
}

/// `exists` (or `not exists`, `negated`).
#[derive(Debug)]
struct Exists<A> {
    a: A,
    negated: bool,
}
struct ExistsB(bool);
impl Build for ExistsB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(Exists { a, negated: self.0 })
    }
}
impl<A: Arg> Node for Exists<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let none = matches!(self.a.read(f)?, V::N);
        Ok(V::B(none == self.negated))
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        match self.a.read(f) {
            Ok(v) => Truth::from(matches!(v, V::N) == self.negated),
            Err(stop) => Truth::of(Err(stop)),
        }
    }
}

#[derive(Debug)]
struct IsEnum<A> {
    a: A,
    of: EnumId,
    variant: u32,
    negated: bool,
}
struct IsEnumB {
    of: EnumId,
    variant: u32,
    negated: bool,
}
impl Build for IsEnumB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(IsEnum {
            a,
            of: self.of,
            variant: self.variant,
            negated: self.negated,
        })
    }
}
impl<A: Arg> Node for IsEnum<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        Ok(V::B(match self.a.read(f)? {
            V::E(id, v) => (id == self.of && v == self.variant) != self.negated,
            // (A value of another type is never equal to an enum value.)
            _ => self.negated,
        }))
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        match self.a.read(f) {
            Ok(V::E(id, v)) => Truth::from((id == self.of && v == self.variant) != self.negated),
            Ok(_) => Truth::from(self.negated),
            Err(stop) => Truth::of(Err(stop)),
        }
    }
}

#[derive(Debug)]
struct InEnums<A> {
    a: A,
    of: EnumId,
    bits: u64,
    negated: bool,
}
struct InEnumsB {
    of: EnumId,
    bits: u64,
    negated: bool,
}
impl Build for InEnumsB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(InEnums {
            a,
            of: self.of,
            bits: self.bits,
            negated: self.negated,
        })
    }
}
impl<A: Arg> Node for InEnums<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        self.truth(f).value()
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        let found = match self.a.read(f) {
            Ok(V::E(id, v)) => id == self.of && v < 64 && self.bits & (1 << v) != 0,
            Ok(V::N) => false,
            Ok(_) => return Truth::GiveUp,
            Err(stop) => return Truth::of(Err(stop)),
        };
        Truth::from(found != self.negated)
    }
}

#[derive(Debug)]
struct CmpLit<A> {
    a: A,
    cmp: CmpOp,
    lit: Value,
}
struct CmpLitB {
    cmp: CmpOp,
    lit: Value,
}
impl Build for CmpLitB {
    fn build<A: Arg>(self, a: A) -> N {
        Box::new(CmpLit {
            a,
            cmp: self.cmp,
            lit: self.lit,
        })
    }
}
impl<A: Arg> Node for CmpLit<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let x = self.a.read(f)?;
        f.compare(self.cmp, x, of(&self.lit))
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        match (self.a.read(f), &self.lit) {
            // A date against a date (`lodged_on >= 2026-06-12`): here.
            (Ok(V::D(x)), Value::Date(y)) => Truth::from(super::holds(self.cmp, x.cmp(y))),
            (Ok(x), lit) => Truth::of(f.compare(self.cmp, x, of(lit))),
            (Err(stop), _) => Truth::of(Err(stop)),
        }
    }
}

/// `a CMP b`, both operands read in place (a comparison of two dates of
/// the record, or of one with the as-of date: no call for either).
#[derive(Debug)]
struct Cmp<A, B> {
    cmp: CmpOp,
    a: A,
    b: B,
}
/// Builds a [`Cmp`] around its first operand, then its second.
struct CmpB<'o> {
    cmp: CmpOp,
    b: &'o Op,
}
impl Build for CmpB<'_> {
    fn build<A: Arg>(self, a: A) -> N {
        with_arg(self.b, CmpWith { cmp: self.cmp, a })
    }
}
struct CmpWith<A> {
    cmp: CmpOp,
    a: A,
}
impl<A: Arg> Build for CmpWith<A> {
    fn build<B: Arg>(self, b: B) -> N {
        Box::new(Cmp {
            cmp: self.cmp,
            a: self.a,
            b,
        })
    }
}
impl<A: Arg, B: Arg> Node for Cmp<A, B> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let x = self.a.read(f);
        let (x, y) = both(x, self.b.read(f))?;
        f.compare(self.cmp, x, y)
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        let x = self.a.read(f);
        match both(x, self.b.read(f)) {
            // Two dates (of the record, the as-of date): compared here.
            Ok((V::D(x), V::D(y))) => Truth::from(super::holds(self.cmp, x.cmp(&y))),
            Ok((x, y)) => Truth::of(f.compare(self.cmp, x, y)),
            Err(stop) => Truth::of(Err(stop)),
        }
    }
}

/// `and` (`or_mode` false) or `or` of every operand: the deciding value
/// wins over anything; then giving up (the general evaluator's errors),
/// then unknown.
#[derive(Debug)]
struct Chain {
    /// The first operand, in the node itself (one memory read less
    /// than behind the list of the others).
    first: N,
    rest: Box<[N]>,
    or_mode: bool,
}
impl Node for Chain {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        self.truth(f).value()
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        match self.first.truth(f) {
            t if t == Truth::from(self.or_mode) => t,
            t => kleene_after(t, &self.rest, self.or_mode, f),
        }
    }
}

/// `and` (`or_mode` false) or `or` of `ops` (see [`Chain`]), after
/// operands before them that came to `first` without deciding it (for
/// `and`: true, unknown or give up). (A rule's condition and a chain each
/// test their first operand themselves: one function for the whole, the
/// first operand included, cost a case 330 instructions more.)
#[inline(always)]
pub(super) fn kleene_after<'a>(
    first: Truth,
    ops: &'a [N],
    or_mode: bool,
    f: &mut Fast<'a>,
) -> Truth {
    let deciding = Truth::from(or_mode);
    // What it is if no operand decides it.
    let mut worst = first;
    for op in ops {
        match op.truth(f) {
            t if t == deciding => return t,
            Truth::Unknown if worst != Truth::GiveUp => worst = Truth::Unknown,
            Truth::GiveUp => worst = Truth::GiveUp,
            _ => {}
        }
    }
    worst
}

/// The values of two operands, in order (see [`both`]).
fn run_both<'a>(a: &'a N, b: &'a N, f: &mut Fast<'a>) -> Result<(V<'a>, V<'a>), Stop> {
    let x = a.run(f);
    both(x, b.run(f))
}

/// A field of a record computed by an expression (`first(…).field`).
#[derive(Debug)]
struct Field_ {
    base: N,
    field: u32,
}
impl Node for Field_ {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        field(self.base.run(f)?, self.field)
    }
}

/// A param's value on the as-of date.
#[derive(Debug)]
struct Param(ParamId);
impl Node for Param {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        f.param(self.0, f.as_of)
    }
}

/// A param's value on a date (`lodging_period(on: …)`).
#[derive(Debug)]
struct ParamOn {
    param: ParamId,
    on: N,
}
impl Node for ParamOn {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match self.on.run(f)? {
            V::D(d) => f.param(self.param, d),
            _ => Err(GiveUp),
        }
    }
}

/// The as-of date.
#[derive(Debug)]
struct AsOf;
impl Node for AsOf {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        Ok(V::D(f.as_of))
    }
}
impl Arg for AsOf {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        Ok(V::D(f.as_of))
    }
}

#[derive(Debug)]
struct In {
    item: N,
    list: N,
    negated: bool,
}
impl Node for In {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let (x, l) = run_both(&self.item, &self.list, f)?;
        f.in_list(x, l, self.negated)
    }
}

#[derive(Debug)]
struct Arith {
    arith: ArithOp,
    a: N,
    b: N,
}
impl Node for Arith {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let (x, y) = run_both(&self.a, &self.b, f)?;
        f.arith(self.arith, x, y)
    }
}

#[derive(Debug)]
struct Neg(N);
impl Node for Neg {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let v = self.0.run(f)?;
        f.neg(v)
    }
}

/// `if c then a else b`: where `c` is unknown, the value both branches
/// agree on.
#[derive(Debug)]
struct If([N; 3]);
impl Node for If {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let [c, a, b] = &self.0;
        match c.truth(f) {
            Truth::True => a.run(f),
            Truth::False => b.run(f),
            Truth::Unknown => match (a.run(f), b.run(f)) {
                (Ok(x), Ok(y)) if f.equal(x, y) => Ok(x),
                (Err(GiveUp), _) | (_, Err(GiveUp)) => Err(GiveUp),
                _ => Err(Unknown),
            },
            Truth::GiveUp => Err(GiveUp),
        }
    }
}

/// A list written with expressions that are not all literals.
#[derive(Debug)]
struct List(Box<[N]>);
impl Node for List {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let mut values = SmallVec::new();
        let mut unknown = false;
        for op in self.0.iter() {
            match op.run(f) {
                Ok(v) => values.push(v),
                Err(Unknown) => unknown = true,
                Err(GiveUp) => return Err(GiveUp),
            }
        }
        if unknown {
            return Err(Unknown);
        }
        f.keep(values)
    }
}

/// A number of two dates (`age`, `days_between`).
#[derive(Debug)]
struct Dates {
    a: N,
    b: N,
    of: fn(Date, Date) -> i64,
}
impl Node for Dates {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match run_both(&self.a, &self.b, f)? {
            (V::D(x), V::D(y)) => Ok(V::I((self.of)(x, y))),
            _ => Err(GiveUp),
        }
    }
}

#[derive(Debug)]
struct DeadlineFrom {
    event: N,
    period: N,
    calendar: Option<CalendarId>,
    computation: Option<ComputationId>,
}
impl Node for DeadlineFrom {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let (at, p) = run_both(&self.event, &self.period, f)?;
        f.deadline_from(at, p, self.calendar, self.computation)
    }
}

/// `deadline(from: x, p(on: x))`, the rules' usual time limit: its period
/// the version of a param in force on the day it runs from, that day read
/// once (as [`DeadlineFrom`] of [`ParamOn`] computes it).
#[derive(Debug)]
struct DeadlineOn<A> {
    event: A,
    param: ParamId,
    calendar: Option<CalendarId>,
    computation: Option<ComputationId>,
}
struct DeadlineOnB {
    param: ParamId,
    calendar: Option<CalendarId>,
    computation: Option<ComputationId>,
}
impl Build for DeadlineOnB {
    fn build<A: Arg>(self, event: A) -> N {
        Box::new(DeadlineOn {
            event,
            param: self.param,
            calendar: self.calendar,
            computation: self.computation,
        })
    }
}
impl<A: Arg> Node for DeadlineOn<A> {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        match self.event.read(f)? {
            at @ V::D(d) => {
                let p = f.param(self.param, d)?;
                f.deadline_from(at, p, self.calendar, self.computation)
            }
            _ => Err(GiveUp),
        }
    }
}

/// The param `period` is the version of on the day `event`
/// (`p(on: event)`), if it is that.
fn param_on(period: &Op, event: &Op) -> Option<ParamId> {
    match period {
        Op::ParamOn { param, on } if same_operand(on, event) => Some(*param),
        _ => None,
    }
}

/// Whether two operands are the same place read (a field, a list
/// variable's, a def or a decision).
fn same_operand(a: &Op, b: &Op) -> bool {
    match (a, b) {
        (
            Op::Path { input, fields },
            Op::Path {
                input: i,
                fields: f,
            },
        ) => input == i && fields == f,
        (
            Op::Local { local, fields },
            Op::Local {
                local: l,
                fields: f,
            },
        ) => local == l && fields == f,
        (Op::Def(a), Op::Def(b)) => a == b,
        (Op::Decision(a), Op::Decision(b)) => a == b,
        _ => false,
    }
}

#[derive(Debug)]
struct DeadlineBefore {
    anchor: N,
    period: N,
}
impl Node for DeadlineBefore {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let (anchor, p) = run_both(&self.anchor, &self.period, f)?;
        f.deadline_before(anchor, p)
    }
}

#[derive(Debug)]
struct Quant {
    kind: QuantKind,
    list: N,
    body: N,
    local: u32,
    /// `first`'s order: each key, and whether it is descending.
    keys: Box<[(N, bool)]>,
}
impl Node for Quant {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let list = self.list.run(f)?;
        f.quantifier(self.kind, list, &*self.body, self.local, &self.keys)
    }
}
