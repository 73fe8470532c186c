//! `lsa fmt`: formatting is idempotent, keeps every comment, and keeps the
//! meaning (the same syntax tree, spans aside) of every rule file in rules/
//! and the test inputs.

use lsa::diag::FileId;
use lsa::syntax::{comments, parse_file, print};

use crate::common::{files_below, repo};

/// The Debug text of an AST with every span removed.
fn shape(file: &lsa::syntax::ast::File) -> String {
    let text = format!("{file:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let close = after.find('}').unwrap();
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_and_comments() {
    let mut paths = files_below(&repo().join("rules"), "rules");
    paths.extend(
        files_below(&repo().join("tests/cases"), "rules")
            .into_iter()
            .filter(|p| {
                let name = p.to_string_lossy();
                !name.contains("/parse/err/") && !name.contains("syntax-errors")
            }),
    );
    assert!(paths.len() > 20);
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let ast = parse_file(FileId(0), &text).unwrap();
        let once = print::file(&ast, &text);
        let reparsed = parse_file(FileId(0), &once).unwrap_or_else(|d| {
            panic!(
                "{}: formatted text does not parse: {}\n{once}",
                path.display(),
                d.message
            )
        });
        assert_eq!(
            shape(&ast),
            shape(&reparsed),
            "{}: formatting changed the meaning",
            path.display()
        );
        assert_eq!(
            print::file(&reparsed, &once),
            once,
            "{}: not idempotent",
            path.display()
        );
        let before: Vec<String> = comments(&text).into_iter().map(|c| c.1).collect();
        let after: Vec<String> = comments(&once).into_iter().map(|c| c.1).collect();
        assert_eq!(
            before,
            after,
            "{}: comments lost or reordered",
            path.display()
        );
    }
}

#[test]
fn the_shipped_rules_are_formatted() {
    for path in files_below(&repo().join("rules"), "rules") {
        let text = std::fs::read_to_string(&path).unwrap();
        let ast = parse_file(FileId(0), &text).unwrap();
        assert_eq!(
            print::file(&ast, &text),
            text,
            "{} is not formatted: run `lsa fmt`",
            path.display()
        );
    }
}

#[test]
fn comments_inside_strings_and_addresses_are_not_comments() {
    let text = "ruleset t\nsource X \"a // b\" <http://example.org/x>  // real\n";
    let found: Vec<String> = comments(text).into_iter().map(|c| c.1).collect();
    assert_eq!(found, ["// real"]);
}

/// A rule file built from pieces with `//`, `<` and `>` in every place they
/// can stand (strings, source addresses, citations, comparisons), with
/// comments placed by `places` after lines and between them; and the
/// comments, in order. The oracle knows each comment's text, so the check
/// does not rest on the formatter's own comment finder.
fn generated(pieces: &[u8], places: &[u8]) -> (String, Vec<String>) {
    let mut lines: Vec<String> = vec![
        "ruleset t".into(),
        "source X \"x\"".into(),
        "record R { a: integer, b: integer, flag: bool }".into(),
        "input r: R".into(),
    ];
    for (i, piece) in pieces.iter().enumerate() {
        let text = match piece % 13 {
            0 => format!("source S{i} \"a // b {i}\" <https://example.org/{i}//x>"),
            1 => format!("/// Kinds {i}.\nenum E{i} {{\n  x{i},\n  /// The other.\n  y{i}\n}}"),
            2 => format!(
                "record R{i} {{\n  /// At most ten.\n  n: integer between 0 and 10\n  t: text matching \"[A-Z]//{{3}}\"\n}}"
            ),
            3 => format!("def d{i}: bool [X a//b{i}] =\n  r.a < r.b"),
            4 => format!(
                "decision c{i}: bool [X Art. {i}(a)]\n  default false\n  rule yes [X a//b; X <c>]\n    when r.a < r.b\n     and r.flag\n    then true"
            ),
            5 => format!(
                "param p{i}: duration [X Art. 1]\n  from 2026-01-01 = 3 days\n  from 2027-01-01 = 5 days"
            ),
            6 => format!(
                "decision e{i}: integer [X Art. 2]\n  rule base [X 2(1)]\n    when r.flag\n    then if r.a < r.b then 1 else 2\n  exception ex [X 2(2)]\n    overrides base\n    when r.a > r.b\n    then 3"
            ),
            7 => format!(
                "computation C{i} for X [X Art. 73]\n  /// The day of the event.\n  event_day [X Art. 73(1)]\n  days [X Art. 73(2)//a]"
            ),
            8 => format!(
                "decision a{i}: bool [X Art. 9]\n  applies [X Art. 9] when r.flag otherwise \"not // here <x>\"\n  rule r [X 9]\n    when true\n    then true"
            ),
            9 => format!(
                "record L{i} {{ xs: list<R> }}\ninput l{i}: L{i}\ndef f{i}: R? [X 1] =\n  first(x in l{i}.xs: x.a < x.b\n    by x.a descending\n    by x.b ascending)\ndef t{i}: list<R> [X 1] = those(x in l{i}.xs: x.flag)"
            ),
            10 => format!(
                "/// Cannot be.\nwarn w{i} [X a//b{i}]\n  when r.a > r.b\n    or r.flag and r.a < 0"
            ),
            11 => format!("def l{i}: bool [X 1] =\n  r.a in [1,\n    2, 3]\n  or r.b > 2"),
            _ => format!(
                "/// Named.\napplies n{i} [X Art. {i}] when r.flag otherwise \"n // {i}\"\napplies t.n{i}\ndecision u{i}: bool [X Art. 9]\n  /// Again.\n  applies n{i}\n  rule r [X 9]\n    when true\n    then true"
            ),
        };
        lines.extend(text.lines().map(str::to_string));
    }
    let mut out = String::new();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let place = places.get(n).copied().unwrap_or(0) % 4;
        let comment = format!("// c{n} a < b > [x] \"q\" <y> //z");
        if place == 1 {
            out.push_str(&comment);
            out.push('\n');
            found.push(comment.clone());
        }
        out.push_str(line);
        // Not after a doc comment (it would be part of the doc).
        if place == 2 && !line.trim_start().starts_with("///") {
            out.push_str("  ");
            out.push_str(&comment);
            found.push(comment);
        }
        out.push('\n');
    }
    (out, found)
}

