//! The reliability findings of December 2026 (F01–F22), each as a
//! regression test built from its reproduction: every hostile input ends in
//! the expected result or a clear error, quickly, without a crash.

use std::path::{Path, PathBuf};

use crate::common::{exits_with, lsa, scratch, stderr, stdout};

const HEAD: &str = "ruleset t\nsource X \"x\"\nrecord R { a: bool }\ninput r: R\n";

/// A rule tree in a scratch folder holding `text` as `t.rules`, and a case.
fn tree(name: &str, text: &str) -> PathBuf {
    let cases = "{\"as_of\":\"2026-07-15\",\"r\":{\"a\":true}}\n".repeat(4);
    crate::common::rule_tree(
        name,
        "t.rules",
        text,
        &[
            ("case.yaml", "as_of: 2026-07-15\nr: { a: true }\n"),
            ("cases.jsonl", &cases),
        ],
    )
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `lsa check` of the tree in `dir` on its case, first written as `case`
/// (where given), with `extra` arguments before the case.
fn check_in(dir: &Path, case: Option<&str>, extra: &[&str]) -> std::process::Output {
    if let Some(case) = case {
        std::fs::write(dir.join("case.yaml"), case).unwrap();
    }
    let rules = dir.join("rules");
    let case = dir.join("case.yaml");
    let mut args = vec!["check", "--rules", arg(&rules)];
    args.extend_from_slice(extra);
    args.push(arg(&case));
    lsa(&args)
}

/// `n` defs, each reading the next (F02's generator): nesting 2n + 3.
fn def_chain(n: usize) -> String {
    let mut s = String::from(HEAD);
    for i in 0..n {
        s.push_str(&format!("def d{i}: integer [X 1] = d{} + 1\n", i + 1));
    }
    s.push_str(&format!("def d{n}: integer [X 1] = if r.a then 1 else 0\n"));
    s.push_str("decision top: integer [X 1]\n  rule a [X 1] when true then d0\n");
    s
}

/// `n` decisions, each reading the next.
fn decision_chain(n: usize) -> String {
    let mut s = String::from(HEAD);
    for i in 0..n {
        s.push_str(&format!(
            "decision d{i}: integer [X 1]\n  rule a [X 1] when true then d{} + 1\n",
            i + 1
        ));
    }
    s.push_str(&format!(
        "decision d{n}: integer [X 1]\n  rule a [X 1] when r.a then 1\n  rule b [X 1] when not r.a then 0\n"
    ));
    s
}

/// Three defs, each with an expression `h` levels high reading the next.
fn tall_defs(h: usize) -> String {
    let tall = |inner: &str| format!("{inner}{}", " + 1".repeat(h));
    format!(
        "{HEAD}def a: integer [X 1] = {}\ndef b: integer [X 1] = {}\ndef c: integer [X 1] = if r.a then {} else 0\ndecision top: integer [X 1]\n  rule a [X 1] when true then a\n",
        tall("b"),
        tall("c"),
        tall("1")
    )
}

/// How deeply the JSON document `bytes` nests (0 if it is not JSON). Read
/// on a thread with a stack as large as lsa's own: a test thread's (2 MiB)
/// does not hold a thousand levels in a debug build.
fn json_depth(bytes: &[u8]) -> usize {
    use serde::Deserialize;
    fn depth(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            serde_json::Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
    let bytes = bytes.to_vec();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut de = serde_json::Deserializer::from_slice(&bytes);
            de.disable_recursion_limit();
            serde_json::Value::deserialize(&mut de).map_or(0, |v| depth(&v))
        })
        .unwrap()
        .join()
        .unwrap()
}

