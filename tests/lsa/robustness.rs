//! Bad input never panics or overflows the stack: arbitrary text, huge files,
//! deep nesting, invalid UTF-8, empty files and folders where files belong.

use proptest::prelude::*;

use crate::common::{compile_one, exits_with, lsa, rendered, scratch, shipped, stderr};

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
        let _ = lsa::record::read(program, &text, lsa::record::Format::Yaml, "x");
        let _ = lsa::record::read(program, &text, lsa::record::Format::Json, "x");
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
        // The line, tens of kilobytes long, shown cut around the place.
        assert!(
            r.lines().all(|l| l.chars().count() < 300) && r.contains('…'),
            "{}",
            &r[..r.len().min(1000)]
        );
    }
}

/// Two thousand errors on one 27 kB line are each shown around their own
/// place: what is printed grows with the errors, not with the line times
/// the errors (before, each printed the whole line: 54 MB here), and each
/// header gives the file's own column.
#[test]
fn many_errors_on_one_long_line_are_each_shown_around_their_place() {
    let names: Vec<String> = (0..2000).map(|i| format!("nope{i}")).collect();
    let text = format!(
        "ruleset t\ninput x: integer\ndef d: bool = x in [{}]\n",
        names.join(", ")
    );
    let c = compile_text(&text);
    assert!(c.program.is_none());
    assert_eq!(c.diagnostics.iter().filter(|d| d.is_error()).count(), 2000);
    let r = rendered(&c);
    assert!(r.len() < 2_000_000, "{} bytes", r.len());
    let line = text.lines().nth(2).unwrap_or_default();
    let col = line.find("nope1999").unwrap_or_default() + 1;
    assert!(r.contains(&format!(":3:{col}\n")), "column {col}");
}

#[test]
fn invalid_utf8_empty_files_and_folders_are_clear_errors() {
    let dir = scratch("bad-files");
    std::fs::write(dir.join("bad.rules"), b"ruleset t\n// \xff\xfe\n").unwrap();
    let out = lsa(&["lint", "--rules", dir.to_str().unwrap()]);
    exits_with(&out, 1, "bad.rules: not valid UTF-8 (at byte 13)");

    let empty = scratch("empty-file");
    std::fs::write(empty.join("empty.rules"), "").unwrap();
    let out = lsa(&["lint", "--rules", empty.to_str().unwrap()]);
    exits_with(&out, 2, "empty.rules:1:1");

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
    exits_with(&out, 1, "no `.rules` files");

    let case = scratch("bad-case");
    std::fs::write(case.join("c.yaml"), b"applicant: \xff\n").unwrap();
    let out = lsa(&["check", case.join("c.yaml").to_str().unwrap()]);
    // An invalid record (as among other case files: the others go on).
    exits_with(&out, 3, "c.yaml: not valid UTF-8 (at byte 11)");
}

/// A random case record for the shipped rules: each field absent (unless
/// `complete`), null where allowed, or one of a few values of its type
/// (dates around the Pact's application; lists of up to three items),
/// chosen by `pick`.
pub(crate) fn random_record(
    program: &lsa::check::Program,
    pick: &mut impl FnMut(usize) -> usize,
    complete: bool,
) -> String {
    use lsa::value::Type;
    fn value(
        program: &lsa::check::Program,
        ty: &Type,
        pick: &mut impl FnMut(usize) -> usize,
        complete: bool,
    ) -> Option<serde_json::Value> {
        use serde_json::json;
        if ty.is_optional() && pick(5) == 0 {
            return Some(serde_json::Value::Null);
        }
        Some(match ty.base() {
            Type::Bool => json!(pick(2) == 0),
            Type::Integer => json!(pick(40) as i64 + 1),
            Type::Decimal | Type::Percent => {
                json!([0.0, 12.5, 19.9, 20.0, 20.1, 45.0, 100.0][pick(7)])
            }
            Type::Money => json!("100.00 EUR"),
            // (Texts the shipped patterns allow: three capital letters;
            // two of them safe countries of origin, APR Annex II.)
            Type::Text => json!(["PAK", "AFG", "SYR", "BGD", "MAR"][pick(5)]),
            // (From July 2026, when every time limit of the rules has its period.)
            Type::Date => {
                let m = pick(12);
                let (y, m) = if m < 6 { (2026, m + 7) } else { (2027, m - 5) };
                json!(format!("{y}-{m:02}-{:02}", 1 + pick(28)))
            }
            Type::DateTime => json!(format!("2026-07-{:02}T{:02}:30", 1 + pick(28), pick(24))),
            Type::Duration => json!(["3 days", "2 weeks", "1 month"][pick(3)]),
            Type::Enum(e) => {
                let variants = &program.enums[e.0 as usize].variants;
                json!(variants[pick(variants.len())])
            }
            Type::Record(r) => {
                let rec = program.record(*r)?;
                let mut m = serde_json::Map::new();
                for f in &rec.fields {
                    // A fifth of the fields left out: the file is incomplete.
                    if complete || pick(5) != 0 {
                        if let Some(v) = value(program, &f.ty, pick, complete) {
                            m.insert(f.name.clone(), v);
                        }
                    }
                }
                serde_json::Value::Object(m)
            }
            Type::List(item) => serde_json::Value::Array(
                (0..pick(4))
                    .filter_map(|_| value(program, item, pick, complete))
                    .collect(),
            ),
            Type::Optional(_) | Type::Error => return None,
        })
    }
    let mut top = serde_json::Map::new();
    top.insert(
        "as_of".into(),
        serde_json::json!(format!("2026-{:02}-15", 6 + pick(6))),
    );
    for input in &program.inputs {
        if complete || pick(8) != 0 {
            if let Some(v) = value(program, &input.ty, pick, complete) {
                top.insert(input.name.clone(), v);
            }
        }
    }
    serde_json::Value::Object(top).to_string()
}

