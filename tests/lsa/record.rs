//! Case records: every kind of bad record is an error naming the file, line,
//! column (where the format gives them) and field path, with a suggestion;
//! absent means unknown and null means known-none.

use lsa::record::{read, CaseRecord, Format, RecordError};
use lsa::value::{Slot, Value};

use crate::common::{files, shipped, stem};

/// The position of a field in its record's slots.
fn field_index(program: &lsa::check::Program, record: &str, field: &str) -> usize {
    let rec = program.records.iter().find(|r| r.name == record).unwrap();
    rec.fields.iter().position(|f| f.name == field).unwrap()
}

/// Reads a record; its first problem, if it is invalid.
fn read_text(text: &str, format: Format) -> Result<CaseRecord, RecordError> {
    read(shipped(), text, format, "case").map_err(|e| e.0[0].clone())
}

#[test]
fn a_record_with_three_mistakes_reports_all_three_with_their_positions() {
    for (text, format) in [
        (
            "as_of: 2026-07-15\napplicant:\n  nationalty: PAK\n  security_threat: maybe\napplication:\n  made_on: 2026-02-30\n",
            Format::Yaml,
        ),
        (
            "{\"as_of\": \"2026-07-15\",\n \"applicant\": {\"nationalty\": \"PAK\",\n  \"security_threat\": \"maybe\"},\n \"application\": {\"made_on\": \"2026-02-30\"}}",
            Format::Json,
        ),
    ] {
        let e = read(shipped(), text, format, "case").unwrap_err();
        let found: Vec<(&str, Option<u32>)> =
            e.0.iter().map(|e| (e.path.as_str(), e.line)).collect();
        assert_eq!(
            found,
            [
                ("applicant.nationalty", Some(if format == Format::Yaml { 3 } else { 2 })),
                ("applicant.security_threat", Some(if format == Format::Yaml { 4 } else { 3 })),
                ("application.made_on", Some(if format == Format::Yaml { 6 } else { 4 })),
            ],
            "{format:?}: {e}"
        );
        assert_eq!(e.0[0].help.as_deref(), Some("did you mean `nationality`?"));
        assert!(e.0.iter().all(|e| e.column.is_some()));
    }
}

#[test]
fn a_broken_document_stops_the_reading_after_the_mistakes_before_it() {
    // Not YAML after the first mistakes: those, then the syntax error.
    let e = read(
        shipped(),
        "applicant:\n  nationalty: PAK\n  family_in_lithuania: [\n",
        Format::Yaml,
        "case",
    )
    .unwrap_err();
    assert_eq!(e.0[0].path, "applicant.nationalty");
    let last = e.0.last().unwrap();
    assert!(
        last.path.is_empty() && last.message.contains("not valid YAML"),
        "{e}"
    );
}

#[test]
fn bad_records_snapshot() {
    let program = shipped();
    let mut paths = files("tests/cases/record/err", "yaml");
    paths.extend(files("tests/cases/record/err", "json"));
    assert!(paths.len() >= 12);
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = format!(
            "tests/cases/record/err/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let err = read(program, &text, Format::of_path(&name), &name).expect_err(&name);
        insta::assert_snapshot!(format!("record_err__{}", stem(&path)), err.to_string());
    }
}

#[test]
fn a_misspelled_field_names_its_path_position_and_the_nearest_name() {
    let e = read_text(
        "as_of: 2026-07-15\napplicant:\n  date_of_birth: 1996-03-02\n  nationalty: PAK\n",
        Format::Yaml,
    )
    .unwrap_err();
    assert_eq!(e.path, "applicant.nationalty");
    assert_eq!(e.message, "unknown field");
    assert_eq!(e.help.as_deref(), Some("did you mean `nationality`?"));
    assert_eq!(e.line, Some(4));
    assert!(e.column.is_some());
}