/// F02, F04: chains of defs or decisions as deep as the checker allows are
/// evaluated and explained by `check` and `batch` (no stack overflow; the
/// explanation's size stays in megabytes); one level more is refused by
/// every command, naming the chain.
#[test]
fn f02_f04_deep_chains_are_evaluated_up_to_the_limit_and_refused_past_it() {
    for (name, ok, too_deep) in [
        ("def-chain", def_chain(254), def_chain(255)),
        ("decision-chain", decision_chain(254), decision_chain(256)),
        ("tall-defs", tall_defs(165), tall_defs(175)),
    ] {
        let dir = tree(&format!("f02-{name}"), &ok);
        let rules = dir.join("rules");
        let out = check_in(&dir, None, &[]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            out.stdout.len() < 4 << 20,
            "{name}: {} bytes",
            out.stdout.len()
        );
        let out = check_in(&dir, None, &["--format", "json"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            out.stdout.len() < 16 << 20,
            "{name}: {} bytes",
            out.stdout.len()
        );
        // The case is written whole, a def's explanation as deep as the
        // chain (past serde_json's 128 levels, which once left an empty
        // line); a decision read shows its value, not its derivation.
        let deepest = if name == "decision-chain" { 1 } else { 128 };
        assert!(
            json_depth(&out.stdout) > deepest,
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(300)])
        );
        let out = lsa(&[
            "batch",
            "--explain",
            "--rules",
            arg(&rules),
            arg(&dir.join("cases.jsonl")),
        ]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(stdout(&out).lines().count(), 4);

        let dir = tree(&format!("f02-{name}-too-deep"), &too_deep);
        let rules = dir.join("rules");
        for args in [
            vec!["lint", "--rules", arg(&rules)],
            vec!["check", "--rules", arg(&rules), arg(&dir.join("case.yaml"))],
            vec![
                "batch",
                "--rules",
                arg(&rules),
                arg(&dir.join("cases.jsonl")),
            ],
        ] {
            let out = lsa(&args);
            exits_with(&out, 2, "nests too deeply");
            assert!(
                stderr(&out).contains("lsa evaluates at most 512"),
                "{}",
                stderr(&out)
            );
        }
    }
    // F02's own sizes: refused at once.
    let dir = tree("f02-seven-thousand", &def_chain(7000));
    let out = lsa(&[
        "check",
        "--rules",
        arg(&dir.join("rules")),
        arg(&dir.join("case.yaml")),
    ]);
    exits_with(&out, 2, "`t.top` → `t.d0` → `t.d1` → `t.d2` → …");
}

/// F02, F04 over HTTP: `lsa serve` evaluates and explains the deepest
/// programs the checker allows as the CLI does (its evaluation threads have
/// the CLI's stack: on tokio's own 2 MiB, the debug build's server died of
/// a stack overflow on the first of these, every request in flight lost).
#[test]
fn f02_f04_deep_chains_are_answered_by_lsa_serve() {
    for (name, text) in [
        ("def-chain", def_chain(254)),
        ("decision-chain", decision_chain(254)),
        ("tall-defs", tall_defs(165)),
    ] {
        let dir = tree(&format!("f02-serve-{name}"), &text);
        let server = crate::serve::Server::start(&["--rules", arg(&dir.join("rules"))]);
        let case = std::fs::read(dir.join("case.yaml")).unwrap();
        let a = server.call("POST", "/v1/check?explain=true", "application/yaml", &case);
        assert_eq!(a.status, 200, "{name}: {}", a.body);
        let deepest = if name == "decision-chain" { 1 } else { 128 };
        assert!(
            json_depth(a.body.as_bytes()) > deepest,
            "{name}: {}",
            a.body
        );
        let lines = std::fs::read(dir.join("cases.jsonl")).unwrap();
        let a = server.call(
            "POST",
            "/v1/batch?explain=true",
            "application/x-ndjson",
            &lines,
        );
        assert_eq!(a.status, 200, "{name}: {}", a.body);
        let decided: Vec<_> = a
            .body
            .lines()
            .map(|l| json_depth(l.as_bytes()) > deepest)
            .collect();
        assert_eq!(decided, [true; 4], "{name}: {}", a.body);
        // Still alive.
        assert_eq!(
            server.call("GET", "/healthz", "text/plain", b"").status,
            200
        );
    }
}

