//! Derivations: why each decision came out as it did, as data. Built only
//! when an explanation is asked for: every rule's condition evaluated in full
//! (no short cuts, so every part that decided can be shown), each expression's
//! value computed from its operands' values (so nothing is evaluated twice)
//! and kept in the expression's slot (conditions and def bodies down the plans
//! the checker lays out, `check::plan`); a def's body is evaluated once per
//! case and shared by every read. Words are made only when a derivation is
//! shown: the views
//! below, [`Derivation`] and [`Step`], read the values for text and JSON, and
//! which expressions a step shows under it follows from the rules themselves.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::Arc;

use jiff::civil::Date;
use serde::ser::Serializer;
use serde::Serialize;
use smallvec::SmallVec;

use super::ops::{
    binary, combine, compare_known, field_tv, if_unknown, is_input_path, member_known,
    none_to_compare, not_bool, on_values, unary,
};
use super::{param_at, By, Evaluation, Outcome, Reason, Status, Tv};
use crate::check::ir::*;
use crate::check::plan::{node_at, Arg, Op, Plan};
use crate::json::{self, Obj};
use crate::syntax::ast::Policy;
use crate::time::{DurationUnit, PeriodStep};
use crate::value::{date_str, datetime_str, EnumId, Period, Type, Value};

/// The derivations of every decision for one case: the value of every
/// expression the explanation evaluated, by slot, and for each decision the
/// part each of its rules played. Which steps a derivation shows, and under
/// which others, follows from the rules' expressions themselves (see
/// [`Step::children`]), so nothing but values is stored per expression.
#[derive(Clone, Debug)]
pub struct Explanations<'p> {
    program: &'p Program,
    as_of: Date,
    /// One per decision, in declaration order.
    heads: Vec<Head<'p>>,
    parts: Vec<Part<'p>>,
    memory: Memory,
}

/// The values an explanation keeps. Its memory goes back to a pool of the
/// thread when the explanation is dropped, for the next case's (a caseload
/// allocates it once per thread, not once per case).
#[derive(Clone, Debug, Default)]
struct Memory {
    /// Every expression's value by [`Node::slot`] (expressions written the
    /// same way share one). Only the expressions an explanation evaluated
    /// are filled in (about half), and only those it shows are read.
    values: Vec<Stored>,
    /// The values that are not kept inline (texts, amounts, lists, errors).
    others: Vec<Tv>,
    /// Each time limit's slot and its steps' range in `steps`.
    limits: Vec<(u32, u32, u32)>,
    /// For `any` that is true and `all` that is false: the slot and the
    /// place in the list of the first item that made it so.
    witnesses: Vec<(u32, u32)>,
    steps: Vec<PeriodStep>,
    /// The truth of each condition of the decision being derived.
    truths: Vec<Truth>,
}

thread_local! {
    static POOL: std::cell::RefCell<Vec<Memory>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Memory {
    /// Memory for explaining a case of `program`: from the pool if there is
    /// some, all values not evaluated.
    fn take(program: &Program) -> Memory {
        let pooled = POOL
            .try_with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.pop()))
            .ok()
            .flatten();
        let mut m = pooled.unwrap_or_else(|| Memory {
            values: Vec::new(),
            others: Vec::with_capacity(program.nodes.other_values),
            limits: Vec::with_capacity(program.nodes.time_limits),
            witnesses: Vec::new(),
            // The event, the period, a move or two, the end.
            steps: Vec::with_capacity(5 * program.nodes.time_limits),
            truths: Vec::new(),
        });
        m.values.clear();
        m.values.resize(program.nodes.slots, Stored::NOT_EVALUATED);
        m
    }
}

impl Drop for Explanations<'_> {
    fn drop(&mut self) {
        let mut m = std::mem::take(&mut self.memory);
        m.others.clear();
        m.limits.clear();
        m.witnesses.clear();
        m.steps.clear();
        // A few per thread: as many as explanations a thread holds at once,
        // usually one (none while the thread ends).
        let _ = POOL.try_with(|p| {
            if let Ok(mut pool) = p.try_borrow_mut() {
                if pool.len() < 4 {
                    pool.push(m);
                }
            }
        });
    }
}

/// An expression's value as an explanation keeps it: the common plain values
/// inline (nothing to drop, and written whole), others in `Memory::others`.
/// An unknown is kept without what it waits on: the
/// outcome says that.
#[derive(Clone, Copy, Debug)]
enum Kept {
    /// Not evaluated (read as unknown).
    NotEvaluated,
    Unknown,
    Bool(bool),
    Integer(i64),
    Date(Date),
    Enum(EnumId, u32),
    /// A period (a param read by every time limit).
    Duration(Period),
    /// `none` (an optional field left `null`: common in a case's file).
    None,
    /// At this index in `others`.
    Other(u32),
    /// The error of a comparison with an operand that is none (common in
    /// full explanations: an optional field left `none`), put into words
    /// only when shown.
    NoneToCompare,
}

/// A [`Kept`] as it is stored, written and read field by field. (Moved
/// whole, an enum is copied in one wide load, which cannot take its data
/// from the narrower stores that had just written it: the processor stalls
/// until they reach the cache, and operands are read right after they are
/// written.)
#[derive(Clone, Copy, Debug)]
struct Stored {
    tag: Tag,
    unit: DurationUnit,
    date: Date,
    bits: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    NotEvaluated,
    Unknown,
    Bool,
    Integer,
    Date,
    Enum,
    Duration,
    None,
    Other,
    NoneToCompare,
}

const _: () = assert!(std::mem::size_of::<Stored>() == 16);

impl Stored {
    const NOT_EVALUATED: Stored = Stored {
        tag: Tag::NotEvaluated,
        unit: DurationUnit::Days,
        date: Date::constant(2000, 1, 1),
        bits: 0,
    };

    #[inline(always)]
    fn get(&self) -> Kept {
        match self.tag {
            Tag::NotEvaluated => Kept::NotEvaluated,
            Tag::Unknown => Kept::Unknown,
            Tag::Bool => Kept::Bool(self.bits != 0),
            Tag::Integer => Kept::Integer(self.bits as i64),
            Tag::Date => Kept::Date(self.date),
            Tag::Enum => Kept::Enum(EnumId((self.bits >> 32) as u32), self.bits as u32),
            Tag::Duration => Kept::Duration(Period {
                amount: self.bits as i64,
                unit: self.unit,
            }),
            Tag::None => Kept::None,
            Tag::Other => Kept::Other(self.bits as u32),
            Tag::NoneToCompare => Kept::NoneToCompare,
        }
    }

    // One writer per kind, for `set` and for the values written as they are
    // stored (`Explanations::set_value`, `set_bool`).

    #[inline(always)]
    fn bool(&mut self, b: bool) {
        self.tag = Tag::Bool;
        self.bits = u64::from(b);
    }

    #[inline(always)]
    fn integer(&mut self, i: i64) {
        self.tag = Tag::Integer;
        self.bits = i as u64;
    }

    #[inline(always)]
    fn date(&mut self, d: Date) {
        self.tag = Tag::Date;
        self.date = d;
    }

    #[inline(always)]
    fn enum_value(&mut self, e: EnumId, i: u32) {
        self.tag = Tag::Enum;
        self.bits = (e.0 as u64) << 32 | i as u64;
    }

    #[inline(always)]
    fn duration(&mut self, p: Period) {
        self.tag = Tag::Duration;
        self.unit = p.unit;
        self.bits = p.amount as u64;
    }

    /// Writes `v` as it is stored where it is kept inline (true/false, an
    /// integer, a date, an enum value, a period or none); `false` (nothing
    /// written) for any other value.
    #[inline(always)]
    fn value(&mut self, v: &Value) -> bool {
        match *v {
            Value::Bool(b) => self.bool(b),
            Value::Integer(i) => self.integer(i),
            Value::Date(d) => self.date(d),
            Value::Enum(e, i) => self.enum_value(e, i),
            Value::Duration(p) => self.duration(p),
            Value::None => self.tag = Tag::None,
            _ => return false,
        }
        true
    }

    #[inline(always)]
    fn set(&mut self, kept: Kept) {
        match kept {
            Kept::Bool(b) => self.bool(b),
            Kept::Integer(i) => self.integer(i),
            Kept::Date(d) => self.date(d),
            Kept::Enum(e, i) => self.enum_value(e, i),
            Kept::Duration(p) => self.duration(p),
            Kept::Other(i) => {
                self.tag = Tag::Other;
                self.bits = u64::from(i);
            }
            Kept::NotEvaluated => self.tag = Tag::NotEvaluated,
            Kept::Unknown => self.tag = Tag::Unknown,
            Kept::None => self.tag = Tag::None,
            Kept::NoneToCompare => self.tag = Tag::NoneToCompare,
        }
    }
}

/// A known value, as [`Explanations::known`] gives it.
enum Known<'a> {
    Borrowed(&'a Value),
    /// True/false, an integer, a date or an enum value: nothing to drop.
    Inline(ManuallyDrop<Value>),
}

impl std::ops::Deref for Known<'_> {
    type Target = Value;

    fn deref(&self) -> &Value {
        match self {
            Known::Borrowed(v) => v,
            Known::Inline(v) => v,
        }
    }
}

#[derive(Clone, Debug)]
struct Head<'p> {
    parts: (u32, u32),
    /// The default, when it gave the value.
    default: Option<&'p Node>,
    /// The place of the `applies` line whose condition decides the outcome
    /// alone: the first false, or where none is, the first not true.
    applies: Option<u8>,
}

/// The part a rule played in a derivation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Gave the value (under `collect`, one of the rules that did).
    By,
    /// Applies, with a value other rules contradict (`unique`).
    Conflict,
    /// Applies, but an exception that applies sets it aside.
    SetAside,
    /// Its condition waits on unknown facts (or failed).
    Open,
    NotApplicable,
    NotInForce,
}

#[derive(Clone, Debug)]
struct Part<'p> {
    rule: &'p RuleDef,
    role: Role,
    /// Its value, when it is not written out in the rule.
    value: bool,
}

/// A condition's truth as a derivation found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Truth {
    /// The rule is not in force.
    Off,
    True,
    False,
    /// Neither true nor false (unknown, or an error).
    Open,
}

