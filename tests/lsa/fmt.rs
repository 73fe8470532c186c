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