/// A `policy unique` decision over `n` rules, each a different assignment of
/// 14 flags (F06's generator): no two can apply together.
fn unique_rules(n: usize, policy: &str) -> String {
    let flags: Vec<String> = (0..14).map(|i| format!("f{i}")).collect();
    let mut s = format!(
        "ruleset t\nsource X \"x\"\nrecord F {{ {} }}\ninput g: F\ndecision big: bool [X 1]\n  policy {policy}\n",
        flags.iter().map(|f| format!("{f}: bool")).collect::<Vec<_>>().join(", ")
    );
    for k in 0..n {
        let cond: Vec<String> = flags
            .iter()
            .enumerate()
            .map(|(b, f)| {
                if (k >> b) & 1 == 1 {
                    format!("g.{f}")
                } else {
                    format!("not g.{f}")
                }
            })
            .collect();
        s.push_str(&format!(
            "  rule r{k} [X 1] when {} then {}\n",
            cond.join(" and "),
            k % 2 == 1
        ));
    }
    s
}

/// F06: the overlap analysis of a `unique` decision with 1,000 rules over 14
/// flags finishes (it hung) and proves them disjoint; `first` likewise finds
/// none shadowed; past its budget it says it skipped, and lint still ends.
#[test]
fn f06_overlap_analysis_of_a_thousand_rules_finishes() {
    for policy in ["unique", "first"] {
        let c = crate::common::compile_one("t.rules", &unique_rules(1000, policy));
        assert!(c.program.is_some());
        assert_eq!(c.warning_count(), 0, "{}", crate::common::rendered(&c));
    }
    // The same with an overlap added: found and named.
    let mut text = unique_rules(1000, "unique");
    text.push_str("  rule extra [X 1] when g.f0 and g.f1 then false\n");
    let c = crate::common::compile_one("t.rules", &text);
    let r = crate::common::rendered(&c);
    assert!(
        r.contains("rules `r3` and `extra` of `t.big` can apply together with different values"),
        "{r}"
    );
    // Too many to compare every two within a second: said, not hung.
    let c = crate::common::compile_one("t.rules", &unique_rules(3000, "unique"));
    let r = crate::common::rendered(&c);
    assert!(
        r.contains("analysis skipped: `t.big` has too many rules (3000)"),
        "{r}"
    );
}

/// F05: many decisions compile in time linear in their number, and a second
/// `in force` line is one error, not one per decision.
#[test]
fn f05_ten_thousand_decisions_lint_and_two_in_force_lines_are_one_error() {
    let mut s = String::from(HEAD);
    for i in 0..10_000 {
        s.push_str(&format!(
            "decision c{i}: bool [X 1]\n  rule a [X 1] when r.a then true\n"
        ));
    }
    let c = crate::common::compile_one("t.rules", &s);
    assert!(c.program.is_some(), "{}", crate::common::rendered(&c));
    let mut text = String::from(
        "ruleset t\nsource X \"x\"\nin force from 2026-01-01\nin force from 2027-01-01\n",
    );
    for d in ["a", "b", "c", "d"] {
        text.push_str(&format!(
            "decision {d}: bool [X 1]\n  rule r [X 1] when true then true\n"
        ));
    }
    let c = crate::common::compile_one("t.rules", &text);
    assert_eq!(c.error_count(), 1, "{}", crate::common::rendered(&c));
}

/// F16: thousands of unknown names are each reported, quickly (a did-you-mean
/// search against every declared name, for every one, took half a minute);
/// the first get a suggestion.
#[test]
fn f16_thousands_of_unknown_names_are_reported_quickly() {
    let mut s = String::from("ruleset t\nsource X \"x\"\n");
    for i in 0..3000 {
        s.push_str(&format!("def d{i}: integer [X 1] = q{i}\n"));
    }
    let c = crate::common::compile_one("t.rules", &s);
    assert_eq!(c.error_count(), 3000);
    let r = crate::common::rendered(&c);
    assert!(r.contains("unknown name `q1`"), "{}", &r[..2000]);
    assert!(r.contains("did you mean `d1`?"), "{}", &r[..2000]);
}

