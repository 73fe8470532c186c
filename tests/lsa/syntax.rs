//! The grammar: one test per construct (through the canonical printer, which
//! also pins precedence), and snapshots of parse results and syntax errors over
//! `tests/cases/parse/{ok,err}`.

use lsa::diag::{FileId, SourceMap};
use lsa::syntax::ast::{ExprKind, ItemKind};
use lsa::syntax::{parse_file, print};

use crate::common::{files, stem};

fn parse(text: &str) -> lsa::syntax::ast::File {
    parse_file(FileId(0), text).unwrap_or_else(|d| panic!("{}", d.message))
}

/// The canonical text of an expression given as a def body.
fn expr(src: &str) -> String {
    let file = parse(&format!("ruleset t\ndef x: bool =\n  {src}\n"));
    match &file.items[0].kind {
        ItemKind::Def(d) => print::expr(&d.body),
        _ => unreachable!(),
    }
}

fn syntax_error(text: &str) -> String {
    let mut map = SourceMap::default();
    let id = map.add("t.rules", text);
    let d = parse_file(id, text).expect_err("should not parse");
    format!("{} | help: {}", d.message, d.help.unwrap_or_default())
}

#[test]
fn ruleset_and_doc_comments() {
    let f = parse("/// About this file.\n/// Second line.\nruleset relocation\n");
    assert_eq!(f.ruleset.name, "relocation");
    assert_eq!(f.doc, vec!["About this file.", "Second line."]);
}

#[test]
fn source_with_address() {
    let f =
        parse("ruleset t\nsource AMMR \"Regulation (EU) 2024/1351\" <http://data.europa.eu/eli/reg/2024/1351/oj>\n");
    let ItemKind::Source(s) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(
        (s.name.name.as_str(), s.title.as_str()),
        ("AMMR", "Regulation (EU) 2024/1351")
    );
    assert_eq!(
        s.url.as_deref(),
        Some("http://data.europa.eu/eli/reg/2024/1351/oj")
    );
}

#[test]
fn in_force_with_and_without_until() {
    let f = parse("ruleset t\nin force from 2026-06-12 until 2027-01-01\n");
    let ItemKind::InForce(i) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(i.from.text, "2026-06-12");
    assert_eq!(i.until.as_ref().unwrap().text, "2027-01-01");
}

#[test]
fn enum_with_trailing_comma() {
    let f = parse("ruleset t\nenum Status { none, refugee, subsidiary, }\n");
    let ItemKind::Enum(e) = &f.items[0].kind else {
        panic!()
    };
    let names: Vec<&str> = e.variants.iter().map(|v| v.name.name.as_str()).collect();
    assert_eq!(names, ["none", "refugee", "subsidiary"]);
}

#[test]
fn record_with_optional_list_and_documented_fields() {
    let f = parse(
        "ruleset t\nrecord A {\n  /// When.\n  granted_on: date?\n  family: list<Member>\n}\n",
    );
    let ItemKind::Record(r) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(r.fields[0].doc, vec!["When."]);
    assert_eq!(print::type_expr(&r.fields[0].ty), "date?");
    assert_eq!(print::type_expr(&r.fields[1].ty), "list<Member>");
}

#[test]
fn input_declaration() {
    let f = parse("ruleset t\ninput applicant: Applicant\n");
    assert!(matches!(f.items[0].kind, ItemKind::Input(_)));
}

#[test]
fn param_with_values_over_time() {
    let f = parse(
        "ruleset t\nparam mma: money [LC Art. 1]\n  from 2025-01-01 = 1038 EUR\n  from 2026-01-01 = 1153.00 EUR\n",
    );
    let ItemKind::Param(p) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(p.values.len(), 2);
    assert_eq!(print::expr(&p.values[1].value), "1153.00 EUR");
    assert_eq!(print::citation(p.citation.as_ref().unwrap()), "[LC Art. 1]");
}

