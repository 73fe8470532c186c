//! Evaluation: a checked [`Program`] and one case's inputs to an [`Outcome`]
//! per decision, and (on request) the derivation behind each ([`why`]).
//!
//! Pure: no I/O, no panics, no global state. Facts are three-valued: a field
//! missing from the record is unknown, and unknowns propagate by Kleene logic.
//! Evaluation errors (overflow, a `none` where a value is needed) stay inside the
//! outcomes they affect. Every name was resolved to a slot by the checker, so an
//! evaluation does no lookups by name.

pub mod fast;
mod ops;
pub mod why;

use jiff::civil::Date;
use serde::Serialize;
use smallvec::SmallVec;

use crate::check::ir::*;
use crate::syntax::ast::Policy;
use crate::value::{date_str, Slot, Value};

/// Input paths that would decide an unknown, most useful first.
pub type Needs = Vec<PathId>;

/// A three-valued result.
#[derive(Clone, Debug, PartialEq)]
pub enum Tv {
    Val(Value),
    Unknown(Needs),
    Err(String),
}

impl Tv {
    /// The value, or (if there is none) the outcome of a decision that needs it.
    fn known(self) -> Result<Value, Outcome> {
        match self {
            Tv::Val(value) => Ok(value),
            Tv::Unknown(needs) => Err(Outcome::Unknown { needs }),
            Tv::Err(message) => Err(Outcome::Error { message }),
        }
    }

    fn truth(&self) -> Option<bool> {
        match self {
            Tv::Val(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }
}

/// Every decision's outcome for one case, and the warnings its facts
/// raise (by index in `Program::warnings`; `None` where the fast
/// evaluation leaves them to the general evaluator).
pub type Results = (Vec<(DecisionId, Outcome)>, Option<Vec<u32>>);

/// How a decision came out for one case.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Determined {
        value: Value,
        by: By,
    },
    Unknown {
        needs: Needs,
    },
    /// No value: no rule applies and there is no default, the decision is
    /// not in force, or it does not apply to this case.
    Undetermined {
        reason: Reason,
    },
    /// Rules that apply together with different values (`unique`).
    Conflict {
        rules: Vec<usize>,
    },
    Error {
        message: String,
    },
}

/// Why an outcome has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// No rule applies and the decision has no default.
    NoRule,
    /// The decision is not in force on the as-of date.
    NotInForce,
    /// The case is not one the decision is made for: the place, in
    /// [`DecisionDef::applies`], of the first of its `applies` lines whose
    /// condition is false (a decision has at most [`MAX_APPLIES`] lines).
    NotApplicable(u8),
}

/// What gave a determined value.
#[derive(Clone, Debug, PartialEq)]
pub enum By {
    Rule(usize),
    /// `collect`: every rule that applied, in order.
    Rules(Vec<usize>),
    Default,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Determined,
    Unknown,
    Undetermined,
    Conflict,
    Error,
}

impl Status {
    /// Every status, in order (`status as usize` is its place).
    pub const ALL: [Status; 5] = [
        Status::Determined,
        Status::Unknown,
        Status::Undetermined,
        Status::Conflict,
        Status::Error,
    ];