impl<'p: 'c, 'c> Evaluation<'p, 'c> {
    /// Explains every decision for this case.
    pub fn explain(&mut self) -> Explanations<'p> {
        self.explain_only(&|_| true)
    }

    /// Explains the decisions `wanted` names; the others get an empty
    /// explanation (their outcomes are evaluated as always). What `lsa
    /// diff` needs for the determinations that changed.
    pub fn explain_only(&mut self, wanted: &dyn Fn(DecisionId) -> bool) -> Explanations<'p> {
        let program = self.program;
        let mut x = Explanations {
            program,
            as_of: self.as_of,
            // Each decision's head where it is declared (none derived yet).
            heads: vec![
                Head {
                    parts: (0, 0),
                    default: None,
                    applies: None,
                };
                program.decisions.len()
            ],
            // At most a part per rule.
            parts: Vec::with_capacity(program.decisions.iter().map(|d| d.rules.len()).sum()),
            memory: Memory::take(program),
        };
        self.defs_explained.clear();
        self.defs_explained.resize(program.defs.len(), false);
        // The wanted derived after all they read (`Plans::derive_order`), so
        // that a decision a rule reads is one already explained, not decided
        // apart first (by the general evaluator) and then again for its
        // explanation.
        for &id in &program.plans.derive_order {
            if !wanted(id) {
                continue;
            }
            if let Some(d) = program.decisions.get(id.index()) {
                let head = self.derive(&mut x, id, d);
                if let Some(h) = x.heads.get_mut(id.index()) {
                    *h = head;
                }
            }
        }
        x
    }

    fn derive(&mut self, x: &mut Explanations<'p>, id: DecisionId, d: &'p DecisionDef) -> Head<'p> {
        let start = x.parts.len() as u32;
        if !d.validity.contains(self.as_of) {
            return Head {
                parts: (start, start),
                default: None,
                applies: None,
            };
        }
        // The lines as Kleene's `and`: the first false one decides.
        let mut not_true: Option<u8> = None;
        for (k, a) in d.applies.iter().enumerate() {
            match self.def_explained(x, a.def).map(|def| x.kept(&def.body)) {
                Some(Kept::Bool(true)) => {}
                Some(Kept::Bool(false)) => {
                    not_true = Some(k as u8);
                    break;
                }
                _ => not_true = not_true.or(Some(k as u8)),
            }
        }
        if not_true.is_some() {
            self.decided(id);
            return Head {
                parts: (start, start),
                default: None,
                applies: not_true,
            };
        }
        // Each condition's truth (a list kept for the next decision's use).
        let plans = self.program.plans.when.get(id.index());
        let mut truths = std::mem::take(&mut x.memory.truths);
        truths.clear();
        for (i, r) in d.rules.iter().enumerate() {
            let truth = if super::in_force(r, self.as_of) {
                self.planned(x, &r.when, plans.and_then(|p| p.get(i)));
                match x.kept(&r.when) {
                    Kept::Bool(true) => Truth::True,
                    Kept::Bool(false) => Truth::False,
                    _ => Truth::Open,
                }
            } else {
                Truth::Off
            };
            truths.push(truth);
        }
        let truth = |i: usize| truths.get(i).copied().unwrap_or(Truth::Off);
        // The outcome: when every condition is known (the common case), from
        // the conditions' values, as the evaluator would (a `first` decision
        // without exceptions stops at the first rule that applies); otherwise
        // (or if another decision already read it) the evaluator's.
        if matches!(self.decisions.get(id.index()), Some(None)) {
            let mut applies = super::Applies::new();
            let known = super::applying(
                d,
                self.as_of,
                |i, _| match truth(i) {
                    Truth::True => Some(true),
                    Truth::False | Truth::Off => Some(false),
                    Truth::Open => None,
                },
                &mut applies,
            );
            if known.is_some() {
                // The values of the rules the policy reads, each computed in
                // full as it asks for it (the explanation shows them), so
                // none is computed twice.
                let outcome = self.resolve_with(d, &applies, |e, i| e.shown_value(x, d, i));
                if let Some(slot) = self.decisions.get_mut(id.index()) {
                    *slot = Some(outcome);
                }
            }
        }
        self.decided(id);
        let outcome = self.decisions.get(id.index()).and_then(Option::as_ref);
        // Every condition known: an outcome still unknown (or failed) is
        // then the value of a rule the policy read.
        let settled = truths.iter().all(|t| *t != Truth::Open);
        // Asked only of a rule that applies and is not set aside, in order;
        // `reached` whether an earlier one was shown as deciding. Under
        // `unique` every such rule gave the value (they agree, or it is a
        // conflict): each is a ground of its own and is shown as one, not
        // only the first, which the outcome names. Where the value waits on
        // facts (or failed), the rules whose value it is are shown: under
        // `first` the first that applies, otherwise each.
        let gave = |i: usize, reached: bool| match outcome {
            Some(Outcome::Determined {
                by: By::Rule(k), ..
            }) => (*k == i || d.policy == Policy::Unique).then_some(Role::By),
            Some(Outcome::Determined {
                by: By::Rules(rs), ..
            }) => rs.contains(&i).then_some(Role::By),
            Some(Outcome::Conflict { rules }) => rules.contains(&i).then_some(Role::Conflict),
            Some(Outcome::Unknown { .. } | Outcome::Error { .. }) if settled => {
                (d.policy != Policy::First || !reached).then_some(Role::By)
            }
            _ => None,
        };
        let mut reached = false;
        for (i, r) in d.rules.iter().enumerate() {
            let role = match truth(i) {
                Truth::Off => Role::NotInForce,
                Truth::True => {
                    let applies_at = |k: usize| truth(k) == Truth::True;
                    if super::overriders(d, applies_at, i).next().is_some() {
                        Role::SetAside
                    } else if let Some(role) = gave(i, reached) {
                        reached = true;
                        role
                    } else {
                        // Applies, but an earlier rule decided (`first`).
                        continue;
                    }
                }
                Truth::False => Role::NotApplicable,
                Truth::Open => Role::Open,
            };
            let value =
                matches!(role, Role::By | Role::Conflict) && !matches!(r.then.kind, Expr::Lit(_));
            x.parts.push(Part {
                rule: r,
                role,
                value,
            });
        }
        let by_default = matches!(
            outcome,
            Some(Outcome::Determined {
                by: By::Default,
                ..
            })
        );
        x.memory.truths = truths;
        // The values shown that the policy did not read (`full` computes
        // each once: those it read are kept already).
        let end = x.parts.len();
        for k in start as usize..end {
            if let Some(&Part {
                rule, value: true, ..
            }) = x.parts.get(k)
            {
                self.full(x, &rule.then);
            }
        }
        let default = match (by_default, &d.default) {
            (true, Some(default)) => {
                self.full(x, default);
                Some(default)
            }
            _ => None,
        };
        Head {
            parts: (start, end as u32),
            default,
            applies: None,
        }
    }

    /// Rule `i`'s value as the policy reads it, computed in full for the
    /// explanation (a literal as it is written).
    fn shown_value(&mut self, x: &mut Explanations<'p>, d: &'p DecisionDef, i: usize) -> Tv {
        let Some(r) = d.rules.get(i) else {
            return Tv::Err("no such rule".into());
        };
        if let Expr::Lit(v) = &r.then.kind {
            return Tv::Val(v.clone());
        }
        self.full(x, &r.then);
        match x.value(&r.then) {
            // An unknown here does not keep what it waits on: evaluated
            // again, to name it.
            tv if matches!(*tv, Tv::Unknown(_)) => self.eval(&r.then),
            tv => tv.into_owned(),
        }
    }

    /// Evaluates an expression in full for an explanation and keeps its value
    /// (read it with [`Explanations::value`]), with the values of the operands
    /// an explanation shows: no short cuts (every operand of `and`/`or` and
    /// both branches of `if`, so that all the parts that decided can be
    /// shown). Each value is computed from its operands' kept values by the
    /// same operators evaluation uses, so nothing is evaluated twice, and
    /// written once, where it is kept (values are not passed around).
    fn full(&mut self, x: &mut Explanations<'p>, n: &'p Node) {
        if !matches!(x.kept(n), Kept::NotEvaluated) {
            // Written the same way elsewhere, and evaluated there.
            return self.check_kept(x, n);
        }
        // Reads of a def, a decision or a param: kept from where the value is,
        // as it is (nothing to build or copy for plain values).
        let read = match &n.kind {
            Expr::Def(id) => self.keep_def(x, n.slot, *id),
            Expr::Decision(id) => self.keep_decision(x, n.slot, *id),
            Expr::Param(id) => self.keep_param(x, n.slot, *id),
            _ => false,
        };
        if read {
            return self.check_kept(x, n);
        }
        let tv = match &n.kind {
            Expr::And(..) | Expr::Or(..) => {
                // Every part of the chain in full, then folded.
                let or_mode = matches!(n.kind, Expr::Or(..));
                let mut parts: SmallVec<[&'p Node; 8]> = SmallVec::new();
                flatten(n, !or_mode, &mut parts);
                let mut slots: SmallVec<[u32; 8]> = SmallVec::new();
                for part in &parts {
                    self.full(x, part);
                    slots.push(part.slot);
                }
                match fold(x, or_mode, &slots) {
                    Some(kept) => {
                        x.set(n, kept);
                        return self.check_kept(x, n);
                    }
                    // The first part that is neither true, false nor unknown
                    // is the error.
                    None => parts
                        .iter()
                        .find(|p| {
                            !matches!(
                                x.kept(p),
                                Kept::Bool(_) | Kept::Unknown | Kept::NotEvaluated
                            )
                        })
                        .map(|p| not_bool(x.value(p).into_owned(), p))
                        .unwrap_or_else(|| Tv::Err("no part is an error".into())),
                }
            }
            Expr::DeadlineFrom { event, period, .. }
            | Expr::DeadlineBefore {
                anchor: event,
                period,
                ..
            } => {
                self.operand(x, event);
                self.operand(x, period);
                let start = x.memory.steps.len() as u32;
                let (e, p) = (x.value(event).into_owned(), x.value(period).into_owned());
                let tv = self.deadline(n, e, p, Some(&mut x.memory.steps));
                x.memory
                    .limits
                    .push((n.slot, start, x.memory.steps.len() as u32));
                tv
            }
            Expr::Quant {
                kind,
                list,
                body,
                local,
                ..
            } => {
                self.operand(x, list);
                // What the condition and keys read that is the same for
                // every item, kept once to be shown beside the list.
                for read in item_free_reads(n) {
                    self.operand(x, read);
                }
                // As the fast evaluation computes it where it can (the same
                // value; one fast evaluation per case, its memos kept from
                // one list operation to the next: 188 k -> 165 k
                // instructions per explained case); else as the general
                // evaluator does, which says what is missing. (In debug
                // builds `check_kept` compares the two.)
                let tv = match self.kept_fast().list_operation(n.slot) {
                    Some(v) => Tv::Val(v),
                    None => self.eval(n),
                };
                let decisive = match (kind, tv.truth()) {
                    (crate::syntax::ast::QuantKind::Any, Some(true)) => Some(true),
                    (crate::syntax::ast::QuantKind::All, Some(false)) => Some(false),
                    _ => None,
                };
                if let Some(want) = decisive {
                    if let Some(at) = self.witness(list, body, *local, want) {
                        x.memory.witnesses.push((n.slot, at as u32));
                    }
                }
                tv
            }
            Expr::ParamOn { param, on } => {
                self.operand(x, on);
                self.param_on(*param, x.value(on).into_owned())
            }
            // The branch the condition takes, and only that one (as the
            // general evaluator does): a branch not taken decides nothing,
            // and may not even be defined for the case. Both where the
            // condition is unknown.
            Expr::If(c, a, b) => {
                self.operand(x, c);
                match x.value(c).into_owned() {
                    Tv::Val(Value::Bool(true)) => {
                        self.operand(x, a);
                        x.value(a).into_owned()
                    }
                    Tv::Val(Value::Bool(false)) => {
                        self.operand(x, b);
                        x.value(b).into_owned()
                    }
                    Tv::Unknown(needs) => {
                        self.operand(x, a);
                        self.operand(x, b);
                        if_unknown(needs, x.value(a).into_owned(), x.value(b).into_owned())
                    }
                    other => not_bool(other, c),
                }
            }
            Expr::Not(a) | Expr::Neg(a) | Expr::Known(a) | Expr::Exists(a) => {
                self.operand(x, a);
                match (&n.kind, x.kept(a)) {
                    (Expr::Not(_), Kept::Bool(b)) => Tv::Val(Value::Bool(!b)),
                    _ => unary(n, x.value(a).into_owned()),
                }
            }
            _ if n.binary_operands().is_some() => match n.binary_operands() {
                Some((a, b)) => {
                    self.operand(x, a);
                    self.operand(x, b);
                    match (x.known(a), x.known(b)) {
                        (Some(va), Some(vb)) => on_values(n, &va, &vb),
                        _ => binary(n, x.value(a).into_owned(), x.value(b).into_owned()),
                    }
                }
                None => Tv::Err("not an operator".into()),
            },
            Expr::List(items) => {
                for o in items {
                    self.operand(x, o);
                }
                combine(n, items.iter().map(|o| x.value(o).into_owned()))
            }
            // Record reads, directly (most steps are).
            Expr::Input(_) | Expr::Field { .. } if is_input_path(n) => match self.input_value(n) {
                Ok(v) => Tv::Val(v.clone()),
                Err(tv) => tv,
            },
            Expr::Lit(v) => Tv::Val(v.clone()),
            // A field of a def's, a decision's or a list operation's value:
            // from that value as kept (evaluated, and kept, if it is not
            // yet), not by evaluating what it reads again.
            Expr::Field { base, field, path } if !matches!(base.kind, Expr::Local(_)) => {
                self.operand(x, base);
                field_tv(x.value(base).into_owned(), base, *field, *path)
            }
            // Other fields, list items, params, decisions, the as-of date.
            _ => self.eval(n),
        };
        x.keep(n, tv);
        self.check_kept(x, n);
    }

    /// In debug builds (and so in the tests), asserts that the value kept
    /// for `n` is the expression's value.
    #[cfg_attr(not(debug_assertions), allow(unused_variables))]
    fn check_kept(&mut self, x: &Explanations<'p>, n: &Node) {
        #[cfg(debug_assertions)]
        {
            let direct = match self.eval(n) {
                Tv::Unknown(_) => Tv::Unknown(Vec::new()),
                tv => tv,
            };
            debug_assert_eq!(*x.value(n), direct, "`{}`", n.text);
        }
    }

    /// Evaluates an operand and keeps its value: in full unless it is written
    /// out in the rule (a literal, or a list of literals), which explanations
    /// do not show.
    fn operand(&mut self, x: &mut Explanations<'p>, o: &'p Node) {
        if shown(o) {
            self.full(x, o)
        } else if !matches!(o.kind, Expr::Lit(_)) {
            // A list of literals.
            let tv = self.eval(o);
            x.keep(o, tv);
        }
    }

    /// Keeps in `slot` a decision's value, where it has one (else `false`:
    /// what it waits on or why it has none is for the evaluator to say).
    #[inline(always)]
    fn keep_decision(&mut self, x: &mut Explanations<'p>, slot: u32, id: DecisionId) -> bool {
        match self.decided(id) {
            Some(Outcome::Determined { value, .. }) => {
                x.set_value(slot, value);
                true
            }
            _ => false,
        }
    }

    /// Keeps in `slot` a param's value in force (`false` if none is).
    #[inline(always)]
    fn keep_param(&self, x: &mut Explanations<'p>, slot: u32, id: ParamId) -> bool {
        match super::param_version(self.program, id, self.as_of) {
            Some((_, v)) => {
                x.set_value(slot, v);
                true
            }
            None => false,
        }
    }

    /// Keeps in `slot` a def's value, its body evaluated in full once per
    /// case (every read shares it, a value kept apart included).
    #[inline(always)]
    fn keep_def(&mut self, x: &mut Explanations<'p>, slot: u32, id: DefId) -> bool {
        match self.def_explained(x, id) {
            Some(def) => {
                x.copy_slot(slot, def.body.slot);
                true
            }
            None => false,
        }
    }

    /// A def, its body evaluated in full once per case and kept.
    fn def_explained(&mut self, x: &mut Explanations<'p>, id: DefId) -> Option<&'p DefDef> {
        let program = self.program;
        let def = program.defs.get(id.index())?;
        if let Some(done @ false) = self.defs_explained.get_mut(id.index()) {
            *done = true;
            // Its list variables are its own (as in `def_done`).
            let outer = (!self.locals.is_empty()).then(|| std::mem::take(&mut self.locals));
            self.planned(x, &def.body, program.plans.defs.get(id.index()));
            if let Some(outer) = outer {
                self.locals = outer;
            }
        }
        Some(def)
    }

    /// Evaluates `root` in full as [`full`](Self::full) does, down its plan
    /// (if it has one): each step computes a value from those kept before
    /// it; a step whose value is not plainly known (an unknown operand, an
    /// error, an expression the plan leaves out) is evaluated by `full`.
    #[inline(always)]
    fn planned(&mut self, x: &mut Explanations<'p>, root: &'p Node, plan: Option<&'p Plan>) {
        let Some(plan) = plan else {
            return self.full(x, root);
        };
        for step in plan {
            let at = || node_at(root, &step.at);
            if !x.fresh(step.slot) {
                // Written the same way elsewhere, and evaluated there.
                #[cfg(debug_assertions)]
                if let Some(n) = at() {
                    self.check_kept(x, n);
                }
                continue;
            }
            // Each kind keeps its value itself (`put`): a value gathered from
            // all of them into one place would be written in parts and read
            // whole, which stalls the processor.
            let slot = step.slot;
            let kept = match &step.op {
                Op::Full => false,
                Op::Read { input, fields } => match self.read(*input, fields) {
                    Some(v) => {
                        x.set_value(slot, v);
                        true
                    }
                    None => false,
                },
                Op::Decision(id) => self.keep_decision(x, slot, *id),
                Op::Def(id) => self.keep_def(x, slot, *id),
                Op::Param(id) => self.keep_param(x, slot, *id),
                Op::Lit(v) => {
                    x.set_value(slot, v);
                    true
                }
                Op::AsOf => x.put(slot, Some(Kept::Date(self.as_of))),
                // (The kinds read first off the stored tags, which the
                // processor tells apart better than a `Kept` made of them.)
                Op::Exists(a) => {
                    let kept = match x.tag(*a) {
                        Tag::Unknown => Some(Kept::Unknown),
                        Tag::None => Some(Kept::Bool(false)),
                        Tag::Bool | Tag::Integer | Tag::Date | Tag::Enum | Tag::Duration => {
                            Some(Kept::Bool(true))
                        }
                        _ => x.known_at(*a).map(|v| Kept::Bool(*v != Value::None)),
                    };
                    x.put(slot, kept)
                }
                Op::Cmp(op, a, b) => {
                    // Two plain values of a kind at once; anything else (a
                    // value kept apart, none, an unknown) as it is.
                    x.cmp_plain(slot, *op, a, b) || {
                        let kept = match (x.arg(a), x.arg(b)) {
                            (Some(a), Some(b)) => match compare_known(*op, &a, &b) {
                                Some(result) => Some(Kept::Bool(result)),
                                None if *a == Value::None || *b == Value::None => {
                                    Some(Kept::NoneToCompare)
                                }
                                None => None,
                            },
                            _ => None,
                        };
                        x.put(slot, kept)
                    }
                }
                Op::In {
                    negated,
                    item,
                    list,
                } => {
                    let kept = match (x.arg(item), x.arg(list)) {
                        (Some(item), Some(list)) => {
                            member_known(&item, &list, *negated).map(Kept::Bool)
                        }
                        _ => None,
                    };
                    x.put(slot, kept)
                }
                Op::Not(a) => match x.stored(*a) {
                    s if s.tag == Tag::Bool => {
                        x.set_bool(slot, s.bits == 0);
                        true
                    }
                    _ => false,
                },
                Op::Chain { or_mode, parts } => {
                    let kept = fold(x, *or_mode, parts);
                    x.put(slot, kept)
                }
            };
            if kept {
                #[cfg(debug_assertions)]
                if let Some(n) = at() {
                    self.check_kept(x, n);
                }
            } else if let Some(n) = at() {
                self.full(x, n);
            }
        }
    }
}

/// An `and` (`or_mode` false) or `or` of parts kept in `parts`, by Kleene's
/// rules: the deciding value wins over anything; else `None` if a part is
/// neither true, false nor unknown (an error is for [`Evaluation::full`] to
/// name).
fn fold(x: &Explanations<'_>, or_mode: bool, parts: &[u32]) -> Option<Kept> {
    let (mut decisive, mut unknown, mut error) = (false, false, false);
    for &part in parts {
        let s = x.stored(part);
        match s.tag {
            Tag::Bool => decisive |= (s.bits != 0) == or_mode,
            Tag::Unknown | Tag::NotEvaluated => unknown = true,
            _ => error = true,
        }
    }
    match (decisive, error, unknown) {
        (true, _, _) => Some(Kept::Bool(or_mode)),
        (false, true, _) => None,
        (false, false, true) => Some(Kept::Unknown),
        (false, false, false) => Some(Kept::Bool(!or_mode)),
    }
}

impl<'p> Explanations<'p> {
    /// How `n`'s value is kept (a literal's is its own, not kept).
    fn kept(&self, n: &Node) -> Kept {
        self.at_slot(n.slot)
    }

    /// What is kept in `slot`, as it is stored.
    #[inline(always)]
    fn stored(&self, slot: u32) -> Stored {
        self.memory
            .values
            .get(slot as usize)
            .copied()
            .unwrap_or(Stored::NOT_EVALUATED)
    }

    /// The kind of what is kept in `slot`.
    #[inline(always)]
    fn tag(&self, slot: u32) -> Tag {
        self.memory
            .values
            .get(slot as usize)
            .map_or(Tag::NotEvaluated, |s| s.tag)
    }

    /// Whether nothing is kept in `slot` yet.
    #[inline(always)]
    fn fresh(&self, slot: u32) -> bool {
        self.tag(slot) == Tag::NotEvaluated
    }

    #[inline(always)]
    fn set_bool(&mut self, slot: u32, b: bool) {
        if let Some(at) = self.memory.values.get_mut(slot as usize) {
            at.bool(b);
        }
    }

    /// Keeps a known value (inline, or a copy kept apart), written as it
    /// is stored in one step.
    #[inline(always)]
    fn set_value(&mut self, slot: u32, v: &Value) {
        let inline = match self.memory.values.get_mut(slot as usize) {
            Some(at) => at.value(v),
            None => return,
        };
        if !inline {
            let kept = self.copy_apart(v);
            self.set_at(slot, kept);
        }
    }

    /// Keeps in `to` what is kept in `from`.
    #[inline(always)]
    fn copy_slot(&mut self, to: u32, from: u32) {
        let s = self.stored(from);
        if let Some(at) = self.memory.values.get_mut(to as usize) {
            *at = s;
        }
    }

    /// A planned comparison of two kept values of the same plain kind
    /// (integers or dates in order, true/false or enum values equal or
    /// not), made on their stored form and kept in `slot`; `false` (nothing
    /// kept) for anything else, which `compare_known` decides. The same
    /// answers: such values are equal, and ordered, exactly as the values
    /// they stand for.
    #[inline(always)]
    fn cmp_plain(&mut self, slot: u32, op: CmpOp, a: &Arg, b: &Arg) -> bool {
        let stored = |a: &Arg| match a {
            Arg::Slot(slot) => self.stored(*slot),
            Arg::Lit(v) => {
                // (Not evaluated, where it is not a plain value.)
                let mut s = Stored::NOT_EVALUATED;
                s.value(v);
                s
            }
        };
        let (a, b) = (stored(a), stored(b));
        if a.tag != b.tag {
            return false;
        }
        let ord = match a.tag {
            Tag::Integer => (a.bits as i64).cmp(&(b.bits as i64)),
            Tag::Date => a.date.cmp(&b.date),
            Tag::Bool | Tag::Enum if matches!(op, CmpOp::Eq | CmpOp::Ne) => a.bits.cmp(&b.bits),
            _ => return false,
        };
        self.set_bool(slot, op.holds(ord));
        true
    }

    fn at_slot(&self, slot: u32) -> Kept {
        // (Not through `stored`: the whole slot copied first, then taken
        // apart, is 1.5 k instructions more an explained case.)
        match self.memory.values.get(slot as usize) {
            Some(stored) => stored.get(),
            None => Kept::NotEvaluated,
        }
    }

    /// `n`'s value, as evaluated for the explanation (unknown if it was not).
    fn value(&self, n: &Node) -> Cow<'_, Tv> {
        let plain = |v| Cow::Owned(Tv::Val(v));
        match (self.kept(n), &n.kind) {
            (_, Expr::Lit(v)) => plain(v.clone()),
            (Kept::NotEvaluated | Kept::Unknown, _) => Cow::Owned(Tv::Unknown(Vec::new())),
            (Kept::Bool(b), _) => plain(Value::Bool(b)),
            (Kept::Integer(i), _) => plain(Value::Integer(i)),
            (Kept::Date(d), _) => plain(Value::Date(d)),
            (Kept::Enum(e, i), _) => plain(Value::Enum(e, i)),
            (Kept::Duration(p), _) => plain(Value::Duration(p)),
            (Kept::None, _) => plain(Value::None),
            (Kept::Other(i), _) => match self.memory.others.get(i as usize) {
                Some(tv) => Cow::Borrowed(tv),
                None => Cow::Owned(Tv::Err("no such value".into())),
            },
            (Kept::NoneToCompare, _) => {
                // The first operand that is none, as the evaluator names it.
                let which = n.binary_operands().map(|(a, b)| match self.known(a) {
                    Some(v) if *v == Value::None => a,
                    _ => b,
                });
                Cow::Owned(Tv::Err(which.map(none_to_compare).unwrap_or_default()))
            }
        }
    }

    /// `n`'s value if it is known: a literal's or one kept apart borrowed,
    /// one kept inline made from it (nothing to copy or drop either way).
    fn known<'a>(&'a self, n: &'a Node) -> Option<Known<'a>> {
        match &n.kind {
            Expr::Lit(v) => Some(Known::Borrowed(v)),
            _ => self.known_at(n.slot),
        }
    }

    /// The value kept in `slot`, if it is known.
    fn known_at(&self, slot: u32) -> Option<Known<'_>> {
        let inline = |v| Some(Known::Inline(ManuallyDrop::new(v)));
        match self.at_slot(slot) {
            Kept::Bool(b) => inline(Value::Bool(b)),
            Kept::Integer(i) => inline(Value::Integer(i)),
            Kept::Date(d) => inline(Value::Date(d)),
            Kept::Enum(e, i) => inline(Value::Enum(e, i)),
            Kept::Duration(p) => inline(Value::Duration(p)),
            Kept::None => inline(Value::None),
            Kept::Other(i) => match self.memory.others.get(i as usize) {
                Some(Tv::Val(v)) => Some(Known::Borrowed(v)),
                _ => None,
            },
            Kept::NotEvaluated | Kept::Unknown | Kept::NoneToCompare => None,
        }
    }

    /// An operand of a planned comparison, if it is known.
    fn arg<'a>(&'a self, a: &'a Arg) -> Option<Known<'a>> {
        match a {
            Arg::Lit(v) => Some(Known::Borrowed(v)),
            Arg::Slot(slot) => self.known_at(*slot),
        }
    }

    /// Keeps `n`'s value.
    fn keep(&mut self, n: &Node, tv: Tv) {
        let kept = match tv {
            Tv::Val(v) => {
                let slot = self.memory.values.get_mut(n.slot as usize);
                if slot.is_some_and(|at| at.value(&v)) {
                    return;
                }
                self.apart(Tv::Val(v))
            }
            Tv::Unknown(_) => Kept::Unknown,
            tv => self.apart(tv),
        };
        self.set(n, kept);
    }

    #[inline(never)]
    fn copy_apart(&mut self, v: &Value) -> Kept {
        self.apart(Tv::Val(v.clone()))
    }

    /// Keeps a value apart (not inline).
    fn apart(&mut self, tv: Tv) -> Kept {
        self.memory.others.push(tv);
        Kept::Other(self.memory.others.len() as u32 - 1)
    }

    fn set(&mut self, n: &Node, kept: Kept) {
        self.set_at(n.slot, kept);
    }

    /// Keeps a planned step's value, if it has one; whether it had.
    #[inline(always)]
    fn put(&mut self, slot: u32, kept: Option<Kept>) -> bool {
        match kept {
            Some(kept) => {
                self.set_at(slot, kept);
                true
            }
            None => false,
        }
    }

    #[inline(always)]
    fn set_at(&mut self, slot: u32, kept: Kept) {
        if let Some(at) = self.memory.values.get_mut(slot as usize) {
            at.set(kept);
        }
    }

    /// The steps of the time limit computed by `n`.
    fn witness(&self, n: &Node) -> Option<usize> {
        self.memory
            .witnesses
            .iter()
            .find(|w| w.0 == n.slot)
            .map(|w| w.1 as usize)
    }

    fn limit(&self, n: &Node) -> Option<&[PeriodStep]> {
        let &(_, a, b) = self.memory.limits.iter().find(|l| l.0 == n.slot)?;
        self.memory.steps.get(a as usize..b as usize)
    }

    /// The derivation of the `n`-th decision, with the outcomes it explains.
    pub fn derivation<'a>(
        &'a self,
        outcomes: &'a [(DecisionId, Outcome)],
        n: usize,
    ) -> Option<Derivation<'a, 'p>> {
        let head = self.heads.get(n)?;
        let (id, outcome) = outcomes.get(n)?;
        let decision = self.program.decisions.get(id.index())?;
        Some(Derivation {
            cx: Cx { x: self, outcomes },
            head,
            decision,
            outcome,
        })
    }
}