/// A key given twice is placed where it is given the second time (the
/// first is not the mistake), at the top level and in a record, and the
/// record's other mistakes are still reported.
#[test]
fn a_key_given_twice_is_placed_at_its_second_occurrence() {
    let all = |text: &str, format: Format| {
        read(shipped(), text, format, "case")
            .map(|_| panic!("a valid record: {text}"))
            .unwrap_err()
            .0
    };
    let e = all(
        "case: A\nas_of: 2026-07-15\ncase: B\napplicant:\n  security_threat: maybe\n",
        Format::Yaml,
    );
    assert_eq!(
        e.iter()
            .map(|e| (e.path.as_str(), e.line, e.column))
            .collect::<Vec<_>>(),
        [
            ("case", Some(3), Some(1)),
            ("applicant.security_threat", Some(5), Some(20))
        ]
    );
    assert_eq!(e[0].message, "given twice");
    let e = all(
        "applicant:\n  nationality: PAK\n  date_of_birth: 1996-03-02\n  nationality: LTU\n",
        Format::Yaml,
    );
    assert_eq!(
        (e[0].path.as_str(), e[0].line, e[0].column),
        ("applicant.nationality", Some(4), Some(3))
    );
    // JSON: on the line of the second, after its name.
    let e = all(
        "{\"applicant\": {\"nationality\": \"PAK\",\n  \"nationality\": \"LTU\"}}",
        Format::Json,
    );
    assert_eq!(
        (e[0].path.as_str(), e[0].line, e[0].message.as_str()),
        ("applicant.nationality", Some(2), "given twice")
    );
}

#[test]
fn json_errors_have_positions_too() {
    let e = read_text(
        "{\n  \"applicant\": {\n    \"security_threat\": \"no\"\n  }\n}",
        Format::Json,
    )
    .unwrap_err();
    assert_eq!(e.path, "applicant.security_threat");
    assert_eq!(e.line, Some(3));
    assert!(
        e.message.starts_with("expected true or false"),
        "{}",
        e.message
    );
}

#[test]
fn a_value_in_place_of_a_record_names_the_records_type() {
    for (text, format) in [
        ("applicant: [PAK]\n", Format::Yaml),
        ("{\"applicant\": \"PAK\"}", Format::Json),
    ] {
        let e = read_text(text, format).unwrap_err();
        assert_eq!(e.path, "applicant");
        assert!(
            e.message
                .starts_with("expected a record of type `Applicant` (a map of fields), found "),
            "{}",
            e.message
        );
    }
}

#[test]
fn null_only_in_optional_fields() {
    let e = read_text("application:\n  registered_on: null\n", Format::Yaml).unwrap_err();
    assert_eq!(e.path, "application.registered_on");
    assert!(e
        .message
        .contains("null is allowed only for optional fields"));
    let ok = read_text(
        "application:\n  first_instance_decision_on: null\n",
        Format::Yaml,
    )
    .unwrap();
    let program = shipped();
    let app = program
        .inputs
        .iter()
        .position(|i| i.name == "application")
        .unwrap();
    let Slot::Value(Value::Record(r)) = &ok.inputs[app] else {
        panic!()
    };
    let field = field_index(program, "Application", "first_instance_decision_on");
    let made = field_index(program, "Application", "made_on");
    assert_eq!(r[field], Slot::Value(Value::None), "null is a known none");
    assert_eq!(r[made], Slot::Absent, "absent is unknown");
}

#[test]
fn case_id_and_as_of_are_read() {
    let r = read_text("case: 12345\nas_of: 2026-07-15\n", Format::Yaml).unwrap();
    assert_eq!(r.id.as_deref(), Some("12345"));
    assert_eq!(
        r.as_of.map(lsa::value::date_str).as_deref(),
        Some("2026-07-15")
    );
}

