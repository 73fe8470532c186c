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
    pub(super) fn of(r: R<'_>) -> Truth {
        match r {
            Ok(V::B(b)) => Truth::from(b),
            Err(Unknown) => Truth::Unknown,
            Ok(_) | Err(GiveUp) => Truth::GiveUp,
        }
    }

    /// `not` of the truth: as [`ops::not_truth`] of its value (unknown and
    /// giving up stay as they are).
    #[inline(always)]
    pub(super) fn not(self) -> Truth {
        match self {
            Truth::False => Truth::True,
            Truth::True => Truth::False,
            t => t,
        }
    }

    /// As [`Node::run`] gives it.
    #[inline(always)]
    pub(super) fn value<'a>(self) -> R<'a> {
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
    /// Where the code generated for this program runs instead of the
    /// nodes (`gen.rs`): the literals it reads in place. Empty otherwise.
    literals: Vec<Value>,
    /// Whether it does.
    generated: bool,
}

/// A function of the generated code, where it computes a value.
pub(super) type ValueFn = for<'a> fn(&mut Fast<'a>) -> R<'a>;
/// A function of the generated code that resolves a decision.
pub(super) type DecideFn = for<'a> fn(&mut Fast<'a>) -> Result<Decided<'a>, Stop>;

/// A function of the generated code, as a node: what a def, a list
/// operation's value or key holds where the program is the one the code
/// was made for.
#[derive(Debug)]
pub(super) struct Gen(pub(super) ValueFn);

impl Node for Gen {
    #[inline(always)]
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        (self.0)(f)
    }

    #[inline(always)]
    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        Truth::of((self.0)(f))
    }
}

