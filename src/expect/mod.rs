//! Expectation files: tests that give a case (inline, or by a path the caller
//! resolves), an optional as-of date, and expected determinations. Compares
//! outcomes with expectations and counts coverage by rule and citation.
//!
//! Reads no files itself: the CLI and the project's tests hand it texts.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::check::ir::DecisionId;
use crate::check::Program;
use crate::diag::did_you_mean;
use crate::eval::why::{Derivation, Role, Seen, Step};
use crate::eval::{By, Outcome, Status};
use crate::explain::{self, json_value, CaseReport};
use crate::record::{self, CaseRecord, Format};
use crate::value::parse_date;

/// Finds a case file named in a test (relative to the test file): its name and text.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Result<(String, String), String>;

/// One test's outcome: its failures (empty if it passed) and the evaluated case.
pub struct Ran<'p> {
    pub name: String,
    pub failures: Vec<String>,
    pub report: Option<CaseReport<'p>>,
    /// Whether each time limit's act was done, or is owed, as the case's
    /// record says (for `act:` and for coverage).
    pub acts: Vec<(crate::check::ir::DecisionId, crate::agenda::Act)>,
}

/// The determinations a test's snapshot shows: those it expects, and every
/// other that is not waiting for facts the test does not give (a test
/// names only the facts it is about; the rest would be noise, and a change
/// that decides one of them shows as an added block).
pub fn snapshot_filter(test: &Json) -> impl Fn(&str, &Outcome) -> bool {
    let expected: Vec<String> = test
        .get("expect")
        .and_then(Json::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    move |key: &str, outcome: &Outcome| {
        expected.iter().any(|e| e == key) || !matches!(outcome, Outcome::Unknown { .. })
    }
}

/// The tests of an expectation file: a list, a map with `tests:`, or one test.
pub fn tests_of(doc: Json) -> Vec<Json> {
    match doc {
        Json::Array(items) => items,
        Json::Object(ref m) if m.contains_key("tests") => m
            .get("tests")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default(),
        other => vec![other],
    }
}

/// The program a test runs against, where it sets `params:` (e.g.
/// `params: { procedure.accelerate_minors_misled: true }`, a national choice
/// switched on): a copy of `program` whose params named there have that one
/// value on every date. `None` where the test sets none.
pub fn with_params(program: &Program, test: &Json) -> Result<Option<Program>, String> {
    let Some(params) = test.get("params") else {
        return Ok(None);
    };
    let Some(params) = params.as_object() else {
        return Err("`params:` maps param names (`ruleset.param`) to values".into());
    };
    let mut variant = program.clone();
    for (key, value) in params {
        let Some(id) = program.param_by_key(key) else {
            let keys: Vec<&str> = program.params.iter().map(|p| &*p.key).collect();
            let hint = did_you_mean(key, keys)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!("`params`: no param `{key}`{hint}"));
        };
        let Some(param) = variant.params.get_mut(id.index()) else {
            continue;
        };
        let value = record::read_typed(program, &param.ty, value, &format!("params.{key}"))?;
        param.values = vec![(crate::eval::SET_BY_TEST, value)];
    }
    // The fast evaluation made again for the params as the test sets them
    // (the code generated for the shipped law has their periods as
    // constants: for other values its fingerprint differs, and the nodes
    // run).
    variant.fast = crate::eval::fast::Nodes::new_apart(
        &variant.defs,
        &variant.decisions,
        &variant.warnings,
        variant.nodes.slots,
        &variant.params,
        &variant.computations,
    );
    Ok(Some(variant))
}

#[derive(Default)]
pub struct Tally {
    pub applied: usize,
    pub not_applied: usize,
}

#[derive(Default)]
pub struct Coverage {
    /// (decision key, rule name) → counts.
    pub rules: BTreeMap<(String, String), Tally>,
    /// Decision key → cases in which it was determined.
    pub decisions: BTreeMap<String, usize>,
    /// Qualified def or param name → times it took part in a derivation.
    pub used: BTreeMap<String, usize>,
    /// An `applies` line's key → determinations for which it held
    /// (`applied`) and did not (`not_applied`).
    pub lines: BTreeMap<String, Tally>,
    /// (decision key, rule name, or "" for the decision's own) → time
    /// limits not done whose `owed when` held (`applied`: owed) and did not
    /// (`not_applied`: not owed).
    pub owed: BTreeMap<(String, String), Tally>,
}