/// The case an error object names, as a valid record's output names it (a
/// number as its text): read from a record however broken what follows its
/// `case` is (cut short, nested too deeply, not a record), and from YAML;
/// none where the record gives none or it is not a text or whole number.
#[test]
fn an_invalid_records_case_is_found_for_its_error_object() {
    use lsa::record::case_id;
    use serde_json::json;
    let deep = format!(
        "{{\"case\":\"X-1\",\"applicant\":{}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    for (text, format, id) in [
        (
            "{\"case\":\"T-1\",\"applicant\":{\"nationality\":\"PAK\"",
            Format::Json,
            json!("T-1"),
        ),
        (deep.as_str(), Format::Json, json!("X-1")),
        (
            "{\"applicant\":{\"nationality\":\"PAK\"},\"case\":42}",
            Format::Json,
            json!("42"),
        ),
        (
            "{\"applicant\":[[[[]]]],\"case\":\"late\"}",
            Format::Json,
            json!("late"),
        ),
        (
            "{\"applicant\":{\"nationality\":\"PAK\"",
            Format::Json,
            json!(null),
        ),
        ("{\"case\":{\"id\":1}}", Format::Json, json!(null)),
        ("{\"case\":1.5}", Format::Json, json!(null)),
        ("[\"case\"]", Format::Json, json!(null)),
        ("case: LT-7\napplicant: [\n", Format::Yaml, json!(null)),
        ("case: LT-7\napplicant: 3\n", Format::Yaml, json!("LT-7")),
        ("case: 12345\napplicant: 3\n", Format::Yaml, json!("12345")),
    ] {
        assert_eq!(case_id(text, format), id, "{}", &text[..text.len().min(60)]);
    }
}

/// A byte order mark at the start of a record (Windows editors and exports
/// write one) is passed over by every reader: the same record, the same
/// errors at the same columns, the same case id.
#[test]
fn a_byte_order_mark_before_a_record_is_passed_over() {
    use lsa::record::{case_id, read_document, read_full, read_quick};
    let program = shipped();
    let valid = [
        (
            "{\"case\":\"B-1\",\"as_of\":\"2026-07-15\",\"application\":{\"made_on\":\"2026-07-01\"}}",
            Format::Json,
        ),
        (
            "case: B-1\r\nas_of: 2026-07-15\r\napplication:\r\n  made_on: 2026-07-01\r\n",
            Format::Yaml,
        ),
    ];
    for (text, format) in valid {
        let marked = format!("\u{feff}{text}");
        let plain = read(program, text, format, "case").unwrap();
        assert_eq!(read(program, &marked, format, "case").unwrap(), plain);
        assert_eq!(read_full(program, &marked, format, "case").unwrap(), plain);
        assert_eq!(case_id(&marked, format), serde_json::json!("B-1"));
        assert_eq!(
            read_document(&marked, format, "case").unwrap(),
            read_document(text, format, "case").unwrap()
        );
        if format == Format::Json {
            assert_eq!(read_quick(program, &marked), Some(plain));
        }
    }
    for (text, format) in [
        ("{\"case\":\"B-2\",\"as_of\":\"2026-02-31\"}", Format::Json),
        ("as_of: 2026-02-31\n", Format::Yaml),
    ] {
        let marked = read_text(&format!("\u{feff}{text}"), format).unwrap_err();
        let plain = read_text(text, format).unwrap_err();
        assert_eq!(marked.path, "as_of");
        assert_eq!(
            (marked.line, marked.column, marked.message),
            (plain.line, plain.column, plain.message)
        );
    }
    // A mark and nothing else is an empty file, not a record of unknowns.
    let empty = read_text("\u{feff}", Format::Yaml).unwrap_err();
    assert_eq!(empty.message, "the file is empty");
}