/// What a view reads: the explanations and the case's outcomes.
#[derive(Clone, Copy)]
struct Cx<'a, 'p> {
    x: &'a Explanations<'p>,
    outcomes: &'a [(DecisionId, Outcome)],
}

/// The defs already explained in full in one derivation as it is shown: each
/// is expanded at its first appearance, later ones say "as above".
#[derive(Default)]
pub struct Seen(RefCell<Vec<bool>>);

impl Seen {
    /// Whether to expand def `id` here (its first appearance), marking it.
    fn first(&self, id: DefId) -> bool {
        let mut seen = self.0.borrow_mut();
        if seen.len() <= id.index() {
            seen.resize(id.index() + 1, false);
        }
        match seen.get_mut(id.index()) {
            Some(b) if !*b => {
                *b = true;
                true
            }
            _ => false,
        }
    }
}

/// One decision's derivation for one case (a view of [`Explanations`]).
#[derive(Clone, Copy)]
pub struct Derivation<'a, 'p> {
    cx: Cx<'a, 'p>,
    head: &'a Head<'p>,
    pub decision: &'p DecisionDef,
    pub outcome: &'a Outcome,
}

impl<'a, 'p> Derivation<'a, 'p> {
    pub fn key(&self) -> &'p str {
        &self.decision.key
    }

    pub fn citation(&self) -> Option<&'p str> {
        self.decision.citation.as_ref().map(|c| &*c.text)
    }

    pub fn status(&self) -> Status {
        self.outcome.status()
    }

    pub fn value(&self) -> Option<Shown> {
        self.outcome
            .value()
            .map(|v| Shown::of(self.cx.x.program, &Tv::Val(v.clone())))
    }

    /// The determined value itself, if any.
    pub fn outcome_value(&self) -> Option<&'a Value> {
        self.outcome.value()
    }

    /// Why it has no value, where it is undetermined.
    pub fn outcome_reason(&self) -> Option<Reason> {
        match self.outcome {
            Outcome::Undetermined { reason } => Some(*reason),
            _ => None,
        }
    }

    /// The rules that played `role`, in declaration order.
    pub fn parts(&self, role: Role) -> impl Iterator<Item = Applied<'a, 'p>> + '_ {
        let (a, b) = self.head.parts;
        let cx = self.cx;
        cx.x.parts
            .get(a as usize..b as usize)
            .unwrap_or_default()
            .iter()
            .filter(move |p| p.role == role)
            .map(move |part| Applied {
                cx,
                part,
                decision: self.decision,
            })
    }

    /// The default's step, when the default gave the value.
    pub fn default(&self) -> Option<Step<'a, 'p>> {
        self.head.default.map(|node| Step { cx: self.cx, node })
    }

    /// The `applies` condition, with its citation, when it was not true for
    /// the case (and so decided that there is no value, or what is needed):
    /// of several lines, the first false one, or where none is, the first
    /// not true.
    pub fn applies(&self) -> Option<(Step<'a, 'p>, Option<&'p str>)> {
        let line = self.decision.applies.get(usize::from(self.head.applies?))?;
        let node = &self.cx.x.program.defs.get(line.def.index())?.body;
        let cite = line.citation.as_ref().map(|c| &*c.text);
        Some((Step { cx: self.cx, node }, cite))
    }

    /// The decision's `applies` lines evaluated for it, each with whether
    /// it held for the case (a line waiting on a fact, or failed, left
    /// out): none where the decision is not in force; the lines up to the
    /// one that decided where one did, else every line. For coverage (`lsa
    /// test --coverage`).
    pub fn lines_held(&self) -> Vec<(&'p str, bool)> {
        let program = self.cx.x.program;
        if matches!(
            self.outcome,
            Outcome::Undetermined {
                reason: Reason::NotInForce
            }
        ) {
            return Vec::new();
        }
        let evaluated = self
            .head
            .applies
            .map_or(usize::MAX, |k| usize::from(k).saturating_add(1));
        self.decision
            .applies
            .iter()
            .take(evaluated)
            .filter_map(|a| {
                let line = program.defs.get(a.def.index())?;
                match self.cx.x.kept(&line.body) {
                    Kept::Bool(held) => Some((&*line.key, held)),
                    _ => None,
                }
            })
            .collect()
    }

    /// The facts an unknown outcome waits on, most useful first.
    pub fn needs(&self) -> Vec<&'p str> {
        match self.outcome {
            Outcome::Unknown { needs } => {
                needs.iter().map(|p| self.cx.x.program.path(*p)).collect()
            }
            _ => Vec::new(),
        }
    }

    pub fn error(&self) -> Option<&'a str> {
        match self.outcome {
            Outcome::Error { message } => Some(message),
            _ => None,
        }
    }

    /// For a decision that does not apply to the case: its `applies` line's
    /// def and what the line says of such a case.
    pub fn not_applicable(&self) -> Option<(DefId, &'p str)> {
        match self.outcome {
            Outcome::Undetermined {
                reason: Reason::NotApplicable(k),
            } => self
                .decision
                .applies
                .get(usize::from(*k))
                .map(|a| (a.def, &*a.otherwise)),
            _ => None,
        }
    }

    /// That the decision is not in force on the as-of date, and when it is,
    /// in `lang`.
    pub fn not_in_force(&self, lang: crate::lang::Lang) -> String {
        let (date, validity) = (
            date_str(self.cx.x.as_of),
            self.decision.validity.describe_in(lang),
        );
        match lang {
            crate::lang::Lang::En => format!("not in force on {date} ({validity})"),
            crate::lang::Lang::Lt => format!("{date} negalioja ({validity})"),
        }
    }

    /// Why there is no value, when no rule or default gives one.
    pub fn note(&self) -> Option<String> {
        match self.outcome {
            Outcome::Undetermined {
                reason: Reason::NotInForce,
            } => Some(self.not_in_force(crate::lang::Lang::En)),
            Outcome::Undetermined {
                reason: Reason::NotApplicable(_),
            } => self
                .not_applicable()
                .map(|(_, otherwise)| format!("not applicable: {otherwise}")),
            Outcome::Undetermined {
                reason: Reason::NoRule,
            } => Some("no rule applies and the decision has no default".into()),
            _ => None,
        }
    }
}

