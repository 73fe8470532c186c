//! The reliability findings of December 2026 (F01–F22), each as a
//! regression test built from its reproduction: every hostile input ends in
//! the expected result or a clear error, quickly, without a crash.

use std::path::{Path, PathBuf};

use crate::common::{exits_with, lsa, scratch, stderr, stdout};

const HEAD: &str = "ruleset t\nsource X \"x\"\nrecord R { a: bool }\ninput r: R\n";

/// A rule tree in a scratch folder holding `text` as `t.rules`, and a case.
fn tree(name: &str, text: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/t.rules"), text).unwrap();
    std::fs::write(dir.join("case.yaml"), "as_of: 2026-07-15\nr: { a: true }\n").unwrap();
    std::fs::write(
        dir.join("cases.jsonl"),
        "{\"as_of\":\"2026-07-15\",\"r\":{\"a\":true}}\n".repeat(4),
    )
    .unwrap();
    dir
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
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
        let out = lsa(&["check", "--rules", arg(&rules), arg(&dir.join("case.yaml"))]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            out.stdout.len() < 4 << 20,
            "{name}: {} bytes",
            out.stdout.len()
        );
        let out = lsa(&[
            "check",
            "--format",
            "json",
            "--rules",
            arg(&rules),
            arg(&dir.join("case.yaml")),
        ]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            out.stdout.len() < 16 << 20,
            "{name}: {} bytes",
            out.stdout.len()
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
        stdout(&out).contains("1 cases, 1 changed"),
        "{}",
        stdout(&out)
    );
}