/// Common causes of a syntax error are named in its help: a tab indenting
/// YAML, UTF-16 text (NUL bytes) read as UTF-8, and several records where
/// one is read (a list, YAML documents, a record followed by a comma).
#[test]
fn common_causes_of_a_syntax_error_are_named() {
    for (text, format, says) in [
        (
            "[{\"case\":\"A\"},{\"case\":\"B\"}]",
            Format::Json,
            "JSON Lines",
        ),
        ("{\"case\":\"A\"},", Format::Json, "without commas"),
        ("- case: A\n- case: B\n", Format::Yaml, "holds one case"),
        ("case: A\n---\ncase: B\n", Format::Yaml, "holds one case"),
    ] {
        let e = read_text(text, format).unwrap_err();
        assert!(
            e.help.as_deref().unwrap_or("").contains(says),
            "{text}: {e:?}"
        );
    }
    // A document that may hold several things (an expectation file) is not
    // told it holds one case.
    let e = lsa::record::read_document("- a: 1\n---\n- b: 2\n", Format::Yaml, "t").unwrap_err();
    assert!(e.message.contains("several documents"), "{e:?}");
    assert_eq!(e.help, None);
    assert_eq!(
        read_text("{\"case\":\"A\"} x", Format::Json)
            .unwrap_err()
            .help,
        None
    );
    let tab = read_text(
        "case: T\napplication:\n\tmade_on: 2026-07-01\n",
        Format::Yaml,
    );
    let tab = tab.unwrap_err();
    assert_eq!((tab.line, tab.column), (Some(3), Some(1)));
    assert!(tab.help.unwrap().contains("not tabs"));
    let nul: String = "{\"case\":\"A\"}".chars().flat_map(|c| [c, '\0']).collect();
    assert!(read_text(&nul, Format::Json)
        .unwrap_err()
        .help
        .unwrap()
        .contains("UTF-16"));
    let spaces = read_text("case: T\napplication: [\n", Format::Yaml).unwrap_err();
    assert_eq!(spaces.help, None);
}

/// A mistake in `as_of` is placed at its value, as a field's is (YAML had
/// it at the start of the record), and the mistakes after it are found too.
#[test]
fn a_mistaken_as_of_is_placed_at_its_value() {
    let program = shipped();
    for (value, says) in [
        ("2026-02-30", "`2026-02-30` is not a date like 2026-07-15"),
        ("true", "expected a date like 2026-07-15, found true"),
        ("[1]", "expected a date like 2026-07-15, found a list"),
        ("null", "null is allowed only for optional fields"),
    ] {
        let text = format!("case: A\nas_of: {value}\napplicant:\n  nationalty: PAK\n");
        let errors = read(program, &text, Format::Yaml, "case").unwrap_err().0;
        assert_eq!(errors.len(), 2, "{value}: {errors:?}");
        let (first, second) = (&errors[0], &errors[1]);
        assert_eq!((first.line, first.column), (Some(2), Some(8)), "{value}");
        assert_eq!(
            (first.path.as_str(), first.message.as_str()),
            ("as_of", says)
        );
        assert_eq!(second.path, "applicant.nationalty");
    }
}

/// A truth written as a text (quoted, or in words, English or Lithuanian)
/// is refused, with how to write it.
#[test]
fn a_truth_in_words_is_refused_saying_how_to_write_it() {
    for (value, help) in [
        (
            "taip",
            "write `true` for \"taip\" (true or false, without quotes)",
        ),
        (
            "Ne",
            "write `false` for \"Ne\" (true or false, without quotes)",
        ),
        ("\"true\"", "write true without quotes"),
        ("maybe", "write true or false, without quotes"),
        (
            "false\n   misled_authorities",
            "if the next line is a field of its own, indent it as this one (indented deeper, YAML reads it as part of this value)",
        ),
    ] {
        let text = format!("applicant:\n  security_threat: {value}\n");
        let e = read_text(&text, Format::Yaml).unwrap_err();
        assert_eq!(e.path, "applicant.security_threat");
        assert!(
            e.message
                .starts_with("expected true or false, found the text"),
            "{e:?}"
        );
        assert_eq!(e.help.as_deref(), Some(help), "{value}");
    }
}

