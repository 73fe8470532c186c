//! Rust code for one law's evaluation (without explanations): each def's
//! body, each rule's condition and value and each default, lowered
//! (`check::lower`) and written out as a function of straight-line code
//! that calls what each operation means (`ops.rs`) with its constants in
//! place: no node to dispatch on, no operand behind a pointer, and the
//! compiler free to inline across a whole condition.
//!
//! The code for the shipped law is checked in (`shipped.rs`), and a test
//! (`tests/lsa/generated.rs`) fails where it is not what [`generate`]
//! writes for the shipped rules now. A program uses it only where its
//! [`Survey::fingerprint`] is the one the code was made for: a hash of
//! everything the code depends on (every lowered expression, each
//! decision's shape, and this file's own text). Any other program, or the
//! shipped one after an unregenerated change, runs on the nodes
//! (`nodes.rs`), which compute the same (the tests compare the two).

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{Hash, Hasher};

use crate::check::ir::*;
use crate::check::lower::{lower, Kind, Op};
use crate::syntax::ast::{Policy, QuantKind};
use crate::time::Computation;
use crate::value::{Period, Value};

/// What the code made for a program depends on, and what the program
/// keeps beside it.
pub(super) struct Survey {
    /// The hash of everything the code depends on (see the module's
    /// documentation).
    pub(super) fingerprint: u64,
    /// The literals the code reads where they are (texts, numbers that
    /// are not integers, periods, lists), in the order [`each_literal`]
    /// finds them in the program's units.
    pub(super) literals: Vec<Value>,
}

/// FNV-1a, 64 bits: a hash that is the same on every build (the
/// standard library's may change between releases) and on every machine:
/// numbers are hashed as little-endian bytes, and lengths and the other
/// `usize` and `isize` numbers as 64 bits, so a 32-bit or big-endian build
/// of the shipped law finds the fingerprint its code was made for (on
/// x86-64 the bytes are those the standard library's defaults give).
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u16(&mut self, n: u16) {
        self.write(&n.to_le_bytes());
    }

    fn write_u32(&mut self, n: u32) {
        self.write(&n.to_le_bytes());
    }

    fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }

    fn write_u128(&mut self, n: u128) {
        self.write(&n.to_le_bytes());
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as i64 as u64);
    }
}

/// The units of a program the code is made of, each lowered, in the order
/// both [`survey`] and [`generate`] go through them: every def's body,
/// then each decision's rules (condition, value) and default.
fn units<'p>(
    defs: &'p [DefDef],
    decisions: &'p [DecisionDef],
    warnings: &[WarningDef],
    mut unit: impl FnMut(Unit<'p, '_>),
) {
    for (i, d) in defs.iter().enumerate() {
        unit(Unit::Def(i, d, &lower(&d.body)));
    }
    // Each warning's condition (a def's body), asked for its truth in place.
    for (k, w) in warnings.iter().enumerate() {
        if let Some(d) = defs.get(w.def.index()) {
            unit(Unit::Warning(k, d, &lower(&d.body)));
        }
    }
    for (k, d) in decisions.iter().enumerate() {
        unit(Unit::Decision(d));
        for (i, r) in d.rules.iter().enumerate() {
            unit(Unit::When(k, i, r, &lower(&r.when)));
            unit(Unit::Then(k, i, &lower(&r.then)));
        }
        if let Some(default) = &d.default {
            unit(Unit::Default(k, &lower(default)));
        }
    }
}

/// One unit of a program (see [`units`]), with its expression lowered.
#[derive(Clone, Copy)]
enum Unit<'p, 'o> {
    Def(usize, &'p DefDef, &'o Op),
    /// A warning's condition: its place among the warnings, its def.
    Warning(usize, &'p DefDef, &'o Op),
    /// A decision itself: its shape, before its rules.
    Decision(&'p DecisionDef),
    When(usize, usize, &'p RuleDef, &'o Op),
    Then(usize, usize, &'o Op),
    Default(usize, &'o Op),
}

impl<'o> Unit<'_, 'o> {
    /// Its expression (a decision itself has none).
    fn op(self) -> Option<&'o Op> {
        match self {
            Unit::Def(.., op)
            | Unit::Warning(.., op)
            | Unit::When(.., op)
            | Unit::Then(.., op)
            | Unit::Default(_, op) => Some(op),
            Unit::Decision(_) => None,
        }
    }
}

/// Whether a literal is a value the code writes in place (else it reads
/// it from the program's [`Survey::literals`]).
fn inline(v: &Value) -> bool {
    matches!(
        v,
        Value::Bool(_) | Value::Integer(_) | Value::Date(_) | Value::Enum(..) | Value::None
    )
}

/// `f` of `op` and of every operation under it, each before those under
/// it, operands in order.
fn each_op<'o>(op: &'o Op, f: &mut dyn FnMut(&'o Op)) {
    f(op);
    let all = |ops: &'o [Op], f: &mut dyn FnMut(&'o Op)| {
        for o in ops {
            each_op(o, f);
        }
    };
    match op {
        Op::Lit(_)
        | Op::Path { .. }
        | Op::Local { .. }
        | Op::Param(_)
        | Op::Def(_)
        | Op::Decision(_)
        | Op::Determined(_)
        | Op::AsOf => {}
        Op::CmpLit(_, a, _)
        | Op::Field { base: a, .. }
        | Op::ParamOn { on: a, .. }
        | Op::Not(a)
        | Op::Neg(a)
        | Op::Known(a)
        | Op::Exists(a)
        | Op::IsEnum { item: a, .. }
        | Op::InEnums { item: a, .. } => each_op(a, f),
        Op::And(ops) | Op::Or(ops) | Op::List(ops) => all(ops, f),
        Op::If(ops) => all(&ops[..], f),
        Op::Cmp(_, a, b)
        | Op::Arith(_, a, b)
        | Op::Age(a, b)
        | Op::DaysBetween(a, b)
        | Op::In {
            item: a, list: b, ..
        }
        | Op::DeadlineFrom {
            event: a,
            period: b,
            ..
        }
        | Op::DeadlineBefore {
            anchor: a,
            period: b,
        } => {
            each_op(a, f);
            each_op(b, f);
        }
        Op::Quant {
            list, body, keys, ..
        } => {
            each_op(list, f);
            each_op(body, f);
            for (k, _) in keys.iter() {
                each_op(k, f);
            }
        }
    }
}

