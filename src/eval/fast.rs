//! Evaluation without explanations, for complete files: the lowered program
//! (`check::lower`), compiled into nodes (`nodes.rs`), run over small values
//! that are copied, not cloned
//! (true/false, integers, dates and enum values inline, in 16 bytes; every
//! other value borrowed where it is, in the record or the rules, or kept
//! aside for the case where it was computed).
//!
//! It computes exactly what [`Evaluation`](super::Evaluation) computes, or
//! gives up: it knows unknowns (a fact absent from the record) only as far
//! as `known`, `exists`, `if` and Kleene's `and`/`or` settle them, and no
//! errors at all. Wherever an outcome would be unknown, an error or a
//! conflict, it stops (`Stop::GiveUp`) and the case is evaluated by the
//! general evaluator, which says what is missing and why. Giving up is
//! always safe; so every shortcut here is one that gives up where the
//! general evaluator's answer could differ. `lsa test` compares the two on
//! every case it runs (`expect::run_test`), and a property test
//! (`tests/lsa/robustness.rs`) on random records, complete or not.
//!
//! The shipped law's defs and decisions run as Rust generated for them
//! (`gen.rs` writes `shipped.rs`), calling what each operation means
//! (`ops.rs`) as the nodes do; every other program runs the nodes, and a
//! property test (`tests/lsa/generated.rs`) compares the two.

mod gen;
mod nodes;
mod ops;
#[rustfmt::skip]
mod shipped;

use std::cmp::Ordering;

use jiff::civil::Date;
use smallvec::SmallVec;

use super::{By, Outcome, Reason};
use crate::check::ir::*;
use crate::check::lower::{Kind, Op};
use crate::syntax::ast::{Policy, QuantKind};
use crate::time;
use crate::value::{EnumId, Money, Period, Slot, Value};

/// Why an expression has no value here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// A fact the record does not give: what the general evaluator calls
    /// unknown, exactly.
    Unknown,
    /// Anything else (an error, or something not kept here): the case goes
    /// to the general evaluator.
    GiveUp,
}

use Stop::{GiveUp, Unknown};

pub use gen::generate;
pub use nodes::Nodes;
use nodes::Truth;

type R<'a> = Result<V<'a>, Stop>;

/// A version of a time limit's period as the generated code has it (see
/// `gen::Folded`): its first day as a day number, its unit and amount.
type Version = (i32, time::DurationUnit, i64);

/// A time limit of a param's period in force on its event's day, as the
/// generated code writes it (`ops::deadline_folded`).
struct Limit {
    /// The param's versions, the latest first (the one in force on a day
    /// is the first that has begun, as `eval::param_version` picks it).
    versions: &'static [Version],
    /// What the computation rule's clauses ask of the last day.
    rule: time::PlainRule,
    param: ParamId,
    calendar: CalendarId,
    computation: ComputationId,
}

/// A param whose every version is a list of texts, as the generated code
/// writes it where a text is looked for in it (`ops::text_in_codes`): its
/// versions, the latest first, each its first day as a day number and its
/// texts.
struct Codes {
    versions: &'static [(i32, &'static [&'static str])],
    param: ParamId,
}

/// Whether two texts are the same, compared as bytes: the length and the
/// first byte first (codes of one length mostly differ there, and the
/// comparison of the rest is a call).
#[inline(always)]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a == b
}

/// Giving up where a decision does it for a rule's condition or its
/// `applies` (the generated code's, `gen.rs`, and the nodes', `resolve`),
/// and where a record's value is read ([`fields_of`]): a call the compiler
/// takes as rarely made, so that the code of the case that goes on is laid
/// out first and keeps its registers (13,356 → 12,900 instructions a case,
/// 3–5 % less time, for the decisions; with [`absent`], 12,900 → 12,471,
/// 2–3 % less, for the reads; eleventh session).
#[cold]
#[inline(never)]
fn gave_up() -> Stop {
    GiveUp
}

/// A field (or an input) the record does not give: unknown, by a cold
/// call as [`gave_up`] (rare where it matters for speed: a complete file).
#[cold]
#[inline(never)]
fn absent() -> Stop {
    Unknown
}

/// A value, copied: 16 bytes (with decimals, money and periods inline it
/// took 24: 44.5 k → 43.7 k instructions per case at 16). A function hands
/// back an `R` through memory, not in registers (a `Result` of an enum
/// never comes back in two registers on this compiler; docs/performance.md),
/// so what matters is how it is laid out there:
///
/// Its kind a whole 64-bit word and every kind's contents after it, at the
/// same place (`repr(u64)`): laid out by the compiler, the kind was a byte
/// and each kind's contents where they fitted (a date two bytes in, an
/// integer eight), so a value made in memory in parts (the kind, then the
/// contents) and then copied whole (as a decision's value into its memo,
/// or out of a `Result` that a function handed back) was read across two
/// narrower writes it had just made, and waited for them to reach the
/// cache (a store-forwarding stall, seen by `perf` on the copying
/// instructions). With this layout: 8,849 → 8,686 instructions a case and
/// 1,385 → 1,222 ns (−12 %, medians of nine interleaved runs of the
/// evaluation loop; nineteenth session). Still 16 bytes, as is `R`, a
/// `Result` of it (asserted below).
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
enum V<'a> {
    B(bool),
    I(i64),
    D(Date),
    E(EnumId, u32),
    N,
    /// Any other value where it is (the record, or the rules).
    Ref(&'a Value),
    /// A list computed for this case: its index in [`Fast::lists`].
    L(u32),
    /// Any other value computed for this case (a sum of decimals, a period
    /// worked out): its index in [`Fast::owned`].
    X(u32),
}

const _: () = assert!(std::mem::size_of::<R>() == 16 && std::mem::size_of::<Option<R>>() == 16);

fn of(v: &Value) -> V<'_> {
    match v {
        Value::Bool(b) => V::B(*b),
        Value::Integer(i) => V::I(*i),
        Value::Date(d) => V::D(*d),
        Value::Enum(id, v) => V::E(*id, *v),
        Value::None => V::N,
        _ => V::Ref(v),
    }
}

/// `a == b` where it is plain: values of the same inline kind, and two
/// values in place that are not lists (a list and an integer never are);
/// `None` for the rest, which [`Fast::equal`] compares as values.
fn equal_plain(a: V, b: V) -> Option<bool> {
    Some(match (a, b) {
        (V::B(x), V::B(y)) => x == y,
        (V::I(x), V::I(y)) => x == y,
        (V::D(x), V::D(y)) => x == y,
        (V::E(i, x), V::E(j, y)) => i == j && x == y,
        (V::N, V::N) => true,
        (V::Ref(Value::List(_)), _) | (_, V::Ref(Value::List(_))) => return None,
        (V::Ref(x), V::Ref(y)) => x == y,
        _ => return None,
    })
}

/// Both operands' values: giving up wins, then unknown (as the general
/// evaluator has errors win over unknowns).
#[inline(always)]
fn both<'a>(a: R<'a>, b: R<'a>) -> Result<(V<'a>, V<'a>), Stop> {
    match (a, b) {
        (Ok(x), Ok(y)) => Ok((x, y)),
        (Err(GiveUp), _) | (_, Err(GiveUp)) => Err(GiveUp),
        _ => Err(Unknown),
    }
}