    /// The contract's word for it.
    pub fn key(self) -> &'static str {
        match self {
            Status::Determined => "determined",
            Status::Unknown => "unknown",
            Status::Undetermined => "undetermined",
            Status::Conflict => "conflict",
            Status::Error => "error",
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl Outcome {
    /// What gave a determined value (the rule, the rules, the default).
    pub fn by(&self) -> Option<&By> {
        match self {
            Outcome::Determined { by, .. } => Some(by),
            _ => None,
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Outcome::Determined { .. } => Status::Determined,
            Outcome::Unknown { .. } => Status::Unknown,
            Outcome::Undetermined { .. } => Status::Undetermined,
            Outcome::Conflict { .. } => Status::Conflict,
            Outcome::Error { .. } => Status::Error,
        }
    }

    pub fn value(&self) -> Option<&Value> {
        match self {
            Outcome::Determined { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Whether two outcomes come to the same: the same status and, where
    /// determined, values alike by `alike` (what `lsa diff` and `POST
    /// /v1/diff` count as no change, whichever rule gave the value and
    /// whatever an unknown waits on).
    pub fn same_result(&self, other: &Outcome, alike: impl Fn(&Value, &Value) -> bool) -> bool {
        self.status() == other.status()
            && match (self.value(), other.value()) {
                (Some(a), Some(b)) => alike(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// A condition's state before the policy resolves the decision.
#[derive(Clone, Debug, Default)]
enum Cond {
    True,
    False,
    /// Not in force on the as-of date: takes no part.
    #[default]
    Off,
    Open(Needs),
    Failed(String),
}

/// The conditions of one decision's rules (few: kept off the heap).
type Conds = SmallVec<[Cond; 8]>;

/// Conditions open at once beyond which a decision is reported unknown without
/// trying every combination (2^12 resolutions at most per decision).
const MAX_OPEN: usize = 12;

/// The most `applies` lines a decision may have (its file's or its own):
/// [`Reason::NotApplicable`] holds the place of one in a byte.
pub const MAX_APPLIES: usize = u8::MAX as usize + 1;

/// Memory an evaluation can hand to the next one.
#[derive(Default)]
pub struct Scratch {
    defs: Vec<Option<Tv>>,
    decisions: Vec<Option<Outcome>>,
    locals: Vec<Value>,
    defs_explained: Vec<bool>,
}

/// One case, evaluated lazily: each def and decision is computed at most once.
pub struct Evaluation<'p, 'c> {
    program: &'p Program,
    inputs: &'c [Slot],
    as_of: Date,
    defs: Vec<Option<Tv>>,
    decisions: Vec<Option<Outcome>>,
    locals: Vec<Value>,
    /// Which defs' bodies the explanation being built has evaluated.
    defs_explained: Vec<bool>,
    /// How many list operations are running, one inside the other.
    pub(crate) quantifiers: u32,
    /// Items gone through by the outermost list operation running and those
    /// inside it (bounded by [`MAX_LIST_STEPS`]).
    pub(crate) list_steps: u64,
    /// The fast evaluation of this case, for the list operations an
    /// explanation evaluates whole (made at the first; what it reads is
    /// kept for the next).
    fast: Option<fast::Fast<'c>>,
}

/// The most items a list operation, with those inside it, goes through for
/// one case: `count(a in xs: count(b in xs: …))` over 10,000 items would be
/// 100,000,000 steps (seconds); past this it is an error in that outcome
/// (reliability finding F14). About a third of a second in a release build;
/// 2,000 items nested in 2,000 stay within it.
pub const MAX_LIST_STEPS: u64 = 4_000_000;

impl<'p, 'c> Evaluation<'p, 'c> {
    /// `inputs` holds one slot per input of the program, in declaration order.
    pub fn new(program: &'p Program, inputs: &'c [Slot], as_of: Date) -> Evaluation<'p, 'c> {
        Evaluation::with_scratch(program, inputs, as_of, Scratch::default())
    }

    /// Like [`Evaluation::new`], reusing the memory of an earlier evaluation
    /// (see [`Evaluation::finish`]), so a caseload allocates nothing per case
    /// beyond its outputs.
    pub fn with_scratch(
        program: &'p Program,
        inputs: &'c [Slot],
        as_of: Date,
        scratch: Scratch,
    ) -> Evaluation<'p, 'c> {
        let Scratch {
            mut defs,
            mut decisions,
            mut locals,
            defs_explained,
        } = scratch;
        defs.clear();
        defs.resize_with(program.defs.len(), || None);
        decisions.clear();
        decisions.resize_with(program.decisions.len(), || None);
        locals.clear();
        Evaluation {
            program,
            inputs,
            as_of,
            defs,
            decisions,
            locals,
            defs_explained,
            quantifiers: 0,
            list_steps: 0,
            fast: None,
        }
    }

    /// Decides every decision and hands over the outcomes (moved, not copied),
    /// with the memory to reuse for the next case.
    pub fn finish(mut self) -> (Vec<(DecisionId, Outcome)>, Scratch) {
        for i in 0..self.program.decisions.len() {
            self.decided(DecisionId(i as u32));
        }
        self.finish_decided()
    }

    /// The outcomes of the decisions decided so far, without deciding the
    /// others (each of those `Undetermined`): for a caller that evaluated
    /// only what it needed (`lsa diff`).
    pub fn finish_decided(mut self) -> (Vec<(DecisionId, Outcome)>, Scratch) {
        if let Some(fast) = self.fast.take() {
            fast.recycle();
        }
        let outcomes = self
            .decisions
            .drain(..)
            .enumerate()
            .map(|(i, o)| {
                (
                    DecisionId(i as u32),
                    o.unwrap_or(Outcome::Undetermined {
                        reason: Reason::NoRule,
                    }),
                )
            })
            .collect();
        (
            outcomes,
            Scratch {
                defs: self.defs,
                decisions: self.decisions,
                locals: self.locals,
                defs_explained: self.defs_explained,
            },
        )
    }

    /// The outcome of a decision, computed once per case and borrowed after.
    fn decided(&mut self, id: DecisionId) -> Option<&Outcome> {
        if !matches!(self.decisions.get(id.index()), Some(Some(_))) {
            let outcome = self.resolve_decision(id);
            *self.decisions.get_mut(id.index())? = Some(outcome);
        }
        self.decisions.get(id.index()).and_then(Option::as_ref)
    }

    /// The state of every rule's condition; a `first` decision without
    /// exceptions stops at the first rule that applies (the later ones cannot
    /// change the outcome).
    fn conditions(&mut self, d: &DecisionDef) -> Conds {
        let (mut conds, as_of) = (Conds::new(), self.as_of);
        let read = |_: usize, r: &RuleDef| Some(self.condition(r));
        in_order(d, as_of, read, |c| matches!(c, Cond::True), &mut conds);
        conds
    }

    /// Which rules apply, into `applies`, if every condition evaluates to
    /// true or false (else `None`, and the caller takes the road that handles
    /// open conditions).
    fn known_conditions(&mut self, d: &DecisionDef, applies: &mut Applies) -> Option<()> {
        applying(d, self.as_of, |_, r| self.truth_of(&r.when), applies)
    }

    fn condition(&mut self, r: &RuleDef) -> Cond {
        match self.eval(&r.when) {
            Tv::Val(Value::Bool(true)) => Cond::True,
            Tv::Val(Value::Bool(false)) => Cond::False,
            Tv::Val(Value::None) => Cond::Failed(format!("`{}` has no value (none)", r.when.text)),
            Tv::Val(other) => Cond::Failed(format!(
                "a condition gave {} instead of true/false",
                other.type_word()
            )),
            Tv::Unknown(needs) => Cond::Open(needs),
            Tv::Err(e) => Cond::Failed(e),
        }
    }

    fn resolve_decision(&mut self, id: DecisionId) -> Outcome {
        let program = self.program;
        let Some(d) = program.decisions.get(id.index()) else {
            return Outcome::Error {
                message: "no such decision".into(),
            };
        };
        if !d.validity.contains(self.as_of) {
            return Outcome::Undetermined {
                reason: Reason::NotInForce,
            };
        }
        if let Some(outcome) = self.not_applying(&d.applies) {
            return outcome;
        }
        // The common case: every condition known. Straight to the policy.
        // Otherwise the conditions are evaluated again below, keeping what each
        // waits for; that happens only for incomplete files, and defs and
        // decisions are memoised, so the repeat is cheap.
        let mut applies = Applies::new();
        if self.known_conditions(d, &mut applies).is_some() {
            return self.resolve(d, &applies, &mut []);
        }
        let conds = self.conditions(d);
        let open: SmallVec<[usize; 8]> = conds
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Cond::Open(_) | Cond::Failed(_)))
            .map(|(i, _)| i)
            .collect();
        let mut applies: SmallVec<[bool; 8]> =
            conds.iter().map(|c| matches!(c, Cond::True)).collect();
        if open.is_empty() {
            // Every condition is known: one resolution, nothing to remember between tries.
            return self.resolve(d, &applies, &mut []);
        }
        let mut values: SmallVec<[Option<Tv>; 8]> = smallvec::smallvec![None; d.rules.len()];
        if open.len() > MAX_OPEN {
            return self.unresolved(&conds, &open);
        }
        // Try every way the open conditions could turn out; if all give the same
        // answer, the outcome does not depend on them. The rule reported is the
        // one that decides on the facts known (every open condition false).
        let mut first: Option<Outcome> = None;
        for mask in 0u32..(1u32 << open.len()) {
            for (bit, &i) in open.iter().enumerate() {
                if let Some(a) = applies.get_mut(i) {
                    *a = mask & (1 << bit) != 0;
                }
            }
            let outcome = self.resolve(d, &applies, &mut values);
            match &first {
                None => first = Some(outcome),
                Some(f) if same_answer(f, &outcome) => {}
                Some(_) => return self.unresolved(&conds, &open),
            }
        }
        first.unwrap_or(Outcome::Undetermined {
            reason: Reason::NoRule,
        })
    }

    /// The outcome of a decision whose `applies` lines do not all hold for
    /// this case (`None` when they do): as Kleene's `and` of their
    /// conditions, undetermined where one is false (the first such line
    /// gives the reason), else the first error, else unknown with what they
    /// wait on together.
    fn not_applying(&mut self, lines: &[Applicability]) -> Option<Outcome> {
        let mut open: Option<Outcome> = None;
        for (k, a) in lines.iter().enumerate() {
            let error = |message: String| Outcome::Error { message };
            match self.def_done(a.def) {
                Some(Tv::Val(Value::Bool(true))) => {}
                Some(Tv::Val(Value::Bool(false))) => {
                    return Some(Outcome::Undetermined {
                        reason: Reason::NotApplicable(k as u8),
                    });
                }
                Some(Tv::Unknown(needs)) => match &mut open {
                    None => {
                        open = Some(Outcome::Unknown {
                            needs: needs.clone(),
                        })
                    }
                    Some(Outcome::Unknown { needs: all }) => {
                        for p in needs {
                            if !all.contains(p) {
                                all.push(*p);
                            }
                        }
                    }
                    Some(_) => {}
                },
                Some(Tv::Err(message)) if !matches!(open, Some(Outcome::Error { .. })) => {
                    open = Some(error(message.clone()));
                }
                Some(Tv::Val(_)) if !matches!(open, Some(Outcome::Error { .. })) => {
                    open = Some(error("the condition of `applies` is not true/false".into()));
                }
                Some(_) | None => {}
            }
        }
        open
    }

    /// The outcome when open conditions matter: an error if one of them failed,
    /// else unknown, with the facts ranked by how many open rules each settles.
    fn unresolved(&self, conds: &[Cond], open: &[usize]) -> Outcome {
        if let Some(Cond::Failed(message)) = open
            .iter()
            .filter_map(|i| conds.get(*i))
            .find(|c| matches!(c, Cond::Failed(_)))
        {
            return Outcome::Error {
                message: message.clone(),
            };
        }
        let lists: Vec<&Needs> = open
            .iter()
            .filter_map(|i| match conds.get(*i) {
                Some(Cond::Open(n)) => Some(n),
                _ => None,
            })
            .collect();
        Outcome::Unknown {
            needs: rank_needs(&lists),
        }
    }

    /// Applies the policy to one assignment of which rules apply.
    fn resolve(&mut self, d: &DecisionDef, applies: &[bool], values: &mut [Option<Tv>]) -> Outcome {
        self.resolve_with(d, applies, |e, i| e.rule_value(d, i, values))
    }

    /// [`Evaluation::resolve`], each rule's value asked of `value` (rule
    /// `i`'s), as the policy reads it.
    fn resolve_with(
        &mut self,
        d: &DecisionDef,
        applies: &[bool],
        mut value: impl FnMut(&mut Self, usize) -> Tv,
    ) -> Outcome {
        self.apply_policy(d, applies, &mut value)
            .unwrap_or_else(|stopped| stopped)
    }

    /// [`Evaluation::resolve`]; `Err` when a value the policy reads is
    /// unknown or failed, which is then the outcome.
    fn apply_policy(
        &mut self,
        d: &DecisionDef,
        applies: &[bool],
        value: &mut impl FnMut(&mut Self, usize) -> Tv,
    ) -> Result<Outcome, Outcome> {
        let mut active = (0..d.rules.len()).filter(|&i| active(d, applies, i));
        Ok(match d.policy {
            Policy::First => match active.next() {
                Some(i) => Outcome::Determined {
                    value: value(self, i).known()?,
                    by: By::Rule(i),
                },
                None => self.default_outcome(d),
            },
            Policy::Unique => {
                let mut first: Option<(usize, Value)> = None;
                // The rules that disagree, the first one's included.
                let mut conflict: Vec<usize> = Vec::new();
                for i in active {
                    let value = value(self, i).known()?;
                    match &first {
                        None => first = Some((i, value)),
                        Some((_, v)) if *v == value => {}
                        Some((k, _)) => {
                            if conflict.is_empty() {
                                conflict.push(*k);
                            }
                            conflict.push(i);
                        }
                    }
                }
                match first {
                    None => self.default_outcome(d),
                    Some(_) if !conflict.is_empty() => Outcome::Conflict { rules: conflict },
                    Some((i, value)) => Outcome::Determined {
                        value,
                        by: By::Rule(i),
                    },
                }
            }
            Policy::Collect => {
                let mut collected: Vec<Value> = Vec::new();
                let mut rules: Vec<usize> = Vec::new();
                for i in active {
                    collected.push(value(self, i).known()?);
                    rules.push(i);
                }
                if collected.is_empty() && d.default.is_some() {
                    self.default_outcome(d)
                } else {
                    Outcome::Determined {
                        value: Value::List(collected.into()),
                        by: By::Rules(rules),
                    }
                }
            }
        })
    }

    /// The value of rule `i`'s `then`, remembered across the tries of one resolution.
    fn rule_value(&mut self, d: &DecisionDef, i: usize, values: &mut [Option<Tv>]) -> Tv {
        if let Some(Some(tv)) = values.get(i) {
            return tv.clone();
        }
        let tv = match d.rules.get(i) {
            Some(r) => self.eval(&r.then),
            None => Tv::Err("no such rule".into()),
        };
        if let Some(slot) = values.get_mut(i) {
            *slot = Some(tv.clone());
        }
        tv
    }

    /// The default's value, or undetermined without one.
    fn default_outcome(&mut self, d: &DecisionDef) -> Outcome {
        match &d.default {
            Some(default) => match self.eval(default) {
                Tv::Val(value) => Outcome::Determined {
                    value,
                    by: By::Default,
                },
                Tv::Unknown(needs) => Outcome::Unknown { needs },
                Tv::Err(message) => Outcome::Error { message },
            },
            None => Outcome::Undetermined {
                reason: Reason::NoRule,
            },
        }
    }

    /// Every fact of the record still to ask for: first what the unknown
    /// decisions need now (in their order, the most useful first), then
    /// every other fact absent from the record that those decisions, or the
    /// unknown defs and decisions they read, read at all, so that once all
    /// are supplied nothing is left unknown, however the answers come out.
    pub fn ask_next(&mut self) -> Vec<PathId> {
        let program = self.program;
        let n = program.decisions.len();
        let mut out: Vec<PathId> = Vec::new();
        let mut unknown = Vec::new();
        for i in 0..n {
            let id = DecisionId(i as u32);
            if let Some(Outcome::Unknown { needs }) = self.decided(id) {
                for p in needs.clone() {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
                unknown.push(id);
            }
        }
        let mut seen_defs = vec![false; program.defs.len()];
        let mut seen_decisions = vec![false; n];
        for id in unknown {
            self.absent_reads_of_decision(id, &mut seen_defs, &mut seen_decisions, &mut out);
        }
        out
    }

    fn absent_reads_of_decision(
        &mut self,
        id: DecisionId,
        seen_defs: &mut [bool],
        seen_decisions: &mut [bool],
        out: &mut Vec<PathId>,
    ) {
        match seen_decisions.get_mut(id.index()) {
            Some(seen @ false) => *seen = true,
            _ => return,
        }
        let Some(d) = self.program.decisions.get(id.index()) else {
            return;
        };
        for a in &d.applies {
            self.absent_reads_of_def(a.def, seen_defs, seen_decisions, out);
        }
        if let Some(default) = &d.default {
            self.absent_reads(default, seen_defs, seen_decisions, out);
        }
        for r in &d.rules {
            // A rule whose condition is already false cannot apply whatever
            // the record goes on to give (Kleene's `and` and `or` keep a
            // known value): nothing it reads is asked for (the border
            // procedure's five days from a relocated applicant's arrival,
            // for an application made at a border crossing point). Not a
            // condition reading `known(…)`, which giving a fact changes.
            if matches!(self.eval(&r.when), Tv::Val(Value::Bool(false)))
                && !reads_known(self.program, &r.when)
            {
                continue;
            }
            self.absent_reads(&r.when, seen_defs, seen_decisions, out);
            self.absent_reads(&r.then, seen_defs, seen_decisions, out);
        }
    }

    fn absent_reads_of_def(
        &mut self,
        id: DefId,
        seen_defs: &mut [bool],
        seen_decisions: &mut [bool],
        out: &mut Vec<PathId>,
    ) {
        match seen_defs.get_mut(id.index()) {
            Some(seen @ false) => *seen = true,
            _ => return,
        }
        if !matches!(self.def(id), Tv::Unknown(_)) {
            return;
        }
        if let Some(def) = self.program.defs.get(id.index()) {
            self.absent_reads(&def.body, seen_defs, seen_decisions, out);
        }
    }

    /// The facts under `node` that the record does not give, into `out`;
    /// under a list operation, each field of the items that the body or a
    /// key reads and an item of the record lacks (`family[].status`: an
    /// answer that makes one field known can make the next one read).
    fn absent_reads(
        &mut self,
        node: &'p Node,
        seen_defs: &mut [bool],
        seen_decisions: &mut [bool],
        out: &mut Vec<PathId>,
    ) {
        match &node.kind {
            Expr::Input(_) | Expr::Field { .. } => {
                if let Tv::Unknown(needs) = self.eval(node) {
                    for p in needs {
                        if !out.contains(&p) {
                            out.push(p);
                        }
                    }
                    // A field of an item not yet chosen (`earlier.member_state`,
                    // the earliest of a list whose dates are asked for).
                    if let Expr::Field { path, .. } = &node.kind {
                        self.lacking_in_items(*path, out);
                    }
                }
            }
            Expr::Def(id) => self.absent_reads_of_def(*id, seen_defs, seen_decisions, out),
            Expr::Decision(id) => {
                if matches!(self.decided(*id), Some(Outcome::Unknown { .. })) {
                    self.absent_reads_of_decision(*id, seen_defs, seen_decisions, out);
                }
            }
            Expr::Quant {
                list, body, keys, ..
            } => {
                self.absent_reads(list, seen_defs, seen_decisions, out);
                // (Not where the operation's value is known already, as an
                // `any` an item makes true: no answer changes it.)
                if matches!(self.eval(node), Tv::Unknown(_)) {
                    for n in std::iter::once(&**body).chain(keys.iter().map(|k| &k.key)) {
                        self.item_fields_lacking(n, out);
                    }
                }
            }
            _ => {
                for c in node.children() {
                    self.absent_reads(c, seen_defs, seen_decisions, out);
                }
            }
        }
    }

    /// Into `out`, each field of a list's items that `node` reads (a path
    /// through a list: `family[].status`) and an item of the record lacks.
    fn item_fields_lacking(&self, node: &Node, out: &mut Vec<PathId>) {
        if let Expr::Field { path, .. } = &node.kind {
            self.lacking_in_items(*path, out);
        }
        for c in node.children() {
            self.item_fields_lacking(c, out);
        }
    }

    /// Into `out`, `path` if it names a field of a list's items (`a.b[].c`)
    /// and an item of the record lacks it.
    fn lacking_in_items(&self, path: PathId, out: &mut Vec<PathId>) {
        if !out.contains(&path)
            && !items_lacking(self.program, self.inputs, self.program.path(path)).is_empty()
        {
            out.push(path);
        }
    }

    /// The outcome of a decision for this case, borrowed.
    pub fn outcome_ref(&mut self, id: DecisionId) -> Option<&Outcome> {
        self.decided(id)
    }

    /// The outcome of a decision for this case.
    pub fn outcome(&mut self, id: DecisionId) -> Outcome {
        self.decided(id).cloned().unwrap_or(Outcome::Undetermined {
            reason: Reason::NoRule,
        })
    }

    /// [`Evaluation::warned`], the fast way where it can (in the fast
    /// evaluation this one keeps for list operations, its memos shared):
    /// the general evaluator's conditions cost an explanation 2 %. The
    /// determinations a warning reads are handed to it as this evaluation
    /// decided them (deciding one again, and all it reads, cost an
    /// explanation 3 k instructions for
    /// `procedure.examined_in_another_procedure`); a warning it gives up on
    /// is asked of this evaluation.
    pub fn warned_fast_first(&mut self) -> Vec<u32>
    where
        'p: 'c,
    {
        let program = self.program;
        let mut warned = Vec::new();
        for (k, w) in program.warnings.iter().enumerate() {
            for id in &w.decisions {
                let Some(outcome) = self.decided(*id).cloned() else {
                    continue;
                };
                self.kept_fast().know_decision(*id, &outcome);
            }
            let fast = self.kept_fast().warning(w);
            if fast.unwrap_or_else(|| self.raised(w)) {
                warned.push(k as u32);
            }
        }
        warned
    }

    /// The warnings whose condition is true for this case (by index in
    /// `Program::warnings`); one whose condition is unknown, or an error,
    /// is not raised.
    pub fn warned(&mut self) -> Vec<u32> {
        let program = self.program;
        let mut warned = Vec::new();
        for (k, w) in program.warnings.iter().enumerate() {
            if self.raised(w) {
                warned.push(k as u32);
            }
        }
        warned
    }

    /// The fast evaluation this one keeps for the case (list operations,
    /// warnings), made at its first use; its memos serve every later one.
    fn kept_fast(&mut self) -> &mut fast::Fast<'c>
    where
        'p: 'c,
    {
        let (program, inputs, as_of) = (self.program, self.inputs, self.as_of);
        self.fast
            .get_or_insert_with(|| fast::Fast::new(program, inputs, as_of))
    }

    /// Whether a warning's condition is true (unknown, or an error, is not).
    fn raised(&mut self, w: &WarningDef) -> bool {
        matches!(self.def_done(w.def), Some(Tv::Val(Value::Bool(true))))
    }

    /// The value of a def, computed once per case.
    pub fn def(&mut self, id: DefId) -> Tv {
        self.def_done(id)
            .cloned()
            .unwrap_or_else(|| Tv::Err("no such def".into()))
    }

    /// The value of a def, computed once per case and borrowed after.
    fn def_done(&mut self, id: DefId) -> Option<&Tv> {
        if matches!(self.defs.get(id.index()), Some(None)) {
            let program = self.program;
            // A def's value does not depend on the items of a list
            // operation it is read under: its own list operations are
            // counted on their own, so the count does not depend on where
            // the def is first read.
            let running = (self.quantifiers, self.list_steps);
            self.quantifiers = 0;
            // Its list variables are its own: a def first read inside a
            // list operation must not see, or drop, the items bound there.
            let outer = (!self.locals.is_empty()).then(|| std::mem::take(&mut self.locals));
            let tv = match program.defs.get(id.index()) {
                Some(def) => self.eval(&def.body),
                None => Tv::Err("no such def".into()),
            };
            if let Some(outer) = outer {
                self.locals = outer;
            }
            (self.quantifiers, self.list_steps) = running;
            *self.defs.get_mut(id.index())? = Some(tv);
        }
        self.defs.get(id.index()).and_then(Option::as_ref)
    }

    /// The value of a param on the as-of date, with the date that version applies from.
    pub fn param(&self, id: ParamId) -> Result<(Date, Value), String> {
        param_at(self.program, id, self.as_of)
    }

    /// `determined(d)` for the decision `id`: whether it has a value for the
    /// case (an undetermined one is false, not an error as reading it is).
    fn determined_value(&mut self, id: DecisionId) -> Tv {
        let program = self.program;
        match self.decided(id) {
            Some(Outcome::Determined { .. }) => Tv::Val(Value::Bool(true)),
            Some(Outcome::Undetermined { .. }) => Tv::Val(Value::Bool(false)),
            Some(Outcome::Unknown { needs }) => Tv::Unknown(needs.clone()),
            Some(Outcome::Error { message }) => Tv::Err(message.clone()),
            other => {
                let key = program.decisions.get(id.index()).map(|d| &*d.key);
                let key = key.unwrap_or("?");
                Tv::Err(match other {
                    Some(_) => format!("`{key}` has conflicting rules"),
                    None => format!("no decision `{key}`"),
                })
            }
        }
    }

    fn decision_value(&mut self, id: DecisionId) -> Tv {
        let as_of = self.as_of;
        let program = self.program;
        let key = program
            .decisions
            .get(id.index())
            .map(|d| &*d.key)
            .unwrap_or("?");
        // Borrowed, so reading a decision's value copies the value alone.
        let outcome = match self.decided(id) {
            Some(Outcome::Determined { value, .. }) => return Tv::Val(value.clone()),
            Some(other) => other.clone(),
            None => Outcome::Error {
                message: format!("no decision `{key}`"),
            },
        };
        match outcome {
            Outcome::Determined { value, .. } => Tv::Val(value),
            Outcome::Unknown { needs } => Tv::Unknown(needs),
            Outcome::Undetermined {
                reason: Reason::NotInForce,
            } => Tv::Err(format!("`{key}` is not in force on {}", date_str(as_of))),
            Outcome::Undetermined {
                reason: Reason::NotApplicable(_),
            } => Tv::Err(format!("`{key}` does not apply to this case")),
            Outcome::Undetermined {
                reason: Reason::NoRule,
            } => Tv::Err(format!(
                "`{key}` is undetermined: no rule applies and it has no default"
            )),
            Outcome::Conflict { .. } => Tv::Err(format!("`{key}` has conflicting rules")),
            Outcome::Error { message } => Tv::Err(message),
        }
    }
}

/// The version of a param in force on a date: the date it applies from and
/// its value, borrowed from the program.
/// The first day of a param's value set by a test (`params:` in an
/// expectation file, `expect::with_params`): in force on every date, and
/// said so in an explanation (not "from -9999-01-01"). A rule file cannot
/// write it (its dates have years 0 to 9999).
pub const SET_BY_TEST: Date = Date::MIN;

fn param_version(program: &Program, id: ParamId, as_of: Date) -> Option<&(Date, Value)> {
    let p = program.params.get(id.index())?;
    p.values.iter().rev().find(|(from, _)| *from <= as_of)
}

/// The value of a param on a date, with the date that version applies from.
pub fn param_at(program: &Program, id: ParamId, as_of: Date) -> Result<(Date, Value), String> {
    if let Some((from, v)) = param_version(program, id, as_of) {
        return Ok((*from, v.clone()));
    }
    Err(match program.params.get(id.index()) {
        Some(p) => format!(
            "`{}.{}` has no value in force on {}",
            p.ruleset,
            p.name,
            date_str(as_of)
        ),
        None => "no such param".into(),
    })
}

/// Whether a rule is in force on a date (a rule without its own dates is in
/// force when its decision is, which is checked first).
fn in_force(r: &RuleDef, as_of: Date) -> bool {
    !r.own_validity || r.validity.contains(as_of)
}

/// Which rules of a decision apply (up to 32 kept off the heap: the shipped
/// law's largest decisions have 19 and 20 rules).
type Applies = SmallVec<[bool; 32]>;

/// Which rules of a decision apply, given the truth of each condition in
/// force, written into `applies`; `None` as soon as a condition it needs is
/// neither true nor false. (Filled in where the caller keeps it: a list
/// handed back is copied whole right after it was written piece by piece,
/// which stalls the processor.)
fn applying(
    d: &DecisionDef,
    as_of: Date,
    truth: impl FnMut(usize, &RuleDef) -> Option<bool>,
    applies: &mut Applies,
) -> Option<()> {
    in_order(d, as_of, truth, |b| *b, applies)
}

/// The state of each rule's condition, into `out`: `read(i, rule)` is
/// asked in order for the rules in force, and no more once a `first`
/// decision without exceptions has a rule that `applies`; the others are
/// `T::default()` (off, or not applying). `None` as soon as `read` gives none.
fn in_order<T: Default, A: smallvec::Array<Item = T>>(
    d: &DecisionDef,
    as_of: Date,
    mut read: impl FnMut(usize, &RuleDef) -> Option<T>,
    applies: impl Fn(&T) -> bool,
    out: &mut SmallVec<A>,
) -> Option<()> {
    let stop_early = d.policy == Policy::First && !d.has_exceptions;
    out.clear();
    let mut decided = false;
    for (i, r) in d.rules.iter().enumerate() {
        if decided || !in_force(r, as_of) {
            out.push(T::default());
            continue;
        }
        let state = read(i, r)?;
        decided = stop_early && applies(&state);
        out.push(state);
    }
    Some(())
}

/// Whether rule `i` takes part in resolving its decision: it applies and no
/// applicable exception sets it aside.
fn active(d: &DecisionDef, applies: &[bool], i: usize) -> bool {
    let applies_at = |i: usize| applies.get(i).copied().unwrap_or(false);
    applies_at(i) && overriders(d, applies_at, i).next().is_none()
}

/// The rules that apply (by `applies_at`) and set rule `i` aside.
fn overriders<'d>(
    d: &'d DecisionDef,
    applies_at: impl Fn(usize) -> bool + 'd,
    i: usize,
) -> impl Iterator<Item = usize> + 'd {
    let rules = if d.has_exceptions {
        d.rules.as_slice()
    } else {
        &[]
    };
    rules
        .iter()
        .enumerate()
        .filter(move |(k, r)| applies_at(*k) && r.overrides.contains(&i))
        .map(|(k, _)| k)
}

/// Whether two outcomes give a caseworker the same answer (the same status and
/// value), whichever rule gave it.
fn same_answer(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Outcome::Determined { value: x, .. }, Outcome::Determined { value: y, .. }) => x == y,
        _ => a == b,
    }
}

/// Orders the facts that open rules wait for: most rules settled first, then
/// declaration order (path ids are assigned in declaration order).
pub fn rank_needs(lists: &[&Needs]) -> Needs {
    let mut counts: Vec<(PathId, usize)> = Vec::new();
    for list in lists {
        for p in list.iter() {
            match counts.iter_mut().find(|(q, _)| q == p) {
                Some((_, n)) => *n += 1,
                None => counts.push((*p, 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.into_iter().map(|(p, _)| p).collect()
}

/// Whether `node` reads `known(…)`, itself or through the defs it names
/// (a decision it names is asked for on its own).
fn reads_known(program: &Program, node: &Node) -> bool {
    let mut seen = vec![false; program.defs.len()];
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.kind {
            Expr::Known(_) => return true,
            Expr::Def(id) => {
                if let Some(seen @ false) = seen.get_mut(id.index()) {
                    *seen = true;
                    if let Some(def) = program.defs.get(id.index()) {
                        stack.push(&def.body);
                    }
                }
            }
            _ => stack.extend(n.children()),
        }
    }
    false
}

/// The places in a case's record where a list item lacks the field a path
/// through the list names (`a.list[].field` → `a.list[2].field`, …); empty
/// for a path through no list.
pub fn items_lacking(program: &Program, inputs: &[Slot], path: &str) -> Vec<String> {
    fn walk(
        program: &Program,
        ty: &crate::value::Type,
        slot: &Slot,
        at: String,
        rest: &[&str],
        out: &mut Vec<String>,
    ) {
        use crate::value::Type;
        let Some((segment, rest)) = rest.split_first() else {
            if matches!(slot, Slot::Absent) {
                out.push(at);
            }
            return;
        };
        let (name, through_list) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*segment, false),
        };
        let (Type::Record(rid), Slot::Value(Value::Record(fields))) = (ty.base(), slot) else {
            return;
        };
        let Some(record) = program.record(*rid) else {
            return;
        };
        let Some(i) = record.fields.iter().position(|f| f.name == name) else {
            return;
        };
        let (Some(field), Some(inner)) = (record.fields.get(i), fields.get(i)) else {
            return;
        };
        let here = format!("{at}.{name}");
        match (through_list, field.ty.base(), inner) {
            (true, Type::List(item), Slot::Value(Value::List(items))) => {
                for (n, v) in items.iter().enumerate() {
                    let slot = Slot::Value(v.clone());
                    walk(program, item, &slot, format!("{here}[{n}]"), rest, out);
                }
            }
            (false, _, _) => walk(program, &field.ty, inner, here, rest, out),
            _ => {}
        }
    }
    if !path.contains("[]") {
        return Vec::new();
    }
    let segments: Vec<&str> = path.split('.').collect();
    let Some((first, rest)) = segments.split_first() else {
        return Vec::new();
    };
    let Some(i) = program.inputs.iter().position(|d| d.name == *first) else {
        return Vec::new();
    };
    let (Some(input), Some(slot)) = (program.inputs.get(i), inputs.get(i)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(
        program,
        &input.ty,
        slot,
        (*first).to_string(),
        rest,
        &mut out,
    );
    out
}