impl Coverage {
    /// Counts what one derivation exercised.
    pub fn add(&mut self, d: &Derivation) {
        let key = d.key();
        let mut count = |a: crate::eval::why::Applied, applied: bool| {
            let tally = self
                .rules
                .entry((key.to_string(), a.rule().name.to_string()))
                .or_default();
            if applied {
                tally.applied += 1;
            } else {
                tally.not_applied += 1;
            }
        };
        for role in [Role::By, Role::Conflict, Role::SetAside] {
            d.parts(role).for_each(|a| count(a, true));
        }
        d.parts(Role::NotApplicable).for_each(|a| count(a, false));
        if d.status() == crate::eval::Status::Determined {
            *self.decisions.entry(key.to_string()).or_default() += 1;
        }
        for (line, held) in d.lines_held() {
            let tally = self.lines.entry(line.to_string()).or_default();
            if held {
                tally.applied += 1;
            } else {
                tally.not_applied += 1;
            }
        }
        let seen = Seen::default();
        let steps = [Role::By, Role::NotApplicable, Role::Conflict, Role::Open]
            .into_iter()
            .flat_map(|role| d.parts(role).collect::<Vec<_>>())
            .flat_map(|a| a.because().into_iter().chain(a.value()))
            .chain(d.default());
        for s in steps {
            self.steps(s, &seen);
        }
    }

    /// Counts the `owed when` conditions a case's time limits read: owed
    /// or not owed, by the rule that gave each date, and the defs each
    /// condition read.
    pub fn add_acts(
        &mut self,
        program: &Program,
        outcomes: &[(crate::check::ir::DecisionId, crate::eval::Outcome)],
        acts: &[(crate::check::ir::DecisionId, crate::agenda::Act)],
    ) {
        use crate::agenda::Act;
        for (id, act) in acts {
            let owed = match act {
                Act::Pending | Act::Missed => true,
                Act::NotOwed(_) => false,
                _ => continue,
            };
            let (Some(d), Some((_, outcome))) = (
                program.decisions.get(id.index()),
                outcomes.iter().find(|(o, _)| o == id),
            ) else {
                continue;
            };
            let rule = match outcome {
                crate::eval::Outcome::Determined {
                    by: crate::eval::By::Rule(i),
                    ..
                } => d.rules.get(*i),
                _ => None,
            };
            let (rule, met_by) = match rule {
                Some(r) => (r.name.to_string(), &r.met_by),
                None => (String::new(), &d.met_by),
            };
            let Some(condition) = &met_by.owed else {
                continue;
            };
            let tally = self.owed.entry((d.key(), rule)).or_default();
            if owed {
                tally.applied += 1;
            } else {
                tally.not_applied += 1;
            }
            let mut stack = vec![condition];
            while let Some(n) = stack.pop() {
                match &n.kind {
                    crate::check::ir::Expr::Def(def) => {
                        if let Some(def) = program.defs.get(def.index()) {
                            let name = format!("{}.{}", def.ruleset, def.name);
                            *self.used.entry(name).or_default() += 1;
                        }
                    }
                    _ => stack.extend(n.children()),
                }
            }
        }
    }

    fn steps(&mut self, s: Step, seen: &Seen) {
        if let (Some(name), "def" | "param") = (s.name(), s.source()) {
            *self.used.entry(name.to_string()).or_default() += 1;
        }
        for c in s.shown(seen).1 {
            self.steps(c, seen);
        }
    }
}