/// Fixed choices for [`random_record`], different for each seed (for the
/// tests that need a known number of records).
fn seeded_choices(seed: u16) -> Vec<u16> {
    (0..600u16)
        .map(|i| i.wrapping_mul(7919).wrapping_add(seed.wrapping_mul(10_007)) ^ (i >> 3))
        .collect()
}

/// Choices for [`random_record`] from proptest's numbers, in turn.
pub(crate) fn picker(choices: &[u16]) -> impl FnMut(usize) -> usize + '_ {
    let mut at = 0;
    move |n: usize| {
        at += 1;
        choices
            .get(at % choices.len())
            .map(|c| *c as usize % n.max(1))
            .unwrap_or(0)
    }
}

/// A random record (JSON, with its as-of date) evaluated, explained or not.
fn evaluated<'p>(
    program: &'p lsa::check::Program,
    text: &str,
    explain: bool,
) -> lsa::explain::CaseReport<'p> {
    let rec = lsa::record::read(program, text, lsa::record::Format::Json, "x").unwrap();
    lsa::explain::evaluate(
        program,
        "x".into(),
        &rec.inputs,
        rec.as_of.unwrap(),
        explain,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Explaining never changes an outcome, and every explanation renders.
    /// (In test builds every explained value is also checked against the
    /// evaluator's, expression by expression.)
    #[test]
    fn explanations_agree_with_evaluation_on_random_records(choices in prop::collection::vec(any::<u16>(), 400)) {
        let program = shipped();
        let mut pick = picker(&choices);
        let text = random_record(program, &mut pick, false);
        let plain = evaluated(program, &text, false);
        let explained = evaluated(program, &text, true);
        prop_assert_eq!(&plain.outcomes, &explained.outcomes, "{}", text);
        prop_assert_eq!(explained.derivations().count(), program.decisions.len());
        let words = lsa::explain::case_text(program, &explained);
        prop_assert!(words.contains("procedure.track"));
        let json = lsa::explain::case_json(program, &explained);
        prop_assert!(json["outcomes"]["procedure.track"]["explanation"].is_object());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// An explanation's memory is reused for the thread's next case: what one
    /// case kept never shows in the next one's explanation (the same as on a
    /// thread that has explained nothing before).
    #[test]
    fn reused_memory_carries_nothing_over(choices in prop::collection::vec(any::<u16>(), 800)) {
        let program = shipped();
        let mut pick = picker(&choices);
        let texts = [random_record(program, &mut pick, false), random_record(program, &mut pick, false)];
        let explain = |text: &str| lsa::explain::case_json(program, &evaluated(program, text, true));
        let fresh = std::thread::scope(|s| s.spawn(|| explain(&texts[1])).join().unwrap());
        let first = explain(&texts[0]);
        let second = explain(&texts[1]);
        prop_assert!(first["outcomes"].is_object());
        prop_assert_eq!(second, fresh, "{}\nafter\n{}", &texts[1], &texts[0]);
    }
}

/// A random record's outcomes and warnings by the fast evaluation of
/// complete files (`None` where it gives up) and by the general evaluator.
pub(crate) fn both_ways(program: &lsa::check::Program, text: &str) -> (Option<Results>, Results) {
    let rec = lsa::record::read(program, text, lsa::record::Format::Json, "x").unwrap();
    let as_of = rec.as_of.unwrap();
    let fast = lsa::eval::fast::outcomes(program, &rec.inputs, as_of);
    let mut general = lsa::eval::Evaluation::new(program, &rec.inputs, as_of);
    let warned = general.warned();
    // Where the fast evaluation leaves the warnings to the general
    // evaluator, only its outcomes are its own to compare.
    let warned = match &fast {
        Some((_, None)) => None,
        _ => Some(warned),
    };
    (fast, (general.finish().0, warned))
}

use lsa::eval::Results;

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The fast evaluation gives exactly the general evaluator's outcomes,
    /// or gives up (files complete or not, lists of every length to three).
    #[test]
    fn fast_evaluation_agrees_with_the_general_evaluator(
        choices in prop::collection::vec(any::<u16>(), 600),
        complete in any::<bool>(),
    ) {
        let program = shipped();
        let mut pick = picker(&choices);
        let text = random_record(program, &mut pick, complete);
        let (fast, general) = both_ways(program, &text);
        if let Some(fast) = fast {
            prop_assert_eq!(fast, general, "{}", text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// `lsa batch` writes a case the fast evaluation decided from where it
    /// left the outcomes (`write_evaluated`); the line is the one written
    /// of the case's report, byte for byte (complete files or not).
    #[test]
    fn a_case_is_written_the_same_from_its_outcomes_in_place_and_from_its_report(
        choices in prop::collection::vec(any::<u16>(), 600),
        complete in any::<bool>(),
    ) {
        let program = shipped();
        let mut pick = picker(&choices);
        let text = random_record(program, &mut pick, complete);
        let rec = lsa::record::read(program, &text, lsa::record::Format::Json, "x").unwrap();
        let as_of = rec.as_of.unwrap();
        let writer = lsa::explain::CaseWriter::new(program);
        let evaluated = lsa::explain::evaluated(program, "x".into(), &rec.inputs, as_of, false);
        let in_place = matches!(evaluated, lsa::explain::Evaluated::Fast(_));
        let (mut a, mut b) = (Vec::new(), Vec::new());
        writer.write_evaluated(&mut a, &evaluated);
        let mut statuses = Vec::new();
        evaluated.each_status(|s| statuses.push(s));
        let report = evaluated.into_report(program);
        writer.write(&mut b, &report);
        let reported: Vec<_> = report.outcomes.iter().map(|(_, o)| o.status()).collect();
        prop_assert_eq!(statuses, reported);
        prop_assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap(), "{}", text);
        // A complete file is (nearly always) decided the fast way, so the
        // comparison above is of the two ways of writing.
        prop_assert!(in_place || !complete || lsa::eval::fast::outcomes(program, &rec.inputs, as_of).is_none());
    }
}

/// The fast evaluation decides most complete files, and raises warnings on
/// some, so that the test above compares something. (It gives up on the others: a null date compared in
/// a condition, say, is an error the general evaluator reports, or finds
/// does not matter.)
#[test]
fn fast_evaluation_decides_most_complete_files() {
    let program = shipped();
    let (mut decided, mut warned) = (0, 0);
    for seed in 0..200u16 {
        let choices = seeded_choices(seed);
        let text = random_record(program, &mut picker(&choices), true);
        let (fast, general) = both_ways(program, &text);
        if let Some(fast) = fast {
            assert_eq!(fast, general, "{text}");
            decided += 1;
            warned += usize::from(fast.1.as_ref().is_some_and(|w| !w.is_empty()));
        }
    }
    assert!(
        decided >= 150,
        "the fast evaluation decided only {decided} of 200 complete files"
    );
    // (Random dates are often out of order: the warnings are compared too.)
    assert!(
        warned >= 20,
        "the fast evaluation raised warnings on only {warned} files"
    );
}

/// A JSON text with `edits` made to it, each (where, what): one of JSON's
/// own pieces (quotes, escapes, digits, signs, exponents, white space,
/// brackets, `null`) put in place of a character, put in before it, or the
/// character taken out.
fn edited(text: &str, edits: &[(u16, u8)]) -> String {
    const PIECES: [&str; 20] = [
        "\"", "\\", "\\n", "\\u0041", "0", "-", ".", "e", "E5", "1", " ", "\n", "\t", ",", ":",
        "{", "}", "[", "]", "null",
    ];
    let mut t = text.to_string();
    for &(at, what) in edits {
        let mut i = at as usize % (t.len() + 1);
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        let piece = PIECES[what as usize % PIECES.len()];
        let next = t[i..].chars().next().map_or(0, char::len_utf8);
        match what as usize / PIECES.len() {
            0 => t.replace_range(i..i + next, piece),
            1 => t.insert_str(i, piece),
            _ => t.replace_range(i..i + next, ""),
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// The quick reading of JSON gives the full reader's record, or leaves
    /// the record to it: on random records, complete or not, and on random
    /// edits of them.
    #[test]
    fn quick_json_reading_agrees_with_the_full_reader(
        choices in prop::collection::vec(any::<u16>(), 600),
        complete in any::<bool>(),
        edits in prop::collection::vec((any::<u16>(), 0u8..60), 0..4),
    ) {
        let program = shipped();
        let text = edited(&random_record(program, &mut picker(&choices), complete), &edits);
        if let Some(quick) = lsa::record::read_quick(program, &text) {
            let full = lsa::record::read_full(program, &text, lsa::record::Format::Json, "x");
            prop_assert_eq!(Ok(quick), full, "{}", text);
        }
    }
}

/// The quick reading takes every plain record, written compact or pretty
/// (so that the test above compares something).
#[test]
fn quick_json_reading_reads_plain_records() {
    let program = shipped();
    for seed in 0..200u16 {
        let choices = seeded_choices(seed);
        let compact = random_record(program, &mut picker(&choices), seed % 2 == 0);
        let tree: serde_json::Value = serde_json::from_str(&compact).unwrap();
        for text in [compact, serde_json::to_string_pretty(&tree).unwrap()] {
            let full = lsa::record::read_full(program, &text, lsa::record::Format::Json, "x");
            assert_eq!(
                lsa::record::read_quick(program, &text).ok_or(()),
                full.map_err(|_| ()),
                "{text}"
            );
        }
    }
}

/// What the quick reading leaves to the full reader, and what it takes,
/// at the edges of JSON's numbers, texts and maps.
#[test]
fn quick_json_reading_leaves_the_unusual_to_the_full_reader() {
    let program = shipped();
    let record = |application: &str| {
        format!(r#"{{"case":"A-1","as_of":"2026-07-01","application":{{{application}}}}}"#)
    };
    let rate = |n: &str| record(&format!(r#""recognition_rate_pct":{n}"#));
    let cases = [
        (rate("12.5"), true),
        (rate("12.50"), true),
        (rate("45"), true),
        (rate("0"), true),
        (rate("99.9999"), true),
        (rate("0.000000000001"), true),
        (rate("-0"), false),
        (rate("-0.0"), true),
        (rate("1e1"), false),
        (rate("012"), false),
        (rate("12."), false),
        (rate(".5"), false),
        (rate("1.0000000000000001"), false),
        (rate("100.5"), false),
        (rate("\"12.5\""), false),
        (rate("null"), false),
        (record(r#""circumstances":"transit_zone""#), true),
        (record(r#""circumstances":"transit\u005fzone""#), false),
        (
            record(r#""circumstances":"transit_zone","circumstances":"transit_zone""#),
            false,
        ),
        (record(r#""circumstances":"transit_zone","#), false),
        (record(r#""circumstance":"transit_zone""#), false),
        (
            record(r#""screening_ended_on":null,"made_on":"2026-06-01""#),
            true,
        ),
        (record(r#""made_on":null"#), false),
        (record(r#""made_on":"2026-02-30""#), false),
        (
            record(r#" "made_on" : "2026-06-01" , "lodged_on":"2026-06-02" "#),
            true,
        ),
        // A byte order mark is passed over by both readers.
        (format!("\u{feff}{}", record("")), true),
        (format!("\u{feff}\u{feff}{}", record("")), false),
        (format!("{} x", record("")), false),
        (format!("{}\n", record("")), true),
        (r#"{"case":7}"#.to_string(), false),
        (r#"{"applicant":{"nationality":"pak"}}"#.to_string(), false),
        (r#"{"applicant":{"nationality":"PAK"}}"#.to_string(), true),
        (
            r#"{"applicant":{"nationality":"Lietuvą"}}"#.to_string(),
            false,
        ),
        (r#"{"responsibility":{"family":[]}}"#.to_string(), true),
        (r#"{"responsibility":{"family":[{},{}]}}"#.to_string(), true),
        (r#"{"responsibility":{"family":[{},]}}"#.to_string(), false),
        // White space at every place JSON allows it: around the record,
        // each key, colon and comma, and inside empty and full brackets.
        (
            "\t{ \"case\" :\n\"A-1\" ,\"responsibility\" : { \"family\" : [ { } , {\n} ] , \"documents\":[ ] } } \n"
                .to_string(),
            true,
        ),
        (r#"{"responsibility":{"family":[{} ,{}]}}"#.to_string(), true),
        (r#"{"responsibility":{"family":{}}}"#.to_string(), false),
        ("[]".to_string(), false),
        ("".to_string(), false),
    ];
    for (text, quick) in cases {
        let full = lsa::record::read_full(program, &text, lsa::record::Format::Json, "x");
        match lsa::record::read_quick(program, &text) {
            Some(record) => {
                assert!(quick, "read the quick way, but should not be: {text}");
                assert_eq!(Ok(record), full, "{text}");
            }
            None => assert!(!quick, "left to the full reader: {text}"),
        }
    }
}
