//! `lsa diff`: amendment impact over a caseload. The same cases, streamed as
//! `lsa batch` reads them, evaluated under two rule trees (or on two
//! dates); an impact report: for each determination how many cases changed,
//! how (value transitions, the shift of a date in days), and the first rule,
//! def or param that evaluates differently, with example cases; with
//! `--cases`, each changed case with both explanations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::{json, Value as Json};

use super::{today, DiffFormat, Failure, Result};
use crate::agenda::Act;
use crate::check::ir::{DecisionId, Labelled};
use crate::check::Program;
use crate::eval::why::{Derivation, Role, Step};
use crate::explain;
use crate::explain::report::Say;
use crate::explain::words::Words;
use crate::lang::Lang;
use crate::value::{date_str, Slot, Value};

#[allow(clippy::large_enum_variant, reason = "one plan per command")]
pub(super) enum Plan {
    Trees {
        old: Program,
        new: Program,
        old_name: String,
        new_name: String,
        /// The date of the records without `as_of` (`--as-of`).
        as_of: Option<Date>,
    },
    Dates {
        program: Program,
        old: Date,
        new: Date,
    },
    /// Each case as recorded, and the same case with facts set (`--set`).
    Facts {
        program: Program,
        /// As given, for the report.
        sets: Vec<(String, String)>,
        facts: crate::record::FactsSet,
        /// The date of the records without `as_of` (`--as-of`).
        as_of: Option<Date>,
    },
}

impl Plan {
    /// The old side's program and the new side's.
    fn programs(&self) -> (&Program, &Program) {
        match self {
            Plan::Trees { old, new, .. } => (old, new),
            Plan::Dates { program, .. } | Plan::Facts { program, .. } => (program, program),
        }
    }
}