/// Whether an outcome is what a test expects: a plain value means "determined
/// with this value"; a map may give `status`, `value`, `needs`, the rule
/// that decided, and `act` (whether the time limit's act was done, as the
/// case's record says: `act` here, `None` where the rules name none).
pub fn expected_matches(
    program: &Program,
    id: DecisionId,
    outcome: &Outcome,
    act: Option<&crate::agenda::Act>,
    expected: &Json,
) -> Result<(), String> {
    let actual_value = outcome
        .value()
        .map(|v| json_value(program, v))
        .unwrap_or(Json::Null);
    let status = Json::from(outcome.status().key());
    let actual_text = match outcome {
        Outcome::Determined { .. } => describe(&actual_value),
        other => explain::outcome_word(program, other),
    };
    let same =
        |a: &Json, b: &Json| a == b || (a.is_number() && b.is_number() && a.as_f64() == b.as_f64());
    match expected {
        Json::Object(map) if EXPECTATION_KEYS.iter().any(|k| map.contains_key(*k)) => {
            // A misspelt key would be an expectation silently not checked.
            if let Some(k) = map.keys().find(|k| !EXPECTATION_KEYS.contains(&k.as_str())) {
                return Err(not_one_of(
                    &format!("`{k}` is not something a test checks"),
                    k,
                    "an expectation gives",
                    &EXPECTATION_KEYS,
                ));
            }
            if let Some(s) = map.get("status") {
                let known = Status::ALL.map(Status::key);
                if !s.as_str().is_some_and(|s| known.contains(&s)) {
                    let s = describe(s);
                    return Err(not_one_of(
                        &format!("`{s}` is not a status"),
                        &s,
                        "a status is one of",
                        &known,
                    ));
                }
                if !same(s, &status) {
                    return Err(format!(
                        "expected status {}, got {actual_text}",
                        describe(s)
                    ));
                }
            }
            if let Some(v) = map.get("value") {
                if !same(v, &actual_value) {
                    return Err(format!("expected {}, got {actual_text}", describe(v)));
                }
            }
            if let Some(n) = map.get("needs") {
                if !n.is_array() {
                    return Err(format!(
                        "`needs:` lists record paths, in the order `lsa check` gives them (`[{}]`)",
                        describe(n)
                    ));
                }
                let actual: Vec<Json> = match outcome {
                    Outcome::Unknown { needs } => needs
                        .iter()
                        .map(|p| Json::String(program.path(*p).to_string()))
                        .collect(),
                    _ => Vec::new(),
                };
                if *n != Json::Array(actual.clone()) {
                    return Err(format!("expected needs {}, got {}", n, Json::Array(actual)));
                }
            }
            for key in ["rule", "rules"] {
                if let Some(r) = map.get(key) {
                    deciding_rules_match(program, id, outcome, key, r)?;
                }
            }
            if let Some(a) = map.get("applies") {
                not_applicable_by(program, id, outcome, a)?;
            }
            if let Some(a) = map.get("act") {
                let word = describe(a);
                if !a.is_string() || !ACT_STATES.contains(&word.as_str()) {
                    return Err(not_one_of(
                        &format!("`act: {word}` is not whether an act was done"),
                        &word,
                        "`act:` is one of",
                        &ACT_STATES,
                    ));
                }
                let actual = act.map_or("none", crate::agenda::Act::key);
                if word != actual {
                    let got = match act {
                        Some(act) => {
                            crate::explain::words::Words::new(program, crate::lang::Lang::En)
                                .act(act)
                        }
                        None => "the rules name no act for it".into(),
                    };
                    return Err(format!("expected act {word}, got {actual} ({got})"));
                }
            }
            Ok(())
        }
        v => {
            if outcome.value().is_some() && same(v, &actual_value) {
                Ok(())
            } else if let Some(word) = v
                .as_str()
                .filter(|w| Status::ALL.map(Status::key).contains(w))
            {
                // `x: undetermined` expects the value `undetermined`: said
                // as such, or "expected undetermined, got undetermined".
                Err(format!(
                    "expected the value `{word}`, got {actual_text}; a status is written `{{ status: {word} }}`"
                ))
            } else {
                Err(format!("expected {}, got {actual_text}", describe(v)))
            }
        }
    }
}

