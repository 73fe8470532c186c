//! The shipped law: every expectation in `tests/law` passes, the explanation of
//! every law test is snapshotted (a change in reasoning shows as a diff), and
//! every rule is exercised applied and not applied, every `applies` line
//! held and not held.

use std::collections::BTreeMap;

use lsa::expect::{run_test, tests_of, Coverage};
use lsa::record::{read_document, Format};

use crate::common::{amended_rules, files, lsa as run_lsa, shipped, stdout, stem};

fn resolver(file: &std::path::Path) -> impl Fn(&str) -> Result<(String, String), String> + '_ {
    move |rel: &str| {
        let p = file.parent().unwrap().join(rel);
        std::fs::read_to_string(&p)
            .map(|t| (p.display().to_string(), t))
            .map_err(|e| format!("{}: {e}", p.display()))
    }
}

#[test]
fn shipped_law_tests_pass_and_their_explanations_are_reviewed() {
    let program = shipped();
    let mut failures = Vec::new();
    let mut coverage = Coverage::default();
    let mut count = 0;
    for path in files("tests/law", "yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = read_document(&text, Format::Yaml, &path.display().to_string()).unwrap();
        let mut snapshot = String::new();
        for (i, t) in tests_of(doc).iter().enumerate() {
            let variant = lsa::expect::with_params(program, t).unwrap();
            let program = variant.as_ref().unwrap_or(program);
            let ran = run_test(program, &path.display().to_string(), i, t, &resolver(&path));
            count += 1;
            failures.extend(
                ran.failures
                    .iter()
                    .map(|f| format!("{}: {}: {f}", stem(&path), ran.name)),
            );
            let report = ran.report.expect("every law test runs");
            // A law test's case is one a caseworker could hold: a warning
            // on its facts is one the test expects (`warnings:`), never a
            // date typed wrong by the test's author.
            if t.get("warnings").is_none() && !report.warnings.is_empty() {
                failures.push(format!(
                    "{}: {}: raises {} warning(s) it does not expect: give the case dates that can all be right, or `warnings:`",
                    stem(&path),
                    ran.name,
                    report.warnings.len()
                ));
            }
            for d in report.derivations() {
                coverage.add(&d);
            }
            let filter = lsa::expect::snapshot_filter(t);
            let text = lsa::explain::case_text_of(program, &report, &ran.acts, filter);
            as_above_refers_back_in_text(&text);
            as_above_refers_back_in_json(&lsa::explain::case_json(program, &report));
            snapshot.push_str(&format!("## {}\n\n{}\n", ran.name, text));
        }
        insta::assert_snapshot!(format!("law__{}", stem(&path)), snapshot);
    }
    assert!(count >= 40, "only {count} law tests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Every rule applied in some test and not applied in another (unconditional
    // rules need only the first). The national-choice rule is off in the
    // shipped params; it is exercised below with the choice switched on.
    let mut incomplete = Vec::new();
    for d in &program.decisions {
        for r in &d.rules {
            let t = coverage.rules.get(&(d.key(), r.name.to_string()));
            let (a, n) = t.map(|t| (t.applied, t.not_applied)).unwrap_or((0, 0));
            let unconditional = matches!(
                r.when.kind,
                lsa::check::Expr::Lit(lsa::value::Value::Bool(true))
            );
            if a == 0 || (n == 0 && !unconditional) {
                incomplete.push(format!("{}/{}", d.key(), r.name));
            }
        }
    }
    // Every `applies` line held for some determination and not for
    // another: an undetermined outcome decides a person's case as surely
    // as a rule does.
    for d in &program.decisions {
        for a in &d.applies {
            let key = &program.defs[a.def.index()].key;
            let t = coverage.lines.get(&**key);
            let (held, not) = t.map(|t| (t.applied, t.not_applied)).unwrap_or((0, 0));
            if held == 0 || not == 0 {
                incomplete.push(format!(
                    "{}: applies line {key} (held {held}, did not hold {not})",
                    d.key()
                ));
            }
        }
    }
    // National choices off in the shipped params are exercised by tests
    // that switch them on (`params:`).
    assert!(incomplete.is_empty(), "{incomplete:?}");
}

/// In each determination's text, a def shown "as above" was written out in
/// full on an earlier line of the same determination.
fn as_above_refers_back_in_text(text: &str) {
    for block in text.split("\n\n") {
        let mut expanded: Vec<&str> = Vec::new();
        for line in block.lines() {
            let Some((name, _)) = line.trim_start().split_once(" = ") else {
                continue;
            };
            if line.ends_with("(as above)") {
                assert!(
                    expanded.contains(&name),
                    "`{name}` is \"as above\" before it is explained:\n{block}"
                );
            } else {
                expanded.push(name);
            }
        }
    }
}

/// The same in JSON, in the order a reader meets the steps.
fn as_above_refers_back_in_json(case: &serde_json::Value) {
    fn walk<'a>(v: &'a serde_json::Value, seen: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("source").and_then(|s| s.as_str()) == Some("def") {
                    let name = m["name"].as_str().unwrap();
                    if m.get("note").and_then(|n| n.as_str()) == Some("as above") {
                        assert!(seen.contains(&name), "`{name}` is \"as above\" first");
                        assert!(m.get("children").is_none());
                    } else {
                        seen.push(name);
                    }
                }
                m.values().for_each(|v| walk(v, seen));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, seen)),
            _ => {}
        }
    }
    for outcome in case["outcomes"].as_object().unwrap().values() {
        walk(&outcome["explanation"], &mut Vec::new());
    }
}