/// `f` of each literal under `op` the code reads where it is, in order.
fn each_literal<'o>(op: &'o Op, f: &mut dyn FnMut(&'o Value)) {
    each_op(op, &mut |o| match o {
        Op::Lit(v) | Op::CmpLit(_, _, v) if !inline(v) => f(v),
        _ => {}
    });
}

/// Whether `op` binds list variables (a list operation under it): the
/// def whose body it is then keeps the list variables of the quantifiers
/// it is read in apart from its own (`Fast::def_by`); else nothing needs
/// to (`Fast::plain_def_by`).
fn binds_list_variables(op: &Op) -> bool {
    let mut binds = false;
    each_op(op, &mut |o| binds |= matches!(o, Op::Quant { .. }));
    binds
}

/// A time in force as day numbers (`time::day_number`), each end where
/// it has one.
fn days(v: &Validity) -> (Option<i32>, Option<i32>) {
    (
        v.from.map(crate::time::day_number),
        v.until.map(crate::time::day_number),
    )
}

/// What the generated code takes as constants for a time limit that runs
/// a param's period in force on its event's day (`deadline(from: x,
/// p(on: x))`): each param's versions where every one is a period (its
/// first day as a day number, its unit and amount, the latest first), and
/// for each computation rule what `time::plain_end` takes from it
/// (`time::PlainRule`; a period it does not compute, in working days say,
/// goes the general way when it is read). The fingerprint takes them in: a
/// rule tree whose params or computation rules differ runs the nodes.
pub(super) struct Folded {
    params: Vec<Option<Vec<super::Version>>>,
    rules: Vec<crate::time::PlainRule>,
    /// Each param whose every version is a list of texts: the versions,
    /// the latest first, each its first day as a day number and its texts
    /// (for `x in p`, `ops::text_in_codes`).
    codes: Vec<Option<Vec<CodesVersion>>>,
}

/// A version of a param of texts: its first day as a day number, its texts.
type CodesVersion = (i32, Vec<String>);