/// The rule files of the tree in folder `dir` as it was at a git revision,
/// named `REV:path` (the path relative to `dir`), and the revision's commit.
pub(super) fn rules_at_revision(rev: &str, dir: &Path) -> Result<(Vec<(String, String)>, String)> {
    let git = |args: &[&str]| -> Result<String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| Failure::Io(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(Failure::Io(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        String::from_utf8(out.stdout).map_err(|_| Failure::Io("git printed invalid UTF-8".into()))
    };
    let listing = git(&["ls-tree", "-r", "--name-only", rev, "--", "."])?;
    let files: Vec<&str> = listing.lines().filter(|l| l.ends_with(".rules")).collect();
    if files.is_empty() {
        return Err(Failure::Io(format!(
            "no .rules files in {} at revision `{rev}`",
            super::law::shown(dir)
        )));
    }
    let commit = git(&["rev-parse", "--short=12", rev])?.trim().to_string();
    let files = files
        .into_iter()
        .map(|f| {
            Ok((
                format!("{rev}:{f}"),
                git(&["show", &format!("{rev}:./{f}")])?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((files, commit))
}

/// The words a comparison is told in: the language, and each side's words
/// (labels, values as people read them). In English every text is as the
/// contract's JSON has it; `lsa diff --lang lt` tells its text, Markdown and
/// HTML in Lithuanian, and the JSON stays in the contract's words.
struct Tell<'p, 'm> {
    lang: Lang,
    old: Words<'p>,
    new: Words<'p>,
    /// What is the same on both sides by construction, and how the two
    /// trees' enums correspond (matched once for the whole caseload).
    matching: &'m Matching,
    /// Whether the words of a cause (by determination and cause) are
    /// wanted: the report keeps those of the first case of each cause
    /// only, and `--cases` every case's.
    wanted: Wanted<'m>,
}

/// Whether the words of a cause are wanted: by determination and cause.
type Wanted<'m> = &'m (dyn Fn(&str, &str) -> bool + Sync);

/// How the enum values of the two programs correspond. Each program numbers
/// an enum's values in the order written, so a value added to an enum (a
/// new accelerated ground before the last) renumbers those after it: values
/// are the same across programs when their enums and names are.
pub(super) enum Enums {
    /// Every enum written alike on both sides: the numbers agree.
    Same,
    /// By old enum and value: the new enum and value of the same names.
    ByName(Vec<Vec<Option<(u32, u32)>>>),
}

impl Enums {
    pub(super) fn of(old: &Program, new: &Program) -> Enums {
        let alike = old.enums.len() == new.enums.len()
            && old
                .enums
                .iter()
                .zip(&new.enums)
                .all(|(a, b)| a.name == b.name && a.variants == b.variants);
        if alike {
            return Enums::Same;
        }
        Enums::ByName(
            old.enums
                .iter()
                .map(|a| {
                    let found = new.enums.iter().enumerate().find(|(_, b)| b.name == a.name);
                    a.variants
                        .iter()
                        .map(|v| {
                            let (j, b) = found?;
                            let k = b.variants.iter().position(|w| w == v)?;
                            Some((j as u32, k as u32))
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// Whether an old value and a new one are the same.
    pub(super) fn same(&self, old: &Value, new: &Value) -> bool {
        match self {
            Enums::Same => old == new,
            Enums::ByName(map) => same_by_name(map, old, new),
        }
    }
}

fn same_by_name(map: &[Vec<Option<(u32, u32)>>], old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::Enum(i, x), Value::Enum(j, y)) => {
            map.get(i.0 as usize)
                .and_then(|m| m.get(*x as usize))
                .copied()
                .flatten()
                == Some((j.0, *y))
        }
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(p, q)| same_by_name(map, p, q))
        }
        (Value::Record(a), Value::Record(b)) => {
            a.len() == b.len()
                && a.iter().zip(b.iter()).all(|(p, q)| match (p, q) {
                    (Slot::Value(p), Slot::Value(q)) => same_by_name(map, p, q),
                    (p, q) => p == q,
                })
        }
        _ => old == new,
    }
}

impl<'p, 'm> Tell<'p, 'm> {
    fn new(
        lang: Lang,
        (old, new): (&'p Program, &'p Program),
        matching: &'m Matching,
        wanted: Wanted<'m>,
    ) -> Tell<'p, 'm> {
        Tell {
            lang,
            old: Words::new(old, lang),
            new: Words::new(new, lang),
            matching,
            wanted,
        }
    }

    fn pick(&self, en: &'static str, lt: &'static str) -> &'static str {
        Say(self.lang).pick(en, lt)
    }

    /// A cause of a change of determination `key`: `what` it is, and its
    /// words, made only where they are wanted (see [`Tell::wanted`]).
    fn cause(&self, key: &str, what: String, text: impl FnOnce() -> String) -> Cause {
        let text = if (self.wanted)(key, &what) {
            text()
        } else {
            String::new()
        };
        Cause { what, text }
    }

    fn lt(&self) -> bool {
        self.lang == Lang::Lt
    }

    /// A step's value in words, on the side whose words are `w`.
    fn step(&self, w: &Words, s: Step) -> String {
        if self.lt() {
            w.step(&s)
        } else {
            s.value().to_string()
        }
    }

    /// A value shown in an explanation, in words.
    fn shown(&self, w: &Words, v: &crate::eval::why::Shown) -> String {
        if self.lt() {
            w.shown(v)
        } else {
            v.to_string()
        }
    }

    /// The steps of a time limit computed at `s` (none if it computes none).
    fn steps(&self, w: &Words, s: Step) -> Vec<String> {
        if self.lt() {
            s.steps_text_in(w).collect()
        } else {
            s.steps_text().collect()
        }
    }

    /// An outcome: in English as the contract words it (its value's text, or
    /// its status); else as the caseworker's report gives it.
    fn outcome(&self, w: &Words, o: &crate::eval::Outcome) -> String {
        use crate::eval::Status;
        match (self.lang, o.value()) {
            (Lang::En, _) => word(w.program, o),
            (_, Some(v)) => w.value(v),
            (_, None) => match o.status() {
                Status::Undetermined => Say(self.lang).undetermined(),
                Status::Unknown => w.unknown(),
                Status::Conflict => Say(self.lang).conflict(),
                Status::Error | Status::Determined => w.error(),
            }
            .to_string(),
        }
    }

    /// An act's state: in English its key in the contract (`in_time`,
    /// `late`, `pending`, `missed`, `not_owed`, `unknown`), else in the
    /// caseworker's words without its day (so the cases group by state).
    fn act(&self, w: &Words, a: &Act) -> String {
        match self.lang {
            Lang::En => a.key().to_string(),
            Lang::Lt => w.act_state(a).to_string(),
        }
    }

    /// The cause of a determination only one side has: new (`added`), or
    /// removed.
    fn one_side(&self, key: &str, added: bool) -> Cause {
        let (what, text) = match (self.lang, added) {
            (Lang::En, true) => (
                format!("the new determination {key}"),
                "the determination is new",
            ),
            (Lang::En, false) => (
                format!("the removed determination {key}"),
                "the determination was removed",
            ),
            (Lang::Lt, true) => (format!("naujas sprendimas {key}"), "sprendimas naujas"),
            (Lang::Lt, false) => (
                format!("panaikintas sprendimas {key}"),
                "sprendimas panaikintas",
            ),
        };
        Cause::new(what, text.into())
    }

    /// `rule DECISION/NAME`; in Lithuanian the rule's label first, where
    /// the rules give one (the English is the JSON's, which programs match).
    fn rule(&self, decision: &str, name: &str) -> String {
        match self.rule_label(decision, name) {
            Some(label) => format!("taisyklė «{label}» ({decision}/{name})"),
            None => format!("{} {decision}/{name}", self.pick("rule", "taisyklė")),
        }
    }

    /// A rule named in a sentence: `rule `NAME``; in Lithuanian by its
    /// label, where the rules give one.
    fn quoted(&self, decision: &str, name: &str) -> String {
        match self.rule_label(decision, name) {
            Some(label) => format!("taisyklė «{label}»"),
            None => format!("{} `{name}`", self.pick("rule", "taisyklė")),
        }
    }

    /// In Lithuanian, a rule's label: the new side's, else the old side's
    /// (a rule removed); none in English.
    fn rule_label(&self, decision: &str, name: &str) -> Option<&'p str> {
        if !self.lt() {
            return None;
        }
        [self.new, self.old].into_iter().find_map(|w| {
            let (i, d) =
                (w.program.decisions.iter().enumerate()).find(|(_, d)| &*d.key == decision)?;
            let k = d.rules.iter().position(|r| &*r.name == name)?;
            let what = Labelled::Rule(DecisionId(i as u32), k as u32);
            w.program.labels.label(&what, self.lang)
        })
    }

    /// A rule's part in words: `set aside by a,b`.
    fn part(&self, s: &RuleState) -> String {
        let word = match s.role {
            Role::By => self.pick("decided", "nusprendė"),
            Role::Conflict => self.pick("conflict", "prieštarauja"),
            Role::SetAside => self.pick("set aside by", "atmesta dėl"),
            Role::Open => self.pick("open", "neaišku"),
            Role::NotApplicable => self.pick("not applicable", "netaikoma"),
            Role::NotInForce => self.pick("not in force", "negalioja"),
        };
        if s.by.is_empty() {
            word.to_string()
        } else {
            format!("{word} {}", s.by.join(","))
        }
    }

    /// A def's or param's kind (`def`, `param`), as a step's source names it.
    fn source(&self, source: &str) -> String {
        match (self.lang, source) {
            (Lang::Lt, "def") => "apibrėžimas".into(),
            (Lang::Lt, "param") => "parametras".into(),
            _ => source.to_string(),
        }
    }
}

/// The part a rule played in a derivation, compared between the two sides.
struct RuleState<'a, 'p> {
    role: Role,
    /// The exceptions that set it aside (`set aside by`).
    by: Vec<&'p str>,
    /// Its condition, where it is compared: the same part is the same
    /// only if every step was evaluated alike (the same expression, the
    /// same value).
    because: Option<Step<'a, 'p>>,
}

impl RuleState<'_, '_> {
    /// Whether the rule played the same part on both sides (this the old
    /// side's, `other` the new's). A condition the same by construction
    /// (`same_condition`: written alike over what is the same, on the same
    /// record and date) is evaluated alike, and is not walked step by step.
    fn alike(&self, other: &Self, enums: &Enums, same_condition: bool) -> bool {
        fn alike(a: Step, b: Step, enums: &Enums) -> bool {
            a.expr() == b.expr() && a.same_value(&b, |x, y| enums.same(x, y)) && {
                let (mut x, mut y) = (a.children(), b.children());
                loop {
                    match (x.next(), y.next()) {
                        (None, None) => break true,
                        (Some(p), Some(q)) if alike(p, q, enums) => {}
                        _ => break false,
                    }
                }
            }
        }
        self.role == other.role
            && self.by == other.by
            && match (self.because, other.because) {
                (Some(_), Some(_)) if same_condition => true,
                (Some(a), Some(b)) => alike(a, b, enums),
                (a, b) => a.is_none() == b.is_none(),
            }
    }
}

/// Each rule's part in a derivation, by rule name.
fn rule_states<'a, 'p>(d: &Derivation<'a, 'p>) -> Vec<(&'p str, RuleState<'a, 'p>)> {
    let mut out = Vec::new();
    for role in [
        Role::By,
        Role::Conflict,
        Role::SetAside,
        Role::Open,
        Role::NotApplicable,
        Role::NotInForce,
    ] {
        for a in d.parts(role) {
            let (by, because) = match role {
                Role::SetAside => (a.set_aside_by(), None),
                Role::NotInForce => (Vec::new(), None),
                _ => (Vec::new(), a.because()),
            };
            out.push((&*a.rule().name, RuleState { role, by, because }));
        }
    }
    out
}

/// The first def or param in a step tree whose value differs between two
/// trees: what it is (`param procedure.lodging_period`, the same for every
/// case) and the difference in words.
fn first_def_change(tell: &Tell, decision: &str, old: Step, new: Step) -> Option<Cause> {
    // A def the same by construction has the same value, and so has all
    // it reads: nothing under it differs.
    if new.def().is_some_and(|id| tell.matching.same_def(id)) && old.expr() == new.expr() {
        return None;
    }
    if matches!(old.source(), "def" | "param")
        && old.source() == new.source()
        && old.expr() == new.expr()
        && old.value() != new.value()
    {
        let source = tell.source(new.source());
        let key = new.name().unwrap_or(new.expr());
        // In Lithuanian a def by its label, where the rules give one.
        let label = (new.def().filter(|_| tell.lt()))
            .and_then(|id| tell.new.program.labels.label(&Labelled::Def(id), tell.lang));
        let (what, named) = match label {
            Some(label) => (
                format!("{source} «{label}» ({key})"),
                format!("{source} «{label}»"),
            ),
            None => (
                format!("{source} {key}"),
                format!("{source} `{}`", new.expr()),
            ),
        };
        return Some(tell.cause(decision, what, || {
            format!(
                "{named}: {} → {}",
                tell.step(&tell.old, old),
                tell.step(&tell.new, new)
            )
        }));
    }
    // (Every operand evaluated, where one side shows only those that
    // decided: `a < limit and late` false because of `late` before, of both
    // after.)
    old.operands()
        .zip(new.operands())
        .find_map(|(a, b)| first_def_change(tell, decision, a, b))
}

/// Where two derivations first differ: what (a rule, def or param, named
/// the same for every case it touches) and in words.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Cause {
    pub what: String,
    pub text: String,
}

impl Cause {
    fn new(what: String, text: String) -> Cause {
        Cause { what, text }
    }

    /// The cause when the derivations cannot be compared: the decision's value.
    fn value_of(tell: &Tell, decision: &str) -> Cause {
        Cause::new(
            match tell.lang {
                Lang::En => format!("the value of {decision}"),
                Lang::Lt => format!("{decision} reikšmė"),
            },
            tell.pick("the decision's value", "sprendimo reikšmė")
                .into(),
        )
    }
}

/// The condition of every rule that has one shown, by rule name.
fn conditions<'a, 'p>(d: &Derivation<'a, 'p>) -> BTreeMap<&'p str, Step<'a, 'p>> {
    [Role::By, Role::NotApplicable, Role::Open, Role::Conflict]
        .into_iter()
        .flat_map(|role| d.parts(role).collect::<Vec<_>>())
        .filter_map(|a| Some((&*a.rule().name, a.because()?)))
        .collect()
}

/// Where the reasoning first differs, told in `tell`'s words.
fn first_difference(
    tell: &Tell,
    (id, decision): (DecisionId, &str),
    old: &Derivation,
    new: &Derivation,
) -> Cause {
    let rule = |name: &str| tell.rule(decision, name);
    let same_condition = |name: &str| {
        let k = new.decision.rules.iter().position(|r| &*r.name == name);
        k.is_some_and(|k| tell.matching.same_condition(id, k))
    };
    let quoted = |name: &str| tell.quoted(decision, name);
    let old_states: BTreeMap<&str, RuleState> = rule_states(old).into_iter().collect();
    let new_states = rule_states(new);
    for (name, state) in &new_states {
        match old_states.get(name) {
            // Not shown on the old side though the decision had it: it
            // applied there too, and another gave the value (an earlier
            // one under `first`, an agreeing one under `unique`).
            None if old.decision.rules.iter().any(|r| &*r.name == *name) => {
                return Cause::new(
                    rule(name),
                    format!(
                        "{} {} → {}",
                        quoted(name),
                        tell.pick(
                            "applied, but another rule gave the value",
                            "taikyta, bet reikšmę davė kita taisyklė"
                        ),
                        tell.part(state)
                    ),
                )
            }
            None => {
                return Cause::new(
                    rule(name),
                    format!("{} {}", quoted(name), tell.pick("is new", "nauja")),
                )
            }
            Some(s) if !s.alike(state, &tell.matching.enums, same_condition(name)) => {
                let (old_steps, new_steps) = (conditions(old), conditions(new));
                let detail = match (old_steps.get(*name), new_steps.get(*name)) {
                    (Some(a), Some(b)) => first_def_change(tell, decision, *a, *b).or_else(|| {
                        // The last step: `… = 2026-09-30`.
                        let a_deadline = tell.steps(&tell.old, *a).pop();
                        let b_deadline = tell.steps(&tell.new, *b).pop();
                        (a_deadline != b_deadline).then(|| {
                            let its = tell.pick("its time limit", "jos terminas");
                            Cause::new(
                                format!("{} ({its})", rule(name)),
                                format!(
                                    "{its}: {} → {}",
                                    a_deadline.unwrap_or_default(),
                                    b_deadline.unwrap_or_default()
                                ),
                            )
                        })
                    }),
                    _ => None,
                };
                let change = if s.role == state.role && s.by == state.by {
                    tell.pick("evaluates differently", "vertinama kitaip")
                        .to_string()
                } else {
                    format!("{} → {}", tell.part(s), tell.part(state))
                };
                return match detail {
                    Some(Cause { what, text }) => tell.cause(decision, what, || {
                        format!(
                            "{} {change}; {} {}",
                            quoted(name),
                            tell.pick("first difference in", "pirmiausia skiriasi"),
                            text
                        )
                    }),
                    None => Cause::new(rule(name), format!("{} {change}", quoted(name))),
                };
            }
            Some(_) => {}
        }
    }
    if let Some(name) = old_states
        .keys()
        .find(|k| !new_states.iter().any(|(n, _)| n == *k))
    {
        return Cause::new(
            rule(name),
            format!(
                "{} {}",
                quoted(name),
                tell.pick("was removed", "panaikinta")
            ),
        );
    }
    match (old.default(), new.default()) {
        (Some(a), Some(b)) if a.value() != b.value() => {
            let (va, vb) = (
                tell.shown(&tell.old, &a.value()),
                tell.shown(&tell.new, &b.value()),
            );
            return Cause::new(
                match tell.lang {
                    Lang::En => format!("the default of {decision}"),
                    Lang::Lt => format!("{decision} numatytoji reikšmė"),
                },
                format!(
                    "{}: {va} → {vb}",
                    tell.pick("the default", "numatytoji reikšmė")
                ),
            );
        }
        _ => {}
    }
    // Same rules decide: the value itself is computed differently.
    let values = old
        .parts(Role::By)
        .zip(new.parts(Role::By))
        .find_map(|(a, b)| match (a.value(), b.value()) {
            (Some(x), Some(y)) if x.value() != y.value() => {
                Some(first_def_change(tell, decision, x, y).unwrap_or_else(|| {
                    let steps = |w: &Words, s: Step| {
                        let mut all = tell.steps(w, s);
                        all.extend(s.children().flat_map(|c| tell.steps(w, c)));
                        all
                    };
                    let (sa, sb) = (steps(&tell.old, x), steps(&tell.new, y));
                    let what = format!(
                        "{} ({})",
                        rule(&b.rule().name),
                        tell.pick("its value", "jos reikšmė")
                    );
                    let value_of = match tell.lang {
                        Lang::En => format!("the value of rule `{}`", b.rule().name),
                        Lang::Lt => format!("taisyklės `{}` reikšmė", b.rule().name),
                    };
                    match sa.iter().zip(&sb).find(|(p, q)| p != q) {
                        Some((p, q)) => Cause::new(
                            what,
                            format!(
                                "{value_of}: `{}` → `{}`; {}: {p} → {q}",
                                x.expr(),
                                y.expr(),
                                tell.pick("first differing step", "pirmas skirtingas žingsnis")
                            ),
                        ),
                        None => Cause::new(
                            what,
                            format!(
                                "{value_of}: `{}` = {} → `{}` = {}",
                                x.expr(),
                                tell.step(&tell.old, x),
                                y.expr(),
                                tell.step(&tell.new, y)
                            ),
                        ),
                    }
                }))
            }
            _ => None,
        });
    values.unwrap_or_else(|| Cause::value_of(tell, decision))
}

/// One determination that changed in one case.
struct Change {
    key: String,
    old: String,
    new: String,
    /// Days a date moved (a date on both sides).
    shift: Option<i64>,
    cause: Cause,
    /// Both explanations (for `--cases`).
    texts: Option<(String, String)>,
}

impl Change {
    fn new(key: String, shift: Option<i64>, told: Told, texts: Option<(String, String)>) -> Change {
        Change {
            key,
            old: told.old,
            new: told.new,
            shift,
            cause: told.cause,
            texts,
        }
    }
}

/// A change in words: the old and new value, and where the reasoning
/// first differs.
struct Told {
    old: String,
    new: String,
    cause: Cause,
}

/// One case compared.
enum Compared {
    Same,
    Changed {
        case: String,
        as_of: Option<(Date, explain::AsOfFrom)>,
        changes: Vec<Change>,
    },
    /// A record that could not be read: counted, with where it was.
    Invalid {
        at: String,
        message: String,
    },
}

/// An outcome as compared: its value's text, or its status.
fn word(program: &Program, o: &crate::eval::Outcome) -> String {
    match o.value() {
        Some(v) => crate::eval::why::show(program, v),
        None => o.status().key().to_string(),
    }
}

/// Where each new determination is on the old side (the same place when
/// both sides are one program), and the old ones the new side lacks.
struct Matching {
    old_of_new: Vec<Option<usize>>,
    removed: Vec<usize>,
    /// The new determinations that may come out differently: those written
    /// differently, or reading something written differently, on the two
    /// sides (every one when comparing two dates). The others are the same
    /// by construction and are not evaluated.
    may_differ: Vec<bool>,
    /// Both sides read the case record alike (the same record types,
    /// enums, limits and inputs): a record read once serves both.
    same_records: bool,
    /// Whether a case may raise other warnings on the two sides (two
    /// dates, or warnings written differently); if not, they are not
    /// evaluated.
    warnings_may_differ: bool,
    /// The new determinations whose acts may come out differently though
    /// their outcomes (the date, the rule that gave it) are the same: a
    /// `met by` or `owed when` written differently, or reading something
    /// written differently (every one on two dates or with facts set).
    acts_may_differ: Vec<bool>,
    /// By new decision and rule: whether the rule's condition is the same
    /// by construction (the old decision has a rule of that name whose
    /// condition is written alike over what is the same; never on two
    /// dates or with facts set), so it evaluates alike on both sides.
    same_conditions: Vec<Vec<bool>>,
    /// By new def: the same by construction (as the conditions).
    same_defs: Vec<bool>,
    /// How the two sides' enum values correspond.
    enums: Enums,
}

impl Matching {
    /// Whether rule `k` of new decision `id` has a condition the same by
    /// construction on both sides.
    fn same_condition(&self, id: DecisionId, k: usize) -> bool {
        (self.same_conditions.get(id.index())).is_some_and(|d| d.get(k).copied().unwrap_or(false))
    }

    /// Whether new def `id` is the same by construction on both sides.
    fn same_def(&self, id: crate::check::ir::DefId) -> bool {
        self.same_defs.get(id.index()).copied().unwrap_or(false)
    }
}

/// What a determination's outcome can depend on, as text that is the same
/// in two programs exactly when the determination is written the same way
/// over the same params, defs and determinations: a fingerprint per
/// decision, built from each expression as written (names resolve to what
/// the fingerprints of what they read cover), never from places in files.
struct Fingerprints<'p> {
    program: &'p Program,
    defs: Vec<Option<u64>>,
    decisions: Vec<Option<u64>>,
}

impl<'p> Fingerprints<'p> {
    /// None computed yet.
    fn new(program: &'p Program) -> Fingerprints<'p> {
        Fingerprints {
            program,
            defs: vec![None; program.defs.len()],
            decisions: vec![None; program.decisions.len()],
        }
    }

    /// Every decision's fingerprint.
    fn all_decisions(&mut self) -> Vec<u64> {
        (0..self.program.decisions.len())
            .map(|i| self.decision(i))
            .collect()
    }

    /// Per decision, the fingerprint of what meets its time limit and when
    /// it is owed (the decision's `met by` and each rule's, in order).
    fn acts(&mut self) -> Vec<u64> {
        let program = self.program;
        (program.decisions.iter())
            .map(|d| {
                let mut parts = Vec::new();
                for m in std::iter::once(&d.met_by).chain(d.rules.iter().map(|r| &r.met_by)) {
                    self.met_by(m, &mut parts);
                }
                Self::hash(&parts.iter().map(String::as_str).collect::<Vec<_>>())
            })
            .collect()
    }

    /// By decision and rule: the fingerprint of the rule's condition (with
    /// the decision's key and the rule's name).
    fn conditions(&mut self) -> Vec<Vec<u64>> {
        let program = self.program;
        (program.decisions.iter())
            .map(|d| {
                (d.rules.iter())
                    .map(|r| {
                        let mut parts = vec![
                            d.key.to_string(),
                            r.name.to_string(),
                            r.when.text.to_string(),
                        ];
                        self.reads(&r.when, &mut parts);
                        Self::hash(&parts.iter().map(String::as_str).collect::<Vec<_>>())
                    })
                    .collect()
            })
            .collect()
    }

    /// Every def's fingerprint.
    fn all_defs(&mut self) -> Vec<u64> {
        (0..self.program.defs.len()).map(|i| self.def(i)).collect()
    }

    /// Each warning's key and the fingerprint of its condition.
    fn warnings(&mut self) -> Vec<(String, u64)> {
        let program = self.program;
        program
            .warnings
            .iter()
            .map(|w| (w.key.to_string(), self.def(w.def.index())))
            .collect()
    }

    fn hash(parts: &[&str]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        parts.hash(&mut h);
        h.finish()
    }

    /// The fingerprints of the params, defs and decisions `n` reads.
    fn reads(&mut self, n: &crate::check::Node, out: &mut Vec<String>) {
        use crate::check::Expr;
        match &n.kind {
            Expr::Param(id) | Expr::ParamOn { param: id, .. } => {
                if let Some(p) = self.program.params.get(id.index()) {
                    let cite = p.citation.as_ref().map(|c| &*c.text).unwrap_or_default();
                    out.push(format!("param {} {:?} {:?} {cite}", p.key, p.ty, p.values));
                }
            }
            Expr::Def(id) => {
                let h = self.def(id.index());
                out.push(format!("def {h}"));
            }
            Expr::Decision(id) => {
                let h = self.decision(id.index());
                out.push(format!("decision {h}"));
            }
            _ => {}
        }
        for c in n.children() {
            self.reads(c, out);
        }
    }

    fn def(&mut self, i: usize) -> u64 {
        if let Some(Some(h)) = self.defs.get(i) {
            return *h;
        }
        let Some(d) = self.program.defs.get(i) else {
            return 0;
        };
        let mut parts = vec![
            d.key.to_string(),
            format!("{:?}", d.ty),
            d.body.text.to_string(),
        ];
        self.reads(&d.body, &mut parts);
        let h = Self::hash(&parts.iter().map(String::as_str).collect::<Vec<_>>());
        if let Some(slot) = self.defs.get_mut(i) {
            *slot = Some(h);
        }
        h
    }

    /// A `met by` as written, with what its facts and `owed when` read.
    fn met_by(&mut self, m: &crate::check::ir::MetBy, out: &mut Vec<String>) {
        // (A fact's node carries no text: its path says it.)
        let paths = crate::agenda::fact_paths(self.program, &m.facts);
        out.push(format!("met by {}", paths.join(" or ")));
        for f in &m.facts {
            self.reads(f, out);
        }
        if let Some(owed) = &m.owed {
            out.push(format!("owed when {}", owed.text));
            self.reads(owed, out);
        }
    }

    fn decision(&mut self, i: usize) -> u64 {
        if let Some(Some(h)) = self.decisions.get(i) {
            return *h;
        }
        let Some(d) = self.program.decisions.get(i) else {
            return 0;
        };
        let cite = |c: &Option<crate::check::ir::Citation>| {
            c.as_ref().map(|c| c.text.to_string()).unwrap_or_default()
        };
        let mut parts = vec![
            d.key.to_string(),
            format!("{:?} {:?} {:?}", d.ty, d.validity, d.policy),
            cite(&d.citation),
        ];
        for a in &d.applies {
            parts.push(format!(
                "applies {} {}",
                self.def(a.def.index()),
                a.otherwise
            ));
        }
        if let Some(default) = &d.default {
            parts.push(format!("default {}", default.text));
            self.reads(default, &mut parts);
        }
        // What meets each time limit and when it is owed: an amendment of
        // them alone changes the acts (`act KEY`), not the dates.
        self.met_by(&d.met_by, &mut parts);
        for r in &d.rules {
            parts.push(format!(
                "rule {} {} {:?} {} {:?} {} {}",
                r.name,
                r.is_exception,
                r.validity,
                r.own_validity,
                r.overrides,
                cite(&r.citation),
                r.when.text
            ));
            parts.push(r.then.text.to_string());
            self.reads(&r.when, &mut parts);
            self.reads(&r.then, &mut parts);
            self.met_by(&r.met_by, &mut parts);
        }
        let h = Self::hash(&parts.iter().map(String::as_str).collect::<Vec<_>>());
        if let Some(slot) = self.decisions.get_mut(i) {
            *slot = Some(h);
        }
        h
    }
}

/// What every time limit and every value's reading depends on: the
/// computation rules, the calendars and the acts they apply to.
fn law_wide(p: &Program) -> String {
    let sources: Vec<(&str, Option<usize>)> = p
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.computation.map(|c| c.index())))
        .collect();
    format!("{:?} {:?} {sources:?}", p.computations, p.calendars)
}

/// What decides how a record is read: enums, record types with their
/// fields' types and limits, inputs.
fn record_schema(p: &Program) -> String {
    let enums: Vec<(&str, &[String])> = p
        .enums
        .iter()
        .map(|e| (e.name.as_str(), e.variants.as_slice()))
        .collect();
    let records: Vec<(&str, Vec<String>)> = p
        .records
        .iter()
        .map(|r| {
            let fields = r
                .fields
                .iter()
                .map(|f| format!("{} {:?} {:?}", f.name, f.ty, f.constraints))
                .collect();
            (r.name.as_str(), fields)
        })
        .collect();
    let inputs: Vec<String> = p
        .inputs
        .iter()
        .map(|i| format!("{} {:?}", i.name, i.ty))
        .collect();
    format!("{enums:?} {records:?} {inputs:?}")
}

impl Matching {
    fn of(old: &Program, new: &Program, all_may_differ: bool) -> Matching {
        let old_at: BTreeMap<String, usize> = old
            .decisions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key(), i))
            .collect();
        let old_of_new: Vec<Option<usize>> = new
            .decisions
            .iter()
            .map(|d| old_at.get(&d.key()).copied())
            .collect();
        let kept: std::collections::BTreeSet<String> =
            new.decisions.iter().map(|d| d.key()).collect();
        let removed = old
            .decisions
            .iter()
            .enumerate()
            .filter(|(_, d)| !kept.contains(&d.key()))
            .map(|(i, _)| i)
            .collect();
        let same_records = record_schema(old) == record_schema(new);
        let everything = all_may_differ || !same_records || law_wide(old) != law_wide(new);
        // (Each side's defs and decisions fingerprinted once.)
        let (mut fo, mut fnew) = (Fingerprints::new(old), Fingerprints::new(new));
        let warnings_may_differ = everything || fo.warnings() != fnew.warnings();
        // Whether each new decision's fingerprint differs from its old one's.
        let differing = |a: Vec<u64>, b: Vec<u64>| -> Vec<bool> {
            if everything {
                return vec![true; new.decisions.len()];
            }
            old_of_new
                .iter()
                .zip(&b)
                .map(|(j, fb): (&Option<usize>, &u64)| {
                    j.and_then(|j| a.get(j)).is_none_or(|fa| fa != fb)
                })
                .collect()
        };
        let may_differ = differing(fo.all_decisions(), fnew.all_decisions());
        let acts_may_differ = differing(fo.acts(), fnew.acts());
        // (A fingerprint names its decision and rule, or its def: one found
        // among the old side's is the same one, written alike.)
        let (same_conditions, same_defs) = if everything {
            (Vec::new(), Vec::new())
        } else {
            let old_conditions: std::collections::HashSet<u64> =
                fo.conditions().into_iter().flatten().collect();
            let old_defs: std::collections::HashSet<u64> = fo.all_defs().into_iter().collect();
            (
                (fnew.conditions().iter())
                    .map(|d| d.iter().map(|h| old_conditions.contains(h)).collect())
                    .collect(),
                (fnew.all_defs().iter())
                    .map(|h| old_defs.contains(h))
                    .collect(),
            )
        };
        Matching {
            old_of_new,
            removed,
            same_records,
            may_differ,
            warnings_may_differ,
            acts_may_differ,
            same_conditions,
            same_defs,
            enums: Enums::of(old, new),
        }
    }
}

