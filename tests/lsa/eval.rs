//! Evaluation semantics, data-driven: each folder of `tests/cases/eval` holds
//! rules and an expectation file. Expected values are asserted exactly; the
//! text explanation of every test is snapshotted.

use lsa::check::compile;
use lsa::expect::{run_test, tests_of};
use lsa::explain::{write_case_json, CaseReport, CaseWriter};
use lsa::record::{read_document, Format};

use crate::common::{files_below, repo};

#[test]
fn eval_cases() {
    let root = repo().join("tests/cases/eval");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "expected the semantic case folders");
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let rules: Vec<(String, String)> = files_below(&dir, "rules")
            .into_iter()
            .map(|p| {
                (
                    format!("{name}/{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        let compiled = compile(&rules);
        let program = compiled.program.unwrap_or_else(|| {
            panic!(
                "{name}: {}",
                compiled
                    .diagnostics
                    .iter()
                    .map(|d| compiled.files.render(d))
                    .collect::<String>()
            )
        });
        let path = dir.join("tests.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = read_document(&text, Format::Yaml, &path.display().to_string()).unwrap();
        let writer = CaseWriter::new(&program);
        let mut snapshot = String::new();
        let no_paths = |rel: &str| -> Result<(String, String), String> {
            Err(format!("{rel}: cases are inline here"))
        };
        for (i, t) in tests_of(doc).iter().enumerate() {
            let ran = run_test(&program, &format!("{name}/tests.yaml"), i, t, &no_paths);
            count += 1;
            for f in &ran.failures {
                failures.push(format!("{name}: {}: {f}", ran.name));
            }
            let report = ran
                .report
                .unwrap_or_else(|| panic!("{name}: {} did not run", ran.name));
            // `lsa batch` writes cases through a `CaseWriter`: byte for byte
            // what the serializer writes, for every kind of outcome here,
            // without explanations and with them (`--explain`), and JSON.
            let plain = CaseReport {
                explanations: None,
                ..report.clone()
            };
            assert!(report.explanations.is_some());
            for report in [&plain, &report] {
                let (mut fast, mut serialized) = (Vec::new(), Vec::new());
                writer.write(&mut fast, report);
                write_case_json(&mut serialized, &program, report);
                assert_eq!(
                    String::from_utf8_lossy(&fast),
                    String::from_utf8_lossy(&serialized),
                    "{name}: {}",
                    ran.name
                );
                let json: serde_json::Value = serde_json::from_slice(&fast).unwrap();
                let explained = json["outcomes"]
                    .as_object()
                    .unwrap()
                    .values()
                    .filter(|o| o.get("explanation").is_some())
                    .count();
                let outcomes = report.outcomes.len();
                assert_eq!(explained, report.derivations().count().min(outcomes));
            }
            snapshot.push_str(&format!(
                "## {}\n\n{}\n",
                ran.name,
                lsa::explain::case_text(&program, &report)
            ));
        }
        insta::assert_snapshot!(format!("eval__{name}"), snapshot);
    }
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_wrong_expectation_fails() {
    let program = crate::common::program("ruleset t\nsource X \"x\"\nrecord R { a: bool }\ninput r: R\ndecision d: bool [X 1]\n  default false\n  rule y [X 1] when r.a then true\n");
    let test: serde_json::Value = serde_json::json!({
        "name": "wrong", "as_of": "2026-01-01", "case": { "r": { "a": true } }, "expect": { "t.d": false, "t.nope": true }
    });
    let ran = run_test(&program, "inline", 0, &test, &|_| Err("no".into()));
    assert_eq!(ran.failures.len(), 2, "{:#?}", ran.failures);
    assert!(
        ran.failures[0].starts_with("t.d: expected false, got true"),
        "{}",
        ran.failures[0]
    );
    assert!(
        ran.failures[0].contains("by rule y"),
        "the failure shows the explanation: {}",
        ran.failures[0]
    );
    assert!(
        ran.failures[1].contains("no such determination"),
        "{}",
        ran.failures[1]
    );
}

/// `applies:` names the line that must not hold: another line, a line the
/// decision does not have, or a decision that is made, each fails.
#[test]
fn a_wrong_applies_line_fails() {
    let program = crate::common::program(
        "ruleset t\nsource X \"x\"\nrecord R { a: bool, b: bool }\ninput r: R\n\
         applies [X 1] when r.a otherwise \"not a\"\napplies [X 2] when r.b otherwise \"not b\"\n\
         decision d: bool [X 3]\n  rule y [X 3] when true then true\n\
         decision e: bool [X 4]\n  rule y [X 4] when true then true\n",
    );
    let run = |case: serde_json::Value, expect: serde_json::Value| {
        let test = serde_json::json!({ "name": "t", "as_of": "2026-01-01", "case": case, "expect": expect });
        run_test(&program, "inline", 0, &test, &|_| Err("no".into())).failures
    };
    let (not_b, both) = (
        serde_json::json!({ "r": { "a": true, "b": false } }),
        serde_json::json!({ "r": { "a": true, "b": true } }),
    );
    let expect = |case: &serde_json::Value, key: &str, line: &str| {
        run(
            case.clone(),
            serde_json::json!({ key: { "applies": line } }),
        )
    };
    assert_eq!(expect(&not_b, "t.d", "t.applies_2"), Vec::<String>::new());
    for (case, key, line, says) in [
        (
            &not_b,
            "t.d",
            "t.applies",
            "t.d: expected not applicable by `t.applies`, got not applicable by `t.applies_2`",
        ),
        (
            &not_b,
            "t.d",
            "t.aplies_2",
            "is not a line of the decision: did you mean `t.applies_2`?",
        ),
        (
            &both,
            "t.e",
            "t.applies",
            "t.e: expected not applicable by `t.applies`, got true",
        ),
    ] {
        let f = expect(case, key, line);
        assert!(f.len() == 1 && f[0].contains(says), "{f:?}");
    }
}

#[test]
fn a_test_without_an_as_of_date_is_refused() {
    let program = crate::common::program("ruleset t\nsource X \"x\"\nrecord R { a: bool }\ninput r: R\ndecision d: bool [X 1]\n  rule y [X 1] when true then r.a\n");
    let test = serde_json::json!({ "case": { "r": { "a": true } }, "expect": { "t.d": true } });
    let ran = run_test(&program, "inline", 0, &test, &|_| Err("no".into()));
    assert!(ran.failures[0].contains("as-of date"), "{:?}", ran.failures);
}

/// A warning whose condition the fast evaluation gives up on (a `null`
/// compared) leaves the outcomes it decided: only the warnings are asked
/// of the general evaluator, which raises none for it (an error is not a
/// warning), so a warning written without `exists` does not send every
/// case of a caseload down the general evaluator.
#[test]
fn a_warning_the_fast_evaluation_gives_up_on_leaves_its_outcomes() {
    let program = crate::common::program(
        "ruleset t\nsource X \"x\"\nrecord R { a: date, b: date? }\ninput r: R\nwarn later [X 1] when r.b < r.a\nwarn early [X 2] when r.a < 2026-01-01\ndecision d: bool [X 1]\n  default false\n  rule y [X 1] when r.a > 2026-06-01 then true\n",
    );
    let rec = lsa::record::read(
        &program,
        r#"{"as_of": "2026-07-01", "r": {"a": "2025-12-31", "b": null}}"#,
        Format::Json,
        "x",
    )
    .unwrap();
    let as_of = rec.as_of.unwrap();
    let (outcomes, warned) = lsa::eval::fast::outcomes(&program, &rec.inputs, as_of)
        .expect("the outcomes are decided the fast way");
    assert_eq!(
        warned, None,
        "the warnings are left to the general evaluator"
    );
    let general = lsa::eval::Evaluation::new(&program, &rec.inputs, as_of)
        .finish()
        .0;
    assert_eq!(outcomes, general);
    let report = lsa::explain::evaluate(&program, "x".into(), &rec.inputs, as_of, false);
    let raised: Vec<&str> = report
        .warnings
        .iter()
        .map(|w| &*program.warnings[w.warning].key)
        .collect();
    assert_eq!(raised, ["t.early"]);
}

/// `first` keeps the first item so far in one pass where the general
/// evaluator sorts, and the sort calls keys without an order an error
/// wherever it compares two: money in two currencies tied on an earlier
/// key is such a pair, though one pass never compares them (each is later
/// than the first item). The fast evaluation gives that case up, and the
/// error is the general evaluator's; in one currency it decides the case,
/// as the general evaluator does.
#[test]
fn first_gives_up_on_keys_without_an_order_the_sort_would_meet() {
    let program = crate::common::program(
        "ruleset t\nsource X \"x\"\nrecord I { m: money, at: date }\nrecord R { items: list<I> }\ninput r: R\ndecision pick: money [X 1]\n  rule y [X 1] when true then first(i in r.items: true by i.at ascending by i.m ascending).m\n",
    );
    let case = |second: &str| {
        let line = format!(
            r#"{{"as_of": "2026-07-01", "r": {{"items": [{{"m": "1 EUR", "at": "2026-01-01"}}, {{"m": "{second}", "at": "2026-02-01"}}, {{"m": "3 EUR", "at": "2026-02-01"}}]}}}}"#
        );
        lsa::record::read(&program, &line, Format::Json, "x").unwrap()
    };
    let as_of = jiff::civil::date(2026, 7, 1);
    let general = |rec: &lsa::record::CaseRecord| {
        lsa::eval::Evaluation::new(&program, &rec.inputs, as_of)
            .finish()
            .0
    };

    let mixed = case("2 USD");
    assert!(
        lsa::eval::fast::outcomes(&program, &mixed.inputs, as_of).is_none(),
        "the fast evaluation gives the case up"
    );
    let report = lsa::explain::evaluate(&program, "x".into(), &mixed.inputs, as_of, false);
    assert_eq!(report.outcomes, general(&mixed));
    assert!(
        matches!(&report.outcomes[0].1, lsa::eval::Outcome::Error { message } if message.contains("without an order")),
        "{:?}",
        report.outcomes
    );

    let one_currency = case("2 EUR");
    let (outcomes, _) = lsa::eval::fast::outcomes(&program, &one_currency.inputs, as_of)
        .expect("decided the fast way");
    assert_eq!(outcomes, general(&one_currency));
    assert!(
        matches!(&outcomes[0].1, lsa::eval::Outcome::Determined { .. }),
        "{outcomes:?}"
    );
}

/// What to ask next leaves out what a rule reads whose condition is already
/// false (Kleene's `and` keeps it false whatever the record goes on to
/// give), but not where the condition reads `known(…)`, which giving a fact
/// turns: there every fact the rule reads is still asked, so that once all
/// are answered nothing is left unknown.
#[test]
fn a_rule_already_false_asks_for_nothing_unless_it_reads_known() {
    let program = crate::common::program(
        "ruleset t\nsource X \"x\"\nrecord R { a: bool, b: date, c: date, k: date }\ninput r: R\ndecision d: date [X 1]\n  rule first [X 1] when r.a then r.b\n  rule second [X 2] when not r.a and r.c > 2026-01-01 then r.c\n  rule third [X 3] when known(r.k) and r.a then r.k\n",
    );
    let asks = |json: &str| -> Vec<String> {
        let rec = lsa::record::read(&program, json, Format::Json, "x").unwrap();
        let mut ev = lsa::eval::Evaluation::new(&program, &rec.inputs, rec.as_of.unwrap());
        ev.ask_next()
            .into_iter()
            .map(|p| program.path(p).to_string())
            .collect()
    };
    // `a` true: `second` is false whatever `c`; `third` reads `known`.
    assert_eq!(
        asks(r#"{"as_of": "2026-07-01", "r": {"a": true}}"#),
        ["r.b", "r.k"]
    );
    // `a` unknown: every rule may apply, every fact is asked.
    let mut all = asks(r#"{"as_of": "2026-07-01", "r": {}}"#);
    all.sort();
    assert_eq!(all, ["r.a", "r.b", "r.c", "r.k"]);
}

/// `determined(d)` gives the same outcomes the fast way (its nodes) as the
/// general evaluator, for each way a decision can be undetermined (no rule,
/// not made for the case, not in force), determined, or waiting on a fact.
#[test]
fn determined_is_evaluated_alike_the_fast_way_and_the_general_way() {
    let text =
        std::fs::read_to_string(repo().join("tests/cases/eval/determined/rules.rules")).unwrap();
    let program = crate::common::program(&text);
    let cases = [
        (
            r#"{"here": true, "open": false, "state": "SWE"}"#,
            "2026-07-01",
        ),
        (
            r#"{"here": true, "open": true, "state": "SWE"}"#,
            "2026-07-01",
        ),
        (
            r#"{"here": false, "open": false, "state": "SWE"}"#,
            "2026-07-01",
        ),
        (
            r#"{"here": true, "open": false, "state": "LTU"}"#,
            "2027-01-01",
        ),
        (r#"{"here": true, "state": "SWE"}"#, "2026-07-01"),
    ];
    let mut fast_count = 0;
    for (facts, as_of) in cases {
        let line = format!(r#"{{"as_of": "{as_of}", "f": {facts}}}"#);
        let rec = lsa::record::read(&program, &line, Format::Json, "x").unwrap();
        let as_of = rec.as_of.unwrap();
        let general = lsa::eval::Evaluation::new(&program, &rec.inputs, as_of)
            .finish()
            .0;
        if let Some((fast, _)) = lsa::eval::fast::outcomes(&program, &rec.inputs, as_of) {
            assert_eq!(fast, general, "{facts}");
            fast_count += 1;
        }
        let report = lsa::explain::evaluate(&program, "x".into(), &rec.inputs, as_of, false);
        assert_eq!(report.outcomes, general, "{facts}");
    }
    assert!(
        fast_count >= 4,
        "the fast way decided {fast_count} of the cases"
    );
}

/// `determined` takes a decision only.
#[test]
fn determined_of_anything_but_a_decision_is_refused() {
    let c = crate::common::compile_one(
        "t.rules",
        "ruleset t\nsource X \"x\"\nrecord R { a: bool? }\ninput r: R\ndef d: bool [X 1] = determined(r.a)\ndecision e: bool [X 2]\n  rule y [X 2] when d then true\n",
    );
    assert!(c.program.is_none());
    let text = crate::common::rendered(&c);
    assert!(
        text.contains("`determined` tests whether a decision has a value for the case, and this is not a decision"),
        "{text}"
    );
    assert!(
        text.contains("use `exists(…)` for an optional value"),
        "{text}"
    );
}