impl Folded {
    pub(super) fn new(params: &[ParamDef], computations: &[Computation]) -> Folded {
        // Each version's value as `of` takes it, the latest first, with its
        // first day as a day number; `None` where one is not (or none).
        fn each<T>(p: &ParamDef, of: impl Fn(&Value) -> Option<T>) -> Option<Vec<(i32, T)>> {
            p.values
                .iter()
                .rev()
                .map(|(from, v)| Some((crate::time::day_number(*from), of(v)?)))
                .collect::<Option<Vec<_>>>()
                .filter(|v| !v.is_empty())
        }
        let versions = |p: &ParamDef| {
            let periods = each(p, |v| match v {
                Value::Duration(Period { amount, unit }) => Some((*unit, *amount)),
                _ => None,
            })?;
            Some(
                periods
                    .into_iter()
                    .map(|(from, (unit, amount))| (from, unit, amount))
                    .collect::<Vec<_>>(),
            )
        };
        let codes = |p: &ParamDef| {
            each(p, |v| match v {
                Value::List(items) => items
                    .iter()
                    .map(|item| match item {
                        Value::Text(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>(),
                _ => None,
            })
        };
        Folded {
            codes: params.iter().map(codes).collect(),
            params: params.iter().map(versions).collect(),
            rules: computations
                .iter()
                .map(crate::time::PlainRule::of)
                .collect(),
        }
    }

    /// A time limit of `param`'s period under `computation`, as constants:
    /// the versions and the rule's clauses, where it is folded.
    fn limit(
        &self,
        param: ParamId,
        computation: ComputationId,
    ) -> Option<(&[super::Version], crate::time::PlainRule)> {
        let versions = self.params.get(param.index())?.as_deref()?;
        let rule = *self.rules.get(computation.index())?;
        Some((versions, rule))
    }
}

/// The program's [`Survey`]: its fingerprint, and its literals.
pub(super) fn survey(
    defs: &[DefDef],
    decisions: &[DecisionDef],
    warnings: &[WarningDef],
    folded: &Folded,
) -> Survey {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    // (Without carriage returns: a checkout that ends lines with them is
    // the same generator.)
    for b in include_str!("gen.rs").bytes().filter(|b| *b != b'\r') {
        h.write_u8(b);
    }
    (defs.len(), decisions.len()).hash(&mut h);
    (&folded.params, &folded.rules, &folded.codes).hash(&mut h);
    // Which defs are the warnings' conditions, in order.
    warnings.len().hash(&mut h);
    for w in warnings {
        w.def.hash(&mut h);
    }
    let mut literals = Vec::new();
    units(defs, decisions, warnings, |unit| {
        if let Unit::Decision(d) = unit {
            // (Its dates as day numbers: the code compares the as-of day
            // with them.)
            (
                days(&d.validity),
                d.applies.iter().map(|a| a.def).collect::<Vec<_>>(),
                d.policy,
                d.has_exceptions,
                d.rules.len(),
                d.default.is_some(),
            )
                .hash(&mut h);
            for r in &d.rules {
                (r.own_validity, days(&r.validity), &r.overrides).hash(&mut h);
            }
        }
        if let Some(op) = unit.op() {
            op.hash(&mut h);
            each_literal(op, &mut |v| literals.push(v.clone()));
        }
    });
    Survey {
        fingerprint: h.finish(),
        literals,
    }
}

/// A decision as its code is written: what [`Writer::decision_fn`] needs.
struct DecisionCode<'p> {
    def: &'p DecisionDef,
    /// Its rules: the condition's function, the value's expression.
    rules: Vec<(String, String)>,
    /// Its default's function, where it has one.
    default: Option<String>,
}

/// The code for `program` (the text of `shipped.rs` for the shipped rules).
pub fn generate(program: &Program) -> String {
    let warnings = &program.warnings;
    let folded = Folded::new(&program.params, &program.computations);
    let survey = survey(&program.defs, &program.decisions, warnings, &folded);
    let mut g = Writer {
        folded: Some(folded),
        binds: program
            .defs
            .iter()
            .map(|d| binds_list_variables(&lower(&d.body)))
            .collect(),
        truths: program
            .defs
            .iter()
            .map(|d| is_condition(&lower(&d.body)))
            .collect(),
        def_count: program.defs.len(),
        applies_readers: program.decisions.iter().fold(HashMap::new(), |mut m, d| {
            *m.entry(d.applies.iter().map(|a| a.def).collect())
                .or_default() += 1;
            m
        }),
        ..Writer::default()
    };
    let mut defs = Vec::new();
    let mut decisions: Vec<DecisionCode> = Vec::new();
    let mut warned = Vec::new();
    units(&program.defs, &program.decisions, warnings, |unit| {
        // (Numbered by place in memory: this unit's only, as a place of
        // one freed before may be used again.)
        g.literals.clear();
        if let Some(op) = unit.op() {
            each_literal(op, &mut |v| {
                g.literals.insert(v as *const Value, g.literal_count);
                g.literal_count += 1;
            });
        }
        match unit {
            Unit::Def(i, d, op) => {
                let name = format!("def_{i}");
                let doc = format!("def `{}`", d.key);
                if is_condition(op) {
                    // Read as a truth (`Fast::truth_by`), inlined into the
                    // function that keeps it; its value for the nodes.
                    let truth = format!("{name}_truth");
                    g.truth_fn(&truth, &doc, true, op);
                    let _ = write!(
                        g.out,
                        "\n/// {doc}: its value (for the nodes)\nfn {name}<'a>(f: &mut Fast<'a>) -> R<'a> {{\n    {truth}(f).value()\n}}\n"
                    );
                } else {
                    // Inlined into the function that keeps its value in the
                    // memo (`Fast::define_by`, `Fast::define_plain_by`), which
                    // then stores the value it made rather than copying one
                    // written through memory.
                    g.value_fn(&name, &doc, true, op);
                }
                defs.push(name);
            }
            Unit::Warning(k, d, op) => {
                let name = format!("warning_{k}");
                g.truth_fn(
                    &name,
                    &format!("warning `{}`: its condition", d.key),
                    false,
                    op,
                );
                warned.push((k, name));
            }
            Unit::Decision(def) => decisions.push(DecisionCode {
                def,
                rules: Vec::new(),
                default: None,
            }),
            Unit::When(k, i, r, op) => {
                let name = format!("when_{k}_{i}");
                g.truth_fn(
                    &name,
                    &format!("rule `{}`: its condition", r.key),
                    false,
                    op,
                );
                if let Some(d) = decisions.last_mut() {
                    d.rules.push((name, String::new()));
                }
            }
            Unit::Then(k, i, op) => {
                let then = match op {
                    // A literal, in place.
                    Op::Lit(v) => g.lit(v),
                    op => {
                        let name = format!("then_{k}_{i}");
                        g.value_fn(&name, "its value", false, op);
                        format!("{name}(f)")
                    }
                };
                if let Some((_, t)) = decisions.last_mut().and_then(|d| d.rules.last_mut()) {
                    *t = then;
                }
            }
            Unit::Default(k, op) => {
                let name = format!("default_{k}");
                g.value_fn(&name, "the decision's default", false, op);
                if let Some(d) = decisions.last_mut() {
                    d.default = Some(name);
                }
            }
        }
    });
    let mut names = Vec::new();
    for (k, d) in decisions.iter().enumerate() {
        let name = format!("decision_{k}");
        g.decision_fn(&name, d);
        names.push(name);
    }
    let mut out = String::new();
    let _ = write!(
        out,
        "// @generated by lsa's code generator (src/eval/fast/gen.rs) from the\n\
         // shipped rules: do not edit. After a change to what the rules compute or\n\
         // to the generator: `LSA_REGENERATE=1 cargo test --test lsa generated`.\n\
         // Where this file does not compile, put the empty tables in its place\n\
         // (`FINGERPRINT` 0, `APPLIES_SETS` 0, every table `&[]`, `decide_all` only `Ok(())`,\n\
         // `warned_all` only `None`): the nodes run instead.\n\
         \n\
         // (Written, not written by hand: the style lints are for people.)\n\
         #![allow(unused_variables, clippy::all)]\n\
         \n\
         use super::nodes::{{DecideFn, Gen, Node, Truth, ValueFn}};\n\
         use super::*;\n\
         \n\
         pub(super) const FINGERPRINT: u64 = {fp:#018x};\n\
         \n\
         /// The sets of `applies` lines whose truth is kept after the defs'.\n\
         pub(super) const APPLIES_SETS: usize = {sets};\n\
         \n\
         pub(super) const DEFS: &[ValueFn] = &[{defs}];\n\
         \n\
         pub(super) const DECISIONS: &[DecideFn] = &[{decisions}];\n\
         \n\
         /// Every decision, in order, each function called directly.\n\
         pub(super) fn decide_all<'a>(f: &mut Fast<'a>) -> Result<(), Stop> {{\n",
        fp = survey.fingerprint,
        sets = g.applies_sets.len(),
        defs = defs.join(", "),
        decisions = names.join(", "),
    );
    // A decision no decision before it may read is not yet decided when
    // its turn comes: decided without a look at the memo first.
    for ((k, name), fresh) in names.iter().enumerate().zip(fresh(program)) {
        let call = if fresh { "decide_fresh" } else { "decision_by" };
        let _ = writeln!(out, "    f.{call}(DecisionId({k}), {name})?;");
    }
    out.push_str("    Ok(())\n}\n");
    out.push_str(
        "\n/// Every warning's condition, in order, each function called directly:\n\
         /// the warnings raised (by index), or `None` where the general evaluator\n\
         /// must say which.\n\
         pub(super) fn warned_all<'a>(f: &mut Fast<'a>, warned: &mut Vec<u32>) -> Option<()> {\n",
    );
    for (k, name) in &warned {
        let _ = writeln!(out, "    if raised({name}(f))? {{ warned.push({k}); }}");
    }
    out.push_str("    Some(())\n}\n");
    out.push_str(&g.out);
    out
}

/// By decision: whether `decide_all`, deciding them in order, finds it
/// not yet decided when its turn comes, as no decision before it may read
/// it (through its rules, default and `applies`, and the defs and
/// decisions they read, all the way down).
fn fresh(program: &Program) -> Vec<bool> {
    // What each def's body and each decision reads directly: defs, decisions.
    fn reads<'o>(ops: impl IntoIterator<Item = &'o Op>) -> (Vec<usize>, Vec<usize>) {
        let (mut defs, mut decisions) = (Vec::new(), Vec::new());
        for op in ops {
            each_op(op, &mut |o| match o {
                Op::Def(id) => defs.push(id.index()),
                Op::Decision(id) | Op::Determined(id) => decisions.push(id.index()),
                _ => {}
            });
        }
        (defs, decisions)
    }
    let def_reads: Vec<(Vec<usize>, Vec<usize>)> = program
        .defs
        .iter()
        .map(|d| reads([&lower(&d.body)]))
        .collect();
    let decision_reads: Vec<(Vec<usize>, Vec<usize>)> = program
        .decisions
        .iter()
        .map(|d| {
            let mut ops: Vec<Op> = Vec::new();
            for r in &d.rules {
                ops.push(lower(&r.when));
                ops.push(lower(&r.then));
            }
            ops.extend(d.default.as_ref().map(lower));
            let (mut defs, decisions) = reads(&ops);
            defs.extend(d.applies.iter().map(|a| a.def.index()));
            (defs, decisions)
        })
        .collect();
    // Everything deciding the decisions so far may have decided.
    let mut def_seen = vec![false; def_reads.len()];
    let mut decided = vec![false; decision_reads.len()];
    let mut fresh = Vec::with_capacity(decision_reads.len());
    for k in 0..decision_reads.len() {
        fresh.push(!decided.get(k).copied().unwrap_or(true));
        let mut stack: Vec<(bool, usize)> = vec![(false, k)];
        while let Some((is_def, i)) = stack.pop() {
            let (seen, reads) = if is_def {
                (def_seen.get_mut(i), def_reads.get(i))
            } else {
                (decided.get_mut(i), decision_reads.get(i))
            };
            match seen {
                Some(seen) if !*seen => *seen = true,
                // (Gone through already, and all it reads.)
                _ => continue,
            }
            if let Some((defs, decisions)) = reads {
                stack.extend(defs.iter().map(|&d| (true, d)));
                stack.extend(decisions.iter().map(|&d| (false, d)));
            }
        }
    }
    fresh
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Each literal read in place: its index in [`Survey::literals`].
    literals: HashMap<*const Value, usize>,
    /// The literals numbered so far.
    literal_count: usize,
    /// Numbers for labels and list operations' functions.
    next: usize,
    /// By def: whether its body binds list variables
    /// ([`binds_list_variables`]).
    binds: Vec<bool>,
    /// The time limits' constants ([`Folded`]).
    folded: Option<Folded>,
    /// By def: whether its body is a condition, read as a truth
    /// ([`is_condition`]).
    truths: Vec<bool>,
    /// The number of defs: the memo of truths holds, after them, the
    /// truth of each set of `applies` lines ([`Writer::applies_sets`]).
    def_count: usize,
    /// Each set of two or more `applies` lines that two or more decisions
    /// read (a file's, shared by its decisions), by its lines' defs: its
    /// number.
    applies_sets: Vec<Vec<DefId>>,
    /// How many decisions read each set of `applies` lines.
    applies_readers: HashMap<Vec<DefId>, usize>,
}

/// Whether `op` is a condition the generated code computes as a truth
/// (`Writer::tru`) and whose value is that truth's (`and`, `or`, `not`,
/// `exists`, a comparison, a test of an enum value): a def whose body is
/// one is kept and read as a truth.
fn is_condition(op: &Op) -> bool {
    matches!(
        op,
        Op::Not(_)
            | Op::Exists(_)
            | Op::IsEnum { .. }
            | Op::CmpLit(..)
            | Op::Cmp(..)
            | Op::InEnums { .. }
            | Op::And(_)
            | Op::Or(_)
    )
}

impl Writer {
    /// Whether the code for `op` computes a truth (`Writer::tru`), which
    /// its value is made from: a condition, or a def whose body is one.
    fn computes_truth(&self, op: &Op) -> bool {
        match op {
            Op::Def(id) => self.def_truth(*id).is_some(),
            op => is_condition(op),
        }
    }