/// Compares one case under both sides: evaluated once on each without
/// explanations; where a determination differs, again with them, to say
/// where the reasoning first differs (and, for `--cases`, to show it).
fn compare(
    plan: &Plan,
    matching: &Matching,
    item: &super::batch::Item,
    today: Date,
    (texts, seen): (bool, Wanted),
    lang: Lang,
) -> Compared {
    let (old_p, new_p) = plan.programs();
    // A cause's words where the report has none yet, or for `--cases`.
    let wanted = |key: &str, what: &str| texts || !seen(key, what);
    let invalid = |e: crate::record::Invalid| Compared::Invalid {
        at: item.source_in(lang),
        message: e.0.first().map(|e| e.display_in(lang)).unwrap_or_default(),
    };
    let old_rec = match item.read(old_p) {
        Ok(r) => r,
        Err(e) => return invalid(e),
    };
    // Read once where both sides read records alike (always on two dates),
    // again with the facts set for `--set`.
    let new_owned;
    let new_rec = match plan {
        Plan::Facts { facts, .. } => match facts.apply(&old_rec, lang) {
            Ok(r) => {
                new_owned = r;
                &new_owned
            }
            Err(message) => {
                return Compared::Invalid {
                    at: item.source_in(lang),
                    message,
                }
            }
        },
        _ if matching.same_records => &old_rec,
        _ => match item.read(new_p) {
            Ok(r) => {
                new_owned = r;
                &new_owned
            }
            Err(e) => return invalid(e),
        },
    };
    let (old_date, new_date) = match plan {
        Plan::Trees { as_of, .. } | Plan::Facts { as_of, .. } => (
            explain::AsOf::of(old_rec.as_of, *as_of, || today),
            explain::AsOf::of(new_rec.as_of, *as_of, || today),
        ),
        Plan::Dates { old, new, .. } => {
            let on = |date| explain::AsOf {
                date,
                from: explain::AsOfFrom::Compared,
            };
            (on(*old), on(*new))
        }
    };
    let name = item.case_name(&old_rec);
    let same = |o: &crate::eval::Outcome, n: &crate::eval::Outcome| {
        o.same_result(n, |a, b| matching.enums.same(a, b))
    };
    let sides = (
        (old_p, old_rec.inputs.as_slice(), old_date),
        (new_p, new_rec.inputs.as_slice(), new_date),
    );
    // The warnings each side raises, by key, where they may differ.
    let mut warned: Option<[Vec<String>; 2]> = None;
    let keys = |p: &Program, raised: Vec<u32>| -> Vec<String> {
        raised
            .iter()
            .filter_map(|k| p.warnings.get(*k as usize))
            .map(|w| w.key.to_string())
            .collect()
    };
    // The time limits whose acts come out differently (found on the same
    // evaluations, told once both sides are known).
    let mut acts: Vec<ActChange> = Vec::new();
    // The new side's determinations that differ: only these are reported.
    // (Those not compared may have been evaluated on one side only, as
    // something another decision reads there, and be `Undetermined`, not
    // evaluated, on the other: no change.)
    let mut differing: Vec<bool> = Vec::new();
    let dates = [old_date.date, new_date.date];
    // Evaluated once on each side; the determinations that differ (by
    // their place on each side) explained from the same evaluations.
    let reports = explain::evaluate_pair(sides.0, sides.1, &name, |a, b| {
        if matching.warnings_may_differ {
            warned = Some([keys(old_p, a.warned()), keys(new_p, b.warned())]);
        }
        let ids = |n: usize| (0..n).map(|i| crate::check::ir::DecisionId(i as u32));
        let mut new_changed = vec![false; new_p.decisions.len()];
        let mut old_changed = vec![false; old_p.decisions.len()];
        for id in ids(new_p.decisions.len()) {
            let i = id.index();
            if !matching.may_differ.get(i).copied().unwrap_or(true) {
                continue;
            }
            let old_at = matching.old_of_new.get(i).copied().flatten();
            // Whether the outcomes differ, and whether they are the same
            // date given by the same rule (whose acts can then differ only
            // where `acts_may_differ` says).
            let (differs, same_date_by) = match old_at {
                Some(j) => {
                    let o = a.outcome_ref(crate::check::ir::DecisionId(j as u32));
                    let n = b.outcome_ref(id);
                    match (o, n) {
                        (Some(o), Some(n)) => {
                            let alike = same(o, n);
                            (!alike, alike && o.by() == n.by())
                        }
                        (o, n) => (o.is_some() != n.is_some(), false),
                    }
                }
                None => (true, false),
            };
            let acts_alike =
                same_date_by && !matching.acts_may_differ.get(i).copied().unwrap_or(true);
            if let Some(j) = old_at.filter(|_| !acts_alike) {
                let old_id = crate::check::ir::DecisionId(j as u32);
                acts.extend(ActChange::of(
                    (old_p, &mut *a, old_date.date),
                    (new_p, &mut *b, new_date.date),
                    old_id,
                    id,
                ));
            }
            if differs {
                if let Some(flag) = new_changed.get_mut(i) {
                    *flag = true;
                }
                if let Some(flag) = old_at.and_then(|j| old_changed.get_mut(j)) {
                    *flag = true;
                }
            }
        }
        for &j in &matching.removed {
            if let Some(flag) = old_changed.get_mut(j) {
                *flag = true;
            }
        }
        differing.clone_from(&new_changed);
        (new_changed.contains(&true) || old_changed.contains(&true))
            .then_some([old_changed, new_changed])
    });
    let warning_changes = warning_changes(warned, new_p, lang);
    let Some([a, b]) = reports else {
        if warning_changes.is_empty() && acts.is_empty() {
            return Compared::Same;
        }
        let t = &Tell::new(lang, (old_p, new_p), matching, &wanted);
        let mut changes: Vec<Change> = acts.iter().map(|c| c.told(t, dates, texts)).collect();
        changes.extend(warning_changes);
        return Compared::Changed {
            case: name,
            as_of: Some((new_date.date, new_date.from)),
            changes,
        };
    };
    // In the report's words (the contract's English for the JSON).
    let t = &Tell::new(lang, (old_p, new_p), matching, &wanted);
    let text = |w: &Words, d: &Derivation| {
        let mut s = String::new();
        explain::derivation_text_in(&mut s, d, (lang != Lang::En).then_some(w));
        s
    };
    let mut changes = Vec::new();
    for (i, (id, n)) in b.outcomes.iter().enumerate() {
        let old_at = matching.old_of_new.get(i).copied().flatten();
        let old_outcome = old_at.and_then(|j| a.outcomes.get(j).map(|(_, o)| (j, o)));
        // (Only the changed ones are named and explained.)
        if !differing.get(i).copied().unwrap_or(false)
            || matches!(old_outcome, Some((_, o)) if same(o, n))
            || (old_at.is_some() && old_outcome.is_none())
        {
            continue;
        }
        let key = new_p
            .decisions
            .get(id.index())
            .map(|d| d.key())
            .unwrap_or_default();
        let db = b.derivation(i);
        let new_text = || db.as_ref().map(|d| text(&t.new, d)).unwrap_or_default();
        match old_outcome {
            Some((j, o)) => {
                let da = a.derivation(j);
                let shift = match (o.value(), n.value()) {
                    (Some(crate::value::Value::Date(x)), Some(crate::value::Value::Date(y))) => {
                        Some(crate::time::days_between(*x, *y))
                    }
                    _ => None,
                };
                // A date's move is counted by days: its two values in
                // words only for `--cases`.
                let words = |w: &Words, o| match shift {
                    Some(_) if !texts => String::new(),
                    _ => t.outcome(w, o),
                };
                let told = Told {
                    old: words(&t.old, o),
                    new: words(&t.new, n),
                    cause: match (&da, &db) {
                        (Some(da), Some(db)) => first_difference(t, (*id, &key), da, db),
                        _ => Cause::value_of(t, &key),
                    },
                };
                changes.push(Change::new(
                    key,
                    shift,
                    told,
                    texts.then(|| {
                        (
                            da.as_ref().map(|d| text(&t.old, d)).unwrap_or_default(),
                            new_text(),
                        )
                    }),
                ));
            }
            None => {
                let told = Told {
                    old: t.pick("(absent)", "(nebuvo)").into(),
                    new: t.outcome(&t.new, n),
                    cause: t.one_side(&key, true),
                };
                changes.push(Change::new(
                    key,
                    None,
                    told,
                    texts.then(|| (String::new(), new_text())),
                ));
            }
        }
    }
    for &j in &matching.removed {
        let Some((id, o)) = a.outcomes.get(j) else {
            continue;
        };
        let key = old_p
            .decisions
            .get(id.index())
            .map(|d| d.key())
            .unwrap_or_default();
        let told = Told {
            old: t.outcome(&t.old, o),
            new: t.pick("(removed)", "(panaikinta)").into(),
            cause: t.one_side(&key, false),
        };
        changes.push(Change::new(
            key,
            None,
            told,
            texts.then(|| {
                (
                    a.derivation(j)
                        .as_ref()
                        .map(|d| text(&t.old, d))
                        .unwrap_or_default(),
                    String::new(),
                )
            }),
        ));
    }
    changes.extend(acts.iter().map(|c| c.told(t, dates, texts)));
    changes.extend(warning_changes);
    Compared::Changed {
        case: b.case.clone(),
        as_of: Some((b.as_of, b.as_of_from)),
        changes,
    }
}