/// A decision, with what resolving it needs at hand.
#[derive(Debug)]
pub(super) struct Decision {
    pub(super) validity: InForce,
    /// Its `applies` lines' defs, in order.
    pub(super) applies: Box<[DefId]>,
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
    /// Where the code generated for the program runs: the function that
    /// resolves the decision (and then its rules and default are none).
    pub(super) generated: Option<DecideFn>,
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
    pub fn new_apart(
        defs: &[DefDef],
        decisions: &[DecisionDef],
        warnings: &[WarningDef],
        slots: usize,
        params: &[ParamDef],
        computations: &[crate::time::Computation],
    ) -> Nodes {
        let folded = super::gen::Folded::new(params, computations);
        let folded = &folded;
        std::thread::scope(|s| {
            let made = std::thread::Builder::new()
                // (The stack of lsa's threads that evaluate: the nodes are
                // made recursively, as deep as the deepest program allowed.)
                .stack_size(crate::cli::STACK_BYTES)
                .spawn_scoped(s, || Nodes::new(defs, decisions, warnings, slots, folded));
            match made {
                Ok(thread) => match thread.join() {
                    Ok(nodes) => nodes,
                    // A defect in making them: as if made here.
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(_) => Nodes::new(defs, decisions, warnings, slots, folded),
            }
        })
    }

    /// Lowers (`check::lower`) and compiles every def and decision, and the
    /// list operations explanations evaluate whole (`slots`: how many
    /// expression slots the program numbered); for the program the code
    /// in `shipped.rs` was generated for (the same fingerprint, `gen.rs`),
    /// its defs and decisions are that code's functions instead.
    fn new(
        defs: &[DefDef],
        decisions: &[DecisionDef],
        warnings: &[WarningDef],
        slots: usize,
        folded: &super::gen::Folded,
    ) -> Nodes {
        let survey = super::gen::survey(defs, decisions, warnings, folded);
        let generated = survey.fingerprint == shipped::FINGERPRINT
            && shipped::DEFS.len() == defs.len()
            && shipped::DECISIONS.len() == decisions.len();
        if generated {
            Nodes::from_generated(defs, decisions, slots, survey)
        } else {
            Nodes::compiled(defs, decisions, slots)
        }
    }

    /// A program's nodes, never the generated code (`slots`: as for
    /// [`Nodes::new_apart`]): what every program but the shipped one runs,
    /// for the tests that compare the two on the shipped law.
    pub fn without_generated_code(
        defs: &[DefDef],
        decisions: &[DecisionDef],
        slots: usize,
    ) -> Nodes {
        Nodes::compiled(defs, decisions, slots)
    }

    /// Whether the code generated for the program runs (else its nodes).
    pub fn generated(&self) -> bool {
        self.0.generated
    }

    /// The nodes of a program the generated code was not made for.
    fn compiled(defs: &[DefDef], decisions: &[DecisionDef], slots: usize) -> Nodes {
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
                validity: rule_in_force(r),
                overrides: overrides(r),
            }
        };
        let decision = |d: &DecisionDef| Decision {
            rules: (d.rules.len() <= 64).then(|| d.rules.iter().map(rule).collect()),
            default: d.default.as_ref().map(compiled),
            ..shape(d)
        };
        let list_operations = list_operations(defs, decisions, slots);
        Nodes(Arc::new(Compiled {
            defs: defs.iter().map(|d| compiled(&d.body)).collect(),
            decisions: decisions.iter().map(decision).collect(),
            list_operations,
            literals: Vec::new(),
            generated: false,
        }))
    }

    /// The program's defs and decisions as the generated code computes
    /// them (`shipped.rs`, made for this program: its fingerprint is
    /// `survey`'s), and its list operations as nodes, which explanations
    /// evaluate whole.
    fn from_generated(
        defs: &[DefDef],
        decisions: &[DecisionDef],
        slots: usize,
        survey: super::gen::Survey,
    ) -> Nodes {
        let gen = |g: Gen| -> N { Box::new(g) };
        let decision = |(k, d): (usize, &DecisionDef)| Decision {
            generated: Some(
                shipped::DECISIONS
                    .get(k)
                    .copied()
                    .unwrap_or(|_| Err(GiveUp)),
            ),
            ..shape(d)
        };
        Nodes(Arc::new(Compiled {
            defs: (0..defs.len())
                .map(|i| match shipped::DEFS.get(i) {
                    Some(run) => gen(Gen(*run)),
                    None => gen(Gen(|_| Err(GiveUp))),
                })
                .collect(),
            decisions: decisions.iter().enumerate().map(decision).collect(),
            list_operations: list_operations(defs, decisions, slots),
            literals: survey.literals,
            generated: true,
        }))
    }

    /// A literal the generated code reads in place.
    #[inline(always)]
    pub(super) fn literal(&self, i: usize) -> Option<&Value> {
        self.0.literals.get(i)
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

/// A decision's dates, policy and the like, as resolving it needs them
/// (its rules and default none).
fn shape(d: &DecisionDef) -> Decision {
    Decision {
        validity: InForce::of(&d.validity),
        applies: d.applies.iter().map(|a| a.def).collect(),
        policy: d.policy,
        stop_early: d.policy == Policy::First && !d.has_exceptions,
        has_exceptions: d.has_exceptions,
        rules_dated: d.rules.iter().any(|r| r.own_validity),
        rules: None,
        default: None,
        generated: None,
    }
}

/// A rule's own dates in force, if it has any (else always: its
/// decision's are checked first).
fn rule_in_force(r: &RuleDef) -> InForce {
    if r.own_validity {
        InForce::of(&r.validity)
    } else {
        InForce::ALWAYS
    }
}

/// The rules a rule sets aside, as bits.
fn overrides(r: &RuleDef) -> u64 {
    r.overrides
        .iter()
        .filter(|i| **i < 64)
        .fold(0, |bits, i| bits | 1 << i)
}

/// The list operations an explanation evaluates whole, compiled, by slot
/// (see [`Nodes::list_operation`]).
fn list_operations(defs: &[DefDef], decisions: &[DecisionDef], slots: usize) -> Vec<Option<N>> {
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
                *place = Some(compile(&lower(n)));
            }
        });
    }
    list_operations
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
        ops::input(f, self.0)
    }
}

impl Arg for Field {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        ops::input_fields(f, self.0, std::slice::from_ref(&self.1))
    }
}

impl Arg for Fields {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        ops::input_fields(f, self.0, &self.1)
    }
}