    /// A def's value, through the memo, its function called directly.
    fn def(&self, id: DefId) -> String {
        match self.def_truth(id) {
            Some(t) => format!("{t}.value()"),
            None => self.memo_read(id, "def_by", ""),
        }
    }

    /// A def's truth through the memo of truths, where its body is a
    /// condition ([`is_condition`]).
    fn def_truth(&self, id: DefId) -> Option<String> {
        (self.truths.get(id.index()) == Some(&true))
            .then(|| self.memo_read(id, "truth_by", "_truth"))
    }

    /// A def read through the memo `memo` (`def_by`, `truth_by`) by its
    /// function (`def_N` and `suffix`): the memo's plain form
    /// (`plain_def_by`, …) where its body binds no list variable.
    fn memo_read(&self, id: DefId, memo: &str, suffix: &str) -> String {
        let plain = match self.binds.get(id.index()) {
            Some(false) => "plain_",
            _ => "",
        };
        format!("f.{plain}{memo}(DefId({0}), def_{0}{suffix})", id.0)
    }

    /// The truth of a set of `applies` lines (each read as `truths`), kept
    /// in the memo after the defs': a function computing their Kleene
    /// `and` the first time a set is met, and the read of it.
    fn applies_set(&mut self, lines: Vec<DefId>, truths: &[String]) -> String {
        let k = match self.applies_sets.iter().position(|l| *l == lines) {
            Some(k) => k,
            None => {
                let mut f = format!(
                    "\n/// `applies` lines {}: their `and`, kept as one truth.\nfn applies_set_{}<'a>(f: &mut Fast<'a>) -> Truth {{\n    let mut worst = Truth::True;\n",
                    lines.iter().map(|l| format!("def {}", l.0)).collect::<Vec<_>>().join(", "),
                    self.applies_sets.len()
                );
                for t in truths {
                    let _ = writeln!(
                        f,
                        "    let t = {t}; if t == Truth::False {{ return t; }} worst = ops::worse(worst, t);"
                    );
                }
                f.push_str("    worst\n}\n");
                self.out.push_str(&f);
                self.applies_sets.push(lines);
                self.applies_sets.len() - 1
            }
        };
        format!(
            "f.plain_truth_by(DefId({}), applies_set_{k})",
            self.def_count + k
        )
    }