/// A time limit of one case whose act (`met by`) comes out differently on
/// the two sides: done in time or late (and on which day), pending, missed,
/// not owed or not known. Compared where both sides give the time limit a
/// date and name its act, whether or not the date moved: a shorter period
/// can make an act done in time late, an amended `owed when` an act owed
/// not owed, with no date changed.
struct ActChange {
    /// The decision on the old side and on the new.
    old: DecisionId,
    new: DecisionId,
    /// Its outcome (a date) on each side.
    outcomes: [crate::eval::Outcome; 2],
    acts: [Act; 2],
}

/// One side of a case: its law, its evaluation, the date it is evaluated on.
type ActSide<'s, 'p, 'c> = (&'p Program, &'s mut crate::eval::Evaluation<'p, 'c>, Date);

impl ActChange {
    /// The act of time limit `old` on the old side and `new` on the new,
    /// where both are dates whose acts the rules name and the acts differ
    /// (in state, or in the day done).
    fn of(
        (old_p, a, old_on): ActSide,
        (new_p, b, new_on): ActSide,
        old: DecisionId,
        new: DecisionId,
    ) -> Option<ActChange> {
        use crate::eval::Outcome;
        let dated = |o: Option<&Outcome>| match o {
            Some(
                o @ Outcome::Determined {
                    value: Value::Date(_),
                    ..
                },
            ) => Some(o.clone()),
            _ => None,
        };
        let oa = dated(a.outcome_ref(old))?;
        let ob = dated(b.outcome_ref(new))?;
        let act_a = Act::of_outcome(old_p, a, old, &oa, old_on)?;
        let act_b = Act::of_outcome(new_p, b, new, &ob, new_on)?;
        (!act_a.same_state(&act_b)).then_some(ActChange {
            old,
            new,
            outcomes: [oa, ob],
            acts: [act_a, act_b],
        })
    }