/// Whether the decision is not made for the case by the `applies` line a
/// test names (`applies: procedure.applies_2`, the key `lsa lint --labels`
/// and the labels give it): the first of its lines that does not hold.
fn not_applicable_by(
    program: &Program,
    id: DecisionId,
    outcome: &Outcome,
    expected: &Json,
) -> Result<(), String> {
    let d = program.decisions.get(id.index());
    let key = |k: usize| {
        d.and_then(|d| d.applies.get(k))
            .and_then(|a| program.defs.get(a.def.index()))
            .map(|def| def.key.to_string())
    };
    let lines: Vec<String> = (0..d.map_or(0, |d| d.applies.len()))
        .filter_map(key)
        .collect();
    let word = describe(expected);
    if !expected.is_string() || !lines.contains(&word) {
        let known: Vec<&str> = lines.iter().map(String::as_str).collect();
        return Err(if known.is_empty() {
            format!("`applies: {word}`: the decision has no `applies` line")
        } else {
            not_one_of(
                &format!("`applies: {word}` is not a line of the decision"),
                &word,
                "its `applies` lines are",
                &known,
            )
        });
    }
    let actual = match outcome {
        Outcome::Undetermined {
            reason: crate::eval::Reason::NotApplicable(k),
        } => key(usize::from(*k)),
        _ => None,
    };
    match actual {
        Some(a) if a == word => Ok(()),
        Some(a) => Err(format!(
            "expected not applicable by `{word}`, got not applicable by `{a}`"
        )),
        None => Err(format!(
            "expected not applicable by `{word}`, got {}",
            explain::outcome_word(program, outcome)
        )),
    }
}

/// What a test may give.
const TEST_KEYS: [&str; 6] = ["name", "case", "as_of", "params", "expect", "warnings"];

/// What an expectation given as a map may check.
const EXPECTATION_KEYS: [&str; 7] = [
    "status", "value", "needs", "rule", "rules", "act", "applies",
];

/// What `act:` may expect: a state of [`crate::agenda::Act`], or `none`
/// where the rules name no act for the time limit.
const ACT_STATES: [&str; 7] = [
    "in_time", "late", "pending", "missed", "not_owed", "unknown", "none",
];

