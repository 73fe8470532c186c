//! Properties checked on arbitrary input: each function panics (so the
//! fuzzer reports it) if lsa panics, or if a property fails.

use std::sync::LazyLock;

use lsa::check::Program;
use lsa::diag::FileId;
use lsa::record::Format;

/// The shipped law, compiled once.
static SHIPPED: LazyLock<Program> = LazyLock::new(|| {
    lsa::shipped::compile()
        .program
        .unwrap_or_else(|| panic!("the shipped rules compile"))
});

/// An evaluation date for records without one.
fn as_of() -> jiff::civil::Date {
    jiff::civil::date(2026, 7, 15)
}

/// A record evaluated explained and not: the outcomes agree, every
/// explanation renders, and the two JSON writers write the same line.
fn evaluate_both_ways(program: &Program, inputs: &[lsa::value::Slot], date: jiff::civil::Date) {
    let plain = lsa::explain::evaluate(program, "x".into(), inputs, date, false);
    let explained = lsa::explain::evaluate(program, "x".into(), inputs, date, true);
    assert_eq!(
        plain.outcomes, explained.outcomes,
        "explaining changed an outcome"
    );
    assert_eq!(explained.derivations().count(), program.decisions.len());
    let _ = lsa::explain::case_text(program, &explained);
    let _ = lsa::explain::case_json(program, &explained);
    let (mut fast, mut serialized) = (Vec::new(), Vec::new());
    lsa::explain::CaseWriter::new(program).write(&mut fast, &plain);
    lsa::explain::write_case_json(&mut serialized, program, &plain);
    assert_eq!(
        fast, serialized,
        "the batch writer and the serializer differ"
    );
    if let Ok(line) = std::str::from_utf8(&serialized) {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "not valid JSON: {line}"
        );
    }
}

/// The rule compiler: any text compiles to a program or to diagnostics
/// (never neither, never a panic), every diagnostic renders, and a program
/// evaluates a record in which every fact is unknown, explained or not,
/// to the same outcomes.
pub fn compile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let compiled = lsa::check::compile(&[("fuzz.rules", text)]);
    assert!(compiled.program.is_some() || !compiled.diagnostics.is_empty());
    for d in &compiled.diagnostics {
        let _ = compiled.files.render(d);
        let _ = compiled.files.to_json(d);
    }
    if let Some(program) = &compiled.program {
        if let Ok(record) = lsa::record::read(program, "{}", Format::Json, "x") {
            evaluate_both_ways(program, &record.inputs, as_of());
        }
    }
}

/// The record reader, against the shipped law: any text, read as YAML and
/// as JSON, is a record or a list of problems (each with a message), never
/// a panic; a record is evaluated explained and not, to the same outcomes;
/// and where the quick reading of JSON reads the text, the full reader reads
/// the same record.
pub fn record(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let program = &*SHIPPED;
    // The quick reading of JSON reads a record only as the full reader does.
    if let Some(quick) = lsa::record::read_quick(program, text) {
        assert_eq!(
            Ok(quick),
            lsa::record::read_full(program, text, Format::Json, "x"),
            "the quick reading differs from the full reader's"
        );
    }
    for format in [Format::Yaml, Format::Json] {
        match lsa::record::read(program, text, format, "x") {
            Ok(record) => {
                evaluate_both_ways(program, &record.inputs, record.as_of.unwrap_or_else(as_of))
            }
            Err(invalid) => {
                assert!(!invalid.0.is_empty());
                assert!(invalid.0.iter().all(|e| !e.message.is_empty()));
            }
        }
    }
    // `lsa check --set`: a first line `path=value` set on the record that
    // follows it gives a record or a message, and a record evaluates
    // explained and not to the same outcomes.
    let Some((first, rest)) = text.split_once('\n') else {
        return;
    };
    let Some((path, value)) = first.split_once('=') else {
        return;
    };
    let sets = [(path.to_string(), value.to_string())];
    for format in [Format::Yaml, Format::Json] {
        match lsa::record::read_with(program, rest, format, "x", &sets, lsa::lang::Lang::En) {
            Ok((record, given)) => {
                assert_eq!(given.len(), 1);
                evaluate_both_ways(program, &record.inputs, record.as_of.unwrap_or_else(as_of))
            }
            Err(message) => assert!(!message.is_empty()),
        }
    }
}

/// The formatter: a file that parses formats to text that parses to the same
/// syntax tree, with the same comments in the same order, and formatting
/// that again changes nothing.
pub fn fmt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(ast) = lsa::syntax::parse_file(FileId(0), text) else {
        return;
    };
    let once = lsa::syntax::print::file(&ast, text);
    let reparsed = match lsa::syntax::parse_file(FileId(0), &once) {
        Ok(r) => r,
        Err(d) => panic!("formatted text does not parse: {}\n{once}", d.message),
    };
    assert_eq!(
        shape(&ast),
        shape(&reparsed),
        "formatting changed the meaning:\n{once}"
    );
    let twice = lsa::syntax::print::file(&reparsed, &once);
    assert_eq!(once, twice, "formatting is not idempotent");
    let before: Vec<String> = lsa::syntax::comments(text)
        .into_iter()
        .map(|c| c.1)
        .collect();
    let after: Vec<String> = lsa::syntax::comments(&once)
        .into_iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(before, after, "comments lost or changed:\n{once}");
}

/// The Debug text of a syntax tree without its spans.
pub fn shape(file: &lsa::syntax::ast::File) -> String {
    let text = format!("{file:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i..).unwrap_or("");
        let close = after.find('}').unwrap_or(after.len().saturating_sub(1));
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}