/// Every wording the reader uses for a bad record, met here on records
/// that make each one, is put into Lithuanian (a wording it does not know
/// would be shown in English); the Lithuanian of each is a snapshot to
/// review.
#[test]
fn every_problem_with_a_record_is_worded_in_lithuanian() {
    use lsa::lang::Lang;
    use lsa::record::{lithuanian, read_document};
    let shipped = shipped();
    // Fields of the kinds the shipped record has none of.
    let kinds = crate::common::program(
        "ruleset t\nrecord R {\n  fee: money\n  stay: duration\n  at: datetime\n  count: integer\n}\ninput r: R\n",
    );
    let mut paths = files("tests/cases/record/err", "yaml");
    paths.extend(files("tests/cases/record/err", "json"));
    let mut records: Vec<(&lsa::check::Program, String, Format)> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            (shipped, text, Format::of_path(&p.to_string_lossy()))
        })
        .collect();
    for (program, text, format) in [
        (
            shipped,
            "applicant: { security_threat: \"true\" }",
            Format::Yaml,
        ),
        (
            shipped,
            "applicant: { security_threat: maybe }",
            Format::Yaml,
        ),
        (shipped, "as_of: null", Format::Yaml),
        (
            shipped,
            "applicant: { date_of_birth: 19960302 }",
            Format::Yaml,
        ),
        (shipped, "applicant: 3", Format::Yaml),
        (
            shipped,
            "{\"applicant\": {\"nationality\": 5}}",
            Format::Json,
        ),
        (shipped, "applicant: { zzzzzzzz: 1 }", Format::Yaml),
        (shipped, "zzzzzzzz: 1", Format::Yaml),
        (shipped, "responsibility: { family: {} }", Format::Yaml),
        (
            shipped,
            "application: { recognition_rate_pct: 12.5% }",
            Format::Yaml,
        ),
        (
            shipped,
            "{\"application\": {\"recognition_rate_pct\": 1e300}}",
            Format::Json,
        ),
        (
            shipped,
            "application:\n\tmade_on: 2026-07-01\n",
            Format::Yaml,
        ),
        (shipped, "{\"case\":\"A\"},", Format::Json),
        (shipped, "case: A\n---\ncase: B\n", Format::Yaml),
        (shipped, "~", Format::Yaml),
        (
            &kinds,
            "r: { fee: 12 EUROS, stay: forever, at: noon, count: 99999999999999999999 }",
            Format::Yaml,
        ),
        (&kinds, "r: { count: 1.5 }", Format::Yaml),
    ] {
        records.push((program, text.to_string(), format));
    }
    records.push((
        shipped,
        "{\"case\":\"A\"}".chars().flat_map(|c| [c, '\0']).collect(),
        Format::Json,
    ));
    let mut shown = String::new();
    for (program, text, format) in &records {
        let Err(invalid) = read(program, text, *format, "case") else {
            panic!("a valid record: {text}");
        };
        for e in &invalid.0 {
            // The parsers' own words follow a wording of ours.
            let parsers = e.message.starts_with("not valid ");
            assert!(
                lithuanian(&e.message).is_some() || parsers,
                "not in Lithuanian: {}",
                e.message
            );
            if let Some(help) = &e.help {
                assert!(lithuanian(help).is_some(), "not in Lithuanian: {help}");
            }
        }
        shown.push_str(&invalid.display_in(Lang::Lt));
        shown.push('\n');
    }
    let several = read_document("- a\n---\n- b\n", Format::Yaml, "t").unwrap_err();
    assert!(lithuanian(&several.message)
        .unwrap()
        .contains("keli dokumentai"));
    insta::assert_snapshot!("record_errors_in_lithuanian", shown);
}

#[test]
fn decimals_are_read_exactly() {
    let program = shipped();
    let r = read(
        program,
        "{\"application\": {\"recognition_rate_pct\": 20.1}}",
        Format::Json,
        "x",
    )
    .unwrap();
    let app = program
        .inputs
        .iter()
        .position(|i| i.name == "application")
        .unwrap();
    let Slot::Value(Value::Record(rec)) = &r.inputs[app] else {
        panic!()
    };
    assert!(rec.contains(&Slot::Value(Value::Percent("20.1".parse().unwrap()))));
}

