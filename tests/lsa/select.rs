//! `lsa select`: whom Lithuania relocates from a caseload of candidates
//! (the shipped `relocation.candidates`), and why each other one is not.

use crate::common::{exits_with, lsa, scratch, stderr, stdout};

/// A candidate as a JSON line: links, registration day, protection and
/// consent as given.
fn candidate(
    id: &str,
    links: bool,
    registered_day: u32,
    status: &str,
    consent: Option<bool>,
) -> String {
    let mut applicant = serde_json::json!({
        "security_threat": false,
        "protection_status": status,
        "family_in_lithuania": links,
        "previous_residence_in_lithuania": false,
        "studied_in_lithuania": false,
        "speaks_lithuanian": false,
    });
    if status != "none" {
        applicant["protection_granted_on"] = "2025-01-10".into();
        if let Some(c) = consent {
            applicant["consents_to_relocation"] = c.into();
        }
    }
    serde_json::json!({
        "case": id,
        "as_of": "2026-09-01",
        "applicant": applicant,
        "application": { "registered_on": format!("2026-07-{registered_day:02}") },
        "relocation": { "benefitting_member_state": "ITA", "council_act_adopted_on": "2025-12-08" },
    })
    .to_string()
}

/// 300 candidates from a fixed seed: about a third with links, a quarter
/// beneficiaries (some without consent, some with consent unrecorded), a
/// few security threats.
fn caseload() -> String {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut out = String::new();
    for i in 0..300 {
        let links = next(3) == 0;
        let day = 1 + next(28) as u32;
        let (status, consent) = match next(8) {
            0 => ("refugee", Some(true)),
            1 => ("subsidiary", Some(false)),
            2 => ("refugee", None),
            _ => ("none", None),
        };
        let mut line = candidate(&format!("C-{i:03}"), links, day, status, consent);
        if next(20) == 0 {
            line = line.replace("\"security_threat\":false", "\"security_threat\":true");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `lsa select INPUT ARGS…`.
fn select(input: &std::path::Path, args: &[&str]) -> std::process::Output {
    lsa(&[&["select", input.to_str().unwrap()], args].concat())
}

fn run(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let input = dir.join("candidates.jsonl");
    let mut all = vec!["select", input.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let out = lsa(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn at_most_the_quota_all_eligible_links_first_and_the_same_every_time() {
    let dir = scratch("select-300");
    std::fs::write(dir.join("candidates.jsonl"), caseload()).unwrap();
    let first = run(&dir, &["--quota", "58"]);
    assert_eq!(
        first,
        run(&dir, &["--quota", "58"]),
        "not the same selection twice"
    );
    let selected = first["selected"].as_array().unwrap();
    assert_eq!(selected.len(), 58);
    assert_eq!(first["candidates"], 300);
    let lines = caseload();
    let by_id: std::collections::HashMap<String, &str> = lines
        .lines()
        .map(|l| {
            (
                serde_json::from_str::<serde_json::Value>(l).unwrap()["case"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                l,
            )
        })
        .collect();
    // Every one selected is eligible: `lsa check` agrees, case by case (one
    // run over the folder of the selected records).
    let check_dir = scratch("select-check");
    for s in selected {
        let id = s["case"].as_str().unwrap();
        std::fs::write(check_dir.join(format!("{id}.json")), by_id[id]).unwrap();
    }
    let out = lsa(&["check", "--format", "json", check_dir.to_str().unwrap()]);
    let checked: std::collections::HashMap<String, serde_json::Value> =
        crate::common::json_lines(&stdout(&out))
            .into_iter()
            .map(|j| (j["case"].as_str().unwrap().to_string(), j))
            .collect();
    assert_eq!(checked.len(), selected.len());
    let mut links_seen_false = false;
    for (n, s) in selected.iter().enumerate() {
        assert_eq!(s["position"], n + 1);
        let id = s["case"].as_str().unwrap();
        assert_eq!(
            checked[id]["outcomes"]["relocation.eligible"]["value"], true,
            "{id}"
        );
        // Everyone with links ahead of everyone without.
        let links = s["keys"]["meaningful_links"].as_bool().unwrap();
        assert!(
            !(links && links_seen_false),
            "{id} has links after one without"
        );
        links_seen_false |= !links;
    }
    // Those beyond the quota: eligible, ranked after the last selected.
    let rest = first["not_selected"].as_array().unwrap();
    let beyond: Vec<&serde_json::Value> = rest
        .iter()
        .filter(|r| r["reason"] == "beyond_quota")
        .collect();
    assert!(!beyond.is_empty());
    assert!(beyond.iter().all(|r| r["rank"].as_u64().unwrap() > 58));
    // Consent not recorded: unknown, with the fact to ask for.
    let unknown: Vec<&serde_json::Value> =
        rest.iter().filter(|r| r["reason"] == "unknown").collect();
    assert!(!unknown.is_empty());
    assert!(unknown
        .iter()
        .all(|r| r["needs"] == serde_json::json!(["applicant.consents_to_relocation"])));
    // Not eligible: the rule that says so.
    assert!(rest
        .iter()
        .any(|r| r["reason"] == "not_qualified" && r["rule"] == "relocation.security_exclusion"));
}

#[test]
fn ties_a_large_quota_unknowns_and_invalid_records() {
    let dir = scratch("select-small");
    let lines = [
        candidate("B", true, 3, "none", None),
        candidate("A", true, 3, "none", None), // tie with B: by case id
        candidate("C", false, 1, "none", None),
        candidate("D", true, 9, "refugee", None), // consent unknown
        candidate("E", true, 1, "subsidiary", Some(false)),
    ];
    std::fs::write(dir.join("candidates.jsonl"), lines.join("\n") + "\n").unwrap();
    let r = run(&dir, &["--quota", "10"]);
    let order: Vec<&str> = r["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["case"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["A", "B", "C"], "{r:#}");
    let rest = r["not_selected"].as_array().unwrap();
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[0]["case"], "D");
    assert_eq!(rest[0]["reason"], "unknown");
    assert_eq!(rest[1]["case"], "E");
    assert_eq!(rest[1]["reason"], "not_qualified");
    // Quota 1: A only; B beyond it at rank 2.
    let r = run(&dir, &["--quota", "1"]);
    assert_eq!(r["selected"][0]["case"], "A");
    assert!(r["not_selected"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["case"] == "B" && x["rank"] == 2));

    // The text output says the same, with the reasons.
    let input = dir.join("candidates.jsonl");
    let out = lsa(&["select", input.to_str().unwrap(), "--quota", "1"]);
    let text = stdout(&out);
    assert!(
        text.contains("1 selected of 5 candidates (quota 1 from --quota)"),
        "{text}"
    );
    assert!(
        text.contains("B: qualifies, ranked 2: beyond the quota of 1"),
        "{text}"
    );
    // The selection, the facts, decisions and rules by their labels.
    for expected in [
        "Selection of the persons relocated to Lithuania [AMMR Art. 67(3)]: 1 selected of 5 candidates",
        "1. ranked by: Meaningful links with Lithuania, yes first [AMMR Art. 67(3), second subparagraph]",
        "2. ranked by: Application registered on, the earliest first",
        "B: qualifies, ranked 2: beyond the quota of 1  (Meaningful links with Lithuania: yes; Application registered on: Fri 2026-07-03)",
        "D: whether it qualifies is unknown: needs Written consent to relocation",
        "E: does not qualify (May be relocated to Lithuania – no rule applies: the value the law gives otherwise [AMMR Art. 56(2)(a)])",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    // HTML: one self-contained page, in the same words.
    let html = stdout(&select(&input, &["--quota", "1", "--format", "html"]));
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && html.contains("<title>Selection of the persons relocated to Lithuania</title>")
            && html.contains("<td>1</td><td>A</td><td>Meaningful links with Lithuania: yes; Application registered on: Fri 2026-07-03</td>")
            && html.contains("<td>D</td><td>whether it qualifies is unknown: needs Written consent to relocation</td>")
            && !html.contains("<script"),
        "{html}"
    );
    // In Lithuanian: the facts and rules by their labels, values and
    // citations as the caseworker's report gives them; the same order.
    let text = stdout(&select(&input, &["--quota", "1", "--lang", "lt"]));
    for expected in [
        "atrinkta 1 iš 5 kandidatų (kvota 1, nurodyta --quota)",
        "1. rikiavimo požymis: Prasmingi ryšiai su Lietuva, pirmiau „taip“ [Reglamento (ES) 2024/1351 67 str. 3 d. 2 pastr.]",
        "2. rikiavimo požymis: Prašymo užregistravimo data, pirmiau ankstesnė data",
        "\natrinkti\n",
        "\nneatrinkti\n",
        "B: atitinka sąlygas, 2 vieta eilėje, kvota – 1  (Prasmingi ryšiai su Lietuva: taip; Prašymo užregistravimo data: ",
        "D: nežinoma, ar atitinka sąlygas; trūksta: Rašytinis sutikimas būti perkeltam",
        "E: neatitinka sąlygų (Ar asmenį galima perkelti į Lietuvą – netaikoma jokia taisyklė: kita teisės nustatyta reikšmė [Reglamento (ES) 2024/1351 56 str. 2 d. a p.])",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    assert!(!text.contains("selected"), "{text}");
    let html = stdout(&select(
        &input,
        &["--quota", "1", "--format", "html", "--lang", "lt"],
    ));
    for expected in [
        "<html lang=\"lt\">",
        "<p>Atrinkta 1 iš 5 kandidatų; kvota 1 (nurodyta --quota).</p>",
        "<h1>Asmenų, perkeliamų į Lietuvą, atranka [Reglamento (ES) 2024/1351 67 str. 3 d.]</h1>",
        "<li>Prasmingi ryšiai su Lietuva, pirmiau „taip“ [Reglamento (ES) 2024/1351 67 str. 3 d. 2 pastr.]</li>",
        "<td>B</td><td>atitinka sąlygas, 2 vieta eilėje, kvota – 1</td><td>Prasmingi ryšiai su Lietuva: taip; Prašymo užregistravimo data: 2026-07-03 (penktadienis)</td>",
        "<td>E</td><td>neatitinka sąlygų (Ar asmenį galima perkelti į Lietuvą – netaikoma jokia taisyklė: kita teisės nustatyta reikšmė [Reglamento (ES) 2024/1351 56 str. 2 d. a p.])</td>",
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    // The page shows neither the rules' own names nor the JSON's data.
    assert!(
        !html.contains("relocation.") && !html.contains("\":"),
        "{html}"
    );
    // JSON keeps its keys and codes whatever the language.
    let lt = stdout(&select(
        &input,
        &["--quota", "1", "--format", "json", "--lang", "lt"],
    ));
    let en = stdout(&select(&input, &["--quota", "1", "--format", "json"]));
    assert_eq!(lt, en);

    // No quota, none in the rules: said, exit 1.
    let out = lsa(&["select", input.to_str().unwrap()]);
    exits_with(&out, 1, "--quota N");
    // An invalid record is listed among those not selected, exit 3.
    std::fs::write(
        &input,
        lines.join("\n") + "\n{\"case\":\"F\",\"applicant\":{\"nationalty\":\"X\"}}\n",
    )
    .unwrap();
    let out = lsa(&[
        "select",
        input.to_str().unwrap(),
        "--quota",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(r["not_selected"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["case"] == "F" && x["reason"] == "invalid"));
    // The page lists it, with its problem where it is, in its language.
    let html = stdout(&select(
        &input,
        &["--quota", "2", "--format", "html", "--lang", "lt"],
    ));
    assert!(
        html.contains("eilutė 6</td><td>netinkamas įrašas:<pre>")
            && html.contains(":6:37: `applicant.nationalty`: nežinomas laukas"),
        "{html}"
    );
}

/// A candidate whose facts cannot all be right (registered before the
/// application was made) keeps the place its facts give, and every output
/// says which place rests on facts to check; the others carry none.
#[test]
fn a_place_resting_on_facts_to_check_is_marked() {
    let dir = scratch("select-warned");
    let typed_wrong = candidate("W", true, 1, "none", None).replace(
        "\"registered_on\":\"2026-07-01\"",
        "\"made_on\":\"2026-07-28\",\"registered_on\":\"2026-07-01\"",
    );
    assert!(typed_wrong.contains("made_on"), "{typed_wrong}");
    let lines = [
        candidate("A", true, 3, "none", None),
        typed_wrong,
        candidate("B", false, 2, "none", None),
    ];
    std::fs::write(dir.join("candidates.jsonl"), lines.join("\n") + "\n").unwrap();
    let r = run(&dir, &["--quota", "1"]);
    // Its place as its facts give it: links, registered first.
    assert_eq!(r["selected"][0]["case"], "W", "{r:#}");
    assert_eq!(
        r["selected"][0]["warnings"],
        serde_json::json!(["case.registered_before_made"])
    );
    for x in r["not_selected"].as_array().unwrap() {
        assert_eq!(x["warnings"], serde_json::json!([]), "{x}");
    }
    let input = dir.join("candidates.jsonl");
    let text = stdout(&select(&input, &["--quota", "1"]));
    assert!(
        text.contains("\n  1 candidate with facts that cannot all be right (marked !): check them before relying on a place\n"),
        "{text}"
    );
    assert!(
        text.contains("\n        ! The application is registered before it was made: check both dates (case.registered_before_made)\n"),
        "{text}"
    );
    let html = stdout(&select(&input, &["--quota", "1", "--format", "html"]));
    assert!(
        html.contains("<td>The application is registered before it was made: check both dates (case.registered_before_made)</td>"),
        "{html}"
    );
}

/// A record without the relocation section (a person who applied at the
/// border, not considered for relocation) in the caseload is not a
/// candidate: not qualified for the reason the relocation rules' `applies`
/// line gives, with its citation, in each language; not an error of the
/// selection. One with the section is ranked as before.
#[test]
fn a_person_not_considered_for_relocation_is_not_a_candidate() {
    let dir = scratch("select-not-considered");
    let offered = candidate("OFFERED", true, 3, "none", None);
    let at_the_border = serde_json::json!({
        "case": "BORDER",
        "as_of": "2026-09-01",
        "applicant": { "security_threat": false, "protection_status": "none", "family_in_lithuania": true },
        "application": { "registered_on": "2026-07-01", "circumstances": "border_crossing_point" },
    })
    .to_string();
    let input = dir.join("candidates.jsonl");
    std::fs::write(&input, format!("{offered}\n{at_the_border}\n")).unwrap();
    let json = run(&dir, &["--quota", "5"]);
    assert_eq!(json["selected"][0]["case"], "OFFERED", "{json}");
    assert_eq!(json["selected"].as_array().map(Vec::len), Some(1), "{json}");
    let out = &json["not_selected"][0];
    assert_eq!(out["case"], "BORDER", "{json}");
    assert_eq!(out["reason"], "not_qualified", "{json}");
    assert_eq!(out["rule"], serde_json::Value::Null, "{json}");
    assert_eq!(out["citation"], "AMMR Art. 67(1)", "{json}");
    let en = stdout(&select(&input, &["--quota", "5", "--lang", "en"]));
    assert!(
        en.contains("BORDER: does not qualify: the person is not considered for relocation (the record has no relocation section) [AMMR Art. 67(1)]"),
        "{en}"
    );
    let lt = stdout(&select(&input, &["--quota", "5", "--lang", "lt"]));
    assert!(
        lt.contains("BORDER: neatitinka sąlygų: asmens perkėlimas į Lietuvą nesvarstomas (įraše nėra perkėlimo duomenų) [Reglamento (ES) 2024/1351 67 str. 1 d.]"),
        "{lt}"
    );
}

#[test]
fn an_empty_list_says_so_and_invalid_records_are_counted_as_not_selected() {
    let dir = scratch("select-empty");
    let input = dir.join("cases.jsonl");
    // Nobody at all: both lists say they are empty, in either language.
    std::fs::write(&input, "").unwrap();
    for (lang, none) in [("en", "  (none)"), ("lt", "  (nėra)")] {
        let out = select(&input, &["--quota", "2", "--lang", lang]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert_eq!(text.matches(&format!("\n{none}\n")).count(), 2, "{text}");
    }
    // One eligible candidate taken and one invalid record: nobody is left
    // out unsaid, and the invalid record is counted among those not selected.
    let line = candidate("A", true, 3, "none", None);
    std::fs::write(&input, format!("{line}\n{{\"applicant\": 7}}\n")).unwrap();
    for (lang, none, said, at, problem) in [
        (
            "en",
            "  (none)",
            "1 invalid record (not selected: the facts could not be read)",
            "cases.jsonl line 2: invalid record",
            "error: ",
        ),
        (
            "lt",
            "  (nėra)",
            "netinkamų įrašų: 1 (neatrinkti: faktų nepavyko perskaityti)",
            "cases.jsonl, eilutė 2: netinkamas įrašas",
            "klaida: ",
        ),
    ] {
        let out = select(&input, &["--quota", "2", "--lang", lang]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains(none), "{text}");
        assert!(text.contains(at), "{text}");
        // Its problems in the report's words, as `lsa check` gives them
        // (the error object is for `--format json`).
        let err = stderr(&out);
        assert!(err.contains(said), "{err}");
        assert!(
            err.contains(&format!("{problem}{}:2:", input.display())),
            "{err}"
        );
        assert!(!err.contains("\"status\":\"invalid\""), "{err}");
    }
}

/// A case evaluated on a day the eligibility is not yet in force (AMMR from
/// 1 July 2026) is not qualified, saying so with the day and when it is in
/// force: not an error of the selection.
#[test]
fn a_case_dated_before_the_law_applies_does_not_qualify_and_says_why() {
    let dir = scratch("select-not-in-force");
    let input = dir.join("cases.jsonl");
    let early = candidate("EARLY", true, 3, "none", None).replace("2026-09-01", "2026-06-15");
    let line = candidate("A", true, 3, "none", None);
    std::fs::write(&input, format!("{line}\n{early}\n")).unwrap();
    for (lang, said) in [
        (
            "en",
            "  EARLY: does not qualify: «May be relocated to Lithuania» is not in force on 2026-06-15 (in force from 2026-07-01) [AMMR Art. 56(2)(a)]",
        ),
        (
            "lt",
            "  EARLY: neatitinka sąlygų: «Ar asmenį galima perkelti į Lietuvą» 2026-06-15 negalioja (galioja nuo 2026-07-01)",
        ),
    ] {
        let out = select(&input, &["--quota", "2", "--lang", lang]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains(said), "{}", stdout(&out));
    }
    let out = select(&input, &["--quota", "2", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(j["selected"][0]["case"], "A");
    let early = &j["not_selected"][0];
    assert_eq!(
        (
            &early["case"],
            &early["reason"],
            &early["rule"],
            &early["citation"]
        ),
        (
            &"EARLY".into(),
            &"not_qualified".into(),
            &serde_json::Value::Null,
            &"AMMR Art. 56(2)(a)".into()
        ),
        "{j:#}"
    );
}