#[test]
fn citations_with_several_provisions_and_lithuanian_letters() {
    let f = parse("ruleset t\ndef x: bool [AMMR Art. 56(2)(a)(ii); UTPĮ 40 str. 1 d.] = true\n");
    let ItemKind::Def(d) = &f.items[0].kind else {
        panic!()
    };
    let c = d.citation.as_ref().unwrap();
    assert_eq!(c.cites.len(), 2);
    assert_eq!(c.cites[1].source.name, "UTPĮ");
    assert_eq!(c.cites[1].pinpoint, "40 str. 1 d.");
}

#[test]
fn decision_with_policy_default_rules_and_exceptions() {
    let text = "ruleset t\ndecision d: bool [X Art. 1]\n  in force from 2026-01-01\n  policy first\n  default false\n\n  \
                /// Doc.\n  rule a [X Art. 1(a)]\n    when true\n    then true\n\n  exception b [X Art. 2]\n    overrides a\n    \
                in force from 2026-02-01\n    when false\n    then false\n";
    let f = parse(text);
    let ItemKind::Decision(d) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(d.policy.unwrap().0, lsa::syntax::ast::Policy::First);
    assert!(d.default.is_some() && d.in_force.is_some());
    assert_eq!(d.rules[0].doc, vec!["Doc."]);
    assert!(d.rules[1].is_exception);
    assert_eq!(d.rules[1].overrides[0].name, "a");
    assert!(d.rules[1].in_force.is_some());
}

/// An `applies` line may be named, and a named line used again by its
/// name (bare, or with its ruleset), on a file or in a decision; the
/// canonical text gives each back as written, a use's doc comment kept.
#[test]
fn named_applies_lines_and_their_uses() {
    let text = "ruleset t\n\n/// Named.\napplies here [X Art. 1]\n  when known(r)\n  otherwise \"not here\"\n\n\
                applies other.there\n\ndecision d: bool [X Art. 2]\n  /// The file's again.\n  applies here\n  \
                applies [X Art. 3]\n    when r.a\n    otherwise \"not a\"\n\n  rule y [X Art. 2]\n    when true\n    then true\n";
    let f = parse(text);
    use lsa::syntax::ast::AppliesLine;
    let ItemKind::Applies(AppliesLine::Line(named)) = &f.items[0].kind else {
        panic!("{:?}", f.items[0].kind)
    };
    assert_eq!(named.name.as_ref().unwrap().name, "here");
    assert_eq!(named.doc, vec!["Named."]);
    let ItemKind::Applies(AppliesLine::Use(there)) = &f.items[1].kind else {
        panic!("{:?}", f.items[1].kind)
    };
    assert_eq!(
        (
            there.ruleset.as_ref().unwrap().name.as_str(),
            there.name.name.as_str()
        ),
        ("other", "there")
    );
    // A use's span ends with its name, not with the blank line after it.
    assert_eq!(
        &text[there.span.start as usize..there.span.end as usize],
        "applies other.there"
    );
    let ItemKind::Decision(d) = &f.items[2].kind else {
        panic!()
    };
    let AppliesLine::Use(here) = &d.applies[0] else {
        panic!("{:?}", d.applies[0])
    };
    assert!(here.ruleset.is_none() && here.name.name == "here");
    assert_eq!(here.doc, vec!["The file's again."]);
    let AppliesLine::Line(own) = &d.applies[1] else {
        panic!("{:?}", d.applies[1])
    };
    assert!(own.name.is_none());
    assert_eq!(print::file(&f, text), text);
}