    /// `list` as [`Folded`] codes (a param read on the as-of date whose
    /// every version is a list of texts), written as the code's constant.
    fn codes(&self, list: &Op) -> Option<String> {
        let Op::Param(id) = list else {
            return None;
        };
        let versions = self.folded.as_ref()?.codes.get(id.index())?.as_ref()?;
        let versions: Vec<String> = versions
            .iter()
            .map(|(from, texts)| format!("({from}, &{texts:?})"))
            .collect();
        Some(format!(
            "Codes {{ versions: &[{}], param: ParamId({}) }}",
            versions.join(", "),
            id.0
        ))
    }

    fn fresh(&mut self) -> usize {
        self.next += 1;
        self.next
    }

    /// A function computing `op`'s value (`inlined`: into each function
    /// that calls it).
    fn value_fn(&mut self, name: &str, doc: &str, inlined: bool, op: &Op) {
        let body = self.val(op);
        let inline = if inlined { "#[inline(always)]\n" } else { "" };
        let _ = write!(
            self.out,
            "\n/// {doc}\n{inline}fn {name}<'a>(f: &mut Fast<'a>) -> R<'a> {{\n    {body}\n}}\n"
        );
    }

    /// A function computing `op`'s truth (`inlined`: into each function
    /// that calls it).
    fn truth_fn(&mut self, name: &str, doc: &str, inlined: bool, op: &Op) {
        let body = self.tru(op);
        let inline = if inlined { "#[inline(always)]\n" } else { "" };
        let _ = write!(
            self.out,
            "\n/// {doc}\n{inline}fn {name}<'a>(f: &mut Fast<'a>) -> Truth {{\n    {body}\n}}\n"
        );
    }