/// Whether the rule that decided is the one a test expects (`rule:
/// relocation.applicant_relocatable`, or `default`; as `lsa check --format
/// json` names it), or for a `collect` decision the rules that applied, in
/// order (`rules: [..]`).
fn deciding_rules_match(
    program: &Program,
    id: DecisionId,
    outcome: &Outcome,
    key: &str,
    expected: &Json,
) -> Result<(), String> {
    let rules = program
        .decisions
        .get(id.index())
        .map(|d| d.rules.as_slice())
        .unwrap_or_default();
    let name = |i: &usize| rules.get(*i).map_or(Json::Null, |r| Json::from(&*r.key));
    let actual =
        match (key, outcome) {
            (
                "rule",
                Outcome::Determined {
                    by: By::Default, ..
                },
            ) => Json::from("default"),
            (
                "rule",
                Outcome::Determined {
                    by: By::Rule(i), ..
                },
            ) => name(i),
            (
                "rules",
                Outcome::Determined {
                    by: By::Rules(rs), ..
                },
            ) => rs.iter().map(name).collect(),
            (
                "rules",
                Outcome::Determined {
                    by: By::Default, ..
                },
            ) => Json::Array(Vec::new()),
            ("rule", Outcome::Determined { .. }) => return Err(
                "a `collect` decision is decided by every rule that applied: expect `rules: [..]`"
                    .into(),
            ),
            ("rules", Outcome::Determined { .. }) => {
                return Err("one rule decides this decision: expect `rule: ..`".into())
            }
            _ => {
                return Err(format!(
                    "expected {key} {}, got {}",
                    describe(expected),
                    explain::outcome_word(program, outcome)
                ))
            }
        };
    if *expected == actual {
        return Ok(());
    }
    // A name that is no rule of the decision at all: say which there are.
    let named: Vec<&str> = match expected {
        Json::String(s) => vec![s.as_str()],
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    if let Some(u) = named
        .into_iter()
        .find(|u| *u != "default" && !rules.iter().any(|r| &*r.key == *u))
    {
        let all: Vec<&str> = rules.iter().map(|r| &*r.key).collect();
        return Err(not_one_of(
            &format!("`{u}` is not a rule of this decision"),
            u,
            "its rules are",
            &all,
        ));
    }
    Err(format!(
        "expected {key} {}, got {}",
        describe(expected),
        describe(&actual)
    ))
}

/// `what` (a word not known), the nearest known one, and all of them:
/// "`rul` is not something a test checks: did you mean `rule`? an
/// expectation gives `status`, …".
fn not_one_of(what: &str, word: &str, lead: &str, known: &[&str]) -> String {
    let hint = did_you_mean(word, known.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    let all: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    format!("{what}: {hint}{lead} {}", all.join(", "))
}

/// A JSON value as a test's failure names it (a string without quotes).
fn describe(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether a case raised exactly the warnings a test expects (`warnings:
/// [case.registered_before_made]`, in any order; `[]`: none).
fn warnings_match(program: &Program, report: &CaseReport, expected: &Json) -> Result<(), String> {
    let keys: Vec<&str> = program.warnings.iter().map(|w| &*w.key).collect();
    let Some(list) = expected.as_array() else {
        return Err("`warnings:` lists the warnings the case raises (`[case.registered_before_made]`, `[]` for none)".into());
    };
    let mut want = Vec::new();
    for item in list {
        let Some(key) = item.as_str() else {
            return Err(format!("`warnings:` lists warnings by name, not {item}"));
        };
        if !keys.contains(&key) {
            let hint = did_you_mean(key, keys.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!("warnings: no warning `{key}`{hint}"));
        }
        want.push(key);
    }
    let mut got: Vec<&str> = report
        .warnings
        .iter()
        .filter_map(|w| keys.get(w.warning).copied())
        .collect();
    want.sort_unstable();
    got.sort_unstable();
    if want == got {
        return Ok(());
    }
    let list = |l: &[&str]| match l {
        [] => "none".to_string(),
        l => l.join(", "),
    };
    Err(format!(
        "warnings: expected {}, got {}",
        list(&want),
        list(&got)
    ))
}

/// A test's name (`test 3` for the third where it gives none).
pub fn test_name(test: &Json, index: usize) -> String {
    test.get("name")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("test {}", index + 1))
}

/// Where a field of an expectation file is (its path as a test's errors
/// write it, `[2].case.application.made_on`): line and column.
pub type Locator<'a> = &'a dyn Fn(&str) -> Option<(u32, u32)>;

/// Runs test `index` of an expectation file. `resolve` maps a case path
/// written in the test (relative to the file) to (name, text).
pub fn run_test<'p>(
    program: &'p Program,
    file: &str,
    index: usize,
    test: &Json,
    resolve: Resolver<'_>,
) -> Ran<'p> {
    run_test_located(program, file, index, test, resolve, &|_| None)
}

