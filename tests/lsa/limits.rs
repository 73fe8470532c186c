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