impl Arg for Local {
    #[inline(always)]
    fn read<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        ops::local(f, self.0, &self.1)
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
        ops::decision(f, self.0)
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
        Op::Path { input, fields, .. } => match **fields {
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
        Op::Determined(id) => Box::new(Determined(*id)),
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
        ops::not(self.0.read(f))
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        ops::not_truth(self.0.read(f))
    }
}

/// `determined(d)`: whether the decision has a value for the case.
#[derive(Debug)]
struct Determined(DecisionId);
impl Node for Determined {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        ops::determined(f.decision(self.0))
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
        ops::known(self.0.read(f))
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
        ops::exists(self.a.read(f), self.negated)
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        ops::exists_truth(self.a.read(f), self.negated)
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
        ops::is_enum(self.a.read(f), self.of, self.variant, self.negated)
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        ops::is_enum_truth(self.a.read(f), self.of, self.variant, self.negated)
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
        ops::in_enums_truth(self.a.read(f), self.of, self.bits, self.negated)
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
        let x = self.a.read(f);
        ops::compare(f, self.cmp, x, Ok(of(&self.lit)))
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        // (A date against a date, `lodged_on >= 2026-06-12`, compared
        // in place.)
        let x = self.a.read(f);
        ops::compare_truth(f, self.cmp, x, Ok(of(&self.lit)))
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
        let y = self.b.read(f);
        ops::compare(f, self.cmp, x, y)
    }

    fn truth<'a>(&'a self, f: &mut Fast<'a>) -> Truth {
        let x = self.a.read(f);
        let y = self.b.read(f);
        ops::compare_truth(f, self.cmp, x, y)
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
            t => worst = ops::worse(worst, t),
        }
    }
    worst
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
        let on = self.on.run(f);
        ops::param_on(f, self.param, on)
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
        let x = self.item.run(f);
        let l = self.list.run(f);
        ops::in_list(f, x, l, self.negated)
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
        let x = self.a.run(f);
        let y = self.b.run(f);
        ops::arith(f, self.arith, x, y)
    }
}

#[derive(Debug)]
struct Neg(N);
impl Node for Neg {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let v = self.0.run(f);
        ops::neg(f, v)
    }
}

/// `if c then a else b`: where `c` is unknown, the value both branches
/// agree on.
#[derive(Debug)]
struct If([N; 3]);
impl Node for If {
    fn run<'a>(&'a self, f: &mut Fast<'a>) -> R<'a> {
        let [c, a, b] = &self.0;
        let c = c.truth(f);
        ops::if_then_else(f, c, |f| a.run(f), |f| b.run(f))
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
            let r = op.run(f);
            if !ops::list_item(&mut values, &mut unknown, r) {
                return Err(GiveUp);
            }
        }
        ops::list_of(f, values, unknown)
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
        let x = self.a.run(f);
        let y = self.b.run(f);
        ops::dates(x, y, self.of)
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
        let at = self.event.run(f);
        let p = self.period.run(f);
        ops::deadline_from(f, at, p, self.calendar, self.computation)
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
        let event = self.event.read(f);
        ops::deadline_on(f, event, self.param, self.calendar, self.computation)
    }
}

/// The param `period` is the version of on the day `event`
/// (`p(on: event)`), if it is that.
pub(super) fn param_on(period: &Op, event: &Op) -> Option<ParamId> {
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
            Op::Path { input, fields, .. },
            Op::Path {
                input: i,
                fields: f,
                ..
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
        let anchor = self.anchor.run(f);
        let p = self.period.run(f);
        ops::deadline_before(f, anchor, p)
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
        let list = self.list.run(f);
        let (body, local) = (&*self.body, self.local);
        match self.kind {
            QuantKind::Sum | QuantKind::Min | QuantKind::Max => {
                ops::valued(f, self.kind, list, body, local)
            }
            QuantKind::First => ops::first(f, list, local, |f| body.truth(f), &self.keys),
            kind @ (QuantKind::Any | QuantKind::All | QuantKind::Count | QuantKind::Those) => {
                ops::tested(f, kind, list, local, |f| body.truth(f))
            }
        }
    }
}