/// A rule's part in a derivation.
#[derive(Clone, Copy)]
pub struct Applied<'a, 'p> {
    cx: Cx<'a, 'p>,
    part: &'a Part<'p>,
    decision: &'p DecisionDef,
}

impl<'a, 'p> Applied<'a, 'p> {
    pub fn rule(&self) -> &'p RuleDef {
        self.part.rule
    }

    /// `rule` or `exception`.
    pub fn kind(&self) -> &'static str {
        if self.part.rule.is_exception {
            "exception"
        } else {
            "rule"
        }
    }

    pub fn citation(&self) -> Option<&'p str> {
        self.part.rule.citation.as_ref().map(|c| &*c.text)
    }

    /// The condition, as evaluated.
    pub fn because(&self) -> Option<Step<'a, 'p>> {
        (self.part.role != Role::NotInForce).then_some(Step {
            cx: self.cx,
            node: &self.part.rule.when,
        })
    }

    /// How the value was computed, when it is not written out in the rule.
    pub fn value(&self) -> Option<Step<'a, 'p>> {
        self.part.value.then_some(Step {
            cx: self.cx,
            node: &self.part.rule.then,
        })
    }

    /// The rules that set this one aside: the exceptions over it that
    /// apply (in force, their conditions true).
    pub fn set_aside_by(&self) -> Vec<&'p str> {
        let (d, x) = (self.decision, self.cx.x);
        let applies_at = |k: usize| {
            d.rules.get(k).is_some_and(|r| {
                super::in_force(r, x.as_of) && matches!(x.kept(&r.when), Kept::Bool(true))
            })
        };
        let Some(i) = d.rules.iter().position(|r| std::ptr::eq(r, self.part.rule)) else {
            return Vec::new();
        };
        super::overriders(d, applies_at, i)
            .filter_map(|k| d.rules.get(k))
            .map(|r| &*r.name)
            .collect()
    }
}

