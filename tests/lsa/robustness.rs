//! Bad input never panics or overflows the stack: arbitrary text, huge files,
//! deep nesting, invalid UTF-8, empty files and folders where files belong.

use proptest::prelude::*;

use crate::common::{compile_one, lsa, rendered, scratch, shipped, stderr};

fn compile_text(text: &str) -> lsa::check::Compiled {
    compile_one("fuzz.rules", text)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsing_and_checking_never_panic_on_arbitrary_text(text in "\\PC{0,300}") {
        let c = compile_text(&text);
        // Whatever it is, it yields a program or diagnostics, never both missing.
        prop_assert!(c.program.is_some() || !c.diagnostics.is_empty());
    }

    #[test]
    fn parsing_and_checking_never_panic_on_mangled_rules(
        cut in 0usize..6000, insert in "[a-z(){}\\[\\]=<>.,;:\"0-9 \n-]{0,12}"
    ) {
        let base: &str = lsa::shipped::RULES.iter().find(|(n, _)| n.ends_with("procedure.rules")).unwrap().1;
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        let _ = compile_text(&text);
    }

    #[test]
    fn reading_arbitrary_records_never_panics(text in "\\PC{0,200}") {
        let program = shipped();
        let _ = lsa::record::read(&program, &text, lsa::record::Format::Yaml, "x");
        let _ = lsa::record::read(&program, &text, lsa::record::Format::Json, "x");
    }
}

#[test]
fn a_one_megabyte_file_compiles() {
    let mut text = String::from("ruleset big\nsource X \"x\"\nrecord R { a: bool }\ninput r: R\n");
    let mut i: usize = 0;
    while text.len() < 1_000_000 {
        text.push_str(&format!(
            "/// Item {i}.\ndef d{i}: bool [X Art. {i}] = r.a and not r.a or d{}\n",
            i.saturating_sub(1).min(i)
        ));
        i += 1;
    }
    // d0 refers to itself: one cycle error; everything else resolves.
    let c = compile_text(&text);
    assert!(c.error_count() >= 1, "{}", c.error_count());
    assert!(rendered(&c).contains("`big.d0` depends on itself"));
}

#[test]
fn nesting_ten_thousand_levels_deep_is_an_error_not_a_crash() {
    let deep_parens = format!(
        "ruleset t\ndef x: bool = {}true{}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let deep_ifs = format!(
        "ruleset t\ndef x: integer = {}1{}\n",
        "if true then ".repeat(10_000),
        " else 2".repeat(10_000)
    );
    let deep_nots = format!("ruleset t\ndef x: bool = {}true\n", "not ".repeat(10_000));
    let long_chain = format!(
        "ruleset t\ndef x: bool = true{}\n",
        " and true".repeat(10_000)
    );
    let deep_minus = format!("ruleset t\ndef x: integer = {}1\n", "- ".repeat(10_000));
    let deep_lists = format!(
        "ruleset t\ndef x: bool = 1 in {}1{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    for text in [
        deep_parens,
        deep_ifs,
        deep_nots,
        long_chain,
        deep_minus,
        deep_lists,
    ] {
        let c = compile_text(&text);
        assert!(c.program.is_none());
        let r = rendered(&c);
        assert!(
            r.contains("nested too deeply"),
            "{}",
            &r[..r.len().min(300)]
        );
    }
}

#[test]
fn invalid_utf8_empty_files_and_folders_are_clear_errors() {
    let dir = scratch("bad-files");
    std::fs::write(dir.join("bad.rules"), b"ruleset t\n// \xff\xfe\n").unwrap();
    let out = lsa(&["lint", "--rules", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.rules: not valid UTF-8 (at byte 13)"),
        "{}",
        stderr(&out)
    );

    let empty = scratch("empty-file");
    std::fs::write(empty.join("empty.rules"), "").unwrap();
    let out = lsa(&["lint", "--rules", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("empty.rules:1:1"), "{}", stderr(&out));

    let folder = scratch("folder-named-rules");
    std::fs::create_dir_all(folder.join("inner.rules")).unwrap();
    std::fs::write(folder.join("inner.rules/real.rules"), "ruleset t\n").unwrap();
    let out = lsa(&["lint", "--rules", folder.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a folder named like a rule file is walked, not read: {}",
        stderr(&out)
    );

    let none = scratch("no-rules");
    let out = lsa(&["lint", "--rules", none.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no `.rules` files"));

    let case = scratch("bad-case");
    std::fs::write(case.join("c.yaml"), b"applicant: \xff\n").unwrap();
    let out = lsa(&["check", case.join("c.yaml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not valid UTF-8"));
}
