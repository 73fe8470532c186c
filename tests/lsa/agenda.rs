//! `lsa agenda`: the dates the law sets for a caseload's cases, in date
//! order within a window, and those that cannot be computed yet.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{
    exits_with, json_lines, lsa, repo, scratch, stderr, stdout, without_law_identity,
};

fn agenda_json(args: &[&str]) -> Value {
    let out = lsa(&[&["agenda"], args, &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Every date in the window is the one `lsa check` gives that case for that
/// determination, with the same rule and citation; every date `lsa check`
/// gives in the window is there, in date order; every date-valued
/// determination it leaves unknown is among the open ones, with the facts
/// it needs.
#[test]
fn every_date_in_the_window_is_the_one_lsa_check_gives_in_date_order() {
    let (from, to) = ("2026-07-01", "2026-09-30");
    let agenda = agenda_json(&["tests/examples", "--from", from, "--to", to]);
    assert_eq!(
        (agenda["from"].as_str(), agenda["to"].as_str()),
        (Some(from), Some(to))
    );
    let checked = lsa(&["check", "tests/examples", "--format", "json"]);
    let cases = json_lines(&stdout(&checked));
    assert_eq!(agenda["cases"].as_u64(), Some(cases.len() as u64));
    // Each case's date-valued outcomes, as `lsa check` gives them.
    let mut expected_dates = Vec::new();
    let mut expected_open = BTreeMap::new();
    let mut outcomes = BTreeMap::new();
    let mut warnings = BTreeMap::new();
    for case in &cases {
        let id = case["case"].as_str().unwrap().to_string();
        let warned: Vec<Value> = case["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["warning"].clone())
            .collect();
        warnings.insert(id.clone(), Value::from(warned));
        for (key, o) in case["outcomes"].as_object().unwrap() {
            outcomes.insert((id.clone(), key.clone()), o.clone());
            let is_date = |v: &Value| {
                v.as_str().is_some_and(|s| {
                    s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
                })
            };
            match o["status"].as_str().unwrap() {
                "determined" if is_date(&o["value"]) => {
                    let date = o["value"].as_str().unwrap().to_string();
                    if from <= date.as_str() && date.as_str() <= to {
                        expected_dates.push((date, id.clone(), key.clone()));
                    }
                }
                "unknown" => {
                    expected_open.insert((id.clone(), key.clone()), o["needs"].clone());
                }
                _ => {}
            }
        }
    }
    let dates = agenda["dates"].as_array().unwrap();
    assert!(dates.len() >= 10, "{dates:?}");
    // The case whose dates are typed wrong has its dates marked.
    assert!(dates.iter().any(|d| d["warnings"]
        .as_array()
        .unwrap()
        .contains(&Value::from("case.registered_before_made"))));
    let mut listed = Vec::new();
    for d in dates {
        let (case, key) = (
            d["case"].as_str().unwrap(),
            d["determination"].as_str().unwrap(),
        );
        let checked = &outcomes[&(case.to_string(), key.to_string())];
        for field in ["status", "value", "label", "rule", "citation"] {
            assert_eq!(d[field], checked[field], "{case} {key} {field}");
        }
        assert_eq!(d["warnings"], warnings[case], "{case}");
        listed.push((
            d["value"].as_str().unwrap().to_string(),
            case.to_string(),
            key.to_string(),
        ));
    }
    let mut in_order = listed.clone();
    in_order.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(listed, in_order, "by date, then case");
    listed.sort();
    expected_dates.sort();
    assert_eq!(listed, expected_dates);
    // The open ones: every unknown date-valued determination with its needs
    // (those of other types are not dates, and not there).
    let open: BTreeMap<(String, String), Value> = agenda["open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            assert_eq!(o["status"], "unknown", "{o}");
            let key = (
                o["case"].as_str().unwrap().to_string(),
                o["determination"].as_str().unwrap().to_string(),
            );
            (key, o["needs"].clone())
        })
        .collect();
    assert!(!open.is_empty());
    for (key, needs) in &open {
        assert_eq!(Some(needs), expected_open.get(key), "{key:?}");
    }
    let shipped = crate::common::shipped();
    let date_decisions: Vec<&str> = shipped
        .decisions
        .iter()
        .filter(|d| matches!(d.ty.base(), lsa::value::Type::Date))
        .map(|d| &*d.key)
        .collect();
    for (key, _) in expected_open
        .iter()
        .filter(|(k, _)| date_decisions.contains(&k.1.as_str()))
    {
        assert!(open.contains_key(key), "{key:?} is unknown but not open");
    }
}

/// Without `--from`, the window starts on `--as-of` (else today); without
/// `--to` it ends two weeks later; a window that ends before it starts is
/// refused.
#[test]
fn the_window_is_two_weeks_from_its_first_day_unless_given() {
    let case = "tests/examples/border-low-recognition.yaml";
    let j = agenda_json(&[case, "--as-of", "2026-07-01"]);
    assert_eq!(
        (j["from"].as_str(), j["to"].as_str()),
        (Some("2026-07-01"), Some("2026-07-15"))
    );
    let j = agenda_json(&[case, "--as-of", "2026-07-01", "--from", "2026-09-20"]);
    assert_eq!(
        (j["from"].as_str(), j["to"].as_str()),
        (Some("2026-09-20"), Some("2026-10-04"))
    );
    // The examination's time limit (APR Art. 51(2)) falls in it; the case's
    // own date stays the record's.
    let dates = j["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 1, "{dates:?}");
    assert_eq!(dates[0]["determination"], "procedure.examination_deadline");
    assert_eq!(dates[0]["value"], "2026-09-25");
    assert_eq!(dates[0]["as_of"], "2026-07-15");
    assert_eq!(dates[0]["as_of_from"], "record");
    let out = lsa(&["agenda", case, "--from", "2026-07-10", "--to", "2026-07-01"]);
    exits_with(
        &out,
        1,
        "--to 2026-07-01 is before the window's first day, 2026-07-10",
    );
}

/// An invalid record is reported with its file, line, column and field,
/// and the other cases' dates are all there; the exit status says so.
#[test]
fn an_invalid_record_is_reported_and_the_other_cases_are_in_the_agenda() {
    let dir = scratch("agenda-invalid");
    std::fs::copy(
        repo().join("tests/examples/border-low-recognition.yaml"),
        dir.join("a.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.yaml"),
        "case: BAD-1\napplication:\n  registered_on: 2026-13-01\n",
    )
    .unwrap();
    let out = lsa(&[
        "agenda",
        dir.to_str().unwrap(),
        "--from",
        "2026-07-01",
        "--lang",
        "lt",
    ]);
    // The problem in the agenda's words, as `lsa check` gives it (the
    // error object is for `--format json`).
    exits_with(
        &out,
        3,
        "/b.yaml:3:18: `application.registered_on`: `2026-13-01` netinka: turi būti data",
    );
    assert!(stderr(&out).contains("netinkamų įrašų: 1 (jų datų darbotvarkėje nėra)"));
    assert!(stderr(&out).contains("\nklaida: "), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("(bylų su jomis: 1; iš viso bylų: 2)"),
        "{text}"
    );
    assert!(
        text.contains(
            "2026-07-07 (antradienis)\n  LT-2026-000123  Prašymo užregistravimo terminas"
        ),
        "{text}"
    );
    assert!(text.contains("b.yaml: netinkamas įrašas"), "{text}");
    let j = lsa(&[
        "agenda",
        dir.to_str().unwrap(),
        "--from",
        "2026-07-01",
        "--format",
        "json",
    ]);
    assert_eq!(j.status.code(), Some(3));
    let j: Value = serde_json::from_str(&stdout(&j)).unwrap();
    assert_eq!(j["dates"].as_array().unwrap().len(), 2);
    assert_eq!(j["invalid"][0]["case"], "BAD-1");
    assert_eq!(
        j["invalid"][0]["errors"][0]["path"],
        "application.registered_on"
    );
}

/// The caseworker's agenda in Lithuanian and in English, the facts missing
/// listed and counted: a snapshot, so a change of the law's dates or words
/// shows as a diff.
#[test]
fn the_agenda_in_words() {
    for (name, args) in [
        ("agenda__lt_missing", &["--lang", "lt", "--missing"][..]),
        ("agenda__en", &["--lang", "en"][..]),
    ] {
        let out = lsa(&[
            &[
                "agenda",
                "tests/examples",
                "--from",
                "2026-07-07",
                "--to",
                "2026-09-04",
            ][..],
            args,
        ]
        .concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        insta::assert_snapshot!(name, without_law_identity(&stdout(&out)));
    }
}

/// A date the rules fail to compute for a case (here a period past the
/// calendar's end, in an amended law) is always listed, with the error,
/// where one that waits on facts is only counted.
#[test]
fn a_date_that_fails_is_always_listed_with_its_error() {
    let rules = crate::common::amended_rules(
        "agenda-error",
        "eu/rcd/reception.rules",
        "+ 1 day",
        "+ 20000 years",
    );
    let out = lsa(&[
        "agenda",
        "tests/examples/border-low-recognition.yaml",
        "--rules",
        rules.to_str().unwrap(),
        "--from",
        "2026-07-01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "not computed (check the record or the rules)\n  LT-2026-000123  Access to the labour market from: error: date out of range"
        ),
        "{text}"
    );
    // The record holds every fact the dates need (the relocation's are not
    // asked: the person is not considered for relocation).
    assert!(!text.contains("cannot be computed yet"), "{text}");
}

/// The agenda as a page: each date a row under its day, in the order of
/// the text, the marked case with its warnings, the facts missing listed.
#[test]
fn the_agenda_as_a_page() {
    let args = [
        "agenda",
        "tests/examples",
        "--from",
        "2026-09-01",
        "--to",
        "2026-09-30",
        "--lang",
        "lt",
    ];
    let page = stdout(&lsa(
        &[&args[..], &["--format", "html", "--missing"]].concat()
    ));
    let text = stdout(&lsa(&[&args[..], &["--missing"]].concat()));
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</body></html>\n"));
    assert!(!page.contains("<script"));
    // The rows of the dates, as the text lists them.
    let (dates, missing) = page
        .split_once("<h2>dar negalima apskaičiuoti, nes įrašuose trūksta faktų</h2>")
        .unwrap();
    let rows: Vec<&str> = dates.split("<tr><td>").skip(1).collect();
    assert!(missing.contains("<td>Prašymo užregistravimo data</td></tr>"));
    let (text, _) = text
        .split_once("dar negalima apskaičiuoti, nes įrašuose trūksta faktų")
        .unwrap();
    let listed: Vec<&str> = text.lines().filter(|l| l.starts_with("  LT-")).collect();
    assert_eq!(rows.len(), listed.len(), "{page}");
    for (row, line) in rows.iter().zip(&listed) {
        let case = line.trim_start().split("  ").next().unwrap();
        assert!(row.starts_with(case), "{row} / {line}");
    }
    assert!(page.contains(
        "<td>LT-2026-000124 !<br><span class=\"warn\">! Prašymo užregistravimo data ankstesnė"
    ));
    assert!(page.contains("<th>Terminas ar data</th>"));
    // Whether each time limit's act was done, in its column; the time limit
    // past outside the window in a table of its own, first.
    assert!(page.contains("<th>Ar atlikta</th>"));
    assert!(page.contains(
        "<td>LT-2026-000231</td><td>Terminas atsakyti į prašymą perimti</td><td>įraše dar neatlikta</td>"
    ));
    // A time limit whose act the rules do not name (the border
    // procedure's weeks): the cell is empty; one whose act is not owed in
    // the case (a take charge request where Lithuania is responsible) says
    // so.
    assert!(
        page.contains("<td>LT-2026-000123</td><td>Prašymo išnagrinėjimo terminas</td><td></td>")
    );
    assert!(page.contains(
        "<td>LT-2026-000123</td><td>Terminas pateikti prašymą perimti</td><td>šioje byloje atlikti nereikia (Lietuva turi prašyti kitą valstybę narę perimti asmenį: ne)</td>"
    ));
    let missed = page.find("<h2 class=\"warn\">praėję terminai").unwrap();
    assert!(missed < page.find("<h2>šiomis dienomis</h2>").unwrap());
}

/// The facts the rules name for each time limit's act (`met by`), by
/// determination and deciding rule: what the agenda reads to say whether
/// it was done. The border procedure's weeks run until the right to remain
/// ends, which the record does not date: no act.
fn met_by(determination: &str, rule: &str) -> &'static [&'static str] {
    match (determination, rule) {
        ("responsibility.take_charge_request_deadline", _) => {
            &["responsibility.take_charge_requested_on"]
        }
        ("procedure.registration_deadline", _) => &["application.registered_on"],
        ("procedure.lodging_deadline", _) => &["application.lodged_on"],
        ("procedure.admissibility_deadline", _) => &["application.admissibility_concluded_on"],
        ("procedure.representative_deadline", _) => &["application.representative_appointed_on"],
        (
            "procedure.examination_deadline",
            "procedure.accelerated"
            | "procedure.regular"
            | "procedure.extended"
            | "procedure.postponed",
        ) => &["application.first_instance_decision_on"],
        ("responsibility.take_charge_reply_deadline", _) => {
            &["responsibility.accepted_on", "responsibility.refused_on"]
        }
        ("responsibility.take_back_notification_deadline", _) => {
            &["responsibility.take_back_notified_on"]
        }
        ("responsibility.take_back_confirmation_deadline", _) => &[
            "responsibility.take_back_confirmed_on",
            "responsibility.take_back_objected_on",
        ],
        ("responsibility.transfer_decision_deadline", _) => &["responsibility.transfer_decided_on"],
        ("responsibility.transfer_deadline" | "responsibility.detained_transfer_deadline", _) => {
            &["responsibility.transferred_on"]
        }
        ("responsibility.detained_request_deadline", _) => &[
            "responsibility.take_charge_requested_on",
            "responsibility.take_back_notified_on",
        ],
        ("relocation.confirmation_deadline", _) => {
            &["relocation.confirmed_on", "relocation.security_reply_on"]
        }
        (
            "protection.residence_permit_deadline" | "protection.provisional_measures_deadline",
            _,
        ) => &["application.residence_permit_issued_on"],
        _ => &[],
    }
}

/// Each example's case record as JSON, by case id.
fn example_records() -> BTreeMap<String, Value> {
    let mut records = BTreeMap::new();
    for entry in std::fs::read_dir(repo().join("tests/examples")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let values: Vec<Value> = match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => json_lines(&text),
            Some("yaml") => vec![serde_yaml::from_str(&text).unwrap()],
            _ => continue,
        };
        for v in values {
            records.insert(v["case"].as_str().unwrap().to_string(), v);
        }
    }
    records
}

/// Whether each time limit's act was done, as the agenda says, is what the
/// record's facts the rules name say, on the case's evaluation date: done
/// in time on the first day any of them holds up to the last day, late if
/// all that hold a day hold a later one, not done (pending or past) if all
/// are `null`; a time limit whose act the rules do not name has no `act`.
/// A take charge request not made is owed only where the criteria point to
/// a Member State other than Lithuania (as `lsa batch` determines it):
/// elsewhere it is not owed, and where that waits on a fact, unknown. The
/// time limits of a detained person (AMMR Art. 45) are owed only while the
/// record shows the person detained (a take back notification always, a
/// take charge request as above). The examination on the merits is owed
/// only where no other Member State is responsible (APR Art. 39(1)(a)):
/// not where the Member State responsible is another, owed where none is
/// determined or the person was transferred to Lithuania, unknown where it
/// waits on a fact.
#[test]
fn each_time_limit_says_whether_its_act_was_done_as_the_record_says() {
    let batch = json_lines(&stdout(&lsa(&["batch", "tests/examples"])));
    let outcome = |key: &str| -> BTreeMap<String, Value> {
        batch
            .iter()
            .map(|j| {
                (
                    j["case"].as_str().unwrap().to_string(),
                    j["outcomes"][key].clone(),
                )
            })
            .collect()
    };
    let criterion = outcome("responsibility.criterion_member_state");
    let responsible = outcome("responsibility.member_state");
    let agenda = agenda_json(&[
        "tests/examples",
        "--from",
        "2026-01-01",
        "--to",
        "2028-12-31",
    ]);
    let records = example_records();
    assert_eq!(
        agenda["missed"],
        Value::Array(Vec::new()),
        "all in the window"
    );
    let mut seen = BTreeMap::new();
    for d in agenda["dates"].as_array().unwrap() {
        let (case, key) = (
            d["case"].as_str().unwrap(),
            d["determination"].as_str().unwrap(),
        );
        let facts = met_by(key, d["rule"].as_str().unwrap_or(""));
        if facts.is_empty() {
            assert_eq!(d.get("act"), None, "{case} {key}");
            continue;
        }
        let act = &d["act"];
        assert_eq!(act["met_by"], serde_json::json!(facts), "{case} {key}");
        let record = &records[case];
        let fact = |path: &str| {
            path.split('.')
                .fold(record, |v, field| &v[field])
                .as_str()
                .map(str::to_string)
        };
        let last = d["value"].as_str().unwrap();
        let as_of = d["as_of"].as_str().unwrap();
        let done: Vec<String> = facts.iter().filter_map(|f| fact(f)).collect();
        let in_time = done.iter().filter(|x| x.as_str() <= last).min();
        let request_owed = match &criterion[case] {
            c if c["status"] == "determined" => Some(c["value"] != "LTU"),
            _ => None,
        };
        let detained = fact("responsibility.detained_on").is_some()
            && fact("responsibility.detention_ended_on").is_none();
        let owed = match key {
            "responsibility.take_charge_request_deadline" => request_owed,
            "responsibility.detained_request_deadline" if !detained => Some(false),
            "responsibility.detained_request_deadline" => {
                fact("responsibility.take_back_member_state")
                    .map(|_| true)
                    .or(request_owed)
            }
            "responsibility.detained_transfer_deadline" => Some(detained),
            "procedure.examination_deadline" => {
                let transferred = record["application"]["transferred_to_lithuania"] == true;
                match &responsible[case] {
                    _ if transferred => Some(true),
                    m if m["status"] == "determined" => Some(m["value"] == "LTU"),
                    m if m["status"] == "unknown" => None,
                    _ => Some(true),
                }
            }
            _ => Some(true),
        };
        // A fact the record leaves out (not `null`): whether the act was
        // done is unknown.
        let absent = facts.iter().any(|path| {
            path.split('.')
                .try_fold(record, |v, field| v.get(field))
                .is_none()
        });
        let (state, on) = match (in_time, done.iter().min(), owed) {
            (Some(on), ..) => ("in_time", Some(on.clone())),
            (None, Some(on), _) => ("late", Some(on.clone())),
            (None, None, Some(false)) => ("not_owed", None),
            (None, None, None) => ("unknown", None),
            (None, None, Some(true)) if absent => ("unknown", None),
            (None, None, Some(true)) if last < as_of => ("missed", None),
            (None, None, Some(true)) => ("pending", None),
        };
        assert_eq!(act["state"], state, "{case} {key}");
        assert_eq!(act["done_on"], serde_json::json!(on), "{case} {key}");
        // Not owed: because of the def the condition reads, with its value.
        let because = match (state, key) {
            ("not_owed", "procedure.examination_deadline") => serde_json::json!({
                "def": "procedure.another_member_state_responsible",
                "label": "Another Member State is responsible for examining the application",
                "value": true,
                "citation": "APR Art. 39(1)(a)"
            }),
            ("not_owed", "responsibility.take_charge_request_deadline") => serde_json::json!({
                "def": "responsibility.take_charge_request_owed",
                "label": "Lithuania must request another Member State to take charge",
                "value": false,
                "citation": "AMMR Art. 39(1), first subparagraph"
            }),
            ("not_owed", _) => act["because"].clone(),
            _ => Value::Null,
        };
        assert_eq!(act["because"], because, "{case} {key}");
        *seen.entry(state).or_insert(0) += 1;
    }
    for state in [
        "in_time", "late", "pending", "missed", "not_owed", "unknown",
    ] {
        assert!(seen.contains_key(state), "no example is {state}: {seen:?}");
    }
}

/// A time limit past without its act on record is listed apart when it is
/// outside the window (those in it are among the dates), and `--open`
/// leaves out of the window the time limits whose act was done or is not
/// owed, and nothing else.
#[test]
fn missed_time_limits_are_listed_apart_and_open_leaves_out_what_was_done() {
    let all = agenda_json(&[
        "tests/examples",
        "--from",
        "2026-01-01",
        "--to",
        "2028-12-31",
    ]);
    let key = |d: &Value| {
        (
            d["value"].as_str().unwrap().to_string(),
            d["case"].as_str().unwrap().to_string(),
            d["determination"].as_str().unwrap().to_string(),
        )
    };
    let (from, to) = ("2026-10-01", "2026-10-15");
    let window = agenda_json(&["tests/examples", "--from", from, "--to", to]);
    let expected_missed: Vec<_> = all["dates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["act"]["state"] == "missed")
        .map(key)
        .filter(|(date, ..)| !(from <= date.as_str() && date.as_str() <= to))
        .collect();
    assert!(!expected_missed.is_empty());
    let missed: Vec<_> = window["missed"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    assert_eq!(missed, expected_missed);
    let open = agenda_json(&[
        "tests/examples",
        "--from",
        "2026-01-01",
        "--to",
        "2028-12-31",
        "--open",
    ]);
    let not_done: Vec<_> = all["dates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["act"]["done_on"].is_null() && d["act"]["state"] != "not_owed")
        .map(key)
        .collect();
    let listed: Vec<_> = open["dates"].as_array().unwrap().iter().map(key).collect();
    assert!(listed.len() < all["dates"].as_array().unwrap().len());
    assert_eq!(listed, not_done);
}

/// A record that lacks one of the facts (not `null`: absent) cannot say
/// whether the act was done in time, unless another fact says it was: the
/// agenda says so, with the fact it lacks, in words too.
#[test]
fn an_act_the_record_cannot_say_waits_on_the_fact_it_lacks() {
    let dir = scratch("agenda-act-unknown");
    let text =
        std::fs::read_to_string(repo().join("tests/examples/take-charge-late.yaml")).unwrap();
    let lacking: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("refused_on:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(lacking, text);
    let (d, text) = one_day(&dir, &lacking, "2027-01-29");
    assert_eq!(
        d["determination"],
        "responsibility.take_charge_reply_deadline"
    );
    assert_eq!(
        d["act"],
        serde_json::json!({
            "met_by": ["responsibility.accepted_on", "responsibility.refused_on"],
            "state": "unknown",
            "done_on": null,
            "needs": ["responsibility.refused_on"]
        })
    );
    assert!(
        text.contains("Terminas atsakyti į prašymą perimti – ar atlikta, nežinoma: trūksta "),
        "{text}"
    );
}

/// The agenda of one case record (`text`, written in `dir`) on one day: its
/// first date as JSON, and the text in Lithuanian.
fn one_day(dir: &std::path::Path, text: &str, day: &str) -> (Value, String) {
    let case = dir.join("case.yaml");
    std::fs::write(&case, text).unwrap();
    let case = case.to_str().unwrap();
    let window = ["--from", day, "--to", day];
    let agenda = agenda_json(&[&[case][..], &window].concat());
    let out = lsa(&[&["agenda", case, "--lang", "lt"][..], &window].concat());
    (agenda["dates"][0].clone(), stdout(&out))
}

/// A take charge request not on record is owed only where the criteria
/// point to another Member State: where they wait on a fact (the documents
/// left out of the record), the agenda says the request is not done and
/// that whether it is owed waits on that fact, in words too.
#[test]
fn whether_an_act_is_owed_waits_on_the_fact_it_lacks() {
    let dir = scratch("agenda-owed-unknown");
    let text =
        std::fs::read_to_string(repo().join("tests/examples/take-charge-late.yaml")).unwrap();
    let (head, rest) = text.split_once("  documents:\n").unwrap();
    let (_, rest) = rest.split_once("  diplomas:").unwrap();
    let lacking = format!("{head}  diplomas:{rest}")
        .replace(
            "take_charge_requested_on: 2026-12-29",
            "take_charge_requested_on: null",
        )
        .replace(
            "take_charge_request_received_on: 2026-12-29",
            "take_charge_request_received_on: null",
        );
    assert!(!lacking.contains("short_stay_visa") && lacking.contains("requested_on: null"));
    let (d, text) = one_day(&dir, &lacking, "2026-12-28");
    assert_eq!(
        d["determination"],
        "responsibility.take_charge_request_deadline"
    );
    assert_eq!(
        d["act"],
        serde_json::json!({
            "met_by": ["responsibility.take_charge_requested_on"],
            "state": "unknown",
            "done_on": null,
            "needs": ["responsibility.documents"]
        })
    );
    assert!(
        text.contains(
            "Terminas pateikti prašymą perimti – įraše neatlikta; ar reikia atlikti, nežinoma: trūksta Leidimai gyventi ir vizos"
        ),
        "{text}"
    );
}