/// One evaluated expression and what it rests on (a view of [`Explanations`]).
#[derive(Clone, Copy)]
pub struct Step<'a, 'p> {
    cx: Cx<'a, 'p>,
    node: &'p Node,
}

/// The steps under a step (see [`Step::children`]), made as they are gone
/// through.
pub struct Children<'a, 'p> {
    cx: Cx<'a, 'p>,
    nodes: smallvec::IntoIter<[&'p Node; 4]>,
}

impl Children<'_, '_> {
    /// Whether there are none (left).
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 0
    }
}

impl<'a, 'p> Iterator for Children<'a, 'p> {
    type Item = Step<'a, 'p>;

    fn next(&mut self) -> Option<Step<'a, 'p>> {
        let cx = self.cx;
        self.nodes.next().map(|node| Step { cx, node })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.nodes.size_hint()
    }
}

impl ExactSizeIterator for Children<'_, '_> {}

impl<'a, 'p> Step<'a, 'p> {
    fn node_kind(&self) -> Option<&'p Expr> {
        Some(&self.node.kind)
    }

    /// The expression as written.
    pub fn expr(&self) -> &'p str {
        &self.node.text
    }

    pub fn value(&self) -> Shown {
        let tv = self.kept_value();
        match self.records(&tv) {
            Some(v) => {
                let mut text = String::new();
                let _ = self.write_items(&mut text, v);
                Shown::Text(text)
            }
            None => Shown::of(self.cx.x.program, &tv),
        }
    }

    /// [`Step::value`] written into `w` as it is displayed, a record (or a
    /// list of them) written as it goes, with no text made first (for the
    /// JSON of explanations, where these are most of what is written).
    fn write_value(&self, w: &mut dyn fmt::Write) -> fmt::Result {
        let tv = self.kept_value();
        match self.records(&tv) {
            Some(v) => self.write_items(w, v),
            None => write!(w, "{}", Shown::of(self.cx.x.program, &tv)),
        }
    }

    /// The value kept for this step. Every step a derivation shows was
    /// evaluated for it (in debug builds, checked here: one never evaluated
    /// would read as unknown whatever its value).
    fn kept_value(&self) -> Cow<'a, Tv> {
        debug_assert!(
            matches!(self.node.kind, Expr::Lit(_))
                || !matches!(self.cx.x.kept(self.node), Kept::NotEvaluated),
            "`{}` is shown but was not evaluated",
            self.node.text
        );
        self.cx.x.value(self.node)
    }

    /// The value, where it is a record or a list of them.
    fn records<'t>(&self, tv: &'t Tv) -> Option<&'t Value> {
        match tv {
            Tv::Val(v @ (Value::Record(_) | Value::List(_))) if holds_records(&self.node.ty) => {
                Some(v)
            }
            _ => None,
        }
    }

    /// A record (or a list of them) with its fields named; the item `first`
    /// chose, with its place in the list.
    fn write_items(&self, w: &mut dyn fmt::Write, v: &Value) -> fmt::Result {
        if let Some((list, at)) = self.item() {
            write!(w, "{list}[{at}] ")?;
        }
        let program = self.cx.x.program;
        let names = Names::Keys;
        write_typed(w, program, &self.node.ty, v, &names, &|w, v| {
            write_show(w, program, v)
        })
    }

    /// The type of the step's value.
    pub fn ty(&self) -> &'p Type {
        &self.node.ty
    }

    /// For `first`: the list it looked in (as written) and the place in it
    /// of the item it chose; for `any` that is true (`all` that is false),
    /// of the first item that made it so.
    pub fn item(&self) -> Option<(&'p str, usize)> {
        use crate::syntax::ast::QuantKind;
        let Expr::Quant { kind, list, .. } = &self.node.kind else {
            return None;
        };
        if matches!(kind, QuantKind::Any | QuantKind::All) {
            return self.cx.x.witness(self.node).map(|at| (&*list.text, at));
        }
        if *kind != QuantKind::First {
            return None;
        }
        let chosen = self.cx.x.value(self.node);
        let Tv::Val(v @ Value::Record(_)) = &*chosen else {
            return None;
        };
        match &*self.cx.x.value(list) {
            Tv::Val(Value::List(items)) => items
                .iter()
                .position(|i| i == v)
                .map(|at| (&*list.text, at)),
            _ => None,
        }
    }

    /// The value itself, for words that name it (an enum value's label).
    pub fn tv(&self) -> Tv {
        self.cx.x.value(self.node).into_owned()
    }

    /// Whether two steps (of one derivation or two) have the same value,
    /// compared where each is kept; two values by `eq` (under two programs,
    /// whose enum values are numbered each in its own program).
    pub fn same_value(&self, other: &Step, eq: impl Fn(&Value, &Value) -> bool) -> bool {
        match (&*self.cx.x.value(self.node), &*other.cx.x.value(other.node)) {
            (Tv::Val(a), Tv::Val(b)) => eq(a, b),
            (a, b) => a == b,
        }
    }

    /// Where the value comes from: `rule`, `record`, `def`, `param`,
    /// `decision`, `list item`, `as-of date` or `computed`.
    pub fn source(&self) -> &'static str {
        match self.node_kind() {
            Some(Expr::Lit(_)) => "rule",
            Some(Expr::Input(_)) => "record",
            Some(Expr::Field { .. }) if super::ops::is_input_path(self.node) => "record",
            Some(Expr::Local(_)) => "list item",
            Some(Expr::AsOf) => "as-of date",
            Some(Expr::Param(_) | Expr::ParamOn { .. }) => "param",
            Some(Expr::Def(_)) => "def",
            Some(Expr::Decision(_)) => "decision",
            _ => "computed",
        }
    }

    /// The decision this step reads, if it reads one.
    pub fn decision(&self) -> Option<crate::check::ir::DecisionId> {
        match self.node_kind()? {
            Expr::Decision(id) => Some(*id),
            _ => None,
        }
    }

    /// The qualified name of the def, param or decision this step reads.
    pub fn name(&self) -> Option<&'p str> {
        let program = self.cx.x.program;
        match self.node_kind()? {
            Expr::Param(id) | Expr::ParamOn { param: id, .. } => {
                program.params.get(id.index()).map(|p| &*p.key)
            }
            Expr::Def(id) => program.defs.get(id.index()).map(|d| &*d.key),
            Expr::Decision(id) => program.decisions.get(id.index()).map(|d| &*d.key),
            _ => None,
        }
    }

    pub fn citation(&self) -> Option<&'p str> {
        self.cited().map(|c| &*c.text)
    }

    /// The citation of the param, def or decision this step reads.
    fn cited(&self) -> Option<&'p Citation> {
        let program = self.cx.x.program;
        let citation = match self.node_kind()? {
            Expr::Param(id) | Expr::ParamOn { param: id, .. } => {
                &program.params.get(id.index())?.citation
            }
            Expr::Def(id) => &program.defs.get(id.index())?.citation,
            Expr::Decision(id) => &program.decisions.get(id.index())?.citation,
            _ => return None,
        };
        citation.as_ref()
    }

    /// Whether this step computes a time limit (and so has steps of its own).
    pub fn is_time_limit(&self) -> bool {
        matches!(
            self.node_kind(),
            Some(Expr::DeadlineFrom { .. } | Expr::DeadlineBefore { .. })
        )
    }

    /// The def this step reads, if it reads one.
    pub fn def(&self) -> Option<DefId> {
        match self.node_kind()? {
            Expr::Def(id) => Some(*id),
            _ => None,
        }
    }

    /// How to read the value (where it came from, what it waits on).
    pub fn note(&self) -> Note<'a> {
        let (program, as_of) = (self.cx.x.program, self.cx.x.as_of);
        match (&self.node.kind, self.cx.x.kept(self.node)) {
            (Expr::Field { path, .. }, Kept::Unknown | Kept::NotEvaluated) => {
                Note::NotInRecord(program.path(*path))
            }
            (Expr::Param(id), _) => match param_at(program, *id, as_of) {
                Ok((from, _)) => Note::ParamFrom(from),
                Err(_) => Note::None,
            },
            (Expr::ParamOn { param, on }, _) => match self.cx.x.kept(on) {
                Kept::Date(on) => match param_at(program, *param, on) {
                    Ok((from, _)) => Note::ParamOn(from, on),
                    Err(_) => Note::None,
                },
                _ => Note::None,
            },
            (Expr::Decision(id), _) => {
                let decision = program.decisions.get(id.index());
                match self.cx.outcomes.get(id.index()).map(|o| &o.1) {
                    Some(Outcome::Determined {
                        by: By::Rule(i), ..
                    }) => decision
                        .and_then(|d| d.rules.get(*i))
                        .map(|r| Note::DecidedBy {
                            exception: r.is_exception,
                            rule: &r.name,
                            citation: r.citation.as_ref().map(|c| &*c.text),
                        })
                        .unwrap_or(Note::None),
                    Some(Outcome::Determined {
                        by: By::Default, ..
                    }) => Note::ByDefault,
                    Some(Outcome::Unknown { needs }) => {
                        Note::WaitsOn(needs.iter().map(|p| program.path(*p)).collect())
                    }
                    _ => Note::None,
                }
            }
            _ => Note::None,
        }
    }

    /// The steps of its time limit, in words: first the computation rule
    /// and the holidays it was computed with, then each step with the
    /// provision that states it.
    pub fn steps_text(&self) -> impl Iterator<Item = String> + 'a {
        self.steps_text_in(&crate::time::English)
    }

    /// [`Step::steps_text`] in the language of `t`.
    pub fn steps_text_in<'t>(
        &self,
        t: &'t dyn crate::time::Tongue,
    ) -> impl Iterator<Item = String> + use<'a, 't, 'p> {
        let program = self.cx.x.program;
        let (calendar, computation) = match self.node_kind() {
            Some(Expr::DeadlineFrom {
                calendar,
                computation,
                ..
            }) => (
                calendar.and_then(|c| program.calendars.get(c.index())),
                program.computation(*computation),
            ),
            Some(Expr::DeadlineBefore { computation, .. }) => {
                (None, program.computation(*computation))
            }
            _ => (None, program.computation(None)),
        };
        let steps = self.cx.x.limit(self.node).unwrap_or_default();
        let lt = t.lang() == crate::lang::Lang::Lt;
        let head = (!steps.is_empty()).then(|| {
            let rule = computation
                .citation
                .as_deref()
                .map_or_else(|| computation.name.clone(), |c| t.cite(c));
            match calendar {
                Some(c) => {
                    let whose = c.title.as_deref().unwrap_or(c.name.as_str());
                    let whose = if lt {
                        t.holiday(&c.name)
                    } else {
                        whose.to_string()
                    };
                    let cite = c
                        .citation
                        .as_deref()
                        .map(|c| format!(" [{}]", t.cite(c)))
                        .unwrap_or_default();
                    if lt {
                        format!("apskaičiuota pagal {rule}, taikant {whose} švenčių dienas{cite}")
                    } else {
                        format!("computed under {rule}, with the public holidays of {whose}{cite}")
                    }
                }
                None if lt => format!("apskaičiuota pagal {rule}"),
                None => format!("computed under {rule}"),
            }
        });
        head.into_iter().chain(
            steps
                .iter()
                .map(move |s| s.render_in(t, calendar.map(|c| &**c), computation)),
        )
    }

    /// Every step under this one (a def's body included, however often it is
    /// read): the operands an explanation shows (not those written out in the
    /// rule), and for a decisive `and` (false) or `or` (true) only the parts
    /// with that value.
    pub fn children(&self) -> Children<'a, 'p> {
        Children {
            cx: self.cx,
            nodes: self.child_nodes().into_iter(),
        }
    }

    /// The steps under this one that were evaluated, shown or not: as
    /// [`Step::children`], but every operand of an `and` or `or` (each is
    /// evaluated in full), where it shows only those that decided it. Two
    /// sides' steps of the same expression list the same operands, so what
    /// `lsa diff` compares lines up where the two show different ones.
    pub fn operands(&self) -> Children<'a, 'p> {
        let nodes = match &self.node.kind {
            Expr::And(..) | Expr::Or(..) => {
                let mut operands: SmallVec<[&'p Node; 8]> = SmallVec::new();
                flatten(
                    self.node,
                    matches!(self.node.kind, Expr::And(..)),
                    &mut operands,
                );
                operands.into_iter().collect()
            }
            _ => self.child_nodes(),
        };
        Children {
            cx: self.cx,
            nodes: nodes.into_iter(),
        }
    }

    /// The expressions of [`Step::children`].
    fn child_nodes(&self) -> SmallVec<[&'p Node; 4]> {
        let cx = self.cx;
        let n = self.node;
        let mut out: SmallVec<[&'p Node; 4]> = SmallVec::new();
        match &n.kind {
            Expr::Def(id) => out.extend(cx.x.program.defs.get(id.index()).map(|d| &d.body)),
            Expr::And(..) | Expr::Or(..) => {
                let or_mode = matches!(n.kind, Expr::Or(..));
                let mut operands: SmallVec<[&'p Node; 8]> = SmallVec::new();
                flatten(n, !or_mode, &mut operands);
                let decisive = |o: &Node| matches!(cx.x.kept(o), Kept::Bool(b) if b == or_mode);
                let decided = matches!(cx.x.kept(n), Kept::Bool(b) if b == or_mode);
                out.extend(operands.into_iter().filter(|o| !decided || decisive(o)));
            }
            Expr::DeadlineFrom { event, period, .. }
            | Expr::DeadlineBefore {
                anchor: event,
                period,
                ..
            } => out.extend([&**event, &**period].into_iter().filter(|o| shown(o))),
            Expr::ParamOn { on, .. } => out.extend(shown(on).then_some(&**on)),
            // A field of what a def, decision or `first` gives: that.
            Expr::Field { base, .. } if !super::ops::is_input_path(n) => {
                out.extend(shown(base).then_some(&**base))
            }
            Expr::Quant { list, .. } => {
                out.extend(shown(list).then_some(&**list));
                out.extend(item_free_reads(n).iter());
            }
            // The condition and the branch it took: both where it is
            // unknown, none where it is an error.
            Expr::If(c, a, b) => {
                let taken: &[&'p Node] = match cx.x.kept(c) {
                    Kept::Bool(true) => &[&**c, &**a],
                    Kept::Bool(false) => &[&**c, &**b],
                    Kept::Unknown | Kept::NotEvaluated => &[&**c, &**a, &**b],
                    _ => &[&**c],
                };
                out.extend(taken.iter().copied().filter(|o| shown(o)))
            }
            Expr::Not(a) | Expr::Neg(a) | Expr::Known(a) | Expr::Exists(a) => {
                out.extend(shown(a).then_some(&**a))
            }
            _ if n.binary_operands().is_some() => out.extend(
                n.binary_operands()
                    .into_iter()
                    .flat_map(|(a, b)| [a, b])
                    .filter(|o| shown(o)),
            ),
            Expr::List(items) => out.extend(items.iter().filter(|o| shown(o))),
            // Record reads, literals, list items, params, decisions, the as-of date.
            _ => {}
        }
        out
    }

    /// This step as shown in a derivation where `seen` tracks the defs
    /// explained so far: its note and children; a def explained earlier is
    /// "as above", without children.
    pub fn shown(&self, seen: &Seen) -> (Note<'a>, Children<'a, 'p>) {
        match self.def() {
            Some(id) if !seen.first(id) => (
                Note::AsAbove,
                Children {
                    cx: self.cx,
                    nodes: SmallVec::new().into_iter(),
                },
            ),
            _ => (self.note(), self.children()),
        }
    }

    /// This step (and everything under it) as JSON, on its own.
    pub fn json(&self) -> String {
        let mut out = Vec::new();
        self.write_json(&mut out, &Seen::default());
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes `"value":…` where the step's value is kept inline as
    /// true/false, an integer, a date or an enum value, as [`Step::write_value`]
    /// displays it but without formatting it (most steps an explanation
    /// writes); whether it did.
    fn write_plain_value(&self, m: &mut Obj) -> bool {
        if matches!(self.node.kind, Expr::Lit(_)) {
            return false;
        }
        let plain = |p: Plain, m: &mut Obj| plain_text(p, |text| m.word("value", text)).is_some();
        match self.cx.x.kept(self.node) {
            Kept::Bool(b) => return plain(Plain::Bool(b), m),
            Kept::Integer(i) => return plain(Plain::Integer(i), m),
            Kept::Date(d) => return plain(Plain::Date(d), m),
            Kept::Enum(e, i) => match enum_shared(self.cx.x.program, e, i) {
                Some(name) => m.str("value", name),
                None => return false,
            },
            _ => return false,
        }
        true
    }

    /// Appends this step as the JSON of an explanation: what it is, its
    /// value, where that comes from, and the steps under it (`seen` tracks
    /// the defs written out so far, as [`Step::shown`] says).
    fn write_json(&self, out: &mut Vec<u8>, seen: &Seen) {
        let (note, children) = self.shown(seen);
        let mut m = Obj::new(out);
        match &*self.node.json {
            // (Every expression of a program has it; written anyway.)
            "" => m.str("expr", self.expr()),
            json => m.json("expr", json),
        }
        if let Some(name) = self.name() {
            // (A key: names joined by dots, which JSON never escapes.)
            m.word("name", name);
        }
        if !self.write_plain_value(&mut m) {
            m.display("value", &Displayed(|w| self.write_value(w)));
        }
        if let Some((list, at)) = self.item() {
            m.str("item", &format!("{list}[{at}]"));
        }
        if let Some(c) = self.cited() {
            m.json("citation", &c.json);
        }
        m.word("source", self.source());
        if !matches!(note, Note::None) {
            m.display("note", &note);
        }
        if self.is_time_limit() {
            m.list("steps", self.steps_text(), |out, s| {
                json::write_str(out, &s)
            });
        }
        if !children.is_empty() {
            m.list("children", children, |out, c| c.write_json(out, seen));
        }
        m.end();
    }
}

/// A rule's part (its condition, and its value when computed) as JSON.
fn write_applied_json(out: &mut Vec<u8>, a: Applied, seen: &Seen) {
    let mut m = Obj::new(out);
    m.json("rule", &a.rule().json);
    if let Some(because) = a.because() {
        because.write_json(m.key("because"), seen);
    }
    if let Some(value) = a.value() {
        value.write_json(m.key("value"), seen);
    }
    m.end();
}

impl Derivation<'_, '_> {
    /// Appends the derivation as the JSON of an explanation (the contract's
    /// `explanation`); the one place its shape is written.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let seen = Seen::default();
        let d = self.decision;
        let mut m = Obj::new(out);
        m.members(&d.json_head);
        m.str("status", self.status().key());
        if let Some(v) = self.value() {
            m.display("value", &v);
        }
        let applied = |m: &mut Obj, key: &str, role| {
            if self.parts(role).next().is_some() {
                m.list(key, self.parts(role), |out, a| {
                    write_applied_json(out, a, &seen)
                });
            }
        };
        if let Some((step, cite)) = self.applies() {
            let mut a = Obj::new(m.key("applies"));
            if let Some(c) = cite {
                a.str("citation", c);
            }
            step.write_json(a.key("condition"), &seen);
            a.end();
        }
        applied(&mut m, "by", Role::By);
        if let Some(default) = self.default() {
            default.write_json(m.key("default"), &seen);
        }
        applied(&mut m, "conflict", Role::Conflict);
        if self.parts(Role::SetAside).next().is_some() {
            m.list("set_aside", self.parts(Role::SetAside), |out, a| {
                let mut s = Obj::new(out);
                s.json("rule", &a.rule().json);
                s.list("by", a.set_aside_by(), json::write_str);
                s.end();
            });
        }
        applied(&mut m, "not_applicable", Role::NotApplicable);
        applied(&mut m, "open", Role::Open);
        if self.parts(Role::NotInForce).next().is_some() {
            m.list("not_in_force", self.parts(Role::NotInForce), |out, a| {
                out.extend_from_slice(a.rule().json.as_bytes())
            });
        }
        let needs = self.needs();
        if !needs.is_empty() {
            m.list("needs", needs, json::write_str);
        }
        if let Some(e) = self.error() {
            m.str("error", e);
        }
        if let Some(n) = self.note() {
            m.str("note", &n);
        }
        m.end();
    }
}

/// As JSON: the text [`Derivation::write_json`] writes, read back as a tree
/// and handed to the serializer (for `lsa check`'s JSON, laid out or not,
/// YAML, `lsa serve` and `lsa diff`; `lsa batch` writes the text itself).
/// Nothing is lost: an explanation holds texts, lists and objects only.
/// Read back as deep as the checker lets a program nest
/// (`check::MAX_NESTING`), on the big stacks lsa evaluates on: serde_json's
/// own limit (128 levels) ended an explanation some 30 defs deep in an
/// error, and `lsa check --format json` wrote nothing for the case.
impl Serialize for Derivation<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        use serde::Deserialize;
        let mut out = Vec::new();
        self.write_json(&mut out);
        let mut de = serde_json::Deserializer::from_slice(&out);
        de.disable_recursion_limit();
        serde_json::Value::deserialize(&mut de)
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

/// Whether values of this type are (or hold) records, which an
/// explanation shows with their fields named.
pub fn holds_records(ty: &Type) -> bool {
    match ty.base() {
        Type::Record(_) => true,
        Type::List(t) => holds_records(t),
        _ => false,
    }
}

/// How a record's fields are named when it is written out.
pub enum Names<'n> {
    /// By their keys (`issuing_state`).
    Keys,
    /// By the name `label` gives the field's path (the record's path `at`,
    /// a dot and the field's key; a list's items are at the list's path and
    /// `[]`: `responsibility.documents[].issuing_state`), else by its key.
    Labels {
        at: &'n str,
        label: &'n dyn Fn(&str) -> Option<String>,
    },
}

/// A record's fields named (those the record gives) and a list's items, in
/// the words `leaf` gives every other value (an empty list included).
pub fn typed_with(
    program: &Program,
    ty: &Type,
    v: &Value,
    names: &Names,
    leaf: &dyn Fn(&Value) -> String,
) -> String {
    let mut text = String::new();
    let _ = write_typed(&mut text, program, ty, v, names, &|w, v| {
        w.write_str(&leaf(v))
    });
    text
}

/// [`typed_with`] written into `w` as it goes, `leaf` writing every other
/// value.
fn write_typed(
    w: &mut dyn fmt::Write,
    program: &Program,
    ty: &Type,
    v: &Value,
    names: &Names,
    leaf: &dyn Fn(&mut dyn fmt::Write, &Value) -> fmt::Result,
) -> fmt::Result {
    match (ty.base(), v) {
        (Type::Record(id), Value::Record(slots)) => {
            let fields = program
                .record(*id)
                .map(|r| r.fields.as_slice())
                .unwrap_or_default();
            let given = fields
                .iter()
                .zip(slots.iter())
                .filter_map(|(f, slot)| match slot {
                    crate::value::Slot::Value(v) => Some((f, v)),
                    crate::value::Slot::Absent => None,
                });
            write_joined(w, "{", given, "}", |w, (f, v)| match names {
                Names::Keys => {
                    w.write_str(&f.name)?;
                    w.write_str(": ")?;
                    write_typed(w, program, &f.ty, v, names, leaf)
                }
                Names::Labels { at, label } => {
                    let path = format!("{at}.{}", f.name);
                    match label(&path) {
                        Some(l) => w.write_str(&l)?,
                        None => w.write_str(&f.name)?,
                    }
                    w.write_str(": ")?;
                    let inner = Names::Labels { at: &path, label };
                    write_typed(w, program, &f.ty, v, &inner, leaf)
                }
            })
        }
        (Type::List(t), Value::List(items)) if !items.is_empty() => {
            let item_at;
            let inner = match names {
                Names::Keys => Names::Keys,
                Names::Labels { at, label } => {
                    item_at = format!("{at}[]");
                    Names::Labels {
                        at: &item_at,
                        label,
                    }
                }
            };
            write_joined(w, "[", items.iter(), "]", |w, item| {
                write_typed(w, program, t, item, &inner, leaf)
            })
        }
        _ => leaf(w, v),
    }
}

/// `open`, each of `items` as `each` writes it, separated by `, `, and
/// `close`.
fn write_joined<T>(
    w: &mut dyn fmt::Write,
    open: &str,
    items: impl Iterator<Item = T>,
    close: &str,
    mut each: impl FnMut(&mut dyn fmt::Write, T) -> fmt::Result,
) -> fmt::Result {
    w.write_str(open)?;
    for (k, item) in items.enumerate() {
        if k > 0 {
            w.write_str(", ")?;
        }
        each(w, item)?;
    }
    w.write_str(close)
}

/// Displays what a function writes (`std::fmt::from_fn`, which lsa's
/// oldest supported Rust does not have).
struct Displayed<F: Fn(&mut dyn fmt::Write) -> fmt::Result>(F);

impl<F: Fn(&mut dyn fmt::Write) -> fmt::Result> fmt::Display for Displayed<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// A value as an explanation shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Value(Value),
    /// Words made for the value (a record with its fields named).
    Text(String),
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
    enum_shared(program, e, i)
        .cloned()
        .unwrap_or_else(|| Arc::from("?"))
}