#[test]
fn json_numbers_keep_their_decimal_value_however_written() {
    let program = shipped();
    let pct = field_index(program, "Application", "recognition_rate_pct");
    let app = program
        .inputs
        .iter()
        .position(|i| i.name == "application")
        .unwrap();
    for (written, expected) in [
        ("20.1", "20.1"),
        ("45", "45"),
        ("45.0", "45"),
        ("1e-7", "0.0000001"),
        ("2.5E1", "25"),
        ("0.30000000000000004", "0.30000000000000004"),
    ] {
        let text = format!("{{\"application\": {{\"recognition_rate_pct\": {written}}}}}");
        let r = read(program, &text, Format::Json, "x").unwrap();
        let Slot::Value(Value::Record(rec)) = &r.inputs[app] else {
            panic!()
        };
        let Slot::Value(Value::Percent(d)) = &rec[pct] else {
            panic!("{written}: {:?}", rec[pct])
        };
        assert_eq!(
            d.normalize(),
            expected.parse::<rust_decimal::Decimal>().unwrap(),
            "{written}"
        );
    }
}

/// `lsa diff --set` puts each fact into the case as read (`FactsSet`), the
/// value read once; `lsa check --set` puts it into the file's tree and reads
/// the whole (`read_with`). Both give the same record, or both refuse, for
/// every example and every kind of path: a field, a record made where the
/// case has none or `null`, a list's item (there or not), `null`, `as_of`
/// and `case`.
#[test]
fn facts_set_on_a_case_read_are_the_facts_set_in_its_file() {
    use lsa::lang::Lang;
    use lsa::record::{read_with, FactsSet};
    let sets: &[&[(&str, &str)]] = &[
        &[("context.border_capacity_reached", "true")],
        &[
            ("applicant.family_in_lithuania", "true"),
            ("applicant.nationality", "SYR"),
        ],
        &[("relocation.arrived_on", "2026-08-01")],
        &[("relocation", "null")],
        &[("responsibility.entries[0].on", "2026-07-01")],
        &[("responsibility.entries[1].member_state", "ITA")],
        &[("application.first_instance_decision_on", "null")],
        &[("as_of", "2027-01-01"), ("case", "X-1")],
    ];
    // For each set: on how many examples both gave a record, and both refused.
    let mut agreed = vec![(0, 0); sets.len()];
    for path in files("tests/examples", "yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.to_str().unwrap();
        let Ok(record) = read(shipped(), &text, Format::Yaml, name) else {
            continue;
        };
        for (i, set) in sets.iter().enumerate() {
            let set: Vec<(String, String)> = set
                .iter()
                .map(|(p, v)| (p.to_string(), v.to_string()))
                .collect();
            // `relocation` takes a record, not null: refused before any case.
            let put = FactsSet::new(shipped(), &set, Lang::En)
                .and_then(|facts| facts.apply(&record, Lang::En));
            let read = read_with(shipped(), &text, Format::Yaml, name, &set, Lang::En);
            match (put, read) {
                (Ok(a), Ok((b, _))) => {
                    assert_eq!(a, b, "{name} {set:?}");
                    agreed[i].0 += 1;
                }
                (Err(_), Err(_)) => agreed[i].1 += 1,
                (a, b) => panic!("{name} {set:?}: {a:?} against {b:?}"),
            }
        }
    }
    for (i, &(records, refusals)) in agreed.iter().enumerate() {
        match i {
            // Null where a record is required: refused on every example.
            3 => assert_eq!(records, 0),
            _ => assert!(records > 0, "{:?}: {agreed:?}", sets[i]),
        }
        // A list's item that some examples lack: refused on those.
        if i == 5 || i == 3 {
            assert!(refusals > 0, "{:?}: {agreed:?}", sets[i]);
        }
    }
}