#[test]
fn calendar_with_every_kind_of_day() {
    let text = "ruleset t\ncalendar LT \"Lithuania\" [LC Art. 123]\n  holiday \"New Year\" on 1 January\n  \
                holiday \"Easter Monday\" on easter + 1 day\n  holiday \"Mother's Day\" on first Sunday of May\n  \
                holiday \"Vėlinės\" on 2 November in force from 2020-01-01\n";
    let f = parse(text);
    let ItemKind::Calendar(c) = &f.items[0].kind else {
        panic!()
    };
    let days: Vec<String> = c
        .holidays
        .iter()
        .map(|h| print::day_rule(&h.rule))
        .collect();
    assert_eq!(
        days,
        [
            "1 January",
            "easter + 1 day",
            "first Sunday of May",
            "2 November"
        ]
    );
    assert!(c.holidays[3].in_force.is_some());
}

#[test]
fn boolean_operators_and_their_precedence() {
    assert_eq!(expr("a or b and c"), "a or (b and c)");
    assert_eq!(expr("a or b or c"), "a or b or c");
    assert_eq!(expr("(a or b) and c"), "(a or b) and c");
    assert_eq!(expr("not a and b"), "not a and b");
    assert_eq!(expr("not (a and b)"), "not (a and b)");
    assert_eq!(expr("not not a"), "not (not a)");
}

#[test]
fn comparisons_and_membership() {
    for (src, want) in [
        ("a == b", "a == b"),
        ("a != b", "a != b"),
        ("a < b", "a < b"),
        ("a <= b", "a <= b"),
        ("a > b", "a > b"),
        ("a >= b", "a >= b"),
        ("x in [a, b]", "x in [a, b]"),
        ("x not  in [a]", "x not in [a]"),
        ("(a == b) == c", "(a == b) == c"),
    ] {
        assert_eq!(expr(src), want, "{src}");
    }
}

#[test]
fn arithmetic_precedence_and_unary_minus() {
    assert_eq!(expr("a + b * c"), "a + b * c");
    assert_eq!(expr("(a + b) * c"), "(a + b) * c");
    assert_eq!(expr("a - (b - c)"), "a - (b - c)");
    assert_eq!(expr("a - b - c"), "a - b - c");
    assert_eq!(expr("-a * b"), "-a * b");
    assert_eq!(expr("a / -b"), "a / -b");
}

#[test]
fn conditional_expression() {
    assert_eq!(
        expr("if a then 1 else if b then 2 else 3"),
        "if a then 1 else if b then 2 else 3"
    );
    assert_eq!(expr("(if a then 1 else 2) + 3"), "(if a then 1 else 2) + 3");
}

#[test]
fn field_access_and_calls_with_named_arguments() {
    assert_eq!(expr("applicant.date_of_birth"), "applicant.date_of_birth");
    assert_eq!(
        expr("age( applicant.dob , on : as_of )"),
        "age(applicant.dob, on: as_of)"
    );
    assert_eq!(
        expr("deadline(from: x, 12 weeks)"),
        "deadline(from: x, 12 weeks)"
    );
    assert_eq!(
        expr("deadline(before: x, 3 years)"),
        "deadline(before: x, 3 years)"
    );
}

#[test]
fn a_name_is_a_call_only_where_arguments_follow() {
    // The grammar reads a name once, then its arguments where a `(` follows
    // (spaces allowed between), with the call's span from the name.
    assert_eq!(expr("known (a) and f().x"), "known(a) and f().x");
    assert_eq!(expr("a and (b or c)"), "a and (b or c)");
    let file = parse("ruleset t\ndef x: bool =\n  known (a)\n");
    let ItemKind::Def(d) = &file.items[0].kind else {
        unreachable!()
    };
    assert_eq!((d.body.span.start, d.body.span.end), (26, 35));
    // A name followed by something else: the arguments are not listed as
    // expected (they would read as "an expression").
    let e = syntax_error("ruleset t\ndef x: bool = a b\n");
    assert!(e.starts_with("expected `and`, `or`"), "{e}");
    assert!(!e.contains("an expression"), "{e}");
    // Arguments begun and not ended.
    let e = syntax_error("ruleset t\ndef x: bool = known(a\n");
    assert!(e.contains("found end of file"), "{e}");
}