/// An enum value's name, where the program keeps it.
fn enum_shared(program: &Program, e: crate::value::EnumId, i: u32) -> Option<&Arc<str>> {
    program
        .enums
        .get(e.0 as usize)
        .and_then(|d| d.shared.get(i as usize))
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Value(v) => write_value(f, v),
            Shown::Text(t) => f.write_str(t),
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

/// Where a step's value comes from, or how to read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Note<'a> {
    None,
    /// The record does not give this path.
    NotInRecord(&'a str),
    /// The version of a param that applied.
    ParamFrom(Date),
    /// The version of a param in force on a date of the case: from, on.
    ParamOn(Date, Date),
    /// The rule that decided a decision read here.
    DecidedBy {
        exception: bool,
        rule: &'a str,
        citation: Option<&'a str>,
    },
    ByDefault,
    /// What an unknown decision read here waits on.
    WaitsOn(Vec<&'a str>),
    /// A def explained in full earlier in the same derivation.
    AsAbove,
}

impl Note<'_> {
    /// The note in `lang`, citations put in its form by `cite`.
    pub fn words(&self, lang: crate::lang::Lang, cite: &dyn Fn(&str) -> String) -> String {
        let mut text = String::new();
        let _ = self.write_words(&mut text, lang, &|w, c| w.write_str(&cite(c)));
        text
    }

    /// [`Note::words`] written into `w`, `cite` writing each citation.
    fn write_words(
        &self,
        w: &mut dyn fmt::Write,
        lang: crate::lang::Lang,
        cite: &dyn Fn(&mut dyn fmt::Write, &str) -> fmt::Result,
    ) -> fmt::Result {
        use crate::value::Ymd;
        let lt = lang == crate::lang::Lang::Lt;
        match self {
            Note::None => Ok(()),
            Note::NotInRecord(path) if lt => write!(w, "`{path}` įraše nenurodyta"),
            Note::NotInRecord(path) => write!(w, "`{path}` is not in the record"),
            Note::ParamFrom(super::SET_BY_TEST) | Note::ParamOn(super::SET_BY_TEST, _) if lt => {
                w.write_str("reikšmę nustato testas")
            }
            Note::ParamFrom(super::SET_BY_TEST) | Note::ParamOn(super::SET_BY_TEST, _) => {
                w.write_str("value set by the test")
            }
            Note::ParamFrom(d) if lt => write!(w, "reikšmė galioja nuo {}", Ymd(*d)),
            Note::ParamFrom(d) => write!(w, "value in force from {}", Ymd(*d)),
            Note::ParamOn(from, on) if lt => {
                write!(w, "reikšmė, galiojusi {}, nuo {}", Ymd(*on), Ymd(*from))
            }
            Note::ParamOn(from, on) => {
                write!(w, "value in force on {}, from {}", Ymd(*on), Ymd(*from))
            }
            Note::DecidedBy {
                exception,
                rule,
                citation,
            } => {
                let kind = match (lt, exception) {
                    (false, false) => "by rule",
                    (false, true) => "by exception",
                    (true, false) => "pagal taisyklę",
                    (true, true) => "pagal išimtį",
                };
                write!(w, "{kind} `{rule}`")?;
                match citation {
                    Some(c) => {
                        w.write_str(" [")?;
                        cite(w, c)?;
                        w.write_str("]")
                    }
                    None => Ok(()),
                }
            }
            Note::ByDefault if lt => w.write_str("numatytoji reikšmė"),
            Note::ByDefault => w.write_str("by default"),
            Note::WaitsOn(paths) if lt => write!(w, "laukia: {}", paths.join(", ")),
            Note::WaitsOn(paths) => write!(w, "waits on {}", paths.join(", ")),
            Note::AsAbove if lt => w.write_str("kaip aukščiau"),
            Note::AsAbove => w.write_str("as above"),
        }
    }
}

impl fmt::Display for Note<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_words(f, crate::lang::Lang::En, &|w, c| w.write_str(c))
    }
}