/// The shipped rules with one param's value line replaced, in a scratch
/// tree; the case (YAML) checked against them, as JSON.
fn check_with_param(scratch_name: &str, from: &str, to: &str, case: &str) -> serde_json::Value {
    let dir = amended_rules(scratch_name, "eu/apr/procedure.rules", from, to);
    let file = dir.join("case.yaml");
    std::fs::write(&file, case).unwrap();
    let out = run_lsa(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

const ADULT: &str =
    "applicant: { nationality: PAK, misled_authorities: false, security_threat: false, unaccompanied_minor: false, \
     special_needs_unsupported_at_border: false, medical_reasons_against_border: false }\n";

#[test]
fn optional_border_procedure_applies_when_lithuania_chooses_it() {
    let json = check_with_param(
        "national-choice",
        "param apply_optional_border_procedure: bool [APR Art. 43(1)]\n  from 2026-06-12 = false",
        "param apply_optional_border_procedure: bool [APR Art. 43(1)]\n  from 2026-06-12 = true",
        &format!(
            "as_of: 2026-07-01\n{ADULT}\
             application: {{ subsequent_application: false, made_on: 2026-06-13, recognition_rate_pct: 45, entry_conditions_fulfilled: false, circumstances: transit_zone, registered_on: 2026-06-15 }}\n\
             context: {{ crisis: none, border_capacity_reached: false }}\n"
        ),
    );
    let o = &json["outcomes"];
    assert_eq!(o["procedure.border_procedure"]["value"], "optional");
    assert_eq!(o["procedure.track"]["value"], "border");
    assert_eq!(o["procedure.track"]["rule"], "procedure.border_by_choice");
    assert_eq!(o["procedure.examination_deadline"]["value"], "2026-09-07");
}

/// An amendment of a period does not rewrite a time limit already running:
/// a rule takes the period in force on the day the time limit started, so
/// evaluating the same case before and after the amendment gives the same
/// date (APR time limits read their params `on:` the event date).
#[test]
fn an_amended_period_leaves_a_running_time_limit_unchanged_in_diff_between_dates() {
    let dir = amended_rules(
        "amended-period",
        "eu/apr/procedure.rules",
        "param lodging_period: duration [APR Art. 28(1)]\n  from 2026-06-12 = 21 days",
        "param lodging_period: duration [APR Art. 28(1)]\n  from 2026-06-12 = 21 days\n  from 2027-01-01 = 14 days",
    );
    let case = |name: &str, registered: &str| {
        let file = dir.join(name);
        std::fs::write(
            &file,
            format!(
                "{ADULT}application: {{ subsequent_application: false, made_on: {registered}, registered_on: {registered}, recognition_rate_pct: 50, \
                 entry_conditions_fulfilled: true, circumstances: within_territory, screening_ended_on: null, transferred_to_lithuania: false }}\n\
                 context: {{ crisis: none, border_capacity_reached: false, disproportionate_numbers_for_lodging: false }}\n"
            ),
        )
        .unwrap();
        file
    };
    // Registered Thu 10 Dec 2026 under the 21 days: + 21 = Thu 31 Dec.
    let in_2026 = case("in-2026.yaml", "2026-12-10");
    // Registered Tue 5 Jan 2027 under the 14 days: + 14 = Tue 19 Jan.
    let in_2027 = case("in-2027.yaml", "2027-01-05");
    let diff = |file: &std::path::Path, a: &str, b: &str| {
        let out = run_lsa(&[
            "diff",
            // As the reviewers wrote it (the same as `--on`).
            "--as-of",
            a,
            "--vs",
            b,
            "--rules",
            dir.to_str().unwrap(),
            "--format",
            "json",
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let json = diff(&in_2026, "2026-12-01", "2027-02-01");
    assert!(
        json["changes_per_determination"]
            .get("procedure.lodging_deadline")
            .is_none(),
        "{json:#}"
    );
    let check = |file: &std::path::Path, as_of: &str| {
        let out = run_lsa(&[
            "check",
            "--format",
            "json",
            "--as-of",
            as_of,
            "--rules",
            dir.to_str().unwrap(),
            file.to_str().unwrap(),
        ]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        json["outcomes"]["procedure.lodging_deadline"]["value"].clone()
    };
    assert_eq!(check(&in_2026, "2026-12-11"), "2026-12-31");
    assert_eq!(check(&in_2026, "2027-02-01"), "2026-12-31");
    assert_eq!(check(&in_2027, "2027-02-01"), "2027-01-19");
}

/// The subset of JSON Schema that `lsa schema` generates, enough to check that
/// a record fits it: types, enums, properties, additionalProperties, $ref,
/// anyOf, items. (Patterns and formats are not checked here.)
fn validate(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    value: &serde_json::Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value as J;
    if let Some(r) = schema.get("$ref").and_then(J::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(&root["$defs"][name], root, value, path, errors);
    }
    if let Some(any) = schema.get("anyOf").and_then(J::as_array) {
        let ok = any.iter().any(|s| {
            let mut e = Vec::new();
            validate(s, root, value, path, &mut e);
            e.is_empty()
        });
        if !ok {
            errors.push(format!("{path}: matches no alternative"));
        }
        return;
    }
    if let Some(values) = schema.get("enum").and_then(J::as_array) {
        if !values.contains(value) {
            errors.push(format!("{path}: {value} not in {values:?}"));
        }
    }
    let type_ok = |t: &str| match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "null" => value.is_null(),
        _ => false,
    };
    match schema.get("type") {
        Some(J::String(t)) if !type_ok(t) => errors.push(format!("{path}: not {t}")),
        Some(J::Array(ts)) if !ts.iter().filter_map(J::as_str).any(type_ok) => {
            errors.push(format!("{path}: not {ts:?}"))
        }
        _ => {}
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(J::as_object),
        value.as_object(),
    ) {
        for (k, v) in obj {
            match props.get(k) {
                Some(s) => validate(s, root, v, &format!("{path}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&J::Bool(false)) => {
                    errors.push(format!("{path}.{k}: not allowed"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(items, root, v, &format!("{path}[{i}]"), errors);
        }
    }
}

#[test]
fn every_example_case_validates_against_the_schema() {
    let schema = lsa::record::json_schema(shipped());
    let mut checked = 0;
    for path in files("tests/examples", "yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = read_document(&text, Format::Yaml, "x").unwrap();
        let mut errors = Vec::new();
        validate(&schema, &schema, &doc, "", &mut errors);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 7);
    // And the schema rejects what the reader rejects.
    let bad: serde_json::Value =
        serde_json::json!({ "applicant": { "protection_status": "refugeee" }, "extra": 1 });
    let mut errors = Vec::new();
    validate(&schema, &schema, &bad, "", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn example_outputs_follow_the_json_contract() {
    let program = shipped();
    let mut statuses = BTreeMap::new();
    for path in files("tests/examples", "yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let rec = lsa::record::read(program, &text, Format::Yaml, "x").unwrap();
        let report =
            lsa::explain::evaluate(program, "c".into(), &rec.inputs, rec.as_of.unwrap(), true);
        let json = lsa::explain::case_json(program, &report);
        assert_eq!(json["format"], 1);
        let outcomes = json["outcomes"].as_object().unwrap();
        let keys: Vec<&String> = outcomes.keys().collect();
        let declared: Vec<String> = program.decisions.iter().map(|d| d.key()).collect();
        assert_eq!(
            keys,
            declared.iter().collect::<Vec<_>>(),
            "declaration order"
        );
        for (k, o) in outcomes {
            let status = o["status"].as_str().unwrap();
            *statuses.entry(status.to_string()).or_insert(0) += 1;
            match status {
                "determined" => {
                    assert!(
                        !o["value"].is_null() && o["citation"].is_string(),
                        "{k}: {o}"
                    );
                    assert!(o["rule"].is_string() || o["rules"].is_array(), "{k}: {o}");
                }
                "unknown" => assert!(
                    o["value"].is_null() && !o["needs"].as_array().unwrap().is_empty(),
                    "{k}: {o}"
                ),
                "undetermined" => assert!(o["value"].is_null()),
                other => panic!("{k}: unexpected status {other}"),
            }
            assert!(o["explanation"].is_object(), "{k}");
        }
    }
    assert!(
        statuses["determined"] > 30 && statuses["unknown"] > 5,
        "{statuses:?}"
    );
}