#[test]
fn list_quantifiers_and_aggregates() {
    for q in ["any", "all", "count", "sum", "min", "max"] {
        let src = format!("{q}(m in applicant.family: m.age)");
        assert_eq!(expr(&src), src);
    }
    assert_eq!(expr("[]"), "[]");
}

#[test]
fn literals_of_every_type() {
    for (src, want) in [
        ("true", "true"),
        ("false", "false"),
        ("2026-06-12", "2026-06-12"),
        ("42", "42"),
        ("12.5", "12.5"),
        ("1153.00 EUR", "1153.00 EUR"),
        ("20 %", "20%"),
        ("\"Kūčios \\\"eve\\\"\"", "\"Kūčios \\\"eve\\\"\""),
        ("1 day", "1 day"),
        ("10 working days", "10 working days"),
        ("1 working day", "1 working day"),
        ("12 weeks", "12 weeks"),
        ("6 months", "6 months"),
        ("3 years", "3 years"),
        ("72 hours", "72 hours"),
    ] {
        assert_eq!(expr(src), want, "{src}");
    }
}

#[test]
fn texts_read_runs_of_characters_between_escapes() {
    // The grammar reads a text's plain characters a run at a time, between
    // escapes: every place an escape can stand.
    for src in [
        "\"\"",
        "\"\\\"\"",
        "\"a\\\\\"",
        "\"\\\\\\\"a\\\"\"",
        "\"Kūčios\\\\\"",
    ] {
        assert_eq!(expr(src), src, "{src}");
    }
    // Unterminated: at the end of the line, after an escaped quote, after a
    // backslash at the end of the file.
    for text in [
        "ruleset t\nsource S \"abc\n",
        "ruleset t\nsource S \"ab\\\"\n",
        "ruleset t\nsource S \"ab\\",
    ] {
        let e = syntax_error(text);
        assert!(e.starts_with("expected a quoted text"), "{text:?}: {e}");
    }
}

#[test]
fn keywords_are_whole_words() {
    // Names that begin with keywords stay names.
    assert_eq!(
        expr("notable and order and index and truest"),
        "notable and order and index and truest"
    );
}

#[test]
fn syntax_errors_speak_in_words() {
    let e = syntax_error("ruleset t\ndecision d: bool\n  rule a\n    when x\n    than y\n");
    assert!(e.starts_with("expected "), "{e}");
    assert!(e.contains("`then`"), "{e}");
    assert!(
        !e.contains("kw_") && !e.contains("expr"),
        "grammar names leak: {e}"
    );
    let e = syntax_error("");
    assert!(
        e.contains("`ruleset`") && e.contains("a rule file starts with"),
        "{e}"
    );
    let e = syntax_error("ruleset t\ndef x: bool = a = b\n");
    assert!(e.contains("compare with `==`"), "{e}");
    // Comparisons do not chain; the operator found is named whole.
    for (text, found) in [
        ("a == b == c", "`==`"),
        ("a < b <= c", "`<=`"),
        ("a != b > c", "`>`"),
    ] {
        let e = syntax_error(&format!("ruleset t\ndef x: bool = {text}\n"));
        assert!(e.contains(&format!("found {found}")), "{e}");
        assert!(e.contains("comparisons do not chain"), "{e}");
    }
    // Not where the operand before is no comparison.
    let e = syntax_error("ruleset t\ndef x: bool = a and == b\n");
    assert!(!e.contains("do not chain"), "{e}");
    // A declaration without its `:` is named where it goes, not at the
    // declaration's start ("expected a declaration, found `decision`").
    let e = syntax_error("ruleset t\ninput a A\n");
    assert!(e.starts_with("expected `:` and a type, found `A`"), "{e}");
    let bad =
        "ruleset t\nsource X \"x\"\ndecision d \"Deadline\": date [X 1]\n  default 2026-01-01\n";
    let e = syntax_error(bad);
    assert!(e.starts_with("expected `:` and a type, found `\"`"), "{e}");
    assert!(e.contains("go in a `label`"), "{e}");
    // So in `lsa lint`, which reads each declaration apart.
    let shown = crate::common::rendered(&crate::common::compile_one("t.rules", bad));
    assert!(shown.contains("t.rules:3:12"), "{shown}");
    assert!(!shown.contains("expected a declaration"), "{shown}");
}