/// The value at `fields` below `v` (none below a record known not to exist).
fn fields_of<'a>(mut v: &'a Value, fields: &[u32]) -> R<'a> {
    for &f in fields {
        v = match v {
            Value::Record(r) => match r.get(f as usize) {
                Some(Slot::Value(v)) => v,
                _ => return Err(absent()),
            },
            Value::None => return Ok(V::N),
            _ => return Err(gave_up()),
        };
    }
    Ok(of(v))
}

/// The field `field` of a record value (none for a record known not to exist).
fn field(v: V<'_>, field: u32) -> R<'_> {
    match v {
        V::Ref(v) => fields_of(v, &[field]),
        V::N => Ok(V::N),
        _ => Err(GiveUp),
    }
}

/// A decision's outcome here.
#[derive(Clone, Copy, Debug)]
enum Decided<'a> {
    /// The value, and what gave it: the rule as one bit, for `collect`
    /// every rule applied, as bits; `None` for the default.
    Value(V<'a>, Option<u64>),
    Not(Reason),
}

/// The items of a list, borrowed: one of the record or the rules, or one
/// computed for the case.
enum List<'s, 'a> {
    Read(&'a [Value]),
    Kept(&'s [V<'a>]),
}

impl<'a> List<'_, 'a> {
    fn len(&self) -> usize {
        match self {
            List::Read(items) => items.len(),
            List::Kept(items) => items.len(),
        }
    }

    fn get(&self, i: usize) -> Option<V<'a>> {
        match self {
            List::Read(items) => items.get(i).map(of),
            List::Kept(items) => items.get(i).copied(),
        }
    }
}

/// The most items the list operations of one case go through here (the
/// general evaluator allows more, and says when there are too many).
const MAX_ITEMS: u64 = 100_000;

/// How many inputs' fields [`Fast::records`] holds (the shipped law has
/// five inputs; one beyond these is read through the record). Each is two
/// words of the evaluation, which `lsa batch` hands on whole for each case.
const RECORDS: usize = 5;

/// One case's evaluation (its memory taken from this thread's spare
/// memory, and given back by [`Fast::recycle`]).
pub(super) struct Fast<'a> {
    program: &'a Program,
    inputs: &'a [Slot],
    /// The fields of each of the first [`RECORDS`] inputs that is a record
    /// given in the case (else none): found once a case, for the reads of
    /// the generated code (`ops::input_fields`), which read most fields
    /// straight below an input.
    records: [&'a [Slot]; RECORDS],
    as_of: Date,
    /// `as_of` as a day number (`time::day_number`).
    as_of_day: i32,
    defs: Vec<Option<R<'a>>>,
    /// The truths of the defs the generated code reads as truths (see
    /// [`Fast::truth_by`]), by def: `None` not yet known. One byte each
    /// (`None` is the byte no truth is), with no lifetime: kept from case
    /// to case and emptied by filling, where the values above are made anew.
    truths: Vec<Option<Truth>>,
    decisions: Vec<Option<Result<Decided<'a>, Stop>>>,
    /// The values of the list variables of the quantifiers being
    /// evaluated, by depth from `local_base`.
    /// (A `Vec`, not a `SmallVec`: read at every list variable, and a
    /// `SmallVec` asks where its items are at each read.)
    locals: Vec<V<'a>>,
    local_base: usize,
    /// Lists computed for this case (`those`, `collect`, lists written with
    /// expressions), read through [`V::L`].
    lists: Vec<SmallVec<[V<'a>; 4]>>,
    /// Values computed for this case that are not inline, read through
    /// [`V::X`].
    owned: Vec<Value>,
    /// Items gone through by list operations so far (see [`MAX_ITEMS`]).
    items: u64,
}

/// Every decision's outcome for one case, or `None` where the general
/// evaluator must decide (see the module's documentation); and the
/// warnings its facts raise (by index in `Program::warnings`), or `None`
/// where the general evaluator must say which (a warning's condition it
/// gives up on leaves the outcomes decided here).
pub fn outcomes(program: &Program, inputs: &[Slot], as_of: Date) -> Option<super::Results> {
    let mut case = decide(program, inputs, as_of)?;
    let warned = case.warned.take();
    Some((case.outcomes(), warned))
}

/// Every decision of one case decided here, or `None` where the general
/// evaluator must decide (see the module's documentation): the outcomes
/// left where the evaluation keeps them, read in place by [`DecidedCase::look`]
/// (what `lsa batch` writes from, without making an [`Outcome`] of each).
pub fn decide<'a>(
    program: &'a Program,
    inputs: &'a [Slot],
    as_of: Date,
) -> Option<DecidedCase<'a>> {
    let mut case = DecidedCase::new(program, inputs, as_of);
    case.decide().then_some(case)
}

/// Whether a warning whose condition has the truth `t` is raised (true;
/// unknown is not), or `None` where the general evaluator must say.
#[inline(always)]
fn raised(t: Truth) -> Option<bool> {
    match t {
        Truth::True => Some(true),
        Truth::False | Truth::Unknown => Some(false),
        Truth::GiveUp => None,
    }
}

/// One case's outcomes as [`decide`] left them (its memory given back to
/// the thread's spare memory when dropped).
pub struct DecidedCase<'a> {
    fast: Fast<'a>,
    /// The warnings raised (by index in `Program::warnings`), or `None`
    /// where the general evaluator must say which.
    pub warned: Option<Vec<u32>>,
}

/// An outcome decided here, as [`DecidedCase::look`] shows it.
#[derive(Clone, Copy)]
pub enum Look<'v, 'a> {
    /// No value, and why.
    Not(Reason),
    /// A value, and what gave it.
    Value(Shown<'v, 'a>, Given),
}

/// What gave an outcome decided here its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    /// A rule, by index.
    Rule(usize),
    /// `collect`: every rule that applied, as bits (rule `i` as `1 << i`).
    Rules(u64),
    Default,
}

impl Given {
    /// The rules of [`Given::Rules`], by index, in order.
    pub fn rules(bits: u64) -> impl Iterator<Item = usize> + Clone {
        rules_of(bits)
    }
}

/// A value decided here: true/false, integers, dates and enum values as
/// they are, a list computed for the case by its items, any other where it
/// is kept (in the record, the rules, or aside for the case).
#[derive(Clone, Copy)]
pub enum Shown<'v, 'a> {
    Bool(bool),
    Integer(i64),
    Date(Date),
    Enum(EnumId, u32),
    None,
    List(Items<'v, 'a>),
    At(&'v Value),
}

/// The items of a list computed for a case ([`Shown::List`]).
#[derive(Clone, Copy)]
pub struct Items<'v, 'a> {
    items: &'v [V<'a>],
    fast: &'v Fast<'a>,
}

impl<'v, 'a> Items<'v, 'a> {
    /// Each item, in order.
    pub fn iter(self) -> impl Iterator<Item = Shown<'v, 'a>> {
        self.items.iter().map(move |v| shown(self.fast, *v))
    }
}