    /// In `t`'s words, keyed `act KEY`: each side's act as a state (the
    /// contract's key in English), with what made it differ: the time
    /// limit's last day, the facts that meet it or its `owed when` as
    /// written, the condition's value, the date the case is evaluated on,
    /// else the facts' values. `texts`: each side's act in full (the day
    /// done, the reason not owed, the facts lacking).
    fn told(&self, t: &Tell, dates: [Date; 2], texts: bool) -> Change {
        let (old_p, new_p) = (t.old.program, t.new.program);
        let key = new_p
            .decisions
            .get(self.new.index())
            .map(|d| d.key())
            .unwrap_or_default();
        let [oa, ob] = &self.outcomes;
        let [act_a, act_b] = &self.acts;
        // The facts by their paths, on side `p`.
        let facts = |p: &Program, m: &crate::check::ir::MetBy| {
            crate::agenda::fact_paths(p, &m.facts).join(" or ")
        };
        let owed_text = |m: &crate::check::ir::MetBy| {
            m.owed.as_ref().map_or_else(
                || t.pick("(always owed)", "(visada privaloma)").to_string(),
                |o| format!("`{}`", o.text),
            )
        };
        // Whose `met by` it is: the deciding rule's where the rule writes
        // its own, else the decision's.
        let written = |m| (facts(new_p, m), owed_text(m));
        let rule = match (ob, new_p.decisions.get(self.new.index())) {
            (
                crate::eval::Outcome::Determined {
                    by: crate::eval::By::Rule(i),
                    ..
                },
                Some(d),
            ) => (d.rules.get(*i))
                .filter(|r| written(&r.met_by) != written(&d.met_by))
                .map(|r| t.rule(&key, &r.name)),
            _ => None,
        }
        .unwrap_or_else(|| key.clone());
        // Whether the act is owed, where its state says: the condition
        // false, unknown, or (not done) true; not read where done.
        let owed = |act: &Act| match act {
            Act::NotOwed(_) => Some(t.pick("false", "ne")),
            Act::OwedUnknown(_) => Some(t.pick("unknown", "nežinoma")),
            Act::Pending | Act::Missed => Some(t.pick("true", "taip")),
            _ => None,
        };
        let met_by_of = || match t.lang {
            Lang::En => format!("the `met by` of {rule}"),
            Lang::Lt => format!("kuo laikomasi termino: {rule}"),
        };
        let owed_when_of = || match t.lang {
            Lang::En => format!("the `owed when` of {rule}"),
            Lang::Lt => format!("kada veiksmas privalomas: {rule}"),
        };
        let sides = (
            crate::agenda::met_by(old_p, self.old, oa),
            crate::agenda::met_by(new_p, self.new, ob),
        );
        let act_key = format!("act {key}");
        let cause = |what, text: &dyn Fn() -> String| t.cause(&act_key, what, text);
        let cause = match sides {
            (Some((_, la)), Some((_, lb))) if la != lb => cause(
                // In Lithuanian the time limit by its label, with its key
                // (as a rule is named).
                match (t.lang, t.new.decision_label(self.new)) {
                    (Lang::Lt, Some(label)) => format!("«{label}» paskutinė diena ({key})"),
                    (Lang::Lt, None) => format!("{key} paskutinė diena"),
                    (Lang::En, _) => format!("the last day of {key}"),
                },
                &|| format!("{} → {}", t.old.date(la), t.new.date(lb)),
            ),
            (Some((ma, _)), Some((mb, _))) if facts(old_p, ma) != facts(new_p, mb) => {
                cause(met_by_of(), &|| {
                    format!("`{}` → `{}`", facts(old_p, ma), facts(new_p, mb))
                })
            }
            (Some((ma, _)), Some((mb, _))) if owed_text(ma) != owed_text(mb) => {
                cause(owed_when_of(), &|| {
                    format!("{} → {}", owed_text(ma), owed_text(mb))
                })
            }
            (Some((_, _)), Some((mb, _)))
                if owed(act_a).is_some() && owed(act_b).is_some() && owed(act_a) != owed(act_b) =>
            {
                cause(owed_when_of(), &|| {
                    format!(
                        "{}: {} → {}",
                        owed_text(mb),
                        owed(act_a).unwrap_or_default(),
                        owed(act_b).unwrap_or_default()
                    )
                })
            }
            _ if dates[0] != dates[1] => cause(
                t.pick("the date the case is evaluated on", "vertinimo data")
                    .into(),
                &|| format!("{} → {}", t.old.date(dates[0]), t.new.date(dates[1])),
            ),
            (_, Some((mb, _))) => cause(met_by_of(), &|| {
                format!(
                    "`{}`: {} → {}",
                    facts(new_p, mb),
                    t.act(&t.old, act_a),
                    t.act(&t.new, act_b)
                )
            }),
            _ => Cause::value_of(t, &key),
        };
        Change {
            key: act_key,
            old: t.act(&t.old, act_a),
            new: t.act(&t.new, act_b),
            shift: None,
            cause,
            texts: texts.then(|| (t.old.act(act_a), t.new.act(act_b))),
        }
    }
}