/// A value as a caseworker reads it.
pub fn show(program: &Program, v: &Value) -> String {
    let mut text = String::new();
    let _ = write_show(&mut text, program, v);
    text
}

/// [`show`] written into `w`.
fn write_show(w: &mut dyn fmt::Write, program: &Program, v: &Value) -> fmt::Result {
    match v {
        Value::Enum(e, i) => w.write_str(program.enum_variant(*e, *i)),
        Value::List(items) => write_joined(w, "[", items.iter(), "]", |w, item| {
            write_show(w, program, item)
        }),
        other => write_value(w, other),
    }
}

/// True/false, an integer or a date: the values explanations show most.
#[derive(Clone, Copy)]
enum Plain {
    Bool(bool),
    Integer(i64),
    Date(Date),
}

/// `f` of the text of a [`Plain`] value as explanations show it (a date in
/// years 0 to 9999; else `None`): a text JSON never escapes, made without
/// formatting.
#[inline(always)]
fn plain_text<T>(v: Plain, f: impl FnOnce(&str) -> T) -> Option<T> {
    match v {
        Plain::Bool(b) => Some(f(if b { "true" } else { "false" })),
        Plain::Integer(i) => Some(f(itoa::Buffer::new().format(i))),
        Plain::Date(d) => {
            let digits = crate::value::date_digits(d)?;
            Some(f(std::str::from_utf8(&digits).ok()?))
        }
    }
}