/// How `v` is shown outside.
fn shown<'v, 'a>(fast: &'v Fast<'a>, v: V<'a>) -> Shown<'v, 'a> {
    match v {
        V::B(b) => Shown::Bool(b),
        V::I(i) => Shown::Integer(i),
        V::D(d) => Shown::Date(d),
        V::E(e, i) => Shown::Enum(e, i),
        V::N => Shown::None,
        V::Ref(x) => Shown::At(x),
        V::X(i) => fast.owned.get(i as usize).map_or(Shown::None, Shown::At),
        V::L(i) => Shown::List(Items {
            items: fast.lists.get(i as usize).map_or(&[], |l| &l[..]),
            fast,
        }),
    }
}

impl<'a> DecidedCase<'a> {
    /// A case to decide ([`DecidedCase::decide`]) where it is made: the
    /// evaluation is a few hundred bytes, which [`decide`] handing it back
    /// copies (`explain::evaluated` makes it inside what it hands back and
    /// decides it there: two copies fewer a case).
    #[inline(always)]
    pub fn new(program: &'a Program, inputs: &'a [Slot], as_of: Date) -> DecidedCase<'a> {
        DecidedCase {
            fast: Fast::new(program, inputs, as_of),
            warned: None,
        }
    }

    /// Decides every decision, and finds the warnings raised (see
    /// [`decide`]): false where the general evaluator must decide the case.
    /// Once for a case: the generated code decides most decisions without
    /// a look at the memo (`Fast::decide_fresh`).
    pub fn decide(&mut self) -> bool {
        let fast = &mut self.fast;
        let program = fast.program;
        let decided = if program.fast.generated() {
            shipped::decide_all(fast)
        } else {
            (0..program.decisions.len())
                .try_for_each(|i| fast.decision(DecisionId(i as u32)).map(drop))
        };
        if decided.is_err() {
            return false;
        }
        self.warned = fast.warned();
        true
    }

    /// The record the case was decided on.
    pub fn inputs(&self) -> &'a [Slot] {
        self.fast.inputs
    }

    /// The date it was decided on.
    pub fn as_of(&self) -> Date {
        self.fast.as_of
    }

    /// The outcome of the `n`-th decision (`None`: no such one).
    #[inline(always)]
    pub fn look(&self, n: usize) -> Option<Look<'_, 'a>> {
        let Some(Some(Ok(decided))) = self.fast.decisions.get(n) else {
            return None;
        };
        Some(match *decided {
            Decided::Not(reason) => Look::Not(reason),
            Decided::Value(v, by) => Look::Value(shown(&self.fast, v), self.fast.given(n, by)),
        })
    }

    /// Every decision's outcome ([`DecidedCase::look`]), in order.
    pub fn looks(&self) -> impl Iterator<Item = Look<'_, 'a>> {
        (0..self.fast.decisions.len()).map_while(|n| self.look(n))
    }

    /// Every outcome made whole, as the general evaluator gives them.
    pub fn outcomes(&self) -> Vec<(DecisionId, Outcome)> {
        let mut out = Vec::with_capacity(self.fast.decisions.len());
        for (n, d) in self.fast.decisions.iter().enumerate() {
            if let Some(Ok(decided)) = d {
                let outcome = match *decided {
                    Decided::Not(reason) => Outcome::Undetermined { reason },
                    Decided::Value(v, by) => self.fast.outcome(n, v, by),
                };
                out.push((DecisionId(n as u32), outcome));
            }
        }
        out
    }
}

impl Drop for DecidedCase<'_> {
    fn drop(&mut self) {
        self.fast.give_back();
    }
}

/// A decision's outcome where no rule gives it: its default's value,
/// where it has one.
#[inline(always)]
fn by_default<'a>(
    f: &mut Fast<'a>,
    default: Option<impl FnOnce(&mut Fast<'a>) -> R<'a>>,
) -> Result<Decided<'a>, Stop> {
    match default {
        Some(run) => match run(f) {
            Ok(v) => Ok(Decided::Value(v, None)),
            Err(_) => Err(GiveUp),
        },
        None => Ok(Decided::Not(Reason::NoRule)),
    }
}

/// The indices of the bits set in `bits`, lowest first.
fn rules_of(bits: u64) -> impl Iterator<Item = usize> + Clone {
    std::iter::successors(Some(bits), |bits| Some(bits & bits.wrapping_sub(1)))
        .take_while(|bits| *bits != 0)
        .map(|bits| bits.trailing_zeros() as usize)
}