/// [`run_test`], the problems of a case given inline placed in the file by
/// `locate` (`record::locate` over the file's text).
pub fn run_test_located<'p>(
    program: &'p Program,
    file: &str,
    index: usize,
    test: &Json,
    resolve: Resolver<'_>,
    locate: Locator<'_>,
) -> Ran<'p> {
    let name = test_name(test, index);
    let fail = |name: String, why: String| Ran {
        name,
        failures: vec![why],
        report: None,
        acts: Vec::new(),
    };
    // A case record given where an expectation file belongs: its `case:` is
    // an id, not a path, and it expects nothing.
    if test.get("expect").is_none() && program.inputs.iter().any(|i| test.get(&i.name).is_some()) {
        return fail(
            name,
            "this is a case record, not an expectation file: `lsa check` evaluates it; a test has `case:` (the record or its path) and `expect:`".into(),
        );
    }
    // A misspelt key (`warning:`) would be a check silently not made.
    if let Some(k) = test
        .as_object()
        .and_then(|m| m.keys().find(|k| !TEST_KEYS.contains(&k.as_str())))
    {
        let why = not_one_of(
            &format!("`{k}:` is not part of a test"),
            k,
            "a test gives",
            &TEST_KEYS,
        );
        return fail(name, why);
    }
    let record: CaseRecord = match test.get("case") {
        Some(Json::String(rel)) => match resolve(rel) {
            Ok((path, text)) => match record::read(program, &text, Format::of_path(&path), &path) {
                Ok(r) => r,
                Err(e) => return fail(name, format!("invalid case: {e}")),
            },
            Err(e) => return fail(name, e),
        },
        Some(inline @ Json::Object(_)) => {
            match record::read_value(program, inline, file, &format!("[{index}].case")) {
                Ok(r) => r,
                Err(mut e) => {
                    for problem in &mut e.0 {
                        if let Some((line, column)) = locate(&problem.path) {
                            (problem.line, problem.column) = (Some(line), Some(column));
                        }
                    }
                    return fail(name, format!("invalid case: {e}"));
                }
            }
        }
        _ => {
            return fail(
                name,
                "a test needs `case:` (a path or the record itself)".into(),
            )
        }
    };
    let as_of = match test.get("as_of").and_then(Json::as_str) {
        Some(s) => match parse_date(s) {
            Some(d) => Some(d),
            None => return fail(name, format!("`as_of: {s}` is not a date")),
        },
        None => record.as_of,
    };
    let Some(as_of) = as_of else {
        return fail(
            name,
            "a test needs an as-of date (in the test or its case), so that it gives the same result every day".into(),
        );
    };
    let case = record.id.clone().unwrap_or_else(|| name.clone());
    let report = explain::evaluate(program, case, &record.inputs, as_of, true);
    let mut failures = Vec::new();
    let no_expectations = serde_json::Map::new();
    let expect = match test.get("expect") {
        // A test that checks nothing cannot fail; one of the warnings alone
        // checks them.
        Some(Json::Object(expect)) if !expect.is_empty() || test.get("warnings").is_some() => expect,
        None if test.get("warnings").is_some() => &no_expectations,
        _ => {
            return Ran {
                name,
                failures: vec!["a test needs `expect:` with a determination (`procedure.track: border`), or `warnings:`: one that checks nothing cannot fail".into()],
                report: Some(report),
                acts: Vec::new(),
            }
        }
    };
    // Whether each time limit's act was done (checked where a test asks,
    // counted by coverage).
    let acts = crate::agenda::acts(program, &record.inputs, as_of, &report.outcomes);
    for (key, expected) in expect {
        let Some(id) = program.decision_by_key(key) else {
            let keys: Vec<String> = program.decisions.iter().map(|d| d.key()).collect();
            let hint = did_you_mean(key, keys.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            failures.push(format!("{key}: no such determination{hint}"));
            continue;
        };
        let outcome = report
            .outcomes
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, o)| o.clone());
        let Some(outcome) = outcome else { continue };
        let act = acts.iter().find(|(d, _)| *d == id).map(|(_, a)| a);
        if let Err(why) = expected_matches(program, id, &outcome, act, expected) {
            let mut text = format!("{key}: {why}\n");
            if let Some(d) = report.derivation(id.index()) {
                let mut explanation = String::new();
                explain::derivation_text(&mut explanation, &d);
                for l in explanation.lines() {
                    text.push_str(&format!("      {l}\n"));
                }
            }
            failures.push(text.trim_end().to_string());
        }
    }
    if let Some(expected) = test.get("warnings") {
        failures.extend(warnings_match(program, &report, expected).err());
    }
    // Every test also checks that the fast evaluation of complete files
    // (which `lsa batch` and `lsa serve` use) agrees with the general
    // evaluator on this case, wherever it decides it.
    if let Some((fast, warned)) = crate::eval::fast::outcomes(program, &record.inputs, as_of) {
        let general: Vec<usize> = report.warnings.iter().map(|w| w.warning).collect();
        let fast_warned: Vec<usize> = warned.iter().flatten().map(|k| *k as usize).collect();
        if warned.is_some() && fast_warned != general {
            failures.push(format!(
                "warnings: lsa's fast evaluation raises {fast_warned:?} where its general evaluator raises {general:?}: a bug in lsa, please report it with this test"
            ));
        }
        for ((id, f), (_, g)) in fast.iter().zip(&report.outcomes) {
            if f != g {
                let key = program
                    .decisions
                    .get(id.index())
                    .map(|d| &*d.key)
                    .unwrap_or("?");
                failures.push(format!(
                    "{key}: lsa's fast evaluation gives {f:?} where its general evaluator gives {g:?}: a bug in lsa, please report it with this test"
                ));
            }
        }
    }
    Ran {
        name,
        failures,
        report: Some(report),
        acts,
    }
}