/// The warnings raised on one side and not on the other, as changes keyed
/// `warning KEY` (`raised` / `not raised`), the new side's order first,
/// each with its condition as the new side writes it.
fn warning_changes(warned: Option<[Vec<String>; 2]>, new_p: &Program, lang: Lang) -> Vec<Change> {
    let Some([old, new]) = warned else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = new.iter().collect();
    keys.extend(old.iter().filter(|k| !new.contains(k)));
    let tell = |k: &str| {
        let pick = |en, lt| Say(lang).pick(en, lt);
        let word = |raised: bool| {
            if raised {
                pick("raised", "įspėjama")
            } else {
                pick("not raised", "neįspėjama")
            }
            .to_string()
        };
        let condition = new_p
            .warnings
            .iter()
            .find(|w| &*w.key == k)
            .and_then(|w| new_p.defs.get(w.def.index()))
            .map_or_else(
                || pick("the warning was removed", "įspėjimas panaikintas").to_string(),
                |d| format!("{}: {}", pick("its condition", "jo sąlyga"), d.body.text),
            );
        Told {
            old: word(old.iter().any(|o| o == k)),
            new: word(new.iter().any(|n| n == k)),
            cause: Cause::new(format!("{} {k}", pick("warning", "įspėjimas")), condition),
        }
    };
    keys.into_iter()
        .filter(|k| old.contains(k) != new.contains(k))
        .map(|k| Change::new(format!("warning {k}"), None, tell(k), None))
        .collect()
}

/// How many example cases a group of the report names.
const EXAMPLES: usize = 3;
/// How many distinct value transitions of one determination are told
/// apart (the rest are counted together), so memory stays bounded.
const TRANSITIONS: usize = 100;
/// How many invalid records are named (all are counted).
const INVALID_SHOWN: usize = 20;

/// A count, with the first few cases counted.
#[derive(Default, Clone, Debug)]
struct Group {
    cases: usize,
    examples: Vec<String>,
}

impl Group {
    fn add(&mut self, case: &str) {
        self.cases += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(case.to_string());
        }
    }
}

/// What changed for one determination over the caseload.
#[derive(Default)]
struct KeyImpact {
    changed: Group,
    /// (old, new) value or status → cases; dates that moved are in `shifts`.
    transitions: BTreeMap<(String, String), Group>,
    /// Days a date moved → cases.
    shifts: BTreeMap<i64, Group>,
    /// What first evaluates differently → cases, and its words in the first.
    causes: BTreeMap<String, (Group, String)>,
}

/// A changed case as `--cases` lists it: its name, date and changes.
type Listed = (String, Option<(Date, explain::AsOfFrom)>, Vec<Change>);