/// The memos' memory between cases (moved in and out a vector at a time:
/// a tuple of them taken and put back whole cost two copies of its 144
/// bytes and the drop of the empty one, ~110 instructions a case).
#[derive(Default)]
struct Spare {
    defs: Vec<Option<R<'static>>>,
    decisions: Vec<Option<Result<Decided<'static>, Stop>>>,
    lists: Vec<SmallVec<[V<'static>; 4]>>,
    owned: Vec<Value>,
    locals: Vec<V<'static>>,
    truths: Vec<Option<Truth>>,
}

thread_local! {
    /// The memos' memory, kept for this thread's next case.
    static SPARE: std::cell::RefCell<Spare> = const {
        std::cell::RefCell::new(Spare {
            defs: Vec::new(),
            decisions: Vec::new(),
            lists: Vec::new(),
            owned: Vec::new(),
            locals: Vec::new(),
            truths: Vec::new(),
        })
    };
}

/// The memory of `v`, emptied, for values of another lifetime (collected
/// in place, which the standard library does for items of one size).
fn emptied<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl<'a> Fast<'a> {
    /// A fresh evaluation of one case.
    #[inline]
    pub(super) fn new(program: &'a Program, inputs: &'a [Slot], as_of: Date) -> Fast<'a> {
        let Spare {
            defs,
            decisions,
            lists,
            mut owned,
            locals,
            mut truths,
        } = SPARE
            .try_with(|s| match s.try_borrow_mut() {
                Ok(mut s) => Spare {
                    defs: std::mem::take(&mut s.defs),
                    decisions: std::mem::take(&mut s.decisions),
                    lists: std::mem::take(&mut s.lists),
                    owned: std::mem::take(&mut s.owned),
                    locals: std::mem::take(&mut s.locals),
                    truths: std::mem::take(&mut s.truths),
                },
                Err(_) => Spare::default(),
            })
            .unwrap_or_default();
        owned.clear();
        truths.clear();
        // (After the defs', the truths of the generated code's sets of
        // `applies` lines: unused by other rules.)
        truths.resize(program.defs.len() + shipped::APPLIES_SETS, None);
        let mut records: [&'a [Slot]; RECORDS] = [&[]; RECORDS];
        for (fields, input) in records.iter_mut().zip(inputs) {
            if let Slot::Value(Value::Record(r)) = input {
                *fields = r;
            }
        }
        let mut defs = emptied(defs);
        defs.resize(program.defs.len(), None);
        let mut decisions = emptied(decisions);
        decisions.resize(program.decisions.len(), None);
        // (Made whole in one expression, where it is wanted: not made and
        // then copied there.)
        Fast {
            program,
            inputs,
            records,
            as_of,
            as_of_day: time::day_number(as_of),
            defs,
            truths,
            decisions,
            locals: emptied(locals),
            local_base: 0,
            lists: emptied(lists),
            owned,
            items: 0,
        }
    }

    /// Gives the memory back to this thread's spare memory, for the next
    /// case (whether this one was decided here or not).
    #[inline]
    pub(super) fn recycle(mut self) {
        self.give_back();
    }

    /// [`Fast::recycle`] where the evaluation is not given up whole (its
    /// memory taken, leaving it empty).
    fn give_back(&mut self) {
        let _ = SPARE.try_with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                s.defs = emptied(std::mem::take(&mut self.defs));
                s.decisions = emptied(std::mem::take(&mut self.decisions));
                s.lists = emptied(std::mem::take(&mut self.lists));
                s.owned = std::mem::take(&mut self.owned);
                s.locals = emptied(std::mem::take(&mut self.locals));
                s.truths = std::mem::take(&mut self.truths);
            }
        });
    }

    /// The value of the list operation an explanation evaluates whole at
    /// `slot` (see [`Nodes::list_operation`]), or `None` where the general
    /// evaluator must say (an unknown, an error, or no such operation).
    /// What it reads (defs, decisions) is kept for the case's next one.
    pub(super) fn list_operation(&mut self, slot: u32) -> Option<Value> {
        let program: &'a Program = self.program;
        let node = program.fast.list_operation(slot)?;
        let v = node.run(self).ok()?;
        Some(self.value(v))
    }

    /// The outcome of the `n`-th decision, decided here with the value `v`
    /// given by the rules `by` (see [`Decided::Value`]), made whole.
    fn outcome(&self, n: usize, v: V<'a>, by: Option<u64>) -> Outcome {
        Outcome::Determined {
            value: self.value(v),
            by: match self.given(n, by) {
                Given::Rule(i) => By::Rule(i),
                Given::Rules(bits) => By::Rules(rules_of(bits).collect()),
                Given::Default => By::Default,
            },
        }
    }

    /// What gave the `n`-th decision its value, from the rules that did as
    /// bits (`None`: the default).
    #[inline(always)]
    fn given(&self, n: usize, by: Option<u64>) -> Given {
        match by {
            None => Given::Default,
            Some(bits)
                if self
                    .program
                    .decisions
                    .get(n)
                    .is_some_and(|d| d.policy == Policy::Collect) =>
            {
                Given::Rules(bits)
            }
            Some(bits) => Given::Rule(bits.trailing_zeros() as usize),
        }
    }

    /// The warnings whose condition is true for this case (unknown is
    /// not), or `None` where the general evaluator must say.
    pub(super) fn warned(&mut self) -> Option<Vec<u32>> {
        let program: &'a Program = self.program;
        let mut warned = Vec::new();
        if program.fast.generated() {
            shipped::warned_all(self, &mut warned)?;
            return Some(warned);
        }
        for (k, w) in program.warnings.iter().enumerate() {
            if self.warning(w)? {
                warned.push(k as u32);
            }
        }
        Some(warned)
    }

    /// Takes a decision's outcome as the general evaluator found it, where
    /// this evaluation has not decided it yet, so that what reads it next
    /// (a warning of an explained case) does not decide it, and all it
    /// reads, again. An outcome it could not have (unknown, an error, a
    /// value not kept here) is left for it to find.
    pub(super) fn know_decision(&mut self, id: DecisionId, outcome: &Outcome) {
        if !matches!(self.decisions.get(id.index()), Some(None)) {
            return;
        }
        let bit = |i: usize| (i < 64).then(|| 1u64 << i);
        let known = match outcome {
            Outcome::Determined { value, by } => {
                let Ok(v) = self.own(value.clone()) else {
                    return;
                };
                let by = match by {
                    By::Default => None,
                    By::Rule(i) => match bit(*i) {
                        Some(b) => Some(b),
                        None => return,
                    },
                    By::Rules(rules) => {
                        match rules.iter().try_fold(0, |bits, i| Some(bits | bit(*i)?)) {
                            Some(bits) => Some(bits),
                            None => return,
                        }
                    }
                };
                Decided::Value(v, by)
            }
            Outcome::Undetermined { reason } => Decided::Not(*reason),
            Outcome::Unknown { .. } | Outcome::Error { .. } | Outcome::Conflict { .. } => return,
        };
        if let Some(slot) = self.decisions.get_mut(id.index()) {
            *slot = Some(Ok(known));
        }
    }

    /// Whether a warning is raised (its condition true; unknown is not),
    /// or `None` where the general evaluator must say.
    pub(super) fn warning(&mut self, w: &WarningDef) -> Option<bool> {
        let program: &'a Program = self.program;
        // Its condition asked for a truth in place, not through the defs'
        // memo (rules seldom read a warning; one that did has the same
        // truth there). No list variable is bound here. (The generated
        // code asks the same of each warning's function: `raised`.)
        raised(program.fast.def(w.def)?.truth(self))
    }

    /// A value as the general evaluator has it.
    fn value(&self, v: V<'a>) -> Value {
        match v {
            V::B(b) => Value::Bool(b),
            V::I(i) => Value::Integer(i),
            V::D(d) => Value::Date(d),
            V::E(id, v) => Value::Enum(id, v),
            V::X(i) => self.owned.get(i as usize).cloned().unwrap_or(Value::None),
            V::N => Value::None,
            V::Ref(v) => v.clone(),
            V::L(i) => Value::List(
                self.lists
                    .get(i as usize)
                    .map(|items| items.iter().map(|v| self.value(*v)).collect())
                    .unwrap_or_default(),
            ),
        }
    }

    /// `a == b` as the general evaluator has it (`ops::equal`).
    fn equal(&self, a: V<'a>, b: V<'a>) -> bool {
        if let Some(eq) = equal_plain(a, b) {
            return eq;
        }
        // Two lists (`grounds != []`): item by item where they are, as
        // `Value`'s `==` compares them, instead of making a list value of
        // one computed here (an allocation, 2.2 a case).
        if let (Some(x), Some(y)) = (self.list(a), self.list(b)) {
            return x.len() == y.len()
                && (0..x.len()).all(|i| match (x.get(i), y.get(i)) {
                    (Some(p), Some(q)) => equal_plain(p, q)
                        .unwrap_or_else(|| self.with_value(p, |p| self.with_value(q, |q| p == q))),
                    _ => false,
                });
        }
        self.with_value(a, |x| self.with_value(b, |y| super::ops::equal(x, y)))
    }

    /// The items of a list value, borrowed where they are (`None`: not a
    /// list).
    fn list(&self, v: V<'a>) -> Option<List<'_, 'a>> {
        match v {
            V::Ref(Value::List(items)) => Some(List::Read(items)),
            V::L(i) => self.lists.get(i as usize).map(|items| List::Kept(items)),
            _ => None,
        }
    }

    /// The order of two values, as `value::order` has it.
    fn order(&self, a: V<'a>, b: V<'a>) -> Option<Ordering> {
        match (a, b) {
            (V::I(x), V::I(y)) => Some(x.cmp(&y)),
            (V::D(x), V::D(y)) => Some(x.cmp(&y)),
            _ => self.with_value(a, |x| self.with_value(b, |y| crate::value::order(x, y))),
        }
    }

    /// `f` of the value `v` stands for, borrowed where it is kept.
    fn with_value<T>(&self, v: V<'a>, f: impl FnOnce(&Value) -> T) -> T {
        match v {
            V::Ref(x) => f(x),
            V::X(i) => match self.owned.get(i as usize) {
                Some(x) => f(x),
                None => f(&Value::None),
            },
            v => f(&self.value(v)),
        }
    }

    /// A computed value, inline or kept aside (texts, lists and records
    /// are not computed here: giving up).
    fn own(&mut self, v: Value) -> R<'a> {
        match v {
            Value::Text(_) | Value::List(_) | Value::Record(_) => Err(GiveUp),
            Value::Bool(b) => Ok(V::B(b)),
            Value::Integer(i) => Ok(V::I(i)),
            Value::Date(d) => Ok(V::D(d)),
            Value::Enum(id, v) => Ok(V::E(id, v)),
            Value::None => Ok(V::N),
            v => {
                let i = u32::try_from(self.owned.len()).map_err(|_| GiveUp)?;
                self.owned.push(v);
                Ok(V::X(i))
            }
        }
    }

    /// The period `v` stands for, if it is one (read where it is: a value
    /// made inline is never one).
    #[inline]
    fn period(&self, v: V<'a>) -> Option<Period> {
        match v {
            V::Ref(Value::Duration(p)) => Some(*p),
            V::X(i) => match self.owned.get(i as usize) {
                Some(Value::Duration(p)) => Some(*p),
                _ => None,
            },
            _ => None,
        }
    }

    /// How many items a list value has (none has none).
    fn len(&self, list: V<'a>) -> Result<usize, Stop> {
        match list {
            V::N => Ok(0),
            list => Ok(self.list(list).ok_or(GiveUp)?.len()),
        }
    }

    /// Item `i` of a list value, read where it is (a list computed for
    /// the case is not copied out: the lists kept only grow while a case is
    /// evaluated, so its place holds while the items are gone through).
    fn item(&self, list: V<'a>, i: usize) -> Result<V<'a>, Stop> {
        self.list(list).and_then(|l| l.get(i)).ok_or(GiveUp)
    }

    fn keep(&mut self, items: SmallVec<[V<'a>; 4]>) -> R<'a> {
        let i = u32::try_from(self.lists.len()).map_err(|_| GiveUp)?;
        self.lists.push(items);
        Ok(V::L(i))
    }

    /// A literal the generated code reads where the program keeps it.
    #[inline(always)]
    fn literal(&self, i: usize) -> &'a Value {
        static NONE: Value = Value::None;
        let program: &'a Program = self.program;
        program.fast.literal(i).unwrap_or(&NONE)
    }

    #[inline(always)]
    fn def(&mut self, id: DefId) -> R<'a> {
        // (The same three lines as in `def_by` and `plain_def_by`: one
        // function taking the definer as a closure cost the generated code
        // 58 instructions a case.)
        match self.defs.get(id.index()) {
            Some(Some(r)) => *r,
            _ => self.define(id),
        }
    }

    /// [`Fast::def`] not yet known.
    #[inline(never)]
    fn define(&mut self, id: DefId) -> R<'a> {
        let program: &'a Program = self.program;
        let body = program.fast.def(id).ok_or(GiveUp)?;
        self.define_in(id, |f| body.run(f))
    }

    /// [`Fast::def`] where the generated code calls it: `body` the
    /// function generated for the def's body, called directly.
    #[inline(always)]
    fn def_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> R<'a>) -> R<'a> {
        match self.defs.get(id.index()) {
            Some(Some(r)) => *r,
            _ => self.define_by(id, body),
        }
    }

    /// [`Fast::def_by`] for a def whose body binds no list variable
    /// (none of its own to keep apart from those of the quantifiers it is
    /// read in).
    #[inline(always)]
    fn plain_def_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> R<'a>) -> R<'a> {
        match self.defs.get(id.index()) {
            Some(Some(r)) => *r,
            _ => self.define_plain_by(id, body),
        }
    }

    /// [`Fast::plain_def_by`] not yet known.
    #[inline(never)]
    fn define_plain_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> R<'a>) -> R<'a> {
        let r = body(self);
        self.keep_def(id, r)
    }

    /// [`Fast::def_by`] not yet known (one function for each def, with
    /// its body inlined).
    #[inline(never)]
    fn define_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> R<'a>) -> R<'a> {
        self.define_in(id, body)
    }

    /// [`Fast::def_by`] for a def whose body is a condition (`and`, `or`,
    /// `not`, `exists`, a comparison, a test of an enum value), read by the
    /// generated code as a truth: kept as one byte ([`Fast::truths`]) and
    /// handed back in a register, not as a value through memory. (The
    /// nodes read the same def through [`Fast::def`]: both compute the same.)
    #[inline(always)]
    fn truth_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> Truth) -> Truth {
        match self.truths.get(id.index()) {
            Some(&Some(t)) => t,
            _ => self.define_truth_by(id, body),
        }
    }

    /// [`Fast::truth_by`] for a def whose body binds no list variable (as
    /// [`Fast::plain_def_by`]).
    #[inline(always)]
    fn plain_truth_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> Truth) -> Truth {
        match self.truths.get(id.index()) {
            Some(&Some(t)) => t,
            _ => self.define_plain_truth_by(id, body),
        }
    }

    /// [`Fast::truth_by`] not yet known.
    #[inline(never)]
    fn define_truth_by(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> Truth) -> Truth {
        let t = self.apart(body);
        self.keep_truth(id, t)
    }

    /// [`Fast::plain_truth_by`] not yet known.
    #[inline(never)]
    fn define_plain_truth_by(
        &mut self,
        id: DefId,
        body: impl FnOnce(&mut Fast<'a>) -> Truth,
    ) -> Truth {
        let t = body(self);
        self.keep_truth(id, t)
    }

    #[inline(always)]
    fn keep_truth(&mut self, id: DefId, t: Truth) -> Truth {
        if let Some(slot) = self.truths.get_mut(id.index()) {
            *slot = Some(t);
        }
        t
    }

    /// `r`, kept as the def's value for the case.
    #[inline(always)]
    fn keep_def(&mut self, id: DefId, r: R<'a>) -> R<'a> {
        if let Some(slot) = self.defs.get_mut(id.index()) {
            *slot = Some(r);
        }
        r
    }

    /// A def's value by its body, kept for the case.
    #[inline(always)]
    fn define_in(&mut self, id: DefId, body: impl FnOnce(&mut Fast<'a>) -> R<'a>) -> R<'a> {
        let r = self.apart(body);
        self.keep_def(id, r)
    }

    /// A def's body evaluated with list variables of its own: numbered
    /// from where the list variables of the quantifiers it is evaluated
    /// in end.
    #[inline(always)]
    fn apart<T>(&mut self, body: impl FnOnce(&mut Fast<'a>) -> T) -> T {
        let outer = std::mem::replace(&mut self.local_base, self.locals.len());
        let t = body(self);
        self.locals.truncate(self.local_base);
        self.local_base = outer;
        t
    }

    #[inline(always)]
    fn decision(&mut self, id: DecisionId) -> Result<Decided<'a>, Stop> {
        match self.decisions.get(id.index()) {
            Some(Some(r)) => *r,
            _ => self.decide(id),
        }
    }

    /// [`Fast::decision`] where the generated code calls it: `resolve` the
    /// function generated for the decision, called directly.
    #[inline(always)]
    fn decision_by(
        &mut self,
        id: DecisionId,
        resolve: impl FnOnce(&mut Fast<'a>) -> Result<Decided<'a>, Stop>,
    ) -> Result<Decided<'a>, Stop> {
        match self.decisions.get(id.index()) {
            Some(Some(r)) => *r,
            _ => self.decide_by(id, resolve),
        }
    }

    /// A decision that is not yet decided where `decide_all` decides it
    /// (`resolve` its generated function, called directly; the generator
    /// finds which are, by what each decision may read): decided and kept,
    /// without looking at the memo first. (Were it decided before, it
    /// would be decided again, to the same outcome; the debug builds,
    /// which the tests run, check that it never is.)
    #[inline(always)]
    fn decide_fresh(
        &mut self,
        id: DecisionId,
        resolve: impl FnOnce(&mut Fast<'a>) -> Result<Decided<'a>, Stop>,
    ) -> Result<Decided<'a>, Stop> {
        debug_assert!(
            matches!(self.decisions.get(id.index()), Some(None)),
            "decision {} decided before its turn",
            id.0
        );
        let r = resolve(self);
        self.keep_decision(id, r)
    }

    /// `r`, kept as the decision's outcome for the case.
    #[inline(always)]
    fn keep_decision(
        &mut self,
        id: DecisionId,
        r: Result<Decided<'a>, Stop>,
    ) -> Result<Decided<'a>, Stop> {
        if let Some(slot) = self.decisions.get_mut(id.index()) {
            *slot = Some(r);
        }
        r
    }

    /// [`Fast::decision_by`] not yet known (one function for each
    /// decision, with its resolution inlined).
    #[inline(never)]
    fn decide_by(
        &mut self,
        id: DecisionId,
        resolve: impl FnOnce(&mut Fast<'a>) -> Result<Decided<'a>, Stop>,
    ) -> Result<Decided<'a>, Stop> {
        let r = resolve(self);
        self.keep_decision(id, r)
    }

    /// [`Fast::decision`] not yet known.
    #[inline(never)]
    fn decide(&mut self, id: DecisionId) -> Result<Decided<'a>, Stop> {
        let program: &'a Program = self.program;
        let r = match program.fast.decision(id) {
            Some(nodes::Decision {
                generated: Some(resolve),
                ..
            }) => resolve(self),
            Some(d) => self.resolve(d),
            None => Err(GiveUp),
        };
        self.keep_decision(id, r)
    }

    /// As `Evaluation::resolve_decision` on a case whose conditions are all
    /// true or false. (Kept out of [`Fast::decide`], so that a call of the
    /// generated code's function there saves and restores only what it
    /// needs: 250 instructions a case on the shipped law.)
    #[inline(never)]
    fn resolve(&mut self, d: &'a nodes::Decision) -> Result<Decided<'a>, Stop> {
        if !d.validity.contains(self.as_of_day) {
            return Ok(Decided::Not(Reason::NotInForce));
        }
        // Kleene's `and` of the lines: the first false one decides, then a
        // line the general evaluator must see, then one waiting on a fact.
        let mut open = None;
        for (k, &a) in d.applies.iter().enumerate() {
            match self.def(a) {
                Ok(V::B(true)) => {}
                Ok(V::B(false)) => return Ok(Decided::Not(Reason::NotApplicable(k as u8))),
                Err(Unknown) => open = open.or(Some(Unknown)),
                _ => open = Some(GiveUp),
            }
        }
        if let Some(stop) = open {
            return Err(stop);
        }
        let rules = d.rules.as_deref().ok_or(GiveUp)?;
        // Which rules apply, as bits: read as `in_order` reads them, and
        // set aside as `active` does (written again here over bits: the
        // shared functions over a list of flags cost this loop 12 %, and the
        // property test compares the two).
        let mut applies = 0u64;
        for (i, r) in rules.iter().enumerate() {
            if !d.rules_dated || r.validity.contains(self.as_of_day) {
                let truth = match r.when.truth(self) {
                    Truth::False => Truth::False,
                    first if r.and.is_empty() => first,
                    first => nodes::kleene_after(first, &r.and, false, self),
                };
                match truth {
                    Truth::True => {
                        applies |= 1 << i;
                        if d.stop_early {
                            break;
                        }
                    }
                    Truth::False => {}
                    Truth::Unknown | Truth::GiveUp => return Err(gave_up()),
                }
            }
        }
        // Set aside the rules an applying exception overrides.
        let mut active = applies;
        if d.has_exceptions {
            for k in rules_of(applies) {
                if let Some(r) = rules.get(k) {
                    active &= !r.overrides;
                }
            }
        }
        let default = d.default.as_ref().map(|n| move |f: &mut Fast<'a>| n.run(f));
        self.by_policy(d.policy, active, default, |f, i| match rules.get(i) {
            Some(r) => r.then.run(f),
            None => Err(GiveUp),
        })
    }

    /// A decision's outcome by its policy, `active` the rules that apply
    /// and are not set aside (as bits), `then` the value of a rule (by
    /// index), `default` the default's value where there is one: what
    /// [`Fast::resolve`] and the code generated for a decision both end
    /// with.
    #[inline(always)]
    fn by_policy(
        &mut self,
        policy: Policy,
        active: u64,
        default: Option<impl FnOnce(&mut Fast<'a>) -> R<'a>>,
        mut then: impl FnMut(&mut Fast<'a>, usize) -> R<'a>,
    ) -> Result<Decided<'a>, Stop> {
        match policy {
            Policy::First => match active.trailing_zeros() as usize {
                64 => by_default(self, default),
                i => Ok(Decided::Value(then(self, i)?, Some(1 << i))),
            },
            Policy::Unique => {
                let mut first: Option<(usize, V<'a>)> = None;
                for i in rules_of(active) {
                    let v = then(self, i)?;
                    match first {
                        None => first = Some((i, v)),
                        // A conflict (values compared as the general
                        // evaluator does, strictly): it says which rules.
                        Some((_, w)) if self.value(v) != self.value(w) => return Err(GiveUp),
                        Some(_) => {}
                    }
                }
                match first {
                    Some((i, v)) => Ok(Decided::Value(v, Some(1 << i))),
                    None => by_default(self, default),
                }
            }
            Policy::Collect => {
                if active == 0 && default.is_some() {
                    return by_default(self, default);
                }
                let mut values = SmallVec::new();
                for i in rules_of(active) {
                    values.push(then(self, i)?);
                }
                Ok(Decided::Value(self.keep(values)?, Some(active)))
            }
        }
    }

    fn param(&self, id: ParamId, on: Date) -> R<'a> {
        let program: &'a Program = self.program;
        super::param_version(program, id, on)
            .map(|(_, v)| of(v))
            .ok_or(GiveUp)
    }

    /// `x in p` for a param of texts folded as [`Codes`], on the as-of
    /// date: a text compared as bytes with the version in force (`None`
    /// where `x` is not a text or no version is in force, for the general
    /// way: [`Fast::in_list`] over [`Fast::param`]).
    #[inline(always)]
    fn text_in_codes(&self, x: V<'a>, codes: &Codes, negated: bool) -> Option<bool> {
        let V::Ref(Value::Text(s)) = x else {
            return None;
        };
        let (_, texts) = codes
            .versions
            .iter()
            .find(|(from, _)| *from <= self.as_of_day)?;
        let found = texts.iter().any(|t| same_text(t, s));
        Some(found != negated)
    }

    /// `x in l` (`not in`, `negated`).
    fn in_list(&self, x: V<'a>, l: V<'a>, negated: bool) -> R<'a> {
        // A text looked for in a list of texts in place (a param's codes,
        // `nationality in safe_countries_of_origin`): compared as bytes,
        // without the general equality's dispatch for each item (738 → 147
        // instructions a case for the eight codes, by callgrind over the
        // bench's cases). A text never equals a value of another kind, as
        // in `equal`.
        if let (V::Ref(Value::Text(s)), V::Ref(Value::List(items))) = (x, l) {
            let found = items
                .iter()
                .any(|v| matches!(v, Value::Text(t) if same_text(t, s)));
            return Ok(V::B(found != negated));
        }
        self.found_in(l, negated, |v| self.equal(x, of(v)), |v| self.equal(x, v))
    }

    /// Whether an item of the list `l` is the one looked for (`not`,
    /// `negated`): `read` tells an item of a list in the record, `kept` one
    /// of a list computed for the case; none has no items, anything else
    /// gives up.
    #[inline(always)]
    fn found_in(
        &self,
        l: V<'a>,
        negated: bool,
        read: impl Fn(&'a Value) -> bool,
        kept: impl Fn(V<'a>) -> bool,
    ) -> R<'a> {
        let found = match l {
            V::Ref(Value::List(items)) => items.iter().any(read),
            V::L(i) => {
                let items = self.lists.get(i as usize).ok_or(GiveUp)?;
                items.iter().any(|v| kept(*v))
            }
            V::N => false,
            _ => return Err(GiveUp),
        };
        Ok(V::B(found != negated))
    }

    /// `x + y` or `x - y`.
    fn arith(&mut self, arith: ArithOp, x: V<'a>, y: V<'a>) -> R<'a> {
        // A date and a period, added on day numbers.
        let date_and_period = match (arith, x, y) {
            (ArithOp::Add, V::D(d), p) | (ArithOp::Add, p, V::D(d)) => {
                self.period(p).map(|p| (d, p))
            }
            _ => None,
        };
        if let Some((d, p)) = date_and_period {
            return time::add_period(d, p).map(V::D).map_err(|_| GiveUp);
        }
        match (arith, x, y) {
            (ArithOp::Add, V::I(x), V::I(y)) => x.checked_add(y).map(V::I).ok_or(GiveUp),
            (ArithOp::Sub, V::I(x), V::I(y)) => x.checked_sub(y).map(V::I).ok_or(GiveUp),
            _ => match super::ops::arith(arith, &self.value(x), &self.value(y)) {
                super::Tv::Val(v) => self.own(v),
                _ => Err(GiveUp),
            },
        }
    }

    /// `-v`.
    fn neg(&mut self, v: V<'a>) -> R<'a> {
        match v {
            V::I(i) => i.checked_neg().map(V::I).ok_or(GiveUp),
            v => {
                let negated = self.with_value(v, |v| match v {
                    Value::Decimal(d) => Some(Value::Decimal(-d)),
                    Value::Percent(d) => Some(Value::Percent(-d)),
                    Value::Money(m) => Some(Value::Money(Money {
                        amount: -m.amount,
                        ..*m
                    })),
                    _ => None,
                });
                self.own(negated.ok_or(GiveUp)?)
            }
        }
    }

    /// The end of a time limit of `p` from `at` (a date, or a date and
    /// time for a period in hours).
    fn deadline_from(
        &mut self,
        at: V<'a>,
        p: V<'a>,
        calendar: Option<CalendarId>,
        computation: Option<ComputationId>,
    ) -> R<'a> {
        let p = self.period(p).ok_or(GiveUp)?;
        match at {
            V::D(d) => {
                let program: &'a Program = self.program;
                let cal = calendar
                    .and_then(|c| program.calendars.get(c.index()))
                    .ok_or(GiveUp)?;
                let computation = program.computation(computation);
                time::deadline_from(d, p, cal, computation, None)
                    .map(V::D)
                    .map_err(|_| GiveUp)
            }
            at => {
                let at = self
                    .with_value(at, |v| match v {
                        Value::DateTime(t) => Some(*t),
                        _ => None,
                    })
                    .ok_or(GiveUp)?;
                time::deadline_hours(at, p, None)
                    .map_err(|_| GiveUp)
                    .and_then(|t| self.own(Value::DateTime(t)))
            }
        }
    }

    /// The end of a time limit from `d` where the generated code has the
    /// period's versions and the computation rule's clause as constants
    /// ([`Limit`], `time::plain_end`); `None` where it must be computed the
    /// general way ([`Fast::deadline_from`]).
    #[inline(always)]
    fn folded_deadline(&self, d: Date, limit: &Limit) -> Option<Date> {
        let first = time::day_number(d);
        let &(_, unit, amount) = limit.versions.iter().find(|(from, ..)| *from <= first)?;
        let program: &'a Program = self.program;
        let calendar = program.calendars.get(limit.calendar.index())?;
        time::plain_end(d, first, unit, amount, calendar, limit.rule)
    }

    /// The start of a period `p` counted back from `anchor`.
    fn deadline_before(&self, anchor: V<'a>, p: V<'a>) -> R<'a> {
        match anchor {
            V::D(d) => {
                let p = self.period(p).ok_or(GiveUp)?;
                time::deadline_before(d, p, None)
                    .map(V::D)
                    .map_err(|_| GiveUp)
            }
            _ => Err(GiveUp),
        }
    }

    /// `x cmp y`: equality as the general evaluator has it, an order only
    /// between values that have one (else giving up: an error there).
    fn compare(&self, cmp: CmpOp, x: V<'a>, y: V<'a>) -> R<'a> {
        let r = match cmp {
            CmpOp::Eq => self.equal(x, y),
            CmpOp::Ne => !self.equal(x, y),
            _ => cmp.holds(self.order(x, y).ok_or(GiveUp)?),
        };
        Ok(V::B(r))
    }

    /// The items of `list` gone through, each the list variable `local`
    /// (from the depth where the case's list variables are, and counted
    /// towards [`MAX_ITEMS`]): `each` of each item, in order, until it
    /// gives up. What every list operation does.
    #[inline(always)]
    fn each_item(
        &mut self,
        list: V<'a>,
        local: u32,
        mut each: impl FnMut(&mut Fast<'a>, usize, V<'a>) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        let n = self.len(list)?;
        if n == 0 {
            // (Most lists of a case are empty: nothing to keep track of.)
            return Ok(());
        }
        self.items = self.items.saturating_add(n as u64);
        if self.items > MAX_ITEMS {
            return Err(GiveUp);
        }
        let depth = self.local_base + local as usize;
        for i in 0..n {
            self.locals.truncate(depth);
            let item = self.item(list, i)?;
            self.locals.push(item);
            if let Err(stop) = each(self, i, item) {
                self.locals.truncate(depth);
                return Err(stop);
            }
        }
        self.locals.truncate(depth);
        Ok(())
    }

    /// `sum`, `min` or `max` of the values of `body` over the items of
    /// `list`.
    fn valued(
        &mut self,
        kind: QuantKind,
        list: V<'a>,
        body: &'a dyn nodes::Node,
        local: u32,
    ) -> R<'a> {
        let mut values: SmallVec<[V<'a>; 4]> = SmallVec::new();
        let mut unknown = false;
        self.each_item(list, local, |f, _, _| {
            match body.run(f) {
                Ok(v) => values.push(v),
                Err(Unknown) => unknown = true,
                // What the general evaluator calls an error.
                Err(GiveUp) => return Err(GiveUp),
            }
            Ok(())
        })?;
        if unknown {
            return Err(Unknown);
        }
        if kind == QuantKind::Sum {
            let mut acc: Option<V<'a>> = None;
            for v in values {
                acc = Some(match acc {
                    None => v,
                    Some(V::I(a)) => match v {
                        V::I(b) => V::I(a.checked_add(b).ok_or(GiveUp)?),
                        _ => return Err(GiveUp),
                    },
                    Some(a) => {
                        match super::ops::arith(ArithOp::Add, &self.value(a), &self.value(v)) {
                            super::Tv::Val(v) => self.own(v)?,
                            _ => return Err(GiveUp),
                        }
                    }
                });
            }
            return Ok(acc.unwrap_or(V::I(0)));
        }
        let want = if kind == QuantKind::Min {
            Ordering::Less
        } else {
            Ordering::Greater
        };
        let mut best: Option<V<'a>> = None;
        for v in values {
            best = Some(match best {
                None => v,
                Some(b) => match self.order(v, b) {
                    Some(o) if o == want => v,
                    Some(_) => b,
                    None => return Err(GiveUp),
                },
            });
        }
        best.ok_or(GiveUp)
    }

    /// `first` of the test `body` over the items of `list`, in the order of
    /// `keys` (each a key and whether it is descending; the list's order
    /// breaking ties): unknown while an item that may come first waits on a
    /// fact, its test or a key of an item that may qualify (the general
    /// evaluator's `first_of`). One pass that keeps the first so far, where
    /// the general evaluator sorts and calls it an error where two keys it
    /// compares have no order. Which pairs a sort compares is its own
    /// business, so this gives up wherever any two items that may qualify
    /// have keys without an order, in any place: whether a key's value has
    /// an order with another's is the same for every value of its kind
    /// (numbers with numbers, money with money of its currency, dates with
    /// dates, texts with texts; a truth or an enum value with none), so
    /// checking each item's keys against the first item's finds every such
    /// pair; where there is none the sort meets none either.
    #[inline]
    fn first<K: std::ops::Deref<Target = dyn nodes::Node>>(
        &mut self,
        list: V<'a>,
        local: u32,
        mut body: impl FnMut(&mut Fast<'a>) -> Truth,
        keys: &'a [(K, bool)],
    ) -> R<'a> {
        // The first so far: its index, whether its test is unknown, its keys.
        let mut best: Option<(usize, bool, SmallVec<[V<'a>; 2]>)> = None;
        // The keys of the first item that may qualify.
        let mut first_keys: Option<SmallVec<[V<'a>; 2]>> = None;
        let (mut key_unknown, mut unordered) = (false, false);
        self.each_item(list, local, |f, i, _| {
            let unknown = match body(f) {
                Truth::False => return Ok(()),
                Truth::True => false,
                Truth::Unknown => true,
                // What the general evaluator calls an error.
                Truth::GiveUp => return Err(GiveUp),
            };
            let mut k: SmallVec<[V<'a>; 2]> = SmallVec::new();
            for (key, _) in keys {
                match key.run(f) {
                    Ok(V::N) | Err(GiveUp) => return Err(GiveUp),
                    Ok(v) => k.push(v),
                    Err(Unknown) => key_unknown = true,
                }
            }
            if key_unknown {
                // (Unknown whatever comes first: no order is looked for.)
                return Ok(());
            }
            match &first_keys {
                None => first_keys = Some(k.clone()),
                Some(first) => {
                    unordered |= !k.iter().zip(first).all(|(x, y)| f.order(*x, *y).is_some());
                }
            }
            let earlier = match &best {
                None => true,
                Some((_, _, b)) => {
                    let descending = keys.iter().map(|(_, d)| *d);
                    match super::ops::by_keys(&k, b, descending, |x, y| f.order(*x, *y)) {
                        Some(o) => o == Ordering::Less,
                        None => {
                            unordered = true;
                            false
                        }
                    }
                }
            };
            if earlier {
                best = Some((i, unknown, k));
            }
            Ok(())
        })?;
        if key_unknown {
            return Err(Unknown);
        }
        if unordered {
            return Err(GiveUp);
        }
        match best {
            None => Ok(V::N),
            Some((_, true, _)) => Err(Unknown),
            Some((i, false, _)) => self.item(list, i),
        }
    }

    /// `any`, `all`, `count` or `those` of the test `body` over the items
    /// of `list`, each item the list variable `local` (the code generated
    /// for the shipped law calls it with the test's function, a node with
    /// its own). Every item is tested, even after one settles `any` or
    /// `all`: an item the general evaluator finds an error in makes the
    /// case its to decide.
    #[inline]
    fn tested(
        &mut self,
        kind: QuantKind,
        list: V<'a>,
        local: u32,
        mut body: impl FnMut(&mut Fast<'a>) -> Truth,
    ) -> R<'a> {
        let (mut trues, mut falses, mut unknown) = (0i64, false, false);
        let mut kept: SmallVec<[V<'a>; 4]> = SmallVec::new();
        self.each_item(list, local, |f, _, item| {
            match body(f) {
                Truth::True => {
                    trues += 1;
                    if kind == QuantKind::Those {
                        kept.push(item);
                    }
                }
                Truth::False => falses = true,
                Truth::Unknown => unknown = true,
                // What the general evaluator calls an error.
                Truth::GiveUp => return Err(GiveUp),
            }
            Ok(())
        })?;
        match kind {
            QuantKind::Any if trues > 0 => Ok(V::B(true)),
            QuantKind::All if falses => Ok(V::B(false)),
            _ if unknown => Err(Unknown),
            QuantKind::Any => Ok(V::B(false)),
            QuantKind::All => Ok(V::B(true)),
            QuantKind::Count => Ok(V::I(trues)),
            QuantKind::Those => self.keep(kept),
            _ => Err(GiveUp),
        }
    }
}