/// The number of generated files `formatting_generated_files_…` tries:
/// `LSA_FMT_CASES` (10,000 for a long run), else 300.
fn fmt_cases() -> u32 {
    std::env::var("LSA_FMT_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(fmt_cases()))]

    /// F18, F21: formatting a generated file keeps every comment (in order,
    /// word for word), keeps the syntax tree, and is idempotent.
    #[test]
    fn formatting_generated_files_keeps_every_comment_and_is_idempotent(
        pieces in proptest::collection::vec(0u8..13, 0..14),
        places in proptest::collection::vec(0u8..4, 0..120),
    ) {
        let (text, expected) = generated(&pieces, &places);
        let ast = parse_file(FileId(0), &text)
            .unwrap_or_else(|d| panic!("generated text does not parse: {}\n{text}", d.message));
        let once = print::file(&ast, &text);
        let reparsed = parse_file(FileId(0), &once)
            .unwrap_or_else(|d| panic!("formatted text does not parse: {}\n{once}", d.message));
        proptest::prop_assert_eq!(shape(&ast), shape(&reparsed), "meaning changed:\n{}", once);
        proptest::prop_assert_eq!(print::file(&reparsed, &once), once.clone(), "not idempotent");
        let kept: Vec<String> = once
            .lines()
            .filter_map(|l| l.find("// c").map(|i| l[i..].to_string()))
            .collect();
        proptest::prop_assert_eq!(kept, expected, "comments lost or changed:\n{}", once);
    }
}

/// F18: a comment after a `<` is kept; F21: a `//` in a citation is not a
/// comment, so formatting does not grow the line on every run.
#[test]
fn comments_after_less_than_and_slashes_in_citations() {
    let f18 = "ruleset t\nsource X \"x\"\nrecord R { a: integer, b: integer }\ninput r: R\ndef x: bool [X 1] = r.a < r.b // holds only when b > 0\n";
    let f21 = "ruleset t\nsource X \"x\"\ndef d: bool [X a//b] = true\n";
    for (text, expected) in [(f18, vec!["// holds only when b > 0"]), (f21, vec![])] {
        let found: Vec<String> = comments(text).into_iter().map(|c| c.1).collect();
        assert_eq!(found, expected);
        let ast = parse_file(FileId(0), text).unwrap();
        let once = print::file(&ast, text);
        let twice = print::file(&parse_file(FileId(0), &once).unwrap(), &once);
        assert_eq!(once, twice);
        for c in &expected {
            assert!(once.contains(c), "{once}");
        }
        if expected.is_empty() {
            assert_eq!(once.matches("//").count(), 1, "{once}");
        }
    }
}

/// Found by the fuzzer: brackets the formatter adds (around a negation, or
/// `a or (b and c)` for reading) nested an expression deeper than the parser
/// allows, so `lsa fmt` wrote a file that did not parse. The formatted text
/// always parses to the same tree now.
#[test]
fn formatting_never_nests_brackets_past_the_parser_limit() {
    let negations = format!(
        "ruleset t\nsource X \"x\"\nrecord R {{ a: integer }}\ninput r: R\ndef d: integer [X 1] = r.a - {}r.a\n",
        "-".repeat(150)
    );
    // The deepest alternation of `or` over `and` in brackets the parser
    // accepts: formatting it must not push it past the limit (the spaces
    // inside the brackets are what formatting changes).
    let alternation = (1..64)
        .rev()
        .map(|n| {
            let mut e = String::from("r.f");
            for _ in 0..n {
                e = format!("r.f or r.g and ( {e} )");
            }
            format!("ruleset t\nsource X \"x\"\nrecord R {{ f: bool, g: bool }}\ninput r: R\ndef d: bool [X 1] = {e}\n")
        })
        .find(|text| parse_file(FileId(0), text).is_ok())
        .unwrap();
    for text in [negations, alternation] {
        let ast = parse_file(FileId(0), &text).unwrap();
        let once = print::file(&ast, &text);
        // Formatted (not given back as it was), and what it wrote parses.
        assert_ne!(once, text);
        let reparsed = parse_file(FileId(0), &once)
            .unwrap_or_else(|d| panic!("formatted text does not parse: {}", d.message));
        assert_eq!(shape(&ast), shape(&reparsed));
        assert_eq!(print::file(&reparsed, &once), once);
    }
}

/// A heading comment set apart from the item below it by a blank line
/// keeps that blank line (it was joined to the item's doc comment, so
/// `lsa fmt` made a section heading read as part of one item's doc); a
/// comment written right above an item stays right above it.
#[test]
fn a_blank_line_after_an_own_line_comment_is_kept() {
    let text = "ruleset t\n\nsource X \"x\"\n\n// --- Section\n\n/// A doc.\ndef a: bool [X 1] =\n  true\n\n// About b.\ndef b: bool [X 1] =\n  a\n";
    let ast = parse_file(FileId(0), text).unwrap();
    assert_eq!(print::file(&ast, text), text);
    // Several blank lines become one; none is added at the file's end.
    let spaced = text
        .replace("// --- Section\n\n", "// --- Section\n\n\n\n")
        .replace("  a\n", "  a\n\n// The end.\n\n");
    let once = print::file(&parse_file(FileId(0), &spaced).unwrap(), &spaced);
    assert_eq!(once, format!("{text}\n// The end.\n"));
}