/// The groups of a determination as a report shows them: transitions,
/// shifts of a date, causes (with the words of the first case).
type Groups<'a> = (
    Vec<(String, &'a Group)>,
    Vec<(i64, &'a Group)>,
    Vec<(&'a str, &'a str, &'a Group)>,
);

/// The impact report, gathered case by case (in input order) in bounded
/// memory; the cases listed in full only with `--cases`.
struct Impact {
    /// The language its words are in.
    lang: Lang,
    compared: usize,
    changed: usize,
    invalid: usize,
    invalid_shown: Vec<(String, String)>,
    keys: BTreeMap<String, KeyImpact>,
    /// The cases listed for `--cases`, up to `--limit`.
    listed: Vec<Listed>,
}

impl Impact {
    fn new(lang: Lang) -> Impact {
        Impact {
            lang,
            compared: 0,
            changed: 0,
            invalid: 0,
            invalid_shown: Vec::new(),
            keys: BTreeMap::new(),
            listed: Vec::new(),
        }
    }

    fn add(&mut self, c: Compared, list: Option<usize>) {
        match c {
            Compared::Same => self.compared += 1,
            Compared::Invalid { at, message } => {
                self.invalid += 1;
                if self.invalid_shown.len() < INVALID_SHOWN {
                    self.invalid_shown.push((at, message));
                }
            }
            Compared::Changed {
                case,
                as_of,
                changes,
            } => {
                self.compared += 1;
                self.changed += 1;
                for ch in &changes {
                    let k = self.keys.entry(ch.key.clone()).or_default();
                    k.changed.add(&case);
                    match ch.shift {
                        Some(days) => k.shifts.entry(days).or_default().add(&case),
                        None => {
                            let pair = (ch.old.clone(), ch.new.clone());
                            let pair = if k.transitions.len() < TRANSITIONS
                                || k.transitions.contains_key(&pair)
                            {
                                pair
                            } else {
                                let other =
                                    Say(self.lang).pick("(other values)", "(kitos reikšmės)");
                                (other.into(), other.into())
                            };
                            k.transitions.entry(pair).or_default().add(&case);
                        }
                    }
                    k.causes
                        .entry(ch.cause.what.clone())
                        .or_insert_with(|| (Group::default(), ch.cause.text.clone()))
                        .0
                        .add(&case);
                }
                if list.is_some_and(|limit| self.listed.len() < limit) {
                    self.listed.push((case, as_of, changes));
                }
            }
        }
    }
}

/// What `lsa diff` prints, and how.
pub(super) struct Options {
    pub format: DiffFormat,
    pub lang: Lang,
    /// `--cases`: list each changed case with both explanations, up to this many.
    pub cases: Option<usize>,
    pub max_line: usize,
}

pub(super) fn run(plan: &Plan, inputs: &[PathBuf], opts: &Options) -> Result<()> {
    let started = std::time::Instant::now();
    let today = today();
    let (old_program, new_program) = plan.programs();
    // On two dates, or with facts set, any determination may change.
    let matching = Matching::of(
        old_program,
        new_program,
        !matches!(plan, Plan::Trees { .. }),
    );
    let bar = if super::stderr_is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {percent:>3}%  {msg}  eta {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    // The words of what people read: the JSON is in the contract's.
    let told = match opts.format {
        DiffFormat::Json => Lang::En,
        _ => opts.lang,
    };
    let mut impact = Impact::new(told);
    let texts = opts.cases.is_some();
    super::batch::stream(inputs, opts.max_line, super::batch::CHUNK, &bar, |chunk| {
        use rayon::prelude::*;
        // The words of a cause are kept from its first case in input order:
        // a cause the report has from a chunk before is not put in words
        // again (every case of the chunk where a cause is first seen puts
        // it in words, so which one is first does not depend on threads).
        let known = |key: &str, what: &str| {
            (impact.keys.get(key)).is_some_and(|k| k.causes.contains_key(what))
        };
        let results: Vec<Compared> = chunk
            .par_iter()
            .map(|item| compare(plan, &matching, item, today, (texts, &known), told))
            .collect();
        bar.inc(chunk.len() as u64);
        for r in results {
            impact.add(r, opts.cases);
        }
        bar.set_message(format!(
            "{} cases, {} changed",
            impact.compared, impact.changed
        ));
        Ok(())
    })?;
    bar.finish_and_clear();
    let report = Report::new(plan, opts.lang, &impact);
    match opts.format {
        DiffFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&report.json()).unwrap_or_default()
        )?,
        DiffFormat::Text => report.text()?,
        DiffFormat::Markdown => report.markdown()?,
        DiffFormat::Html => outln!("{}", report.html())?,
    }
    let (compared, changed, invalid) = (impact.compared, impact.changed, impact.invalid);
    let took = started.elapsed().as_secs_f64();
    match opts.lang {
        Lang::En => {
            errln!("{compared} cases compared, {changed} changed, {invalid} invalid, {took:.2} s")
        }
        Lang::Lt => errln!(
            "palyginta bylų: {compared}, pasikeitė: {changed}, netinkamų: {invalid}, {took:.2} s"
        ),
    }
    if impact.invalid > 0 {
        Err(Failure::Record(None))
    } else {
        Ok(())
    }
}

/// The report over an `Impact`, in each format.
struct Report<'a> {
    impact: &'a Impact,
    /// The language of the text, Markdown and HTML (the JSON is in the
    /// contract's words, its labels in this language).
    say: Say,
    old_label: String,
    new_label: String,
    /// The two sides in the report's words.
    old_told: String,
    new_told: String,
    old_law: Json,
    new_law: Json,
    /// Facts set (`--set`), not two laws or two dates.
    what_if: bool,
    /// The determinations that changed: key, label and what changed, in the
    /// new program's order (removed ones last).
    order: Vec<(String, String, &'a KeyImpact)>,
}

impl<'a> Report<'a> {
    fn new(plan: &Plan, lang: Lang, impact: &'a Impact) -> Report<'a> {
        let (old_p, new_p) = plan.programs();
        let words = Words::new(new_p, lang);
        let labels = |lang: Lang| match plan {
            Plan::Trees {
                old,
                new,
                old_name,
                new_name,
                ..
            } => (
                format!(
                    "{old_name} — {}",
                    super::law::describe(&old.provenance, lang)
                ),
                format!(
                    "{new_name} — {}",
                    super::law::describe(&new.provenance, lang)
                ),
            ),
            Plan::Dates { old, new, program } => {
                let on = |d: Date| match lang {
                    Lang::En => format!(
                        "on {} (in place of each record's as_of) — {}",
                        date_str(d),
                        super::law::describe(&program.provenance, lang)
                    ),
                    Lang::Lt => format!(
                        "{} (vietoj kiekvieno įrašo as_of) — {}",
                        date_str(d),
                        super::law::describe(&program.provenance, lang)
                    ),
                };
                (on(*old), on(*new))
            }
            Plan::Facts { program, sets, .. } => {
                let law = super::law::describe(&program.provenance, lang);
                let set: Vec<String> = sets.iter().map(|(p, v)| format!("{p}={v}")).collect();
                match lang {
                    Lang::En => (
                        format!("the records as they are — {law}"),
                        format!("with --set {} — {law}", set.join(", --set ")),
                    ),
                    Lang::Lt => (
                        format!("įrašai, kokie yra — {law}"),
                        format!("su --set {} — {law}", set.join(", --set ")),
                    ),
                }
            }
        };
        let (old_label, new_label) = labels(Lang::En);
        let (old_told, new_told) = labels(lang);
        // Each determination, and its time limit's act after it.
        let mut order: Vec<(String, String)> = new_p
            .decisions
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                let label = words
                    .decision_label(crate::check::ir::DecisionId(i as u32))
                    .unwrap_or_default()
                    .to_string();
                let act = match label.as_str() {
                    "" => String::new(),
                    l => format!("{l}{}", Say(lang).pick(": the act", ": veiksmas")),
                };
                [(d.key(), label), (format!("act {}", d.key()), act)]
            })
            .collect();
        for d in &old_p.decisions {
            if !order.iter().any(|(k, _)| *k == d.key()) {
                order.push((d.key(), String::new()));
            }
        }
        // The warnings a case raises differently, after the determinations.
        for (p, w) in new_p
            .warnings
            .iter()
            .map(|w| (new_p, w))
            .chain(old_p.warnings.iter().map(|w| (old_p, w)))
        {
            let key = format!("warning {}", w.key);
            if !order.iter().any(|(k, _)| *k == key) {
                let label = p
                    .labels
                    .label(&crate::check::ir::Labelled::Def(w.def), lang);
                order.push((key, label.unwrap_or_default().to_string()));
            }
        }
        let order = order
            .into_iter()
            .filter_map(|(k, label)| {
                let changed = impact.keys.get(&k)?;
                Some((k, label, changed))
            })
            .collect();
        Report {
            impact,
            say: Say(lang),
            old_label,
            new_label,
            old_told,
            new_told,
            old_law: explain::law_json(&old_p.provenance),
            new_law: explain::law_json(&new_p.provenance),
            what_if: matches!(plan, Plan::Facts { .. }),
            order,
        }
    }

    fn lang(&self) -> Lang {
        self.say.0
    }

    /// The report's title: an amendment's impact, or facts set's.
    fn title(&self) -> &'static str {
        if self.what_if {
            self.pick("What if", "Kas, jei")
        } else {
            self.pick("Amendment impact", "Pakeitimo poveikis")
        }
    }

    fn pick(&self, en: &'static str, lt: &'static str) -> &'static str {
        self.say.pick(en, lt)
    }

    /// A determination's key as the report shows it (a warning's with the
    /// word in the report's language).
    fn key<'k>(&self, key: &'k str) -> std::borrow::Cow<'k, str> {
        match (self.lang(), key.strip_prefix("warning ")) {
            (Lang::Lt, Some(k)) => format!("įspėjimas {k}").into(),
            (Lang::Lt, None) => match key.strip_prefix("act ") {
                Some(k) => format!("veiksmas {k}").into(),
                None => key.into(),
            },
            _ => key.into(),
        }
    }

    /// [`Self::labelled`] in Markdown: the key as code.
    fn md_labelled(&self, key: &str, label: &str) -> String {
        let code = format!("`{}`", self.key(key));
        self.labelled(&code, label)
    }

    /// A changed determination's words (its label; empty without one), to
    /// head a listed case's change as the report heads the determination.
    fn label_of(&self, key: &str) -> &str {
        self.order
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or("", |(_, label, _)| label.as_str())
    }

    /// A determination as the report heads it: its words first (what an
    /// official reads), its key after them, as its causes are named.
    fn labelled(&self, key: &str, label: &str) -> String {
        let key = self.key(key);
        if label.is_empty() {
            key.into_owned()
        } else {
            format!("{label} ({key})")
        }
    }

    /// The groups of one determination, most cases first: transitions,
    /// shifts, causes; in the report's words.
    fn groups<'k>(&self, k: &'k KeyImpact) -> Groups<'k> {
        let mut transitions: Vec<(String, &Group)> = k
            .transitions
            .iter()
            .map(|((a, b), g)| (format!("{a} → {b}"), g))
            .collect();
        transitions.sort_by(|x, y| y.1.cases.cmp(&x.1.cases).then(x.0.cmp(&y.0)));
        let mut shifts: Vec<(i64, &Group)> = k.shifts.iter().map(|(d, g)| (*d, g)).collect();
        shifts.sort_by(|x, y| y.1.cases.cmp(&x.1.cases).then(x.0.cmp(&y.0)));
        let mut causes: Vec<(&str, &str, &Group)> = k
            .causes
            .iter()
            .map(|(what, (g, text))| (what.as_str(), text.as_str(), g))
            .collect();
        causes.sort_by(|x, y| y.2.cases.cmp(&x.2.cases).then(x.0.cmp(y.0)));
        (transitions, shifts, causes)
    }

    fn json(&self) -> Json {
        let i = self.impact;
        let determinations: serde_json::Map<String, Json> = self
            .order
            .iter()
            .map(|(key, label, k)| {
                let (_, shifts, causes) = self.groups(k);
                (
                    key.clone(),
                    json!({
                        "label": label,
                        "cases_changed": k.changed.cases,
                        "examples": k.changed.examples,
                        "transitions": k.transitions.iter().map(|((a, b), g)| json!({
                            "old": a, "new": b, "cases": g.cases, "examples": g.examples,
                        })).collect::<Vec<_>>(),
                        "shift_days": shifts.iter().map(|(d, g)| json!({
                            "days": d, "cases": g.cases, "examples": g.examples,
                        })).collect::<Vec<_>>(),
                        "causes": causes.iter().map(|(what, text, g)| json!({
                            "cause": what, "cases": g.cases, "examples": g.examples, "first_seen": text,
                        })).collect::<Vec<_>>(),
                    }),
                )
            })
            .collect();
        let per_key: serde_json::Map<String, Json> = self
            .order
            .iter()
            .map(|(k, _, changed)| (k.clone(), json!(changed.changed.cases)))
            .collect();
        let mut out = json!({
            "old": self.old_label,
            "new": self.new_label,
            "old_law": self.old_law,
            "new_law": self.new_law,
            "cases": i.compared,
            "cases_changed": i.changed,
            "invalid": {
                "records": i.invalid,
                "first": i.invalid_shown.iter().map(|(at, m)| json!({ "at": at, "error": m })).collect::<Vec<_>>(),
            },
            "changes_per_determination": per_key,
            "determinations": determinations,
        });
        if let (false, Some(map)) = (i.listed.is_empty(), out.as_object_mut()) {
            map.insert("changed".into(), json!(i
                .listed
                .iter()
                .map(|(case, as_of, changes)| json!({
                    "case": case,
                    "as_of": as_of.filter(|(_, from)| *from != explain::AsOfFrom::Compared).map(|(d, _)| date_str(d)),
                    "as_of_from": as_of.map(|(_, from)| from.key()),
                    "changes": changes.iter().map(|ch| {
                        let (old_text, new_text) = ch.texts.clone().unwrap_or_default();
                        json!({
                            "determination": ch.key, "old": ch.old, "new": ch.new,
                            "first_difference": ch.cause.text, "cause": ch.cause.what,
                            "old_explanation": old_text, "new_explanation": new_text,
                        })
                    }).collect::<Vec<_>>(),
                }))
                .collect::<Vec<_>>()));
        }
        out
    }

    /// `N cases`, in the form its number asks for.
    fn cases(&self, n: usize) -> String {
        match self.lang() {
            Lang::En => format!("{n} case{}", if n == 1 { "" } else { "s" }),
            Lang::Lt => format!(
                "{n} {}",
                Lang::lt_count(n as u64, ["byla", "bylos", "bylų"])
            ),
        }
    }

    fn examples(&self, g: &Group) -> String {
        if g.examples.is_empty() {
            String::new()
        } else {
            format!(
                " ({} {})",
                self.pick("e.g.", "pvz.,"),
                g.examples.join(", ")
            )
        }
    }

    /// How far a date moved.
    fn days(&self, d: i64) -> String {
        match (self.lang(), d) {
            (Lang::En, 0) => "the same day".into(),
            (Lang::En, d) if d > 0 => format!("{d} day{} later", if d == 1 { "" } else { "s" }),
            (Lang::En, d) => format!("{} day{} earlier", -d, if d == -1 { "" } else { "s" }),
            (Lang::Lt, 0) => "ta pati diena".into(),
            (Lang::Lt, d) if d > 0 => format!("{d} d. vėliau"),
            (Lang::Lt, d) => format!("{} d. anksčiau", -d),
        }
    }

    /// ` (as of DATE, where it came from)` unless the date is the one compared on.
    fn dated(&self, as_of: &Option<(Date, explain::AsOfFrom)>) -> String {
        match as_of {
            Some((d, from)) if *from != explain::AsOfFrom::Compared => match self.lang() {
                Lang::En => format!(" (as of {}, {})", date_str(*d), from.text()),
                Lang::Lt => format!(
                    " (vertinimo data {}, {})",
                    date_str(*d),
                    self.say.as_of_from(*from)
                ),
            },
            _ => String::new(),
        }
    }

    fn text(&self) -> Result<()> {
        let i = self.impact;
        outln!(
            "{} {}\n{} {}",
            self.pick("old:", "prieš:"),
            self.old_told,
            self.pick("new:", "po:"),
            self.new_told
        )?;
        let invalid = match (i.invalid, self.lang()) {
            (0, _) => String::new(),
            (n, Lang::En) => format!(
                "; {n} invalid record{} not compared",
                if n == 1 { "" } else { "s" }
            ),
            (n, Lang::Lt) => format!("; nelyginta netinkamų įrašų: {n}"),
        };
        match self.lang() {
            Lang::En => outln!("{}, {} changed{invalid}", self.cases(i.compared), i.changed)?,
            Lang::Lt => outln!("bylų: {}, pasikeitė: {}{invalid}", i.compared, i.changed)?,
        }
        for (key, label, k) in &self.order {
            let changed = self.cases(k.changed.cases);
            match self.lang() {
                Lang::En => outln!("  {}: {changed} changed", self.labelled(key, label))?,
                Lang::Lt => outln!("  {}: pasikeitė {changed}", self.labelled(key, label))?,
            }
            let (transitions, shifts, causes) = self.groups(k);
            for (d, g) in &shifts {
                outln!(
                    "    {}: {}{}",
                    self.days(*d),
                    self.cases(g.cases),
                    self.examples(g)
                )?;
            }
            for (t, g) in &transitions {
                outln!("    {t}: {}{}", self.cases(g.cases), self.examples(g))?;
            }
            for (what, text, g) in &causes {
                outln!(
                    "    {} {what}: {}{}",
                    self.pick("because of", "priežastis —"),
                    self.cases(g.cases),
                    self.examples(g)
                )?;
                outln!(
                    "      {} {text}",
                    self.pick("first seen:", "pirmoje byloje:")
                )?;
            }
        }
        if i.invalid > 0 {
            outln!(
                "{}",
                self.pick(
                    "invalid records (not compared):",
                    "netinkami įrašai (nelyginti):"
                )
            )?;
            for (at, m) in &i.invalid_shown {
                outln!("  {at}: {m}")?;
            }
            if i.invalid > i.invalid_shown.len() {
                let more = i.invalid - i.invalid_shown.len();
                match self.lang() {
                    Lang::En => outln!("  … and {more} more")?,
                    Lang::Lt => outln!("  … ir dar {more}")?,
                }
            }
        }
        for (case, as_of, changes) in &i.listed {
            outln!(
                "\n{} {case}{}",
                self.pick("case", "byla"),
                self.dated(as_of)
            )?;
            for ch in changes {
                let (old_text, new_text) = ch.texts.clone().unwrap_or_default();
                let (old, new, first) = (&ch.old, &ch.new, &ch.cause.text);
                let label = self.label_of(&ch.key);
                outln!("  {}: {old} → {new}", self.labelled(&ch.key, label))?;
                outln!("    {} {first}", self.pick("cause:", "priežastis:"))?;
                outln!("    {}", self.pick("old:", "prieš:"))?;
                for l in old_text.lines() {
                    outln!("      {l}")?;
                }
                outln!("    {}", self.pick("new:", "po:"))?;
                for l in new_text.lines() {
                    outln!("      {l}")?;
                }
            }
        }
        Ok(())
    }

    fn markdown(&self) -> Result<()> {
        let i = self.impact;
        let ex = |g: &Group| g.examples.join(", ");
        outln!(
            "# {}: `{}` → `{}`\n",
            self.title(),
            self.old_told,
            self.new_told
        )?;
        match self.lang() {
            Lang::En => outln!("{} cases, {} changed\n", i.compared, i.changed)?,
            Lang::Lt => outln!("Bylų: {}, pasikeitė: {}\n", i.compared, i.changed)?,
        }
        if i.invalid > 0 {
            match self.lang() {
                Lang::En => outln!("{} invalid records were not compared.\n", i.invalid)?,
                Lang::Lt => outln!("Nelyginta netinkamų įrašų: {}.\n", i.invalid)?,
            }
        }
        let head = |what: &str| {
            format!(
                "| {what} | {} | {} |\n|---|---|---|",
                self.pick("cases", "bylų"),
                self.pick("for example", "pavyzdžiai")
            )
        };
        if !self.order.is_empty() {
            outln!(
                "| {} | {} |\n|---|---|",
                self.pick("determination", "sprendimas"),
                self.pick("cases changed", "pasikeitė bylų")
            )?;
            for (key, label, k) in &self.order {
                outln!("| {} | {} |", self.md_labelled(key, label), k.changed.cases)?;
            }
            outln!()?;
        }
        for (key, label, k) in &self.order {
            outln!("## {}\n", self.md_labelled(key, label))?;
            let (transitions, shifts, causes) = self.groups(k);
            if !shifts.is_empty() {
                outln!("{}", head(self.pick("the date moved", "data pasislinko")))?;
                for (d, g) in &shifts {
                    outln!("| {} | {} | {} |", self.days(*d), g.cases, ex(g))?;
                }
                outln!()?;
            }
            if !transitions.is_empty() {
                outln!("{}", head(self.pick("old → new", "prieš → po")))?;
                for (t, g) in &transitions {
                    outln!("| {t} | {} | {} |", g.cases, ex(g))?;
                }
                outln!()?;
            }
            outln!("{}", head(self.pick("because of", "priežastis")))?;
            for (what, text, g) in &causes {
                outln!("| `{what}`: {text} | {} | {} |", g.cases, ex(g))?;
            }
            outln!()?;
        }
        if i.invalid > 0 {
            outln!(
                "## {}\n\n| {} | {} |\n|---|---|",
                self.pick("Invalid records", "Netinkami įrašai"),
                self.pick("where", "kur"),
                self.pick("error", "klaida")
            )?;
            for (at, m) in &i.invalid_shown {
                outln!("| {at} | {} |", m.replace('|', "\\|"))?;
            }
            outln!()?;
        }
        for (case, as_of, changes) in &i.listed {
            outln!("## {case}{}\n", self.dated(as_of))?;
            for ch in changes {
                let (old_text, new_text) = ch.texts.clone().unwrap_or_default();
                let (old, new, first) = (&ch.old, &ch.new, &ch.cause.text);
                outln!(
                    "- {}: **{old}** → **{new}** ({first})\n",
                    self.md_labelled(&ch.key, self.label_of(&ch.key))
                )?;
                outln!(
                    "  <details><summary>{}</summary>\n\n```\n{old_text}```\n\n```\n{new_text}```\n  </details>\n",
                    self.pick("explanations", "paaiškinimai")
                )?;
            }
        }
        Ok(())
    }

    /// One self-contained page (no script, no network): the summary, and
    /// for each determination its tables with bars; every count carries
    /// `data-count` (its row `data-key`, `data-group` and `data-what`; the
    /// totals `data-total`) for tools.
    fn html(&self) -> String {
        let i = self.impact;
        let e = crate::explain::html::esc;
        let title = self.title();
        let mut h = String::new();
        h.push_str(&format!("<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody{{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1b1b1b;padding:0 1em}}\nh1{{font-size:1.5em}}h2{{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}}\ntable{{border-collapse:collapse;width:100%;margin:.6em 0}}td,th{{border-bottom:1px solid #e3e3e3;padding:.3em .5em;text-align:left;vertical-align:top}}\ntd.n{{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}}\n.bar{{background:#3b6ea8;height:.8em;display:inline-block;min-width:1px}}\n.muted{{color:#666;font-size:.9em}}code{{font-size:.92em}}\n@media print{{.bar{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}}}\n</style></head><body>\n", self.lang().code()));
        h.push_str(&format!("<h1>{title}</h1>\n"));
        h.push_str(&format!(
            "<p>{} <code>{}</code><br>{} <code>{}</code></p>\n",
            self.pick("old:", "prieš:"),
            e(&self.old_told),
            self.pick("new:", "po:"),
            e(&self.new_told)
        ));
        let total = |what: &str, n: usize| format!("<span data-total=\"{what}\">{n}</span>");
        let (cases, changed, invalid) = (
            total("cases", i.compared),
            total("cases_changed", i.changed),
            total("invalid", i.invalid),
        );
        h.push_str(&match self.lang() {
            Lang::En => format!("<p>{cases} cases compared, {changed} changed, {invalid} invalid records not compared.</p>\n"),
            Lang::Lt => format!("<p>Palyginta bylų: {cases}, pasikeitė: {changed}, nelyginta netinkamų įrašų: {invalid}.</p>\n"),
        });
        let bar = |n: usize, of: usize| {
            let pct = if of == 0 {
                0.0
            } else {
                n as f64 * 100.0 / of as f64
            };
            format!(
                "<span class=\"bar\" style=\"width:{:.1}%\"></span>",
                pct.min(100.0) * 0.6
            )
        };
        if !self.order.is_empty() {
            h.push_str(&format!(
                "<table><tr><th>{}</th><th>{}</th><th></th></tr>\n",
                self.pick("determination", "sprendimas"),
                self.pick("cases changed", "pasikeitė bylų")
            ));
            for (key, label, k) in &self.order {
                let n = k.changed.cases;
                h.push_str(&format!(
                    "<tr data-key=\"{}\" data-group=\"changed\"><td>{} <code>{}</code></td><td class=\"n\" data-count=\"{n}\">{n}</td><td>{}</td></tr>\n",
                    e(key), e(label), e(&self.key(key)), bar(n, i.compared)
                ));
            }
            h.push_str("</table>\n");
        }
        for (key, label, k) in &self.order {
            let total = k.changed.cases;
            h.push_str(&format!(
                "<h2>{} <code>{}</code></h2>\n",
                e(label),
                e(&self.key(key))
            ));
            let (transitions, shifts, causes) = self.groups(k);
            let (cases, for_example) = (
                self.pick("cases", "bylų"),
                self.pick("for example", "pavyzdžiai"),
            );
            let mut table = |title: &str, group: &str, rows: Vec<(String, &Group)>| {
                if rows.is_empty() {
                    return;
                }
                h.push_str(&format!(
                    "<table><tr><th>{title}</th><th>{cases}</th><th></th><th>{for_example}</th></tr>\n"
                ));
                for (what, g) in rows {
                    h.push_str(&format!(
                        "<tr data-key=\"{}\" data-group=\"{group}\" data-what=\"{}\"><td>{}</td><td class=\"n\" data-count=\"{}\">{}</td><td>{}</td><td class=\"muted\">{}</td></tr>\n",
                        e(key), e(&what), e(&what), g.cases, g.cases, bar(g.cases, total), e(&g.examples.join(", "))
                    ));
                }
                h.push_str("</table>\n");
            };
            table(
                self.pick("the date moved", "data pasislinko"),
                "shift",
                shifts.iter().map(|(d, g)| (self.days(*d), *g)).collect(),
            );
            table(
                self.pick("old → new", "prieš → po"),
                "transition",
                transitions.iter().map(|(t, g)| (t.clone(), *g)).collect(),
            );
            table(
                self.pick("because of", "priežastis"),
                "cause",
                causes
                    .iter()
                    .map(|(what, _, g)| (what.to_string(), *g))
                    .collect(),
            );
            for (what, text, _) in &causes {
                h.push_str(&format!(
                    "<p class=\"muted\"><code>{}</code>, {} {}</p>\n",
                    e(what),
                    self.pick("first seen:", "pirmoje byloje:"),
                    e(text)
                ));
            }
        }
        if i.invalid > 0 {
            h.push_str(&format!(
                "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th></tr>\n",
                self.pick("Invalid records", "Netinkami įrašai"),
                self.pick("where", "kur"),
                self.pick("error", "klaida")
            ));
            for (at, m) in &i.invalid_shown {
                h.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>\n", e(at), e(m)));
            }
            h.push_str("</table>\n");
        }
        for (case, as_of, changes) in &i.listed {
            h.push_str(&format!("<h2>{}{}</h2>\n", e(case), e(&self.dated(as_of))));
            for ch in changes {
                let (old_text, new_text) = ch.texts.clone().unwrap_or_default();
                let (old, new, first) = (&ch.old, &ch.new, &ch.cause.text);
                h.push_str(&format!(
                    "<p>{}<code>{}</code>: <b>{}</b> → <b>{}</b> ({})</p>\n<details><summary>{}</summary><pre>{}</pre><pre>{}</pre></details>\n",
                    match self.label_of(&ch.key) {
                        "" => String::new(),
                        label => format!("{} ", e(label)),
                    },
                    e(&self.key(&ch.key)), e(old), e(new), e(first),
                    self.pick("explanations", "paaiškinimai"),
                    e(&old_text), e(&new_text)
                ));
            }
        }
        h.push_str("</body></html>");
        h
    }
}
