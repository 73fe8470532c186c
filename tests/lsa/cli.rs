//! The `lsa` command as users run it: exit codes, the JSON contract, batch,
//! test, diff, lint, fmt and schema.

use crate::common::{
    amended_rules, assert_has, copy_tree, exits_with, json_lines, json_out, lsa, repo, scratch,
    scratch_file, stderr, stdout, succeeded,
};

const EXAMPLE: &str = "tests/examples/border-low-recognition.yaml";

#[test]
fn check_prints_every_determination_with_its_explanation() {
    let out = lsa(&["check", "--explain", "full", EXAMPLE]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let program = crate::common::shipped();
    for d in &program.decisions {
        assert!(
            text.contains(&format!("\n{} = ", d.key())),
            "missing {}",
            d.key()
        );
    }
    assert!(
        text.contains("by rule mandatory                                       [APR Art. 45(1)]"),
        "{text}"
    );
    assert!(
        text.contains("Mon 2026-07-06 is a public holiday (Statehood Day, LC Art. 123(1))"),
        "{text}"
    );
    assert!(text.starts_with("law rules (sha256:"), "{text}");
    insta::assert_snapshot!(
        "cli__check_example",
        crate::common::without_law_identity(&text)
    );
}

#[test]
fn check_json_follows_the_contract() {
    let out = lsa(&["check", "--format", "json", EXAMPLE]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // One case is laid out for reading, its explanations too.
    assert_eq!(
        stdout(&out),
        format!("{}\n", serde_json::to_string_pretty(&json).unwrap())
    );
    assert_eq!(json["format"], 1);
    assert_eq!(json["case"], "LT-2026-000123");
    assert_eq!(json["as_of"], "2026-07-15");
    assert_eq!(json["errors"], serde_json::json!([]));
    let e = &json["outcomes"]["procedure.border_procedure"];
    assert_eq!(e["status"], "determined");
    assert_eq!(e["value"], "mandatory");
    assert_eq!(e["rule"], "procedure.mandatory");
    assert_eq!(e["citation"], "APR Art. 45(1)");
    assert!(e["explanation"]["by"].is_array());
    // No relocation section, made at a border crossing point: the person is
    // not considered for relocation, so its time limits are undetermined,
    // with the reason and the citation of the `applies` line, and nothing
    // is asked about them.
    let t = &json["outcomes"]["relocation.transfer_deadline"];
    assert_eq!(t["status"], "undetermined");
    assert_eq!(t["value"], serde_json::Value::Null);
    assert_eq!(
        t["reason"],
        "the person is not considered for relocation (the record has no relocation section)"
    );
    assert_eq!(t["citation"], "AMMR Art. 67(1)");
    assert_eq!(t.get("needs"), None);
    assert_eq!(
        json["outcomes"]["procedure.accelerated_grounds"]["value"],
        serde_json::json!(["low_recognition_rate"])
    );
}

#[test]
fn check_yaml_and_several_cases() {
    let out = lsa(&["check", "--format", "yaml", EXAMPLE]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("case: LT-2026-000123"));
    let out = lsa(&[
        "check",
        "--format",
        "json",
        EXAMPLE,
        "tests/examples/unaccompanied-minor.yaml",
    ]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one JSON line per case");
    for l in lines {
        serde_json::from_str::<serde_json::Value>(l).unwrap();
    }
}

#[test]
fn a_misspelled_field_exits_3_and_names_it() {
    let out = lsa(&["check", "tests/cases/record/err/misspelled-field.yaml"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("tests/cases/record/err/misspelled-field.yaml:4:3: `applicant.nationalty`: unknown field"),
        "{err}"
    );
    assert!(err.contains("did you mean `nationality`?"), "{err}");
}

#[test]
fn a_record_without_registration_is_unknown_where_it_matters_and_determined_elsewhere() {
    let dir = scratch("no-registration");
    let example = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let text = example.replace("    registered_on: 2026-07-03,\n", "");
    assert_ne!(text, example);
    let case = dir.join("case.yaml");
    std::fs::write(&case, text).unwrap();
    let out = lsa(&["check", "--format", "json", case.to_str().unwrap()]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let o = json["outcomes"].as_object().unwrap();
    for key in [
        "procedure.lodging_deadline",
        "procedure.examination_deadline",
        "reception.labour_market_access_from",
        "reception.labour_market_access",
    ] {
        assert_eq!(o[key]["status"], "unknown", "{key}");
        assert!(
            o[key]["needs"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("application.registered_on")),
            "{key}: {}",
            o[key]
        );
    }
    for key in [
        "procedure.registration_deadline",
        "procedure.track",
        "procedure.border_procedure",
        "procedure.accelerated_grounds",
    ] {
        assert_eq!(o[key]["status"], "determined", "{key}");
    }
}

#[test]
fn as_of_comes_from_the_record_else_the_command_line_in_every_command() {
    let dir = scratch("as-of");
    let with = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let without = with.replace("  as_of: 2026-07-15,\n", "");
    assert_ne!(with, without);
    let (dated, undated) = (dir.join("dated.yaml"), dir.join("undated.yaml"));
    std::fs::write(&dated, &with).unwrap();
    std::fs::write(&undated, &without).unwrap();
    let check = |case: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", case.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = lsa(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    // The flag dates a record without `as_of`, and the output says so.
    let json = check(&undated, &["--as-of", "2027-02-01"]);
    assert_eq!(json["as_of"], "2027-02-01");
    assert_eq!(json["as_of_from"], "option");
    assert_eq!(json["case"], "LT-2026-000123");
    assert_eq!(
        json["outcomes"]["reception.labour_market_access"]["value"],
        true
    );
    // The record's own date wins over the flag.
    let json = check(&dated, &["--as-of", "2027-02-01"]);
    assert_eq!(json["as_of"], "2026-07-15");
    assert_eq!(json["as_of_from"], "record");
    // Neither: today.
    let json = check(&undated, &[]);
    assert_eq!(json["as_of_from"], "today");
    let out = lsa(&["check", "--as-of", "2027-02-01", undated.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("— as of 2027-02-01 (given with --as-of)"),
        "{}",
        stdout(&out)
    );
    // Batch: the same rule, line by line.
    let lines = dir.join("in.jsonl");
    let to_line = |yaml: &str| {
        let v: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
        serde_json::to_string(&v).unwrap()
    };
    std::fs::write(
        &lines,
        format!("{}\n{}\n", to_line(&with), to_line(&without)),
    )
    .unwrap();
    let out = lsa(&["batch", lines.to_str().unwrap(), "--as-of", "2027-02-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = json_lines(&stdout(&out));
    assert_eq!(
        (&got[0]["as_of"], &got[0]["as_of_from"]),
        (&"2026-07-15".into(), &"record".into())
    );
    assert_eq!(
        (&got[1]["as_of"], &got[1]["as_of_from"]),
        (&"2027-02-01".into(), &"option".into())
    );
    // Diff between two trees: the same rule; between two dates: the dates
    // compared, over the record's own, and the output says so.
    let out = lsa(&[
        "diff",
        "--old",
        "rules",
        "--new",
        "rules",
        "--as-of",
        "2027-02-01",
        "--format",
        "json",
        undated.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = lsa(&[
        "diff",
        "--on",
        "2026-07-15",
        "--vs",
        "2027-02-01",
        dated.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("    false → true: 1 case"),
        "{}",
        stdout(&out)
    );
    // `--as-of D1 --vs D2` reads as `--on D1 --vs D2`, and says so.
    let out = lsa(&[
        "diff",
        "--as-of",
        "2026-07-15",
        "--vs",
        "2027-02-01",
        dated.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("old: on 2026-07-15 (in place of each record's as_of)"),
        "{}",
        stdout(&out)
    );
    let out = lsa(&["diff", "--vs", "2027-02-01", EXAMPLE]);
    exits_with(&out, 1, "two dates");
}

#[test]
fn usage_and_io_errors_exit_1() {
    assert_eq!(lsa(&["check"]).status.code(), Some(1));
    assert_eq!(
        lsa(&["check", "--as-of", "15.07.2026", EXAMPLE])
            .status
            .code(),
        Some(1)
    );
    let out = lsa(&["check", "no/such/case.yaml"]);
    exits_with(&out, 1, "no/such/case.yaml");
    // (A folder stands for its case files: `check_takes_a_folder_of_cases`.)
    let out = lsa(&["check", "no/such/folder"]);
    exits_with(&out, 1, "error: no/such/folder: no such file or folder");
    // To a Lithuanian reader in Lithuanian (the caseworker's most common slip).
    let out = lsa(&["check", "--lang", "lt", "no/such/case.yaml"]);
    exits_with(
        &out,
        1,
        "klaida: no/such/case.yaml: tokio failo ar aplanko nėra",
    );
    assert_eq!(lsa(&["--version"]).status.code(), Some(0));
}

#[test]
fn lint_exits_0_on_the_shipped_rules_and_2_on_errors() {
    let out = lsa(&["lint"]);
    exits_with(&out, 0, "0 errors, 0 warnings");
    let out = lsa(&["lint", "--rules", "tests/cases/check/err/five-errors.rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).matches("error: ").count(),
        5,
        "{}",
        stderr(&out)
    );
    let out = lsa(&[
        "lint",
        "--error-format",
        "json",
        "--rules",
        "tests/cases/check/err/five-errors.rules",
    ]);
    let diagnostics = json_lines(&stderr(&out));
    assert_eq!(diagnostics.len(), 5);
    assert_eq!(diagnostics[0]["line"], 12);
    assert_eq!(diagnostics[0]["help"], "did you mean `registered_on`?");
}

#[test]
fn the_rules_failing_to_compile_exit_2_for_every_command() {
    let dir = scratch("broken-rules");
    copy_tree(&repo().join("rules"), &dir);
    let path = dir.join("eu/apr/procedure.rules");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "application.lodged_on",
        "application.lodgd_on",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let out = lsa(&["check", "--rules", dir.to_str().unwrap(), EXAMPLE]);
    exits_with(&out, 2, "did you mean `lodged_on`?");
}

#[test]
fn schema_is_generated_from_the_inputs() {
    let out = lsa(&["schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        schema["properties"]["applicant"]["$ref"],
        "#/$defs/Applicant"
    );
    assert_eq!(
        schema["$defs"]["Applicant"]["properties"]["protection_status"]["enum"],
        serde_json::json!(["none", "refugee", "subsidiary"])
    );
    assert_eq!(
        schema["$defs"]["Application"]["additionalProperties"],
        false
    );
    assert!(schema["x-lsa-law"]["hash"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:")));
    assert_eq!(
        schema["$defs"]["Applicant"]["properties"]["nationality"]["pattern"],
        "^(?:[A-Z]{3}|stateless)$"
    );
}

/// The schema carries the words a caseworker reads, for a form built from
/// it: each section's and field's label and question in both languages (the
/// same that `lsa check` asks), and each enum value's label.
#[test]
fn the_schema_carries_the_caseworkers_words() {
    let out = lsa(&["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let relocation = &schema["properties"]["relocation"];
    assert_eq!(relocation["title"], "Relocation to Lithuania");
    assert_eq!(
        relocation["x-lsa-words"]["lt"]["label"],
        "Perkėlimas į Lietuvą"
    );
    // A field of a list's items too; every field has its words in both.
    let relation = &schema["$defs"]["FamilyMember"]["properties"]["relation"];
    assert_eq!(relation["x-lsa-values"]["lt"]["sibling"], "brolis ar sesuo");
    for (record, r) in schema["$defs"].as_object().unwrap() {
        for (field, f) in r["properties"].as_object().unwrap() {
            for lang in ["lt", "en"] {
                assert!(
                    f["x-lsa-words"][lang]["label"].is_string(),
                    "{record}.{field} has no {lang} label in the schema"
                );
            }
        }
    }
    // The questions are those `lsa check` asks for a fact the record lacks.
    let case = crate::common::scratch_file(
        "schema-words",
        "case.yaml",
        "case: S\nas_of: 2026-09-01\napplicant: { nationality: SYR }\napplication: { made_on: 2026-08-03 }\n",
    );
    let report = stdout(&lsa(&["check", "--lang", "lt", case.to_str().unwrap()]));
    let circumstances = &schema["$defs"]["Application"]["properties"]["circumstances"];
    let relocation_q = relocation["x-lsa-words"]["lt"]["question"]
        .as_str()
        .unwrap();
    for q in [
        circumstances["x-lsa-words"]["lt"]["question"]
            .as_str()
            .unwrap(),
        relocation_q,
    ] {
        assert!(report.contains(q), "{q}\n{report}");
    }
}

#[test]
fn fmt_check_passes_on_the_shipped_rules() {
    let out = lsa(&["fmt", "--check", "rules"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let dir = scratch("fmt");
    std::fs::write(
        dir.join("messy.rules"),
        "ruleset   t\nsource X \"x\"\ndef  a :bool[X 1]=true  and  false // why\n",
    )
    .unwrap();
    let out = lsa(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("would reformat"));
    let out = lsa(&["fmt", dir.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.rules")).unwrap(),
        "ruleset t\n\nsource X \"x\"\n\ndef a: bool [X 1] =\n  true and false  // why\n"
    );
}

#[test]
fn test_command_runs_the_shipped_tests() {
    let out = lsa(&["test"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let last = stdout(&out).lines().last().unwrap().to_string();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

#[test]
fn test_command_reports_failures_with_explanations() {
    let dir = scratch("failing-test");
    std::fs::write(
        dir.join("wrong.yaml"),
        format!(
            "- name: wrong on purpose\n  case: {}\n  expect:\n    procedure.track: regular\n",
            repo().join(EXAMPLE).display()
        ),
    )
    .unwrap();
    let out = lsa(&["test", dir.join("wrong.yaml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("procedure.track (Examination procedure): expected regular, got border"),
        "{text}"
    );
    assert!(text.contains("by rule border_mandatory"), "{text}");
    assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");
}

/// A test may say which rule decided (`rule:`, as `lsa check --format json`
/// names it, or `default`) and, for a `collect` decision, which rules
/// (`rules:`), and whether a time limit's act was done (`act:`); a key or
/// an act a test does not know is a failure that names it, never a check
/// silently skipped.
#[test]
fn tests_check_the_deciding_rule_and_refuse_keys_they_do_not_know() {
    let dir = scratch("deciding-rule");
    let case = repo().join(EXAMPLE);
    let case = case.display();
    let tests = [
        (
            "right rule",
            "procedure.track: { value: border, rule: procedure.border_mandatory }",
        ),
        ("right default", "responsibility.shifted: { rule: default }"),
        (
            "right rules",
            "procedure.accelerated_grounds: { rules: [procedure.low_recognition_rate] }",
        ),
        (
            "wrong rule",
            "procedure.track: { rule: procedure.accelerated }",
        ),
        (
            "misspelt rule",
            "procedure.track: { rule: procedure.border_mandatroy }",
        ),
        (
            "rule of a collect",
            "procedure.accelerated_grounds: { rule: procedure.low_recognition_rate }",
        ),
        (
            "misspelt key",
            "procedure.track: { value: border, rul: procedure.border_mandatory }",
        ),
        ("misspelt status", "procedure.track: { status: determind }"),
        (
            "right act",
            "procedure.registration_deadline: { act: in_time }",
        ),
        ("wrong act", "procedure.lodging_deadline: { act: late }"),
        (
            "misspelt act",
            "procedure.registration_deadline: { act: intime }",
        ),
        ("status as a value", "procedure.track: determined"),
        (
            "needs not a list",
            "relocation.confirmation_deadline: { needs: relocation.information_received_on }",
        ),
    ];
    let mut text = String::new();
    for (name, expect) in tests {
        text.push_str(&format!(
            "- name: {name}\n  case: {case}\n  expect:\n    {expect}\n"
        ));
    }
    text.push_str(&format!(
        "- name: misspelt test key\n  case: {case}\n  warning: []\n  expect:\n    procedure.track: border\n"
    ));
    // A test that checks nothing; one whose params are wrong keeps its name.
    text.push_str(&format!(
        "- name: checks nothing\n  case: {case}\n  expect: {{}}\n"
    ));
    // The warnings alone, without `expect:`, are a check.
    text.push_str(&format!(
        "- name: right warnings\n  case: {case}\n  warnings: []\n"
    ));
    text.push_str(&format!(
        "- name: misspelt param\n  case: {case}\n  params: {{ procedure.accelerate_minor_misled: true }}\n  expect:\n    procedure.track: border\n"
    ));
    let file = dir.join("rules.yaml");
    std::fs::write(&file, text).unwrap();
    let out = lsa(&["test", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for name in [
        "right rule",
        "right default",
        "right rules",
        "right act",
        "right warnings",
    ] {
        assert!(text.contains(&format!("ok   {name} (")), "{text}");
    }
    for expected in [
        "expected rule procedure.accelerated, got procedure.border_mandatory",
        "`procedure.border_mandatroy` is not a rule of this decision: did you mean `procedure.border_mandatory`?",
        "a `collect` decision is decided by every rule that applied: expect `rules: [..]`",
        "`rul` is not something a test checks: did you mean `rule`?",
        "`warning:` is not part of a test: did you mean `warnings`?",
        "`determind` is not a status: did you mean `determined`?",
        "expected the value `determined`, got border; a status is written `{ status: determined }`",
        "`needs:` lists record paths",
        "expected act late, got in_time (done 2026-07-07, in time)",
        "`act: intime` is not whether an act was done: did you mean `in_time`?",
        "FAIL checks nothing (",
        "one that checks nothing cannot fail",
        "FAIL misspelt param (",
        "did you mean `procedure.accelerate_minors_misled`?",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    assert!(text.ends_with("5 passed, 12 failed\n"), "{text}");
}

/// A key given twice in a test file (in its case, or in what it expects)
/// fails the file, naming the key and where: read as a plain JSON tree, the
/// last one silently won, so a case written with `context:` twice was
/// checked with the second alone (one of the shipped law tests was).
#[test]
fn a_key_given_twice_in_a_test_file_fails_it() {
    let dir = scratch("key-twice");
    let yaml = dir.join("twice.yaml");
    std::fs::write(
        &yaml,
        "- name: twice\n  as_of: 2026-07-15\n  case:\n    application: { made_on: 2026-07-02, screening_ended_on: null }\n    context: { crisis: none }\n    context: { crisis: mass_arrival }\n  expect:\n    procedure.registration_deadline: 2026-07-07\n",
    )
    .unwrap();
    let json = dir.join("twice.json");
    std::fs::write(
        &json,
        r#"[{"name": "twice", "as_of": "2026-07-15", "case": {"application": {"made_on": "2026-07-02", "screening_ended_on": null}, "context": {"crisis": "none"}}, "expect": {"procedure.registration_deadline": "2026-07-07", "procedure.registration_deadline": "2026-07-08"}}]"#,
    )
    .unwrap();
    for (file, at) in [(&yaml, "twice.yaml:6:5"), (&json, "twice.json:1:")] {
        let out = lsa(&["test", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        assert!(text.contains(at), "{text}");
        assert!(text.contains("given twice"), "{text}");
        // Well-formed YAML and JSON, said as a record says it.
        assert!(!text.contains("not valid"), "{text}");
        assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");
    }
}

/// A mistake in a case given inline in a test file is placed in the file
/// (line and column), as in a case file: in a list of tests, under
/// `tests:`, in one test, in YAML and JSON, down to an item of a list.
#[test]
fn a_mistake_in_an_inline_case_names_its_line_and_column() {
    let dir = scratch("inline-case-position");
    let files = [
        (
            "list.yaml",
            "- name: fine\n  as_of: 2026-07-15\n  case: { application: { made_on: 2026-07-02 } }\n  expect: { procedure.registration_deadline: { status: unknown } }\n- name: typo\n  as_of: 2026-07-15\n  case:\n    application: { made_on: 2026-07-02, screening_endd_on: null }\n  expect:\n    procedure.registration_deadline: 2026-07-07\n",
            "list.yaml:8:41: `[1].case.application.screening_endd_on`: unknown field",
        ),
        (
            "tests.yaml",
            "tests:\n  - name: a wrong date in a list\n    as_of: 2026-07-15\n    case:\n      responsibility:\n        entries:\n          - { kind: irregular_crossing, member_state: LTU, on: 2026-06-30 }\n          - { kind: irregular_crossing, member_state: LTU, on: 2026-13-30 }\n    expect:\n      procedure.registration_deadline: 2026-07-07\n",
            "tests.yaml:8:60: `[0].case.responsibility.entries[1].on`: `2026-13-30` is not a date",
        ),
        (
            "one.yaml",
            "name: one\nas_of: 2026-07-15\ncase:\n  application:\n    made_on: 2026-07-02\n    lodged: 2026-07-03\nexpect:\n  procedure.registration_deadline: 2026-07-07\n",
            "one.yaml:6:5: `[0].case.application.lodged`: unknown field",
        ),
        (
            "list.json",
            "[\n {\"name\": \"j\", \"as_of\": \"2026-07-15\",\n  \"case\": {\"application\": {\"registred_on\": \"2026-07-03\"}},\n  \"expect\": {\"procedure.registration_deadline\": \"2026-07-07\"}}\n]\n",
            "list.json:3:",
        ),
    ];
    for (name, text, expected) in files {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out = lsa(&["test", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}

#[test]
fn coverage_lists_every_cited_article() {
    let out = lsa(&["test", "--coverage"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let program = crate::common::shipped();
    let mut cited = Vec::new();
    for d in &program.decisions {
        cited.extend(d.citation.iter().map(|c| c.text.clone()));
        cited.extend(
            d.rules
                .iter()
                .filter_map(|r| r.citation.as_ref().map(|c| c.text.clone())),
        );
    }
    for c in cited {
        for part in c.split("; ") {
            let (source, article) = part.split_once(' ').unwrap();
            assert!(text.contains(&format!("\n{source}  ")), "source {source}");
            assert!(
                text.contains(&format!("\n  {article}\n")),
                "article {article} of {source}"
            );
        }
    }
    // National choices off in the shipped params are switched on by tests
    // (`params:`), so every rule is exercised both ways.
    assert!(
        text.contains(
            "every rule is exercised by a case where it applies and one where it does not, every `applies` line by one where it holds and one where it does not, and every `owed when` by one where the act is owed and one where it is not"
        ),
        "{text}"
    );
}

/// `lsa test --coverage` counts each `applies` line (once, however many
/// decisions use it) held and not held, and lists one exercised on one side
/// only, as it does a rule.
#[test]
fn coverage_counts_applies_lines_held_and_not_held() {
    let dir = scratch("coverage-lines");
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::create_dir_all(dir.join("tests/law")).unwrap();
    std::fs::write(
        dir.join("rules/t.rules"),
        "ruleset t\n\nsource X \"An act\"\n\nin force from 2026-01-01\n\n\
         record R { a: bool, b: bool }\ninput r: R\n\n\
         applies here [X Art. 1]\n  when r.a\n  otherwise \"not a\"\n\n\
         decision d: bool [X Art. 2]\n  rule y [X Art. 2]\n    when r.b\n    then true\n  rule n [X Art. 2]\n    when not r.b\n    then false\n\n\
         decision e: bool [X Art. 3]\n  applies here\n  applies [X Art. 4]\n    when r.b\n    otherwise \"not b\"\n\n  rule y [X Art. 3]\n    when true\n    then true\n",
    )
    .unwrap();
    let case = |a: bool, b: bool| format!("  case:\n    r: {{ a: {a}, b: {b} }}\n");
    let held_only = format!(
        "- name: both\n  as_of: 2026-06-01\n{}  expect:\n    t.d: true\n    t.e: true\n\
         - name: not b\n  as_of: 2026-06-01\n{}  expect:\n    t.d: false\n    t.e: {{ status: undetermined, applies: t.applies }}\n",
        case(true, true),
        case(true, false)
    );
    std::fs::write(dir.join("tests/law/t.yaml"), &held_only).unwrap();
    let out = crate::common::lsa_in(&dir, &["test", "--coverage"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    // Two decisions over two cases: the named line held four times.
    assert!(
        text.contains("applies line t.here: held 4, did not hold 0  ← incomplete"),
        "{text}"
    );
    assert!(
        text.contains("applies line t.applies: held 1, did not hold 1\n"),
        "{text}"
    );
    assert!(
        text.contains("not exercised both ways")
            && text.contains("  - applies line t.here (held 4, did not hold 0)"),
        "{text}"
    );
    // A case where it does not hold completes it.
    let both = format!(
        "{held_only}- name: not a\n  as_of: 2026-06-01\n{}  expect:\n    t.d: {{ status: undetermined, applies: t.here }}\n    t.e: {{ status: undetermined, applies: t.here }}\n",
        case(false, true)
    );
    std::fs::write(dir.join("tests/law/t.yaml"), both).unwrap();
    let out = crate::common::lsa_in(&dir, &["test", "--coverage"]);
    let text = stdout(&out);
    assert!(
        text.contains("applies line t.here: held 4, did not hold 2\n"),
        "{text}"
    );
    assert!(
        text.contains("every `applies` line by one where it holds"),
        "{text}"
    );
}

#[test]
fn snapshots_for_drafters_are_written_then_checked() {
    let dir = scratch("drafter-snapshots");
    let file = dir.join("t.yaml");
    std::fs::write(
        &file,
        format!(
            "- name: example\n  case: {}\n  expect:\n    procedure.track: border\n",
            repo().join(EXAMPLE).display()
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    // A missing snapshot is a failure until accepted; nothing is written.
    let out = lsa(&["test", "--snapshot", f]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("snapshot"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("1 passed, 1 failed"),
        "{}",
        stdout(&out)
    );
    assert!(!dir.join("t.yaml.snap").exists());
    let out = lsa(&["test", "--snapshot", "--accept", f]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("written"));
    let out = lsa(&["test", "--snapshot", f]);
    assert!(out.status.success(), "{}", stdout(&out));
    let snap = std::fs::read_to_string(dir.join("t.yaml.snap")).unwrap();
    assert!(snap.contains("procedure.track = border"));
    // The reasoning changes (another rules tree): the snapshot no longer matches.
    let rules = amended_rules(
        "drafter-rules",
        "eu/apr/procedure.rules",
        "from 2026-06-12 = 12 weeks",
        "from 2026-06-12 = 13 weeks",
    );
    let out = lsa(&["test", "--snapshot", "--rules", rules.to_str().unwrap(), f]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("-procedure.examination_deadline = 2026-09-25"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("+procedure.examination_deadline = 2026-10-02"),
        "{}",
        stdout(&out)
    );
    let out = lsa(&[
        "test",
        "--snapshot",
        "--accept",
        "--rules",
        rules.to_str().unwrap(),
        f,
    ]);
    assert!(out.status.success());
}

/// The APR rules file, and its lodging period before and after the
/// amendment the diff tests make.
const PROCEDURE: &str = "eu/apr/procedure.rules";
const LODGING_21: &str = "from 2026-06-12 = 21 days";
const LODGING_14: &str = "from 2026-06-12 = 14 days";

/// `lsa diff --old OLD --new NEW [EXTRA…] tests/examples`.
fn diff_examples(old: &str, new: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["diff", "--old", old, "--new", new];
    args.extend_from_slice(extra);
    args.push("tests/examples");
    lsa(&args)
}

/// The impact report, as JSON, over the examples, of the shipped tree
/// against one whose APR rules have `from` replaced by `to` (in scratch
/// folder `name`).
fn diff_of_amendment(name: &str, from: &str, to: &str) -> serde_json::Value {
    let dir = amended_rules(name, PROCEDURE, from, to);
    diff_json(dir.to_str().unwrap())
}

/// The impact report, as JSON, of tree `old` against `new` over `input`
/// (every record valid), with the options `extra`.
fn diff_report(old: &str, new: &str, extra: &[&str], input: &str) -> serde_json::Value {
    let mut args = vec!["diff", "--old", old, "--new", new, "--format", "json"];
    args.extend_from_slice(extra);
    args.push(input);
    json_out(&lsa(&args))
}

/// The impact report, as JSON, of two scratch rule trees (`rule_tree`'s
/// folders) over the old one's `cases.jsonl`.
fn diff_of_scratch_trees(old: &std::path::Path, new: &std::path::Path) -> serde_json::Value {
    let path = |p: std::path::PathBuf| p.to_str().unwrap().to_string();
    let cases = path(old.join("cases.jsonl"));
    diff_report(
        &path(old.join("rules")),
        &path(new.join("rules")),
        &[],
        &cases,
    )
}

/// The impact report, as JSON, of the shipped tree against `new` over the examples.
fn diff_json(new: &str) -> serde_json::Value {
    let out = diff_examples("rules", new, &["--format", "json"]);
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)))
}

/// A warning amended: the cases that raise it differently are in the
/// impact report (after the determinations, keyed `warning KEY`), with the
/// condition as amended; when no warning changes they are not evaluated.
#[test]
fn diff_counts_the_cases_a_warning_amended_raises_differently() {
    let dir = amended_rules(
        "diff-warning",
        "case.rules",
        "  when application.made_on > as_of\n",
        "  when application.lodged_on > as_of\n",
    );
    let new = dir.to_str().unwrap();
    let text = succeeded(&diff_examples("rules", new, &[]));
    // Only the file whose making is dated after the evaluation date.
    assert!(text.contains("\n15 cases, 1 changed\n"), "{text}");
    assert!(
        text.contains(
            "  A date of the application is after the evaluation date: check the dates, or the evaluation date (warning case.dated_after_as_of): 1 case changed\n    raised → not raised: 1 case (e.g. LT-2026-000124)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("first seen: its condition: application.lodged_on > as_of or"),
        "{text}"
    );
    let json = diff_json(new);
    assert_eq!(
        json["changes_per_determination"],
        serde_json::json!({ "warning case.dated_after_as_of": 1 })
    );
    // The shipped tree against itself: nothing changes, warnings included.
    let same = diff_json("rules");
    assert_eq!(same["cases_changed"], 0, "{same:#}");
}

/// A value added to an enum before others renumbers them: the same value
/// (by name) on both sides is no change, and the explanations' first
/// difference is not looked for where there is none.
#[test]
fn diff_compares_enum_values_by_name_across_trees() {
    let dir = amended_rules(
        "diff-enum-renumbered",
        "eu/apr/procedure.rules",
        "enum Track { border, accelerated, regular }",
        "enum Track { expedited, border, accelerated, regular }",
    );
    let new = dir.to_str().unwrap();
    let out = diff_examples("rules", new, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\n15 cases, 0 changed\n"), "{text}");
    let json = diff_json(new);
    assert_eq!(json["cases_changed"], 0, "{json:#}");
}

#[test]
fn diff_names_the_changed_determination_and_cases() {
    let dir = amended_rules("diff-14-days", PROCEDURE, LODGING_21, LODGING_14);
    let new = dir.to_str().unwrap();
    let out = diff_examples("rules", new, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // Only the examples outside the border procedure lodge within 21 days
    // (the border procedure's 5 days, APR Art. 51(1), are another param).
    assert!(text.contains("15 cases, 5 changed"), "{text}");
    assert!(
        text.contains(
            "Time limit to lodge the application (procedure.lodging_deadline): 5 cases changed\n    7 days earlier: 5 cases (e.g. LT-2026-000812, LT-2026-000903, LT-2026-000958)\n    because of param procedure.lodging_period: 5 cases"
        ),
        "{text}"
    );
    assert!(
        !text.contains("case LT-2026-000231"),
        "cases in full only with --cases"
    );
    let out = diff_examples("rules", new, &["--cases", "--limit", "1"]);
    let text = stdout(&out);
    assert!(
        text.contains("case LT-2026-000812 (as of 2026-12-30, the record's date)\n  Time limit to lodge the application (procedure.lodging_deadline): 2026-12-28 → 2026-12-21"),
        "{text}"
    );
    assert!(!text.contains("case LT-2026-000231"), "--limit 1: {text}");
    assert!(
        text.contains(
            "cause: param `lodging_period(on: application.registered_on)`: 21 days → 14 days"
        ),
        "{text}"
    );
    let json = diff_json(new);
    assert_eq!(json["cases_changed"], 5);
    assert_eq!(
        json["changes_per_determination"]["procedure.lodging_deadline"],
        5
    );
    let lodging = &json["determinations"]["procedure.lodging_deadline"];
    assert_eq!(lodging["shift_days"][0]["days"], -7, "{lodging:#}");
    assert_eq!(lodging["shift_days"][0]["cases"], 5);
    assert_eq!(
        lodging["causes"][0]["cause"],
        "param procedure.lodging_period"
    );
    assert!(
        json.get("changed").is_none(),
        "cases in full only with --cases"
    );
    // Both laws named in full: different trees, different hashes.
    let hash = |side: &str| json[side]["hash"].as_str().unwrap().to_string();
    assert!(hash("old_law").starts_with("sha256:"), "{json:#}");
    assert_ne!(hash("old_law"), hash("new_law"));
    assert_eq!(json["new_law"]["lsa"], env!("CARGO_PKG_VERSION"));
    let out = diff_examples("rules", new, &["--format", "markdown"]);
    assert!(stdout(&out)
        .contains("| Time limit to lodge the application (`procedure.lodging_deadline`) | 5 |"));
}

/// An amendment that changes no date can change what is owed: the four
/// examination rules without their `owed when` (APR Art. 39(1)(a)) make the
/// examination owed again for the two examples another Member State is
/// responsible for. The impact report counts the acts (`act KEY`), with
/// the condition as it was and as amended; the date is no change.
#[test]
fn diff_counts_the_acts_an_amendment_changes_without_a_date() {
    let owed = "\n      owed when not another_member_state_responsible";
    let dir = amended_rules("diff-owed-when", PROCEDURE, owed, "");
    let text = std::fs::read_to_string(dir.join(PROCEDURE)).unwrap();
    std::fs::write(dir.join(PROCEDURE), text.replace(owed, "")).unwrap();
    let new = dir.to_str().unwrap();
    let text = succeeded(&diff_examples("rules", new, &[]));
    assert_has(&text, &[
        "\n15 cases, 2 changed\n",
        "  Time limit to examine the application: the act (act procedure.examination_deadline): 2 cases changed\n    not_owed → pending: 2 cases (e.g. LT-2026-000812, LT-2026-000231)\n    because of the `owed when` of rule procedure.examination_deadline/regular: 2 cases",
        "first seen: `not another_member_state_responsible` → (always owed)",
    ]);
    let json = diff_json(new);
    assert_eq!(
        json["changes_per_determination"],
        serde_json::json!({ "act procedure.examination_deadline": 2 }),
        "{json:#}"
    );
    // With each case in full: the act as the caseworker's report words it.
    let text = succeeded(&diff_examples("rules", new, &["--cases", "--lang", "lt"]));
    assert_has(&text, &[
        "  Prašymo išnagrinėjimo terminas: veiksmas (veiksmas procedure.examination_deadline): šioje byloje atlikti nereikia → įraše dar neatlikta\n",
        "      šioje byloje atlikti nereikia (Už prašymo nagrinėjimą atsakinga kita valstybė narė: taip [Reglamento (ES) 2024/1348 39 str. 1 d. a p.])\n",
    ]);
}

/// A def an `owed when` reads, amended: no date and no `owed when` as
/// written changes, yet the acts do (the def is in what the acts'
/// fingerprint covers), told by the condition's value.
#[test]
fn diff_counts_the_acts_a_def_read_by_owed_when_changes() {
    let json = diff_of_amendment(
        "diff-owed-when-def",
        "  and responsibility.member_state != \"LTU\"\n",
        "  and responsibility.member_state != \"SWE\"\n",
    );
    let act = &json["determinations"]["act procedure.examination_deadline"];
    // The unaccompanied minor, whom Sweden is responsible for, is owed the
    // examination now, and two whom Lithuania is responsible for are not;
    // no date moved.
    assert_eq!(
        act["transitions"],
        serde_json::json!([
            { "old": "not_owed", "new": "pending", "cases": 1, "examples": ["LT-2026-000231"] },
            { "old": "pending", "new": "not_owed", "cases": 2, "examples": ["LT-2026-000958", "LT-2026-000777"] },
        ]),
        "{act:#}"
    );
    assert_eq!(
        act["causes"][0]["first_seen"], "`not another_member_state_responsible`: true → false",
        "{act:#}"
    );
    assert!(
        json["determinations"]
            .get("procedure.examination_deadline")
            .is_none(),
        "{json:#}"
    );
}

/// A shorter period can make an act done in time late: an application
/// lodged 17 days after its registration is in time under 21 days and late
/// under 14 (APR Art. 28(1)); the act's change is counted beside the date's.
#[test]
fn diff_counts_an_act_done_in_time_made_late() {
    let example =
        std::fs::read_to_string(repo().join("tests/examples/take-charge-late.yaml")).unwrap();
    let late = example.replace("lodged_on: 2026-10-30", "lodged_on: 2026-11-12");
    assert_ne!(example, late);
    let case = scratch_file("diff-act-late-case", "case.yaml", &late);
    let dir = amended_rules("diff-act-late", PROCEDURE, LODGING_21, LODGING_14);
    let json = diff_report("rules", dir.to_str().unwrap(), &[], case.to_str().unwrap());
    let act = &json["determinations"]["act procedure.lodging_deadline"];
    assert_eq!(act["label"], "Time limit to lodge the application: the act");
    assert_eq!(
        act["transitions"],
        serde_json::json!([{ "old": "in_time", "new": "late", "cases": 1, "examples": ["LT-2026-000777"] }]),
        "{act:#}"
    );
    assert_eq!(
        act["causes"][0]["cause"],
        "the last day of procedure.lodging_deadline"
    );
    assert_eq!(act["causes"][0]["first_seen"], "2026-11-16 → 2026-11-09");
    // The date moved too, by a week.
    let lodging = &json["determinations"]["procedure.lodging_deadline"];
    assert_eq!(lodging["shift_days"][0]["days"], -7, "{lodging:#}");
    // In Lithuanian: the states and the time limit in words.
    let new = dir.to_str().unwrap();
    let args = ["diff", "--old", "rules", "--new", new, "--lang", "lt"];
    let text = succeeded(&lsa(&[&args[..], &[case.to_str().unwrap()]].concat()));
    assert_has(
        &text,
        &[
            "  Prašymo oficialaus pateikimo terminas: veiksmas (veiksmas procedure.lodging_deadline): pasikeitė 1 byla\n    atlikta per terminą → atlikta po termino: 1 byla (pvz., LT-2026-000777)\n",
            "    priežastis — «Prašymo oficialaus pateikimo terminas» paskutinė diena (procedure.lodging_deadline): 1 byla",
        ],
    );
}

/// On two dates a time limit not met becomes missed: the act's change is
/// told by the date the case is evaluated on; with a fact set (`--set`)
/// the act done is told by the facts that meet it.
#[test]
fn diff_counts_the_acts_two_dates_and_a_fact_set_change() {
    // The reply's act (AMMR Art. 40(1)) on the JSON report of `args`: its
    // one transition and its cause.
    let act = |args: &[&str]| {
        let mut all = vec!["diff", "--format", "json"];
        all.extend_from_slice(args);
        let json = json_out(&lsa(&all));
        let act = &json["determinations"]["act responsibility.take_charge_reply_deadline"];
        let t = &act["transitions"][0];
        let c = &act["causes"][0];
        [&t["old"], &t["new"], &c["cause"], &c["first_seen"]]
            .map(|v| v.as_str().unwrap_or_else(|| panic!("{act:#}")).to_string())
    };
    assert_eq!(
        act(&["--on", "2026-07-15", "--vs", "2027-02-01", "tests/examples"]),
        [
            "pending",
            "missed",
            "the date the case is evaluated on",
            "2026-07-15 → 2027-02-01"
        ]
    );
    let set = "responsibility.accepted_on=2026-11-20";
    let [old, new, cause, _] = act(&[
        "--set",
        set,
        "--as-of",
        "2026-12-01",
        "tests/examples/take-charge-late.yaml",
    ]);
    assert_eq!(
        [old, new, cause],
        [
            "pending",
            "in_time",
            "the `met by` of responsibility.take_charge_reply_deadline"
        ]
    );
}

/// `lsa diff --on 2026-07-15 --vs 2027-02-01 [EXTRA…] EXAMPLE`.
fn diff_on_two_dates(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["diff", "--on", "2026-07-15", "--vs", "2027-02-01"];
    args.extend_from_slice(extra);
    args.push(EXAMPLE);
    lsa(&args)
}

#[test]
fn diff_between_two_dates() {
    let out = diff_on_two_dates(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("    because of rule reception.labour_market_access/access_after_six_months: 1 case (e.g. LT-2026-000123)"),
        "{text}"
    );
    // Each case in full, on request.
    let out = diff_on_two_dates(&["--cases"]);
    let text = stdout(&out);
    assert!(
        text.contains("  Access to the labour market on the as-of date (reception.labour_market_access): false → true\n    cause: rule `access_after_six_months` not applicable → decided\n"),
        "{text}"
    );
    assert!(text.contains("rule `access_after_six_months`"), "{text}");
}

/// `lsa diff --set PATH=VALUE`: each case as recorded against the same case
/// with the fact set (a what-if over a caseload): Lithuania notifies that
/// its adequate capacity is reached (APR Art. 48), and the low recognition
/// rate no longer makes the border procedure mandatory.
#[test]
fn diff_what_if_a_fact_is_set_over_a_caseload() {
    let set = |extra: &[&str]| {
        let mut args = vec![
            "diff",
            "--set",
            "context.border_capacity_reached=true",
            "--as-of",
            "2026-07-15",
        ];
        args.extend_from_slice(extra);
        args.push(EXAMPLE);
        lsa(&args)
    };
    let out = set(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "old: the records as they are — law rules",
        "new: with --set context.border_capacity_reached=true — law rules",
        "1 case, 1 changed",
        "    mandatory → optional: 1 case (e.g. LT-2026-000123)",
        "    border → accelerated: 1 case (e.g. LT-2026-000123)",
        // The rule applied on the old side too, after the one that decided
        // (`policy first`): it is not new.
        "      first seen: rule `accelerated` applied, but another rule gave the value → decided",
        "    12 days later: 1 case (e.g. LT-2026-000123)",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&set(&["--format", "json"]).stdout).unwrap();
    assert_eq!(json["cases_changed"], 1);
    assert_eq!(
        json["determinations"]["procedure.track"]["transitions"][0],
        serde_json::json!({"old": "border", "new": "accelerated", "cases": 1, "examples": ["LT-2026-000123"]}),
        "{json:#}"
    );
    let md = stdout(&set(&["--format", "markdown"]));
    assert!(
        md.starts_with("# What if: `the records as they are"),
        "{md}"
    );
    let lt = stdout(&set(&["--lang", "lt"]));
    assert!(lt.contains("prieš: įrašai, kokie yra"), "{lt}");
    assert!(
        lt.contains("taikyta, bet reikšmę davė kita taisyklė"),
        "{lt}"
    );
    // The fact as recorded: nothing changes.
    let out = lsa(&[
        "diff",
        "--set",
        "context.border_capacity_reached=false",
        EXAMPLE,
    ]);
    assert!(
        stdout(&out).contains("1 case, 0 changed"),
        "{}",
        stdout(&out)
    );
    // A path the record does not have, or a value its field cannot hold
    // (with the field's limits): said once, before the caseload is read.
    for (set, says) in [
        (
            "context.border_capacity_reachd=true",
            "--set context.border_capacity_reachd=…: `context` has no field `border_capacity_reachd` (`border_capacity_reached`?)",
        ),
        (
            "responsibility.entries.on=2026-07-01",
            "is a list: name one of its items, as `responsibility.entries[0].on`",
        ),
        (
            "context.border_capacity_reached=maybe",
            "--set context.border_capacity_reached=maybe: `context.border_capacity_reached`: expected true or false",
        ),
        (
            "application.recognition_rate_pct=140",
            "140% is not between 0% and 100%",
        ),
    ] {
        let out = lsa(&["diff", "--set", set, EXAMPLE]);
        assert_eq!(out.status.code(), Some(1), "{set}");
        assert!(stderr(&out).contains(says), "{set}: {}", stderr(&out));
    }
    // A list's item the case does not have: that case is invalid, with its place.
    let out = lsa(&[
        "diff",
        "--set",
        "responsibility.entries[0].on=2026-07-01",
        "tests/examples/take-charge-late.yaml",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout(&out).contains(
            "tests/examples/take-charge-late.yaml: --set responsibility.entries[0].on: `responsibility.entries` has 0 items: no item 0 (they count from 0)"
        ),
        "{}",
        stdout(&out)
    );
    // Not with two trees.
    let out = lsa(&[
        "diff", "--set", "a=b", "--old", "rules", "--new", "rules", EXAMPLE,
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
}

/// `lsa diff --lang lt`: the text, Markdown and HTML reports in Lithuanian
/// (counts in the form their number asks for, values as the caseworker's
/// report gives them, each changed case explained in Lithuanian); the JSON
/// in the contract's words whatever the language, its labels apart.
#[test]
fn diff_in_lithuanian() {
    let dir = amended_rules("diff-14-days-lt", PROCEDURE, LODGING_21, LODGING_14);
    let new = dir.to_str().unwrap();
    let out = diff_examples("rules", new, &["--lang", "lt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("prieš: rules — taisyklės: rules ("),
        "{text}"
    );
    assert!(text.contains("\npo: "), "{text}");
    assert!(
        text.contains(
            "bylų: 15, pasikeitė: 5\n  Prašymo oficialaus pateikimo terminas (procedure.lodging_deadline): pasikeitė 5 bylos\n    7 d. anksčiau: 5 bylos (pvz., LT-2026-000812, LT-2026-000903, LT-2026-000958)\n    priežastis — parametras procedure.lodging_period: 5 bylos (pvz., LT-2026-000812, LT-2026-000903, LT-2026-000958)\n      pirmoje byloje: parametras `lodging_period(on: application.registered_on)`: 21 diena → 14 dienų\n"
        ),
        "{text}"
    );
    let out = diff_examples("rules", new, &["--lang", "lt", "--cases", "--limit", "1"]);
    let text = stdout(&out);
    // Standard error in the report's language too: the trees, the counts.
    let said = stderr(&out);
    assert!(
        said.contains("lsa: naudojamos taisyklės iš rules (nurodytos); lsa "),
        "{said}"
    );
    assert!(
        said.contains("palyginta bylų: 15, pasikeitė: 5, netinkamų: 0, "),
        "{said}"
    );
    assert!(
        text.contains(
            "byla LT-2026-000812 (vertinimo data 2026-12-30, įraše nurodyta data)\n  Prašymo oficialaus pateikimo terminas (procedure.lodging_deadline): 2026-12-28 (pirmadienis) → 2026-12-21 (pirmadienis)\n    priežastis: parametras"
        ),
        "{text}"
    );
    // Both explanations in the caseworker's words.
    assert!(
        text.contains("    prieš:\n      procedure.lodging_deadline = 2026-12-28 (pirmadienis)"),
        "{text}"
    );
    assert!(text.contains("pagal taisyklę within_21_days"), "{text}");
    assert!(
        text.contains("· + 14 dienų → 2026-12-21 (pirmadienis)"),
        "{text}"
    );
    for english in [
        "cases",
        "because of",
        "first seen",
        "first difference",
        "case LT-",
    ] {
        assert!(
            !text.contains(english),
            "`{english}` in the Lithuanian report: {text}"
        );
    }
    let html = stdout(&diff_examples(
        "rules",
        new,
        &["--lang", "lt", "--format", "html"],
    ));
    assert!(html.contains("<html lang=\"lt\">"), "{html}");
    assert!(html.contains("<h1>Pakeitimo poveikis</h1>"), "{html}");
    assert!(
        html.contains("<th>data pasislinko</th><th>bylų</th>"),
        "{html}"
    );
    assert!(
        html.contains("data-key=\"procedure.lodging_deadline\" data-group=\"shift\" data-what=\"7 d. anksčiau\""),
        "{html}"
    );
    let markdown = stdout(&diff_examples(
        "rules",
        new,
        &["--lang", "lt", "--format", "markdown"],
    ));
    assert!(
        markdown.contains("| sprendimas | pasikeitė bylų |"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "| Prašymo oficialaus pateikimo terminas (`procedure.lodging_deadline`) | 5 |"
        ),
        "{markdown}"
    );
    // The JSON: the contract's words in both languages; only labels differ.
    let json = |lang: &str| {
        let out = diff_examples(
            "rules",
            new,
            &["--format", "json", "--lang", lang, "--cases"],
        );
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let (en, lt) = (json("en"), json("lt"));
    let lodging = |j: &serde_json::Value| j["determinations"]["procedure.lodging_deadline"].clone();
    assert_eq!(lodging(&en)["causes"], lodging(&lt)["causes"]);
    assert_eq!(lodging(&en)["shift_days"], lodging(&lt)["shift_days"]);
    assert_eq!(en["changed"], lt["changed"]);
    assert_eq!(en["old"], lt["old"]);
    assert_eq!(
        lodging(&lt)["label"],
        "Prašymo oficialaus pateikimo terminas"
    );
}

/// In Lithuanian too: a determination one tree has and the other not.
#[test]
fn diff_in_lithuanian_names_a_new_and_a_removed_determination() {
    let dir = amended_rules(
        "diff-new-decision-lt",
        "eu/rcd/reception.rules",
        "    when protection.granted_by_as_of\n    then true",
        "    when protection.granted_by_as_of\n    then true\n\ndecision registered_early: bool [RCD Art. 17(1)]\n  default false\n\n  rule before_july [RCD Art. 17(1)]\n    when application.registered_on < 2026-07-01\n    then true\n",
    );
    let amended = dir.to_str().unwrap();
    let text = stdout(&diff_examples("rules", amended, &["--lang", "lt"]));
    assert!(
        text.contains(
            "  reception.registered_early: pasikeitė 15 bylų\n    (nebuvo) → ne: 11 bylų"
        ),
        "{text}"
    );
    assert!(
        text.contains("    priežastis — naujas sprendimas reception.registered_early: 15 bylų (pvz., LT-2026-000402, LT-2026-000403, LT-2026-000123)\n      pirmoje byloje: sprendimas naujas\n"),
        "{text}"
    );
    let text = stdout(&diff_examples(amended, "rules", &["--lang", "lt"]));
    assert!(text.contains("    ne → (panaikinta): 11 bylų"), "{text}");
    assert!(
        text.contains("priežastis — panaikintas sprendimas reception.registered_early: 15 bylų"),
        "{text}"
    );
    // In English, the contract's words.
    let json = diff_json(amended);
    let new = &json["determinations"]["reception.registered_early"];
    assert_eq!(
        new["causes"][0]["cause"],
        "the new determination reception.registered_early"
    );
    assert_eq!(new["transitions"][0]["old"], "(absent)");
}

/// In Lithuanian too: values that change on two dates, a warning raised
/// differently, and a malformed line named by its line.
#[test]
fn diff_in_lithuanian_names_values_warnings_and_bad_lines() {
    let out = diff_on_two_dates(&["--lang", "lt"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("prieš: 2026-07-15 (vietoj kiekvieno įrašo as_of) — taisyklės: rules"),
        "{text}"
    );
    assert!(
        text.contains("    ne → taip: 1 byla (pvz., LT-2026-000123)\n"),
        "{text}"
    );
    assert!(
        text.contains("    priežastis — taisyklė «terminas praėjo be sprendimo, vėlavimas ne dėl prašytojo» (reception.labour_market_access/access_after_six_months): 1 byla (pvz., LT-2026-000123)\n      pirmoje byloje: taisyklė «terminas praėjo be sprendimo, vėlavimas ne dėl prašytojo» netaikoma → nusprendė"),
        "{text}"
    );
    // A def by its label too, its key beside it; the JSON keeps the
    // English causes programs match, whatever the language.
    let args = [
        "diff",
        "--on",
        "2026-07-15",
        "--vs",
        "2027-03-01",
        "--lang",
        "lt",
    ];
    let text = stdout(&lsa(&[&args[..], &["tests/examples"]].concat()));
    for expected in [
        "    priežastis — apibrėžimas «Prašymas priimtas ar pranešimas patvirtintas» (responsibility.agreed): 3 bylos",
        "nusprendė; pirmiausia skiriasi apibrėžimas «Prašymas priimtas ar pranešimas patvirtintas»: ne → taip",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    let json = stdout(&lsa(
        &[&args[..], &["--format", "json", "tests/examples"]].concat()
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let causes = &json["determinations"]["responsibility.transfer_deadline"]["causes"];
    assert_eq!(causes[0]["cause"], "def responsibility.agreed", "{json}");
    let causes = &json["determinations"]["relocation.deemed_confirmed"]["causes"];
    assert_eq!(
        causes[0]["cause"], "rule relocation.deemed_confirmed/no_reply_in_time",
        "{json}"
    );
    let dir = amended_rules(
        "diff-warning-lt",
        "case.rules",
        "  when application.made_on > as_of\n",
        "  when application.lodged_on > as_of\n",
    );
    let out = diff_examples("rules", dir.to_str().unwrap(), &["--lang", "lt"]);
    let text = stdout(&out);
    assert!(
        text.contains(": pasikeitė 1 byla\n    įspėjama → neįspėjama: 1 byla (pvz., LT-2026-000124)\n    priežastis — įspėjimas case.dated_after_as_of: 1 byla (pvz., LT-2026-000124)\n      pirmoje byloje: jo sąlyga: application.lodged_on > as_of or"),
        "{text}"
    );
    assert!(
        text.contains(" (įspėjimas case.dated_after_as_of): pasikeitė 1 byla\n"),
        "{text}"
    );
    let file = crate::common::scratch_file(
        "diff-lt-lines",
        "caseload.jsonl",
        "{\"case\": \"A\", \"as_of\": \"2026-07-15\"}\n{\"case\": \"broken\", \"applicant\": \n",
    );
    let out = lsa(&[
        "diff",
        "--on",
        "2026-07-15",
        "--vs",
        "2027-02-01",
        "--lang",
        "lt",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    assert!(text.contains("bylų: 1, pasikeitė: "), "{text}");
    assert!(text.contains("; nelyginta netinkamų įrašų: 1\n"), "{text}");
    assert!(text.contains("netinkami įrašai (nelyginti):\n  "), "{text}");
    assert!(text.contains("caseload.jsonl, eilutė 2: "), "{text}");
}

/// A caseload as JSON Lines (a file or standard input), with a malformed
/// line: counted and named by its line; every other case is compared.
#[test]
fn diff_streams_a_caseload_and_counts_malformed_lines() {
    let dir = scratch("diff-lines");
    let mut lines = Vec::new();
    for (i, f) in crate::common::files("tests/examples", "yaml")
        .iter()
        .enumerate()
    {
        let text = std::fs::read_to_string(f).unwrap();
        let doc = lsa::record::read_document(&text, lsa::record::Format::Yaml, "x").unwrap();
        lines.push(serde_json::to_string(&doc).unwrap());
        if i == 1 {
            lines.push("{\"case\": \"broken\", \"applicant\": ".into());
        }
    }
    let file = dir.join("caseload.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let on = [
        "diff",
        "--on",
        "2026-07-15",
        "--vs",
        "2027-02-01",
        "--format",
        "json",
    ];
    let out = lsa(&[&on[..], &[file.to_str().unwrap()]].concat());
    assert_eq!(out.status.code(), Some(3), "an invalid record: exit 3");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["cases"], 15, "{json:#}");
    assert_eq!(json["invalid"]["records"], 1);
    let at = json["invalid"]["first"][0]["at"].as_str().unwrap();
    assert!(at.ends_with("caseload.jsonl line 3"), "{at}");
    // The same from standard input.
    let mut child = crate::common::lsa_command(&repo(), &[&on[..], &["-"]].concat())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(std::fs::read(&file).unwrap().as_slice())
        .unwrap();
    let piped = child.wait_with_output().unwrap();
    let from_stdin: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(from_stdin["determinations"], json["determinations"]);
    assert_eq!(
        from_stdin["invalid"]["first"][0]["at"],
        "standard input line 3"
    );
}

#[test]
fn batch_keeps_going_past_bad_records() {
    let dir = scratch("batch");
    let good = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let program = crate::common::shipped();
    let rec = lsa::record::read(program, &good, lsa::record::Format::Yaml, "x").unwrap();
    assert!(rec.as_of.is_some());
    let good_json = r#"{"case":"A","as_of":"2026-07-15","applicant":{"security_threat":false,"protection_status":"none"},"relocation":{"benefitting_member_state":"GRC","council_act_adopted_on":"2025-12-08"}}"#;
    let input = format!(
        "{good_json}\nnot json at all\n{}\n\n{{\"applicant\":{{\"nationalty\":\"X\"}}}}\n{good_json}\n",
        good_json.replace("\"A\"", "\"B\"")
    );
    // A line that is not UTF-8 (a Windows-1257 `ė`, byte 0xEC, at byte 17),
    // after one with characters of several bytes, before a good one.
    let mut input = input.into_bytes();
    input.extend_from_slice("{\"case\":\"Kaunas-č-\u{fffd}\"}\n".as_bytes());
    input.extend_from_slice(b"{\"case\":\"Vilnius-\xec\"}\n");
    input.extend_from_slice(good_json.replace("\"A\"", "\"C\"").as_bytes());
    input.push(b'\n');
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    let out_path = dir.join("out.jsonl");
    let out = lsa(&[
        "batch",
        dir.join("in.jsonl").to_str().unwrap(),
        "-o",
        out_path.to_str().unwrap(),
        "--as-of",
        "2026-07-15",
    ]);
    // Every case written, the invalid ones as error objects; status 3 says
    // some record was invalid.
    exits_with(&out, 3, "8 cases, 3 invalid");
    let lines = json_lines(&std::fs::read_to_string(&out_path).unwrap());
    assert_eq!(lines.len(), 8);
    assert_eq!(lines[0]["case"], "A");
    assert_eq!(lines[0]["outcomes"]["relocation.eligible"]["value"], true);
    assert_eq!(lines[1]["status"], "invalid");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["case"], "B");
    assert_eq!(lines[3]["line"], 5);
    assert_eq!(lines[3]["errors"][0]["path"], "applicant.nationalty");
    assert_eq!(lines[5]["case"], "Kaunas-č-\u{fffd}");
    assert_eq!(lines[6]["line"], 8);
    assert!(
        lines[6]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not valid UTF-8 (at byte 17)"),
        "{}",
        lines[6]
    );
    assert_eq!(lines[7]["case"], "C");
    assert!(lines[0]["outcomes"]["relocation.eligible"]
        .get("explanation")
        .is_none());
    // No partial file is left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

/// Files as Windows tools write them (a byte order mark first, lines ending
/// in CR LF) are read as any other: `lsa batch` on JSON Lines and a YAML
/// case file, and `lsa check`, give what the same files without the mark
/// give; a file of a mark alone holds no case.
#[test]
fn files_with_a_byte_order_mark_are_read_as_any_other() {
    let dir = scratch("bom");
    let lines = "{\"case\":\"W-1\",\"as_of\":\"2026-07-15\",\"application\":{\"made_on\":\"2026-07-01\"}}\r\n{\"case\":\"W-2\",\"as_of\":\"2026-07-15\"}\r\n";
    let yaml = "case: W-3\r\nas_of: 2026-07-15\r\napplication:\r\n  made_on: 2026-07-01\r\n";
    for (name, text) in [("cases.jsonl", lines), ("case.yaml", yaml)] {
        std::fs::write(dir.join(format!("plain-{name}")), text).unwrap();
        std::fs::write(
            dir.join(format!("marked-{name}")),
            format!("\u{feff}{text}"),
        )
        .unwrap();
        for command in ["batch", "check"] {
            if command == "check" && name.ends_with(".jsonl") {
                continue;
            }
            let run = |which: &str| {
                let out = lsa(&[
                    command,
                    dir.join(format!("{which}-{name}")).to_str().unwrap(),
                ]);
                assert!(
                    out.status.success(),
                    "{command} {which}-{name}: {}",
                    stderr(&out)
                );
                stdout(&out).replace(&format!("{which}-{name}"), "FILE")
            };
            let marked = run("marked");
            assert_eq!(marked, run("plain"), "{command} {name}");
            assert!(marked.contains("W-"), "{marked}");
        }
    }
    std::fs::write(dir.join("mark.jsonl"), "\u{feff}\r\n").unwrap();
    let out = lsa(&["batch", dir.join("mark.jsonl").to_str().unwrap()]);
    exits_with(&out, 0, "0 cases, 0 invalid");
    // UTF-16, as Windows PowerShell's `>` writes it (a mark, then two bytes
    // a character): refused as a whole, saying how to save it.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(lines.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    // (A case file that cannot be read is an invalid record: exit 3.)
    for (name, command, code) in [("utf16.jsonl", "batch", 1), ("utf16.yaml", "check", 3)] {
        std::fs::write(dir.join(name), &utf16).unwrap();
        let out = lsa(&[command, dir.join(name).to_str().unwrap()]);
        exits_with(&out, code, "the text is UTF-16, not UTF-8");
        assert!(stderr(&out).contains("Out-File -Encoding utf8"));
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
}

/// In a folder of cases, a file that cannot be read (UTF-16, not UTF-8,
/// a link to nothing) is an invalid record in its place, named with why:
/// the other cases are evaluated, in `lsa batch` and in `lsa check`.
#[test]
fn an_unreadable_case_file_does_not_lose_the_others() {
    let dir = scratch("unreadable-in-folder");
    std::fs::copy(
        repo().join("tests/examples/border-low-recognition.yaml"),
        dir.join("a.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("b.yaml"), [0xFF, 0xFE, b'c', 0]).unwrap();
    std::fs::write(dir.join("c.json"), b"{\"case\": \"\xE9\"}").unwrap();
    std::fs::copy(
        repo().join("tests/examples/border-low-recognition.yaml"),
        dir.join("e.yaml"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("nowhere.yaml"), dir.join("d.yaml")).unwrap();
    let out = lsa(&["batch", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let status: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap_or(""),
                l["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(lines.len(), if cfg!(unix) { 5 } else { 4 }, "{status:?}");
    assert_eq!(lines[0]["case"], "LT-2026-000123");
    assert_eq!(lines[lines.len() - 1]["case"], "LT-2026-000123");
    let why = |l: &serde_json::Value| l["errors"][0]["message"].as_str().unwrap().to_string();
    assert!(
        why(&lines[1]).starts_with("the text is UTF-16"),
        "{}",
        lines[1]
    );
    assert!(lines[1]["errors"][0].get("line").is_none(), "{}", lines[1]);
    assert_eq!(why(&lines[2]), "not valid UTF-8 (at byte 10)");
    if cfg!(unix) {
        assert_eq!(lines[3]["status"], "invalid");
        assert!(lines[3]["source"].as_str().unwrap().ends_with("d.yaml"));
    }
    let out = lsa(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("Case LT-2026-000123").count(), 2, "{text}");
    let err = stderr(&out);
    assert!(err.contains("b.yaml: the text is UTF-16"), "{err}");
    assert!(
        err.contains("c.json: not valid UTF-8 (at byte 10)"),
        "{err}"
    );
    if cfg!(unix) {
        assert!(
            err.contains("d.yaml: it is a link to a file that does not exist"),
            "{err}"
        );
        // In the reader's language, as every other problem with a record.
        let lt = stderr(&lsa(&["check", "--lang", "lt", dir.to_str().unwrap()]));
        assert!(
            lt.contains("d.yaml: tai nuoroda į neegzistuojantį failą"),
            "{lt}"
        );
    }
}

/// An invalid record is reported to a Lithuanian reader in Lithuanian, and
/// to an English one as before; the JSON error object keeps the contract's
/// English either way.
#[test]
fn an_invalid_record_is_reported_in_the_readers_language() {
    let bad = "tests/cases/record/err/wrong-type.yaml";
    let lt = lsa(&["check", bad, EXAMPLE, "--lang", "lt"]);
    exits_with(&lt, 3, "klaida: tests/cases/record/err/wrong-type.yaml:2:20: `applicant.security_threat`: turi būti true arba false, o nurodyta: tekstas \"no\"");
    let err = stderr(&lt);
    assert!(
        err.contains("  patarimas: rašykite `false` vietoj \"no\""),
        "{err}"
    );
    assert!(
        err.contains("neteisingi bylų įrašai: 1 iš 2; įvertinta: 1"),
        "{err}"
    );
    let en = lsa(&["check", bad, EXAMPLE, "--lang", "en"]);
    exits_with(&en, 3, "error: tests/cases/record/err/wrong-type.yaml:2:20: `applicant.security_threat`: expected true or false, found the text \"no\"");
    assert!(stderr(&en).contains("1 of 2 case records invalid, 1 evaluated"));
    let json = lsa(&["check", bad, "--lang", "lt", "--format", "json"]);
    let object: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        object["errors"][0]["message"],
        "expected true or false, found the text \"no\""
    );
}

/// `lsa check` takes a folder for the case files in it, as `lsa batch`
/// does: the same output as naming them; a folder without any is an error.
#[test]
fn check_takes_a_folder_of_cases() {
    let named: Vec<String> = crate::common::files("tests/examples", "yaml")
        .iter()
        .map(|p| {
            format!(
                "tests/examples/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    let mut args: Vec<&str> = vec!["check", "--format", "json", "--as-of", "2026-07-15"];
    args.extend(named.iter().map(String::as_str));
    let by_name = lsa(&args);
    let by_folder = lsa(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-07-15",
        "tests/examples",
    ]);
    assert!(by_folder.status.success(), "{}", stderr(&by_folder));
    assert_eq!(json_lines(&stdout(&by_folder)).len(), named.len());
    assert_eq!(stdout(&by_folder), stdout(&by_name));
    let empty = scratch("check-empty-folder");
    let out = lsa(&["check", empty.to_str().unwrap()]);
    exits_with(&out, 1, "no case files (.yaml, .yml, .json)");
}

#[test]
fn batch_over_a_folder_with_explanations() {
    let out = lsa(&["batch", "tests/examples", "--explain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 15);
    assert!(lines
        .iter()
        .all(|l| l["outcomes"]["procedure.track"]["explanation"].is_object()));
    let cases: Vec<&str> = lines.iter().map(|l| l["case"].as_str().unwrap()).collect();
    assert_eq!(
        cases[0], "LT-2026-000402",
        "input order (sorted file names)"
    );
    // The batch writer and `lsa check --format json` give the same object.
    let mut files: Vec<_> = std::fs::read_dir(repo().join("tests/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let check = lsa(&["check", "--format", "json", files[0].to_str().unwrap()]);
    let one: serde_json::Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert_eq!(one, lines[0]);
}

#[test]
fn diff_against_a_git_revision() {
    // In a checkout the shipped rules are committed: compare HEAD's with the work tree.
    let inside = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "HEAD"])
        .current_dir(repo())
        .output();
    if !inside.map(|o| o.status.success()).unwrap_or(false) {
        eprintln!("not a git checkout with commits; skipped");
        return;
    }
    let out = diff_examples("git:HEAD", "rules", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("old: git:HEAD — law rules at HEAD (sha256:"),
        "{text}"
    );
    assert!(text.contains("\nnew: rules — law rules (sha256:"), "{text}");
    assert!(text.contains("\n15 cases, "), "{text}");
    let out = diff_examples("git:no-such-revision", "rules", &[]);
    exits_with(&out, 1, "no-such-revision");
}

#[test]
fn the_json_contract_of_every_example_is_reviewed() {
    // Integrators depend on this shape (contract §4): any change shows as a snapshot diff.
    for path in crate::common::files("tests/examples", "yaml") {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let out = lsa(&["check", "--format", "json", path.to_str().unwrap()]);
        assert!(out.status.success());
        let mut json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        // The explanations are reviewed as text (law snapshots); here, the contract.
        for o in json["outcomes"].as_object_mut().unwrap().values_mut() {
            o.as_object_mut().unwrap().remove("explanation");
        }
        // The law's identity changes with every edit of the rules.
        let law = json.as_object_mut().unwrap().shift_remove("law").unwrap();
        assert!(law["hash"].as_str().unwrap().starts_with("sha256:"));
        assert_eq!(law["lsa"], env!("CARGO_PKG_VERSION"));
        insta::assert_snapshot!(
            format!("json__{name}"),
            serde_json::to_string_pretty(&json).unwrap()
        );
    }
}

#[test]
fn check_evaluates_every_valid_case_and_reports_every_invalid_one() {
    let dir = scratch("check-many");
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "case: LT-BAD-1\nas_of: 2026-07-15\napplicant:\n  nationalty: PAK\n  security_threat: maybe\napplication:\n  made_on: 2026-02-30\n",
    )
    .unwrap();
    let good = "tests/examples/border-low-recognition.yaml";
    let good2 = "tests/examples/unaccompanied-minor.yaml";
    let bad = bad.to_str().unwrap();
    // Text: two reports on stdout, the three mistakes on stderr, exit 3.
    let out = lsa(&["check", good, bad, good2]);
    exits_with(&out, 3, "1 of 3 case records invalid, 2 evaluated");
    let text = stdout(&out);
    assert_eq!(text.matches("\nCase ").count(), 2, "{text}");
    for mistake in [
        "applicant.nationalty",
        "applicant.security_threat",
        "application.made_on",
    ] {
        assert!(stderr(&out).contains(mistake), "{}", stderr(&out));
    }
    // JSON Lines: the invalid record is an error object in its place.
    let out = lsa(&["check", "--format", "json", good, bad, good2]);
    assert_eq!(out.status.code(), Some(3));
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["case"], "LT-2026-000123");
    assert_eq!(lines[1]["status"], "invalid");
    // (The case the record names, as in `lsa batch`'s error objects.)
    assert_eq!(lines[1]["case"], "LT-BAD-1");
    assert_eq!(lines[1]["errors"].as_array().unwrap().len(), 3);
    assert_eq!(lines[2]["outcomes"]["procedure.track"]["value"], "regular");
    // YAML: documents separated by `---`.
    let out = lsa(&["check", "--format", "yaml", good, bad]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out).matches("\n---\n").count(), 1);
    assert!(stdout(&out).contains("status: invalid"));
}

/// A copy of the project (rules, law tests, examples) in a scratch folder.
fn project_copy(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    copy_tree(&repo().join("rules"), &dir.join("rules"));
    copy_tree(&repo().join("tests/law"), &dir.join("tests/law"));
    copy_tree(&repo().join("tests/examples"), &dir.join("tests/examples"));
    dir
}

#[test]
fn commands_use_the_rule_tree_on_disk_found_from_the_current_folder() {
    let dir = project_copy("working-tree");
    // A broken rule: `lsa lint`, from the project with no flags, exits 2 and
    // names the file and line.
    let path = dir.join("rules/eu/apr/procedure.rules");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("when track != border", "when track != bordre", 1),
    )
    .unwrap();
    let out = crate::common::lsa_in(&dir, &["lint"]);
    exits_with(&out, 2, "rules/eu/apr/procedure.rules:");
    assert!(
        stderr(&out).contains("using the rules in rules (found in .)"),
        "{}",
        stderr(&out)
    );
    // From a folder below the project too, and `check` refuses to evaluate.
    let below = dir.join("tests/examples");
    let out = crate::common::lsa_in(&below, &["check", "border-low-recognition.yaml"]);
    exits_with(&out, 2, "lsa lint --rules");
    std::fs::write(&path, &text).unwrap();
    // Said in the caseworker's language, as the report is.
    let case = "tests/examples/border-low-recognition.yaml";
    let out = crate::common::lsa_in(&dir, &["check", "--lang", "lt", case]);
    exits_with(
        &out,
        0,
        "lsa: naudojamos taisyklės iš rules (rastos aplanke .); lsa ",
    );
    let out = crate::common::lsa_in(&dir, &["check", "--lang", "lt", "--rules", "rules", case]);
    exits_with(
        &out,
        0,
        "lsa: naudojamos taisyklės iš rules (nurodytos --rules); lsa ",
    );
    // A changed expectation in tests/law makes `lsa test` (no paths) fail.
    let tests = dir.join("tests/law/procedure.yaml");
    let law = std::fs::read_to_string(&tests).unwrap();
    std::fs::write(
        &tests,
        law.replacen(
            "procedure.registration_deadline: 2026-12-28",
            "procedure.registration_deadline: 2026-12-29",
            1,
        ),
    )
    .unwrap();
    let out = crate::common::lsa_in(&dir, &["test"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("FAIL made Wed 23 Dec 2026")
            || stdout(&out).contains("FAIL registration - made Wed 23 Dec 2026"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains(", 1 failed"), "{}", stdout(&out));
    // An edited rule takes effect without rebuilding lsa.
    let edited = text.replace("from 2026-06-12 = 21 days", "from 2026-06-12 = 14 days");
    std::fs::write(&path, edited).unwrap();
    let out = crate::common::lsa_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "tests/examples/unaccompanied-minor.yaml",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["outcomes"]["procedure.lodging_deadline"]["value"],
        "2026-08-19"
    );
    assert_ne!(
        json["law"]["hash"],
        crate::common::shipped().provenance.hash
    );
}

#[test]
fn outside_any_rule_tree_the_built_in_law_is_used_silently() {
    let dir = crate::common::outside("no-tree");
    let case = dir.join("case.yaml");
    std::fs::copy(repo().join(EXAMPLE), &case).unwrap();
    let out = crate::common::lsa_in(&dir, &["check", "--format", "json", "case.yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["law"]["hash"],
        crate::common::shipped().provenance.hash
    );
    // A project file names a tree elsewhere.
    let project = project_copy("project-file");
    std::fs::rename(project.join("rules"), project.join("law")).unwrap();
    std::fs::write(project.join("lsa.yaml"), "rules: law\ntests: tests/law\n").unwrap();
    let out = crate::common::lsa_in(&project, &["lint"]);
    exits_with(&out, 0, "using the rules in law (named by lsa.yaml)");
    let out = crate::common::lsa_in(&project, &["test"]);
    assert!(out.status.success(), "{}", stdout(&out));
    std::fs::write(project.join("lsa.yaml"), "rulez: law\n").unwrap();
    exits_with(
        &crate::common::lsa_in(&project, &["lint"]),
        1,
        "unknown key `rulez`",
    );
}

#[test]
fn the_version_names_the_built_in_law() {
    let out = lsa(&["--version"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("lsa {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "built-in law: {}",
            crate::common::shipped().provenance.hash
        )),
        "{text}"
    );
}

/// The HTML impact report opens in a headless browser without errors and
/// shows the numbers of the JSON report.
#[test]
fn the_html_impact_report_shows_the_json_reports_numbers_in_a_browser() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(chromium) = chromium else {
        // `.ci/run` installs it; elsewhere the test says why it did not run.
        assert!(
            std::env::var("CI").is_err(),
            "no Chromium in CI: .ci/run installs it"
        );
        eprintln!("no Chromium on this machine; skipped");
        return;
    };
    let rules = amended_rules("diff-html-rules", PROCEDURE, LODGING_21, LODGING_14);
    let dir = scratch("diff-html");
    let new = rules.to_str().unwrap();
    // Two dates and two trees both change something: the trees here.
    let json = diff_json(new);
    let html = stdout(&diff_examples("rules", new, &["--format", "html"]));
    assert!(!html.contains("<script"), "self-contained, no script");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    let page = dir.join("impact.html");
    std::fs::write(&page, &html).unwrap();
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !log.contains("Uncaught") && !log.contains(":CONSOLE("),
        "{log}"
    );
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    // Every count the page shows, by (key, group, what).
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(
            tag[start..]
                .split('"')
                .next()?
                .replace("&amp;", "&")
                .replace("&gt;", ">")
                .replace("&lt;", "<"),
        )
    };
    let mut shown = std::collections::BTreeMap::new();
    for row in dom.split("<tr ").skip(1) {
        let tag = row.split('>').next().unwrap();
        let (Some(key), Some(group)) = (attr(tag, "data-key"), attr(tag, "data-group")) else {
            continue;
        };
        let what = attr(tag, "data-what").unwrap_or_default();
        let count: usize = attr(row, "data-count").unwrap().parse().unwrap();
        shown.insert((key, group, what), count);
    }
    let total = |name: &str| -> usize {
        let at = dom.find(&format!("data-total=\"{name}\">")).unwrap() + name.len() + 14;
        dom[at..].split('<').next().unwrap().parse().unwrap()
    };
    assert_eq!(total("cases"), json["cases"].as_u64().unwrap() as usize);
    assert_eq!(
        total("cases_changed"),
        json["cases_changed"].as_u64().unwrap() as usize
    );
    let mut expected = std::collections::BTreeMap::new();
    for (key, d) in json["determinations"].as_object().unwrap() {
        let n = |v: &serde_json::Value| v.as_u64().unwrap() as usize;
        expected.insert(
            (key.clone(), "changed".into(), String::new()),
            n(&d["cases_changed"]),
        );
        for s in d["shift_days"].as_array().unwrap() {
            let days = s["days"].as_i64().unwrap();
            let what = match days {
                0 => "the same day".to_string(),
                d if d > 0 => format!("{d} day{} later", if d == 1 { "" } else { "s" }),
                d => format!("{} day{} earlier", -d, if d == -1 { "" } else { "s" }),
            };
            expected.insert((key.clone(), "shift".into(), what), n(&s["cases"]));
        }
        for t in d["transitions"].as_array().unwrap() {
            let what = format!(
                "{} → {}",
                t["old"].as_str().unwrap(),
                t["new"].as_str().unwrap()
            );
            expected.insert((key.clone(), "transition".into(), what), n(&t["cases"]));
        }
        for c in d["causes"].as_array().unwrap() {
            expected.insert(
                (
                    key.clone(),
                    "cause".into(),
                    c["cause"].as_str().unwrap().into(),
                ),
                n(&c["cases"]),
            );
        }
    }
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(shown, expected);
}

/// A change reaches every determination that reads it, through defs and
/// other determinations: `lsa diff` evaluates only the determinations whose
/// rules, or what they read, differ, and must not miss one.
#[test]
fn diff_follows_a_change_through_the_determinations_that_read_it() {
    let json = diff_of_amendment(
        "diff-threshold",
        "from 2026-06-12 = 20%",
        "from 2026-06-12 = 10%",
    );
    let per = &json["changes_per_determination"];
    // The PAK applicant (12.5 %) is no longer from a low-recognition country:
    // the grounds, then the border procedure, the track and both time limits
    // that read the track change with them.
    for key in [
        "procedure.accelerated_grounds",
        "procedure.border_procedure",
        "procedure.track",
        "procedure.lodging_deadline",
        "procedure.examination_deadline",
    ] {
        assert!(per[key].as_u64().unwrap_or(0) >= 1, "{key}: {json:#}");
    }
    // Nothing that does not read the threshold is reported.
    assert!(per.get("relocation.eligible").is_none(), "{json:#}");
    // Each cause says how the rule's part changed, and where its
    // condition first evaluates differently.
    let text = json.to_string();
    for cause in [
        "rule `low_recognition_rate` decided → not applicable; first difference in param `recognition_rate_threshold`: 20% → 10%",
        "rule `border_mandatory` decided → not applicable",
        "rule `optional` not applicable → decided",
    ] {
        assert!(text.contains(cause), "{cause}: {json:#}");
    }
    // A tree that differs only in a comment: nothing changes.
    let same = amended_rules(
        "diff-threshold-same",
        PROCEDURE,
        "ruleset procedure",
        "// a comment changes nothing\nruleset procedure",
    );
    let json = diff_json(same.to_str().unwrap());
    assert_eq!(json["cases_changed"], 0, "{json:#}");
}

/// Coverage counts each `owed when` by the rule that gives the date: the
/// time limits not done whose act it owed and those it did not, and lists
/// one no test sees on both sides; the def it reads counts as used.
#[test]
fn coverage_counts_owed_when_both_ways() {
    let rules = "ruleset t\nsource X \"An act\"\nrecord R { due: date, done: date?, elsewhere: bool }\ninput r: R\n/// Another is responsible.\ndef other: bool [X 2] = r.elsewhere\ndecision d: date [X 1]\n  rule r [X 1]\n    met by r.done\n      owed when not other\n    when true\n    then r.due\n";
    let test = |name: &str, elsewhere: bool, act: &str| {
        format!("- name: {name}\n  as_of: 2026-06-01\n  case: {{ r: {{ due: 2026-07-01, done: null, elsewhere: {elsewhere} }} }}\n  expect:\n    t.d: {{ value: 2026-07-01, act: {act} }}\n")
    };
    let owed_only = test("owed", false, "pending");
    let dir = crate::common::rule_tree(
        "owed-coverage",
        "t.rules",
        rules,
        &[("tests/law/t.yaml", &owed_only)],
    );
    let text = stdout(&crate::common::lsa_in(&dir, &["test", "--coverage"]));
    assert_has(
        &text,
        &[
            "owed when of t.d/r: owed 1, not owed 0  ← incomplete",
            "  - owed when of t.d/r (owed 1, not owed 0)",
            "def t.other: used 1 times",
        ],
    );
    let both = format!("{owed_only}\n{}", test("not owed", true, "not_owed"));
    std::fs::write(dir.join("tests/law/t.yaml"), both).unwrap();
    let text = stdout(&crate::common::lsa_in(&dir, &["test", "--coverage"]));
    assert!(
        text.contains("owed when of t.d/r: owed 1, not owed 1\n"),
        "{text}"
    );
    assert!(
        text.contains("and every `owed when` by one where the act is owed"),
        "{text}"
    );
    // The def is the reason a time limit not owed gives: without a label
    // its key, which `lsa lint --labels` lists.
    let lint = stderr(&crate::common::lsa_in(&dir, &["lint", "--labels", "en"]));
    assert!(lint.contains("no `en` label: reason t.other"), "{lint}");
}

/// Where a determination's reasoning first differs is found rule by rule;
/// a rule's condition written alike over what is the same is not walked
/// (it evaluates alike), but one that reads something amended is, even
/// where the rule plays the same part on both sides, down to the param
/// amended.
#[test]
fn diff_walks_only_the_conditions_that_read_something_amended() {
    let rules = |limit: u32, urgent: u32| {
        format!(
            "ruleset t\nsource A \"An act\"\nrecord P {{ rate: integer, late: bool, urgent: bool }}\ninput p: P\n\
             param limit: integer [A Art. 1]\n  from 2026-01-01 = {limit}\n\
             decision d: integer [A Art. 1]\n  policy first\n  default 0\n\
             \x20 rule low [A Art. 1]\n    when p.rate < limit and p.late\n    then 1\n\
             \x20 rule urgent [A Art. 2]\n    when p.urgent\n    then {urgent}\n"
        )
    };
    let cases =
        "{\"as_of\": \"2026-07-01\", \"p\": {\"rate\": 10, \"late\": false, \"urgent\": true}}\n";
    let tree = |name: &str, limit: u32, urgent: u32| {
        crate::common::rule_tree(
            name,
            "t.rules",
            &rules(limit, urgent),
            &[("cases.jsonl", cases)],
        )
    };
    let old = tree("diff-walk-old", 20, 2);
    let cause = |new: &std::path::Path| {
        let json = diff_of_scratch_trees(&old, new);
        let d = &json["determinations"]["t.d"];
        assert_eq!(d["cases_changed"], 1, "{json:#}");
        (
            d["causes"][0]["cause"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            d["causes"][0]["first_seen"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    // Only the value amended: `low`'s condition is the same by
    // construction (not applicable on both sides), the value differs.
    let (what, seen) = cause(&tree("diff-walk-value", 20, 3));
    assert_eq!(
        (what.as_str(), seen.as_str()),
        ("the value of t.d", "the decision's value")
    );
    // The limit amended too: `low` is not applicable on both sides, but its
    // condition reads the limit and evaluates differently (10 < 20 true,
    // then 10 < 5 false): there the reasoning first differs, at the limit,
    // though the old side shows only `p.late` as what made it false.
    let (what, seen) = cause(&tree("diff-walk-limit", 5, 3));
    assert_eq!(
        (what.as_str(), seen.as_str()),
        (
            "param t.limit",
            "rule `low` evaluates differently; first difference in param `limit`: 20 → 5"
        )
    );
}

/// The words of each cause in the impact report are those of its first
/// case in input order, over a caseload read in several chunks (each
/// chunk is compared in parallel, and a cause the report already has is
/// not put in words again): the same as when every case's words are made
/// for `--cases`, a cause first seen in a later chunk included.
#[test]
fn diff_words_each_cause_by_its_first_case_over_many_chunks() {
    let example =
        |name: &str| std::fs::read_to_string(repo().join("tests/examples").join(name)).unwrap();
    let (regular, transferred) = (
        example("granted-refugee-status.yaml"),
        example("transferred-applicant.yaml"),
    );
    let dir = crate::common::scratch("diff-first-words");
    // 900 cases on the regular track (about 3 kB each: more than the 2 MB
    // of one chunk), then 300 transferred to Lithuania: their lodging
    // period is another param, a cause first seen in a later chunk.
    for k in 0..1200u32 {
        let day = 1 + k % 28;
        let case = if k < 900 {
            regular.replacen(
                "registered_on: 2026-07-03",
                &format!("registered_on: 2026-07-{day:02}"),
                1,
            )
        } else {
            transferred.replacen("case: LT-2026-000911", &format!("case: LT-2026-T{k:05}"), 1)
        };
        std::fs::write(dir.join(format!("{k:04}.yaml")), case).unwrap();
    }
    // Both lodging periods 14 days (APR Art. 28(1) and 28(2)).
    let amended = amended_rules("diff-first-words-rules", PROCEDURE, LODGING_21, LODGING_14);
    let procedure = amended.join(PROCEDURE);
    let text = std::fs::read_to_string(&procedure).unwrap();
    std::fs::write(&procedure, text.replacen(LODGING_21, LODGING_14, 1)).unwrap();
    let report = |extra: &[&str]| {
        diff_report(
            "rules",
            amended.to_str().unwrap(),
            extra,
            dir.to_str().unwrap(),
        )
    };
    let (lean, listed) = (report(&[]), report(&["--cases", "--limit", "1"]));
    let causes = &lean["determinations"]["procedure.lodging_deadline"]["causes"];
    let words = |what: &str| {
        let c = (causes.as_array().unwrap().iter())
            .find(|c| c["cause"] == what)
            .unwrap_or_else(|| panic!("{what}: {lean:#}"));
        (
            c["cases"].as_u64(),
            c["first_seen"].as_str().unwrap_or_default().to_string(),
        )
    };
    let (n, seen) = words("param procedure.lodging_period");
    assert_eq!(n, Some(900));
    assert_has(&seen, &["21 days → 14 days"]);
    let (n, seen) = words("param procedure.transferred_lodging_period");
    assert_eq!(n, Some(300));
    assert_has(&seen, &["transferred_lodging_period", "21 days → 14 days"]);
    assert_eq!(lean["determinations"], listed["determinations"]);
}

/// A time limit's `met by` amended to other facts, its last day the same:
/// the act comes out differently, and the report says it is because of
/// what meets it, as written on each side.
#[test]
fn diff_tells_an_act_changed_by_what_meets_it() {
    let rules = |fact: &str| {
        format!(
            "ruleset t\nsource X \"An act\"\nrecord R {{ due: date, done: date?, answered: date? }}\ninput r: R\n\
             decision d: date [X 1]\n  rule r [X 1]\n    met by r.{fact}\n    when true\n    then r.due\n"
        )
    };
    let cases = "{\"as_of\": \"2026-06-10\", \"r\": {\"due\": \"2026-07-01\", \"done\": null, \"answered\": \"2026-06-05\"}}\n";
    let tree = |name: &str, fact: &str| {
        crate::common::rule_tree(name, "t.rules", &rules(fact), &[("cases.jsonl", cases)])
    };
    let (old, new) = (
        tree("diff-met-by-old", "done"),
        tree("diff-met-by-new", "answered"),
    );
    let json = diff_of_scratch_trees(&old, &new);
    // The date is the same: only the act changed.
    assert!(json["determinations"].get("t.d").is_none(), "{json:#}");
    let act = &json["determinations"]["act t.d"];
    assert_eq!(
        (&act["transitions"][0]["old"], &act["transitions"][0]["new"]),
        (&"pending".into(), &"in_time".into()),
        "{json:#}"
    );
    assert_eq!(
        (&act["causes"][0]["cause"], &act["causes"][0]["first_seen"]),
        (
            &"the `met by` of rule t.d/r".into(),
            &"`r.done` → `r.answered`".into()
        ),
        "{json:#}"
    );
}