#[test]
fn parse_ok_cases() {
    for path in files("tests/cases/parse/ok", "rules") {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = parse_file(FileId(0), &text)
            .unwrap_or_else(|d| panic!("{}: {}", path.display(), d.message));
        // The parse result, as canonical text: what the parser understood.
        insta::assert_snapshot!(
            format!("parse_ok__{}", stem(&path)),
            print::file(&file, &text)
        );
    }
}

#[test]
fn parse_err_cases() {
    for path in files("tests/cases/parse/err", "rules") {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut map = SourceMap::default();
        let name = format!(
            "tests/cases/parse/err/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let id = map.add(name, text.clone());
        let d = parse_file(id, &text)
            .err()
            .unwrap_or_else(|| panic!("{} parsed", path.display()));
        insta::assert_snapshot!(format!("parse_err__{}", stem(&path)), map.render(&d));
    }
}

#[test]
fn field_chains_keep_their_base() {
    let file = parse("ruleset t\ndef x: bool = a.b.c\n");
    let ItemKind::Def(d) = &file.items[0].kind else {
        panic!()
    };
    let ExprKind::Field(base, f) = &d.body.kind else {
        panic!()
    };
    assert_eq!(f.name, "c");
    assert!(matches!(&base.kind, ExprKind::Field(_, g) if g.name == "b"));
}

/// The text of each node of a def's body, outermost first, left to right
/// (binary, `not` and `-` nodes and their operands).
fn node_texts(src: &str) -> Vec<String> {
    fn walk(e: &lsa::syntax::ast::Expr, text: &str, out: &mut Vec<String>) {
        out.push(text[e.span.start as usize..e.span.end as usize].to_string());
        match &e.kind {
            ExprKind::Binary(_, l, r) => {
                walk(l, text, out);
                walk(r, text, out);
            }
            ExprKind::Not(x) | ExprKind::Neg(x) => walk(x, text, out),
            _ => {}
        }
    }
    let text = format!("ruleset t\ndef x: bool = {src}\n");
    let file = parse(&text);
    let ItemKind::Def(d) = &file.items[0].kind else {
        panic!("not a def")
    };
    let mut out = Vec::new();
    walk(&d.body, &text, &mut out);
    out
}

/// A chain of `and`s and `or`s, and one of arithmetic, is read flat by the
/// grammar and grouped by precedence as its tree is built: the same tree
/// as a rule for each level gave, each node spanning its own text (a
/// prefixed operand from its first prefix, a binary from its left operand
/// to its right), which is where a diagnostic points: the spans as they
/// were, compared with the binary of the grammar before.
#[test]
fn flat_chains_group_by_precedence_each_node_spanning_its_text() {
    let src = "a or not not b and - c * d + e / - - f == g and h or i";
    assert_eq!(
        expr(src),
        "a or (not (not b) and -c * d + e / --f == g and h) or i"
    );
    assert_eq!(
        node_texts(src),
        [
            src,
            "a or not not b and - c * d + e / - - f == g and h",
            "a",
            "not not b and - c * d + e / - - f == g and h",
            "not not b and - c * d + e / - - f == g",
            // A prefixed operand runs to where the next token starts.
            "not not b ",
            "not not b ",
            "b",
            "- c * d + e / - - f == g",
            "- c * d + e / - - f ",
            "- c * d",
            "- c ",
            "c",
            "d",
            "e / - - f ",
            "e",
            "- - f ",
            "- - f ",
            "f",
            "g",
            "h",
            "i",
        ]
    );
    assert_eq!(expr("a - b * c - d"), "a - b * c - d");
    assert_eq!(
        node_texts("a - b * c - d")[1..4],
        ["a - b * c", "a", "b * c"]
    );
    assert_eq!(expr("a and b or c and d"), "(a and b) or (c and d)");
}

/// Brackets and `if`s nest as deep as the limit says (64 levels), whatever
/// stands inside them. Each rule of the grammar an operand went through
/// counted as a level: six brackets around a name were "nested too deeply,
/// at most 64 levels". Parsed on a thread with a small stack: pest, built
/// without its own probe of the stack, gets a deep enough one.
#[test]
fn brackets_and_ifs_nest_to_the_limit() {
    let n = lsa::syntax::MAX_NESTING;
    let parens = format!("{}a{}", "(".repeat(n), ")".repeat(n));
    let lists = format!("a in {}a{}", "[".repeat(n), "]".repeat(n));
    let calls = format!("{}a{}", "f(x: ".repeat(n), ")".repeat(n));
    let quantifiers = format!("{}a{}", "any(x in l: ".repeat(n), ")".repeat(n));
    let ifs = format!("{}a{}", "if a then b else ".repeat(n), "");
    // Three brackets a step, and one more: 64.
    let mixed = format!(
        "{}(a){}",
        "not (- [x + (".repeat(n / 3),
        ")]) and b".repeat(n / 3)
    );
    let small = std::thread::Builder::new().stack_size(256 << 10);
    let run = small.spawn(move || {
        for src in [parens, lists, calls, quantifiers, ifs, mixed] {
            let text = format!("ruleset t\ndef x: bool = {src}\n");
            assert!(parse_file(FileId(0), &text).is_ok(), "{src}");
            // One level more is refused, in words.
            let deeper = format!("ruleset t\ndef x: bool = ({src})\n");
            assert!(syntax_error(&deeper).contains("nested too deeply"), "{src}");
        }
        let types = format!(
            "ruleset t\ninput i: {}integer{}\n",
            "list<".repeat(n),
            ">".repeat(n)
        );
        assert!(parse_file(FileId(0), &types).is_ok());
    });
    assert!(run
        .and_then(|t| t.join().map_err(|_| std::io::Error::other("panicked")))
        .is_ok());
}

/// A law's files parse on several threads where there is enough text (the
/// shipped law's ten): the same trees, the same errors and the same broken
/// items, each file's its own and in the files' order, as parsed one by one.
#[test]
fn files_parsed_on_several_threads_come_back_as_parsed_one_by_one() {
    let mut files: Vec<(FileId, String)> = lsa::shipped::RULES
        .iter()
        .enumerate()
        .map(|(i, (_, text))| (FileId(i as u32), text.to_string()))
        .collect();
    // Syntax errors in two of them.
    files[1].1 = files[1].1.replacen(" when ", " when and ", 1);
    files[5].1.push_str("\ndef broken: bool = (\n");
    let texts: Vec<(FileId, &str)> = files.iter().map(|(id, t)| (*id, t.as_str())).collect();
    let together = lsa::syntax::parse_all(&texts);
    let one_by_one: Vec<_> = texts
        .iter()
        .map(|&(id, text)| lsa::syntax::parse_recovering(id, text))
        .collect();
    assert_eq!(together.len(), files.len());
    for (a, b) in together.iter().zip(&one_by_one) {
        assert!(a.file.is_some());
        assert_eq!(a.file, b.file);
        assert_eq!(format!("{:?}", a.errors), format!("{:?}", b.errors));
        assert_eq!(format!("{:?}", a.broken), format!("{:?}", b.broken));
    }
    let broken: Vec<usize> = (0..files.len())
        .filter(|&i| !together[i].errors.is_empty())
        .collect();
    assert_eq!(broken, [1, 5]);
    assert!(together[1].errors[0].span.file == FileId(1));
}