/// F07: folders with links to themselves are walked once: each file read
/// once (no "declared twice"), no hang, in lint, fmt, test, batch and diff.
#[cfg(unix)]
#[test]
fn f07_symlink_loops_are_walked_once() {
    use std::os::unix::fs::symlink;
    let dir = scratch("f07");
    let rules = dir.join("rules");
    std::fs::create_dir_all(rules.join("sub")).unwrap();
    std::fs::write(rules.join("a.rules"), "ruleset t\n\nsource X \"x\"\n").unwrap();
    std::fs::write(rules.join("sub/b.rules"), "ruleset u\n").unwrap();
    symlink(".", rules.join("loop")).unwrap();
    symlink("..", rules.join("sub/up")).unwrap();
    // The same file by a second name: read once.
    symlink("a.rules", rules.join("z-same.rules")).unwrap();
    let out = lsa(&["lint", "--rules", arg(&rules)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 rule files: 0 errors"),
        "{}",
        stderr(&out)
    );
    let out = lsa(&["fmt", "--check", arg(&rules)]);
    assert!(out.status.success(), "{}", stderr(&out));

    let cases = dir.join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::copy(
        crate::common::repo().join("tests/examples/border-low-recognition.yaml"),
        cases.join("case.yaml"),
    )
    .unwrap();
    symlink(".", cases.join("a")).unwrap();
    symlink(".", cases.join("b")).unwrap();
    let out = lsa(&["batch", arg(&cases)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
    let out = lsa(&[
        "diff",
        "--on",
        "2026-07-15",
        "--vs",
        "2027-02-01",
        arg(&cases),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 case, 1 changed"),
        "{}",
        stdout(&out)
    );
}

/// Reads `text` as a record of the shipped law; the messages of its errors.
fn record_errors(text: &str, format: lsa::record::Format) -> Vec<String> {
    let program = crate::common::shipped();
    match lsa::record::read(program, text, format, "x") {
        Ok(_) => Vec::new(),
        Err(e) => {
            e.0.iter()
                .map(|e| format!("{}: {}", e.path, e.message))
                .collect()
        }
    }
}

/// F08: a date is four, two and two digits, nothing else, in records and in
/// `--as-of`.
#[test]
fn f08_dates_with_signs_are_not_dates() {
    let errors = record_errors(
        "as_of: \"2026-+7-15\"\napplication:\n  made_on: \"+999-01-01\"\n  registered_on: \"-001-01-01\"\n  lodged_on: \"2026-07-+1\"\n",
        lsa::record::Format::Yaml,
    );
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.contains("is not a date")),
        "{errors:?}"
    );
    let out = lsa(&[
        "check",
        "--as-of",
        "2026-+7-15",
        "tests/examples/border-low-recognition.yaml",
    ]);
    exits_with(&out, 1, "`2026-+7-15` is not a date");
}

/// F09: the most negative period of a record is refused; subtracting the
/// most negative period a rule makes is an overflow error in that outcome,
/// not a panic.
#[test]
fn f09_the_most_negative_period_is_an_error_not_a_panic() {
    let dir = tree(
        "f09",
        "ruleset e\nsource X \"x\"\nrecord V { t: date, u: duration, n: integer }\ninput v: V\ndecision t_minus_u: date [X 1]\n  rule r [X 1] when true then v.t - v.u\n",
    );
    let case = |u: &str| format!("as_of: 2026-07-15\nv: {{ t: 2026-01-01, u: \"{u}\" }}\n");
    let out = check_in(&dir, Some(&case("-9223372036854775808 days")), &[]);
    exits_with(
        &out,
        3,
        "`v.u`: `-9223372036854775808 days` is not a period",
    );
    let out = check_in(&dir, Some(&case("9223372036854775807 days")), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("e.t_minus_u: error: date out of range"),
        "{}",
        stdout(&out)
    );
}

/// F19: YAML nested 100,000 brackets deep is refused at once (the reader
/// took over a minute); brackets in text, quotes and comments are not
/// counted.
#[test]
fn f19_deep_yaml_is_refused_before_it_is_read() {
    let n = 100_000;
    let deep = format!("applicant: {}{}\n", "[".repeat(n), "]".repeat(n));
    let errors = record_errors(&deep, lsa::record::Format::Yaml);
    assert_eq!(
        errors,
        [": not valid YAML: nested too deeply (more than 128 levels of brackets)"]
    );
    // Plain text with brackets, many times over; quoted and commented ones.
    let mut text = String::from("case: \"[[[[\"\nas_of: 2026-07-15 # [[[[\n");
    text.push_str("applicant:\n  nationality: PAK\n");
    for _ in 0..200 {
        text.push_str("# see [1 and {2\n");
    }
    text.push_str("relocation: { benefitting_member_state: ITA }\n");
    assert_eq!(
        record_errors(&text, lsa::record::Format::Yaml),
        Vec::<String>::new()
    );
}

/// F20: a number beyond 64 bits is an error that says what is wrong with it,
/// in YAML (it was "not valid YAML") and in JSON (it was rounded).
#[test]
fn f20_numbers_beyond_64_bits_are_refused_not_rounded() {
    let yaml = record_errors(
        "application:\n  recognition_rate_pct: 79228162514264337593543950336\n",
        lsa::record::Format::Yaml,
    );
    assert_eq!(
        yaml,
        ["application.recognition_rate_pct: the number 79228162514264337593543950336 has more digits than lsa keeps exactly (28)"]
    );
    let json = record_errors(
        "{\"application\": {\"recognition_rate_pct\": 18446744073709551616}}",
        lsa::record::Format::Json,
    );
    assert_eq!(
        json,
        ["application.recognition_rate_pct: the number 1.8446744073709552e19 is too large to have been read exactly"]
    );
    // Within a decimal's 28 digits and the field's limits: read exactly.
    assert!(record_errors(
        "application:\n  recognition_rate_pct: 12.345678901234567890123456\n",
        lsa::record::Format::Yaml
    )
    .is_empty());
}

/// F22: numbers and amounts only as the schema publishes them; long keys
/// and values shortened in messages; a cut-off JSON line "ends too early";
/// `lsa test` on a folder without tests, or on a case record, fails.
#[test]
fn f22_strict_values_short_messages_and_no_silent_passes() {
    for (text, says) in [
        ("{\"relocation\":{\"benefitting_member_state\":\"ITA\"},\"application\":{\"recognition_rate_pct\":\"12.5\"}}", "found the text \"12.5\""),
        ("{\"application\":{\"recognition_rate_pct\":\"1_000\"}}", "found the text \"1_000\""),
    ] {
        let errors = record_errors(text, lsa::record::Format::Json);
        assert!(errors.iter().any(|e| e.contains(says)), "{errors:?}");
    }
    let key = "k".repeat(1_000_000);
    let errors = record_errors(&format!("{{\"{key}\": 1}}"), lsa::record::Format::Json);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].len() < 200, "{}", &errors[0][..300]);
    assert!(
        errors[0].contains("… (1000000 characters)"),
        "{}",
        errors[0]
    );

    let dir = scratch("f22");
    std::fs::write(dir.join("broken.jsonl"), "{\"broken\n").unwrap();
    let out = lsa(&["batch", arg(&dir.join("broken.jsonl"))]);
    exits_with(&out, 3, "1 invalid");
    assert!(
        stdout(&out).contains("not valid JSON: the record ends too early"),
        "{}",
        stdout(&out)
    );

    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let out = lsa(&["test", arg(&dir.join("empty"))]);
    exits_with(&out, 1, "no expectation files");
    let out = lsa(&["test", "tests/examples/border-low-recognition.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("this is a case record, not an expectation file"),
        "{}",
        stdout(&out)
    );

    let out = lsa(&[
        "batch",
        arg(&dir.join("broken.jsonl")),
        "-o",
        "/nonexistent/folder/out.jsonl",
    ]);
    exits_with(
        &out,
        1,
        "/nonexistent/folder/out.jsonl: cannot write the output",
    );
    assert!(!stderr(&out).contains("partial"), "{}", stderr(&out));
}

/// Decimals and percentages are written to JSON exactly, as numbers: never
/// through a double.
#[test]
fn decimals_are_written_to_json_exactly() {
    let dir = tree(
        "exact-decimals",
        "ruleset d\nsource X \"x\"\nrecord V { p: percent, n: decimal }\ninput v: V\ndecision third: decimal [X 1]\n  rule r [X 1] when true then v.n / 3\ndecision big: decimal [X 1]\n  rule r [X 1] when true then v.n * 1000000000000000000\n",
    );
    let out = check_in(
        &dir,
        Some("as_of: 2026-07-15\nv: { p: 12.5, n: 30100 }\n"),
        &["--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("\"value\": 10033.333333333333333333333333"),
        "{text}"
    );
    assert!(
        text.contains("\"value\": 30100000000000000000000"),
        "{text}"
    );
}

/// F14: a list operation inside another over 10,000 items (100,000,000
/// steps, 13 s) stops with an error in that outcome, the same explained or
/// not; 1,000 items are evaluated.
#[test]
fn f14_nested_list_operations_stop_past_their_budget() {
    let dir = tree(
        "f14",
        "ruleset q\nsource X \"x\"\nrecord Item { n: integer }\nrecord H { items: list<Item> }\ninput h: H\ndecision has_duplicates: bool [X 1]\n  default false\n  rule r [X 1] when count(a in h.items: count(b in h.items: b.n == a.n) > 1) > 0 then true\n",
    );
    let case = |n: usize, dup: bool| {
        let items: Vec<String> = (0..n)
            .map(|i| format!("{{\"n\":{}}}", if dup && i == n - 1 { 0 } else { i }))
            .collect();
        format!(
            "{{\"as_of\":\"2026-07-15\",\"h\":{{\"items\":[{}]}}}}\n",
            items.join(",")
        )
    };
    std::fs::write(
        dir.join("cases.jsonl"),
        case(1000, false) + &case(1000, true),
    )
    .unwrap();
    let out = lsa(&[
        "batch",
        "--rules",
        arg(&dir.join("rules")),
        arg(&dir.join("cases.jsonl")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = crate::common::json_lines(&stdout(&out));
    assert_eq!(lines[0]["outcomes"]["q.has_duplicates"]["value"], false);
    assert_eq!(lines[1]["outcomes"]["q.has_duplicates"]["value"], true);

    std::fs::write(dir.join("cases.jsonl"), case(10_000, true)).unwrap();
    let (rules, cases) = (dir.join("rules"), dir.join("cases.jsonl"));
    for explain in [false, true] {
        let mut args = vec!["batch", "--rules", arg(&rules), arg(&cases)];
        if explain {
            args.push("--explain");
        }
        let out = lsa(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        let lines = crate::common::json_lines(&stdout(&out));
        let outcome = &lines[0]["outcomes"]["q.has_duplicates"];
        assert_eq!(outcome["status"], "error", "{outcome}");
        assert!(
            outcome["message"]
                .as_str()
                .unwrap()
                .contains("go through more than 4000000 items"),
            "{outcome}"
        );
    }
}

/// An outcome keeps the place of the `applies` line that decided in a
/// byte: 256 lines (a file's, or a decision's own) are evaluated, the last
/// one deciding with its own reason; a 257th is refused with the limit.
#[test]
fn applies_lines_are_evaluated_up_to_the_limit_and_refused_past_it() {
    let lines = |n: usize, indent: &str| -> String {
        (1..=n)
            .map(|k| {
                let when = if k == n { "not r.a" } else { "r.a" };
                format!("{indent}applies [X {k}] when {when} otherwise \"line {k}\"\n")
            })
            .collect()
    };
    let rule = "  rule y [X 1] when true then true\n";
    for (name, text) in [
        (
            "applies-file",
            format!("{HEAD}{}decision d: bool [X 1]\n{rule}", lines(256, "")),
        ),
        (
            "applies-own",
            format!("{HEAD}decision d: bool [X 1]\n{}{rule}", lines(256, "  ")),
        ),
    ] {
        let dir = tree(name, &text);
        let out = check_in(&dir, None, &["--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let d = &json["outcomes"]["t.d"];
        assert_eq!(d["reason"], "line 256", "{d}");
        assert_eq!(d["citation"], "X 256", "{d}");
    }
    let dir = tree(
        "applies-too-many",
        &format!("{HEAD}{}decision d: bool [X 1]\n{rule}", lines(257, "")),
    );
    let out = check_in(&dir, None, &[]);
    exits_with(
        &out,
        2,
        "a file or a decision has at most 256 `applies` lines",
    );
}