/// Writes a value that needs no program to name it.
fn write_value(f: &mut dyn fmt::Write, v: &Value) -> fmt::Result {
    let plain = match *v {
        Value::Bool(b) => Some(Plain::Bool(b)),
        Value::Integer(i) => Some(Plain::Integer(i)),
        Value::Date(d) => Some(Plain::Date(d)),
        _ => None,
    };
    if let Some(written) = plain.and_then(|p| plain_text(p, |text| f.write_str(text))) {
        return written;
    }
    match v {
        // (True/false and integers are written above, and a date in years
        // 0 to 9999.)
        Value::Bool(b) => write!(f, "{b}"),
        Value::Integer(i) => write!(f, "{i}"),
        Value::Date(d) => write!(f, "{}", crate::value::Ymd(*d)),
        Value::Decimal(d) => write!(f, "{}", d.normalize()),
        Value::Money(m) => write!(f, "{m}"),
        Value::Percent(p) => write!(f, "{}%", p.normalize()),
        Value::Text(t) => write!(f, "{t:?}"),
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

fn flatten<'n>(n: &'n Node, is_and: bool, out: &mut SmallVec<[&'n Node; 8]>) {
    match (&n.kind, is_and) {
        (Expr::And(a, b), true) | (Expr::Or(a, b), false) => {
            flatten(a, is_and, out);
            flatten(b, is_and, out);
        }
        _ => out.push(n),
    }
}

/// Whether an explanation shows an operand as a step of its own: not when it
/// is written out in the rule (a literal, or a list of literals).
fn shown(n: &Node) -> bool {
    match &n.kind {
        Expr::Lit(_) => false,
        Expr::List(items) => items.iter().any(shown),
        _ => true,
    }
}

/// What a list operation's body and keys read that is the same for every
/// item (found once by the checker; none for other expressions).
fn item_free_reads(n: &Node) -> &[Node] {
    match &n.kind {
        Expr::Quant { reads, .. } => reads,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A param's value a test sets is said to be the test's, in both
    /// languages; a version of the rules keeps its dates.
    #[test]
    fn a_value_a_test_sets_is_said_to_be_the_tests() {
        use crate::lang::Lang;
        let words = |n: Note, lang| n.words(lang, &|c| c.to_string());
        let (on, from) = (Date::constant(2026, 7, 3), Date::constant(2026, 6, 12));
        for note in [
            Note::ParamFrom(super::super::SET_BY_TEST),
            Note::ParamOn(super::super::SET_BY_TEST, on),
        ] {
            assert_eq!(words(note.clone(), Lang::En), "value set by the test");
            assert_eq!(words(note, Lang::Lt), "reikšmę nustato testas");
        }
        assert_eq!(
            words(Note::ParamOn(from, on), Lang::Lt),
            "reikšmė, galiojusi 2026-07-03, nuo 2026-06-12"
        );
        assert_eq!(
            words(Note::ParamFrom(from), Lang::En),
            "value in force from 2026-06-12"
        );
    }

    /// Every kind of kept value comes back from its stored form as it was
    /// (extremes included), and storing one over another leaves nothing of
    /// the first.
    #[test]
    fn stored_values_come_back_as_kept() {
        let date = Date::constant;
        let period = |amount, unit| Period { amount, unit };
        let kinds = [
            Kept::NotEvaluated,
            Kept::Unknown,
            Kept::Bool(true),
            Kept::Bool(false),
            Kept::Integer(i64::MIN),
            Kept::Integer(-1),
            Kept::Integer(i64::MAX),
            Kept::Date(date(-9999, 1, 1)),
            Kept::Date(date(2028, 2, 29)),
            Kept::Date(date(9999, 12, 31)),
            Kept::Enum(EnumId(u32::MAX), u32::MAX),
            Kept::Enum(EnumId(3), 0),
            Kept::Duration(period(-5, DurationUnit::WorkingDays)),
            Kept::Duration(period(i64::MAX, DurationUnit::Hours)),
            Kept::Duration(period(18, DurationUnit::Weeks)),
            Kept::None,
            Kept::Other(u32::MAX),
            Kept::NoneToCompare,
        ];
        for before in kinds {
            for kept in kinds {
                let mut stored = Stored::NOT_EVALUATED;
                stored.set(before);
                stored.set(kept);
                assert_eq!(format!("{:?}", stored.get()), format!("{kept:?}"));
            }
        }
    }
}