    /// A decision's resolution (as `Fast::resolve` resolves it), its rules
    /// one after another.
    fn decision_fn(&mut self, name: &str, code: &DecisionCode) {
        let d = code.def;
        let mut s = format!(
            "\n/// decision `{}`\nfn {name}<'a>(f: &mut Fast<'a>) -> Result<Decided<'a>, Stop> {{\n",
            d.key
        );
        let in_force = |v: &Validity| {
            let (from, until) = days(v);
            match (from, until) {
                (None, None) => None,
                (Some(from), None) => Some(format!("({from} <= f.as_of_day)")),
                (None, Some(until)) => Some(format!("(f.as_of_day <= {until})")),
                (Some(from), Some(until)) => {
                    Some(format!("({from} <= f.as_of_day && f.as_of_day <= {until})"))
                }
            }
        };
        if let Some(c) = in_force(&d.validity) {
            let _ = writeln!(
                s,
                "    if !{c} {{ return Ok(Decided::Not(Reason::NotInForce)); }}"
            );
        }
        if !d.applies.is_empty() {
            // Each line read as a truth (a def whose body is not a condition
            // through its value: not true/false is given up on, as
            // `Fast::resolve` does).
            let lines: Vec<DefId> = d.applies.iter().map(|a| a.def).collect();
            let truths: Vec<String> = lines
                .iter()
                .map(|&l| match self.def_truth(l) {
                    Some(t) => t,
                    None => format!("Truth::of({})", self.def(l)),
                })
                .collect();
            // Two or more lines read by two or more decisions (a file's):
            // their `and` is kept as one truth, after the defs', and where it
            // is true the lines hold; else each is read again, for which.
            let shared = self.applies_readers.get(&lines).is_some_and(|&n| n > 1);
            let set = (lines.len() > 1 && shared).then(|| self.applies_set(lines, &truths));
            if let Some(set) = &set {
                let _ = writeln!(s, "    if {set} != Truth::True {{");
            }
            // Kleene's `and` of the lines, as `Fast::resolve` takes it: the
            // first false one decides, then one the general evaluator must
            // see, then one waiting on a fact.
            s.push_str("    let mut open: Option<Stop> = None;\n");
            for (k, t) in truths.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "    match {t} {{ Truth::True => {{}} Truth::False => return Ok(Decided::Not(Reason::NotApplicable({k}))), Truth::Unknown => open = open.or(Some(Unknown)), Truth::GiveUp => open = Some(gave_up()) }}"
                );
            }
            s.push_str("    if let Some(stop) = open { return Err(stop); }\n");
            if set.is_some() {
                s.push_str("    }\n");
            }
        }
        if d.rules.len() > 64 {
            // (Which rules apply is kept as bits: the general evaluator
            // resolves a larger decision.)
            s.push_str("    Err(GiveUp)\n}\n");
            self.out.push_str(&s);
            return;
        }
        let stop_early = d.policy == Policy::First && !d.has_exceptions;
        // (The first rule that applies decides: the others are not tested.)
        s.push_str(if stop_early {
            "    let mut applies = 0u64;\n    'rules: {\n"
        } else {
            "    let mut applies = 0u64;\n    {\n"
        });
        for (i, (r, (when, _))) in d.rules.iter().zip(&code.rules).enumerate() {
            let stop = if stop_early { " break 'rules;" } else { "" };
            let test = format!(
                "match {when}(f) {{ Truth::True => {{ applies |= 1 << {i};{stop} }} Truth::False => {{}} Truth::Unknown | Truth::GiveUp => return Err(gave_up()) }}"
            );
            match in_force(&r.validity).filter(|_| r.own_validity) {
                Some(c) => {
                    let _ = writeln!(s, "        if {c} {{ {test} }}");
                }
                None => {
                    let _ = writeln!(s, "        {test}");
                }
            }
        }
        s.push_str("    }\n");
        if d.has_exceptions {
            s.push_str("    let mut active = applies;\n");
            for (i, r) in d.rules.iter().enumerate() {
                let bits = r
                    .overrides
                    .iter()
                    .filter(|k| **k < 64)
                    .fold(0u64, |bits, k| bits | 1 << k);
                if bits != 0 {
                    let _ = writeln!(
                        s,
                        "    if applies & (1 << {i}) != 0 {{ active &= !{bits:#x}; }}"
                    );
                }
            }
        } else {
            s.push_str("    let active = applies;\n");
        }
        let default = match &code.default {
            Some(f) => format!("Some({f})"),
            None => "None::<ValueFn>".into(),
        };
        let _ = writeln!(
            s,
            "    f.by_policy(Policy::{:?}, active, {default}, |f, i| match i {{",
            d.policy
        );
        for (i, (_, then)) in code.rules.iter().enumerate() {
            let _ = writeln!(s, "        {i} => {then},");
        }
        s.push_str("        _ => Err(GiveUp),\n    })\n}\n");
        self.out.push_str(&s);
    }

    /// A literal as a value (`R`).
    fn lit(&self, v: &Value) -> String {
        match v {
            Value::Bool(b) => format!("Ok(V::B({b}))"),
            Value::Integer(i) => format!("Ok(V::I({i}))"),
            Value::Date(d) => format!(
                "Ok(V::D({{ const D: Date = jiff::civil::date({}, {}, {}); D }}))",
                d.year(),
                d.month(),
                d.day()
            ),
            Value::Enum(id, v) => format!("Ok(V::E(EnumId({}), {v}))", id.0),
            Value::None => "Ok(V::N)".into(),
            v => match self.literals.get(&(v as *const Value)) {
                Some(i) => format!("Ok(V::Ref(f.literal({i})))"),
                // (Every literal is numbered before its unit is written.)
                None => "Err(GiveUp)".into(),
            },
        }
    }

    /// An expression's value (`R<'a>`), as `Node::run` gives it.
    fn val(&mut self, op: &Op) -> String {
        match op {
            Op::Lit(v) => self.lit(v),
            Op::Path {
                input,
                fields,
                kind,
            } => match (&**fields, kind) {
                ([], _) => format!("ops::input(f, InputId({}))", input.0),
                // A field straight below the input, of a kind read as it is.
                ([field], Kind::Bool | Kind::Integer | Kind::Date | Kind::Enum) => {
                    format!(
                        "ops::field(f, InputId({}), {field}, Kind::{kind:?})",
                        input.0
                    )
                }
                _ => format!("ops::input_fields(f, InputId({}), &{fields:?})", input.0),
            },
            Op::Local { local, fields } => format!("ops::local(f, {local}, &{fields:?})"),
            Op::Field { base, field } => {
                let base = self.val(base);
                format!("match {base} {{ Ok(v) => field(v, {field}), Err(e) => Err(e) }}")
            }
            Op::Param(id) => format!("f.param(ParamId({}), f.as_of)", id.0),
            Op::ParamOn { param, on } => {
                let on = self.val(on);
                format!(
                    "{{ let on = {on}; ops::param_on(f, ParamId({}), on) }}",
                    param.0
                )
            }
            // (Through the memo, with the def's or decision's function
            // called directly.)
            Op::Def(id) => self.def(*id),
            Op::Decision(id) => format!(
                "ops::decided(f.decision_by(DecisionId({0}), decision_{0}))",
                id.0
            ),
            Op::Determined(id) => format!(
                "ops::determined(f.decision_by(DecisionId({0}), decision_{0}))",
                id.0
            ),
            Op::AsOf => "Ok(V::D(f.as_of))".into(),
            Op::Not(_) | Op::Exists(_) | Op::IsEnum { .. } | Op::CmpLit(..) | Op::Cmp(..) => {
                self.test(op, "")
            }
            Op::Known(a) => format!("ops::known({})", self.val(a)),
            Op::InEnums { .. } | Op::And(_) | Op::Or(_) => format!("{}.value()", self.tru(op)),
            Op::In {
                item,
                list,
                negated,
            } => match &**item {
                // An enum value written in the rules: compared in place.
                Op::Lit(Value::Enum(id, v)) => format!(
                    "{{ let l = {}; ops::enum_in(f, EnumId({}), {v}, l, {negated}) }}",
                    self.val(list),
                    id.0
                ),
                item => match self.codes(list) {
                    // A param of texts on the as-of date: its texts in the code.
                    Some(codes) => {
                        let x = self.val(item);
                        format!("{{ let x = {x}; ops::text_in_codes(f, x, &{codes}, {negated}) }}")
                    }
                    None => {
                        let (x, l) = (self.val(item), self.val(list));
                        format!("{{ let x = {x}; let l = {l}; ops::in_list(f, x, l, {negated}) }}")
                    }
                },
            },
            Op::Arith(arith, a, b) => {
                let (x, y) = (self.val(a), self.val(b));
                format!("{{ let x = {x}; let y = {y}; ops::arith(f, ArithOp::{arith:?}, x, y) }}")
            }
            Op::Neg(a) => format!("{{ let v = {}; ops::neg(f, v) }}", self.val(a)),
            Op::If(ops) => {
                let [c, a, b] = &**ops;
                let (c, a, b) = (self.tru(c), self.val(a), self.val(b));
                format!("{{ let c = {c}; ops::if_then_else(f, c, |f| {a}, |f| {b}) }}")
            }
            Op::List(ops) => {
                let label = self.fresh();
                let mut s = format!(
                    "'list{label}: {{ let mut values = SmallVec::new(); let mut unknown = false; "
                );
                for o in ops.iter() {
                    let v = self.val(o);
                    let _ = write!(
                        s,
                        "if !ops::list_item(&mut values, &mut unknown, {v}) {{ break 'list{label} Err(GiveUp); }} "
                    );
                }
                s.push_str("ops::list_of(f, values, unknown) }");
                s
            }
            Op::Age(a, b) | Op::DaysBetween(a, b) => {
                let of = if matches!(op, Op::Age(..)) {
                    "age"
                } else {
                    "days_between"
                };
                let (x, y) = (self.val(a), self.val(b));
                format!("{{ let x = {x}; let y = {y}; ops::dates(x, y, time::{of}) }}")
            }
            Op::DeadlineFrom {
                event,
                period,
                calendar,
                computation,
            } => {
                let param = super::nodes::param_on(period, event);
                let limit = param.zip(*calendar).and_then(|(param, cal)| {
                    let comp = (*computation)?;
                    let (versions, rule) = self.folded.as_ref()?.limit(param, comp)?;
                    let versions: Vec<String> = versions
                        .iter()
                        .map(|(from, unit, amount)| {
                            format!("({from}, time::DurationUnit::{unit:?}, {amount})")
                        })
                        .collect();
                    Some(format!(
                        "Limit {{ versions: &[{}], rule: time::PlainRule {{ next_working: {}, \
                         two_working_days: {} }}, param: ParamId({}), calendar: CalendarId({}), \
                         computation: ComputationId({}) }}",
                        versions.join(", "),
                        rule.next_working,
                        rule.two_working_days,
                        param.0,
                        cal.0,
                        comp.0
                    ))
                });
                let calendar = match calendar {
                    Some(c) => format!("Some(CalendarId({}))", c.0),
                    None => "None".into(),
                };
                let computation = match computation {
                    Some(c) => format!("Some(ComputationId({}))", c.0),
                    None => "None".into(),
                };
                match (param, limit) {
                    (_, Some(limit)) => format!(
                        "{{ let at = {}; ops::deadline_folded(f, at, &{limit}) }}",
                        self.val(event)
                    ),
                    (Some(param), None) => format!(
                        "{{ let at = {}; ops::deadline_on(f, at, ParamId({}), {calendar}, {computation}) }}",
                        self.val(event),
                        param.0
                    ),
                    (None, None) => {
                        let (at, p) = (self.val(event), self.val(period));
                        format!("{{ let at = {at}; let p = {p}; ops::deadline_from(f, at, p, {calendar}, {computation}) }}")
                    }
                }
            }
            Op::DeadlineBefore { anchor, period } => {
                let (a, p) = (self.val(anchor), self.val(period));
                format!("{{ let a = {a}; let p = {p}; ops::deadline_before(f, a, p) }}")
            }
            Op::Quant {
                kind,
                list,
                body,
                local,
                keys,
            } => {
                let q = self.fresh();
                let body_fn = format!("list_operation_{q}");
                match kind {
                    // `first(x in l: true)`: the first item, the others
                    // not gone through.
                    QuantKind::First
                        if keys.is_empty() && matches!(**body, Op::Lit(Value::Bool(true))) =>
                    {
                        format!("{{ let l = {}; ops::first_item(f, l) }}", self.val(list))
                    }
                    QuantKind::Sum | QuantKind::Min | QuantKind::Max => {
                        // Each item's value, through a node.
                        self.value_fn(&body_fn, "an item's value in a list operation", false, body);
                        let _ =
                            writeln!(self.out, "static LIST_OPERATION_{q}: Gen = Gen({body_fn});");
                        let list = self.val(list);
                        format!(
                            "{{ let l = {list}; ops::valued(f, QuantKind::{kind:?}, l, &LIST_OPERATION_{q}, {local}) }}"
                        )
                    }
                    QuantKind::First => {
                        // Each item's test, its function called directly;
                        // its keys through nodes.
                        self.truth_fn(&body_fn, "an item's test in a list operation", false, body);
                        let mut key_refs = Vec::new();
                        for (j, (key, descending)) in keys.iter().enumerate() {
                            let key_fn = format!("list_operation_{q}_key_{j}");
                            self.value_fn(&key_fn, "an item's key in a list operation", false, key);
                            let _ = writeln!(
                                self.out,
                                "static LIST_OPERATION_{q}_KEY_{j}: Gen = Gen({key_fn});"
                            );
                            key_refs.push(format!("(&LIST_OPERATION_{q}_KEY_{j}, {descending})"));
                        }
                        let _ = writeln!(
                            self.out,
                            "static LIST_OPERATION_{q}_KEYS: [(&dyn Node, bool); {}] = [{}];",
                            keys.len(),
                            key_refs.join(", ")
                        );
                        let list = self.val(list);
                        format!(
                            "{{ let l = {list}; ops::first(f, l, {local}, {body_fn}, &LIST_OPERATION_{q}_KEYS) }}"
                        )
                    }
                    QuantKind::Any | QuantKind::All | QuantKind::Count | QuantKind::Those => {
                        // Each item's test, its function called directly.
                        self.truth_fn(&body_fn, "an item's test in a list operation", false, body);
                        let list = self.val(list);
                        format!(
                            "{{ let l = {list}; ops::tested(f, QuantKind::{kind:?}, l, {local}, {body_fn}) }}"
                        )
                    }
                }
            }
        }
    }

    /// `exists` of `a` (`not exists`, `negated`), as [`Writer::test`] writes
    /// it: a field straight below an input, as a truth, read only for
    /// whether it is none.
    fn exists(&mut self, a: &Op, negated: bool, suffix: &str) -> String {
        match a {
            Op::Path { input, fields, .. } if !suffix.is_empty() => {
                if let [field] = **fields {
                    return format!(
                        "ops::field_exists_truth(f, InputId({}), {field}, {negated})",
                        input.0
                    );
                }
            }
            _ => {}
        }
        format!("ops::exists{suffix}({}, {negated})", self.val(a))
    }

    /// A test (`not`, `exists`, an enum value, a comparison) as a value
    /// (`suffix` empty) or a truth (`_truth`): what each means is in `ops`
    /// under both names.
    fn test(&mut self, op: &Op, suffix: &str) -> String {
        match op {
            Op::Not(a) => match &**a {
                Op::Exists(a) => self.exists(a, true, suffix),
                // A truth negated as a truth (not made a value first).
                a if self.computes_truth(a) => {
                    let value = if suffix.is_empty() { ".value()" } else { "" };
                    format!("{}.not(){value}", self.tru(a))
                }
                a => format!("ops::not{suffix}({})", self.val(a)),
            },
            Op::Exists(a) => self.exists(a, false, suffix),
            Op::IsEnum {
                item,
                of,
                variant,
                negated,
            } => format!(
                "ops::is_enum{suffix}({}, EnumId({}), {variant}, {negated})",
                self.val(item),
                of.0
            ),
            // `x == []`, `x != []`: whether the list is empty.
            Op::CmpLit(cmp @ (CmpOp::Eq | CmpOp::Ne), a, lit @ Value::List(items))
                if items.is_empty() =>
            {
                let (x, y) = (self.val(a), self.lit(lit));
                let negated = *cmp == CmpOp::Ne;
                let test = format!("{{ let x = {x}; ops::compare_empty(f, x, {y}, {negated}) }}");
                if suffix.is_empty() {
                    test
                } else {
                    format!("Truth::of({test})")
                }
            }
            Op::CmpLit(cmp, a, lit) => {
                let (x, y) = (self.val(a), self.lit(lit));
                format!("{{ let x = {x}; ops::compare{suffix}(f, CmpOp::{cmp:?}, x, {y}) }}")
            }
            Op::Cmp(cmp, a, b) => {
                let (x, y) = (self.val(a), self.val(b));
                format!(
                    "{{ let x = {x}; let y = {y}; ops::compare{suffix}(f, CmpOp::{cmp:?}, x, y) }}"
                )
            }
            // (Not a test: as it is anywhere else.)
            op if suffix.is_empty() => self.val(op),
            op => format!("Truth::of({})", self.val(op)),
        }
    }

    /// An expression's truth, as `Node::truth` gives it.
    fn tru(&mut self, op: &Op) -> String {
        match op {
            Op::Not(_) | Op::Exists(_) | Op::IsEnum { .. } | Op::CmpLit(..) | Op::Cmp(..) => {
                self.test(op, "_truth")
            }
            Op::InEnums {
                item,
                of,
                bits,
                negated,
            } => format!(
                "ops::in_enums_truth({}, EnumId({}), {bits:#x}, {negated})",
                self.val(item),
                of.0
            ),
            Op::And(ops) | Op::Or(ops) => {
                let or_mode = matches!(op, Op::Or(_));
                // What decides it, and what it is with no operand.
                let (deciding, neither) = if or_mode {
                    ("Truth::True", "Truth::False")
                } else {
                    ("Truth::False", "Truth::True")
                };
                let Some((first, rest)) = ops.split_first() else {
                    return neither.into();
                };
                let label = self.fresh();
                let first = self.tru(first);
                let mut s = format!(
                    "'chain{label}: {{ let worst = {first}; if worst == {deciding} {{ break 'chain{label} worst; }} "
                );
                for o in rest {
                    let t = self.tru(o);
                    let _ = write!(
                        s,
                        "let t = {t}; if t == {deciding} {{ break 'chain{label} t; }} let worst = ops::worse(worst, t); "
                    );
                }
                s.push_str("worst }");
                s
            }
            Op::Def(id) => match self.def_truth(*id) {
                Some(t) => t,
                None => format!("Truth::of({})", self.def(*id)),
            },
            op => format!("Truth::of({})", self.val(op)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte writer alone, as the standard library's defaults hash
    /// numbers: native bytes, native widths.
    struct Native(Fnv);

    impl Hasher for Native {
        fn finish(&self) -> u64 {
            self.0.finish()
        }

        fn write(&mut self, bytes: &[u8]) {
            self.0.write(bytes);
        }
    }

    /// On a little-endian 64-bit machine (where the shipped code's
    /// fingerprint is made) the fingerprint's hasher gives what the
    /// standard library's defaults give, for every kind of number and
    /// length the lowered program holds; elsewhere it gives the same as
    /// here by construction.
    #[test]
    #[cfg(all(target_endian = "little", target_pointer_width = "64"))]
    fn the_hasher_is_the_default_one_on_this_machine() {
        let sample = (
            (usize::MAX, 3usize, isize::MIN, -1isize),
            (u16::MAX, u32::MAX - 7, u64::MAX / 3, u128::MAX - 1),
            (i16::MIN, i32::MIN + 5, i64::MIN / 7, -3i128),
            (
                vec![1u32, 2, 3],
                "text",
                Some(Value::Integer(-42)),
                [7u8; 3],
            ),
        );
        let seed = || Fnv(0xcbf2_9ce4_8422_2325);
        let (mut ours, mut native) = (seed(), Native(seed()));
        sample.hash(&mut ours);
        sample.hash(&mut native);
        assert_eq!(ours.finish(), native.finish());
        // (And a number written otherwise is hashed otherwise.)
        let mut other = seed();
        (usize::MAX, 3usize, isize::MIN, 0isize).hash(&mut other);
        let mut again = seed();
        (usize::MAX, 3usize, isize::MIN, -1isize).hash(&mut again);
        assert_ne!(other.finish(), again.finish());
    }
}
