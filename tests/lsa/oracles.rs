//! Commands over a caseload held to oracles that share none of their
//! logic. `lsa diff` first: the
//! same random caseload run through `lsa batch` (each determination's
//! status and value, and the warnings) and `lsa agenda` (each time limit's
//! act) under each side, compared case by case here. The diff skips what
//! cannot differ (determinations, conditions and acts the same by
//! construction); whatever it skips wrongly shows here as a count that
//! differs. `POST /v1/diff` is held to the same oracle, and the agenda's
//! own evaluation to `lsa batch`'s dates on the way. Then `lsa select`:
//! whom it takes, against a ranking made here from `lsa batch`'s outcomes;
//! `lsa check --set`, against the records with the fact written in; and an
//! agenda's window, against the whole agenda cut to it and `lsa batch`;
//! `POST /v1/batch`, against `lsa batch` byte for byte; records in YAML,
//! against the same records in JSON; `ask_next`, against the records
//! with every question it asks answered; and each explanation of `lsa
//! batch --explain`, against its own parts, its rules' roles and the
//! record.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::common::*;

/// `n` random records (a third complete, the rest missing facts; each
/// with its case id, and its own evaluation date if `dated`), one per
/// line, in scratch folder `name`.
fn caseload(name: &str, n: u64, dated: bool) -> PathBuf {
    let program = shipped();
    let mut lines = String::new();
    for i in 0..n {
        // xorshift64*, seeded by the record's place.
        let mut state = (i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let choices: Vec<u16> = (0..600)
            .map(|_| {
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 48) as u16
            })
            .collect();
        let mut pick = crate::robustness::picker(&choices);
        let text = crate::robustness::random_record(program, &mut pick, i % 3 == 0);
        let mut record: serde_json::Map<String, Json> = serde_json::from_str(&text).unwrap();
        record.insert("case".into(), Json::String(format!("R{i}")));
        if !dated {
            record.remove("as_of");
        }
        // A few invalid records, counted apart on both sides.
        if i % 97 == 50 {
            record.insert("applicant".into(), Json::from(7));
        }
        lines.push_str(&Json::Object(record).to_string());
        lines.push('\n');
    }
    scratch_file(name, "cases.jsonl", &lines)
}

/// What one side says of a case: each determination's status and value,
/// each warning raised, and each dated time limit's act (its state and
/// the day done).
#[derive(Default)]
struct Said {
    outcomes: BTreeMap<String, (Json, Json)>,
    /// The rest of each outcome: the deciding rule (or rules), what an
    /// unknown one needs, why an undetermined one has no value.
    detail: BTreeMap<String, Json>,
    warnings: BTreeSet<String>,
    acts: BTreeMap<String, (Json, Json)>,
}

/// Every valid case of `input` under `rules` (on `as_of` where the records
/// have no date), as `lsa batch` and `lsa agenda` give it; and how many
/// records were invalid.
fn side(rules: &Path, input: &Path, as_of: Option<&str>) -> (BTreeMap<String, Said>, usize) {
    let (rules, input) = (rules.to_str().unwrap(), input.to_str().unwrap());
    let dated: Vec<&str> = as_of.map(|d| vec!["--as-of", d]).unwrap_or_default();
    let batch = lsa(&[&["batch", "--rules", rules, input][..], &dated].concat());
    let mut cases = BTreeMap::new();
    let mut invalid = 0;
    for line in stdout(&batch).lines() {
        let j: Json = serde_json::from_str(line).unwrap();
        if j["status"] == "invalid" {
            invalid += 1;
            continue;
        }
        let said: &mut Said = cases
            .entry(j["case"].as_str().unwrap().to_string())
            .or_default();
        for (key, o) in j["outcomes"].as_object().unwrap() {
            said.outcomes
                .insert(key.clone(), (o["status"].clone(), o["value"].clone()));
            let detail = serde_json::json!([o["rule"], o["rules"], o["needs"], o["reason"]]);
            said.detail.insert(key.clone(), detail);
        }
        for w in j["warnings"].as_array().unwrap() {
            said.warnings
                .insert(w["warning"].as_str().unwrap().to_string());
        }
    }
    // Every date the law gives, whenever it falls.
    let window = [
        "--from",
        "1900-01-01",
        "--to",
        "2200-12-31",
        "--format",
        "json",
    ];
    let agenda = lsa(&[&["agenda", "--rules", rules, input][..], &window, &dated].concat());
    let agenda: Json = serde_json::from_str(&stdout(&agenda)).unwrap();
    let records: BTreeMap<String, Json> = std::fs::read_to_string(input)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Json>(l).unwrap())
        .map(|r| (r["case"].as_str().unwrap().to_string(), r))
        .collect();
    // The agenda evaluates on its own: each date it lists is the one
    // `lsa batch` gives, and it lists every date `lsa batch` gives.
    let mut listed = BTreeSet::new();
    for entry in ["dates", "missed"]
        .iter()
        .flat_map(|list| agenda[list].as_array().unwrap())
    {
        let case = entry["case"].as_str().unwrap();
        let key = entry["determination"].as_str().unwrap().to_string();
        let said = &cases[case];
        assert_eq!(
            said.outcomes[&key],
            (entry["status"].clone(), entry["value"].clone()),
            "{case} {key}: lsa agenda against lsa batch"
        );
        listed.insert((case.to_string(), key.clone()));
        if let Some(act) = entry.get("act") {
            act_agrees(&records[case], entry, act);
            let act = (act["state"].clone(), act["done_on"].clone());
            cases.get_mut(case).unwrap().acts.insert(key, act);
        }
    }
    for (case, said) in &cases {
        for (key, (status, value)) in &said.outcomes {
            let dated = value
                .as_str()
                .is_some_and(|v| v.len() == 10 && v.as_bytes()[4] == b'-');
            if status == "determined" && dated {
                let at = (case.clone(), key.clone());
                assert!(
                    listed.contains(&at),
                    "{at:?}: in lsa batch, not in lsa agenda"
                );
            }
        }
    }
    (cases, invalid)
}

/// A time limit's act as the agenda gives it, against the record's facts
/// that meet it (`met_by`, read here by their paths): done in time on the
/// first day a fact holds up to the last day; else not known where a fact
/// is missing from the record; else late on the first day after it; else
/// (every fact `null`) not owed or not known (by the `owed when`
/// condition, not read here), missed once the last day is before the
/// evaluation date, pending until then.
fn act_agrees(record: &Json, entry: &Json, act: &Json) {
    let (last, as_of) = (
        entry["value"].as_str().unwrap(),
        entry["as_of"].as_str().unwrap(),
    );
    let (mut in_time, mut late, mut lacking): (Option<&str>, Option<&str>, bool) =
        (None, None, false);
    for path in act["met_by"].as_array().unwrap() {
        let fact = (path.as_str().unwrap().split('.')).try_fold(record, |v, k| v.get(k));
        match fact {
            None => lacking = true,
            Some(Json::String(day)) if day.as_str() <= last => {
                in_time = Some(in_time.map_or(day.as_str(), |d| d.min(day.as_str())));
            }
            Some(Json::String(day)) => {
                late = Some(late.map_or(day.as_str(), |d| d.min(day.as_str())))
            }
            Some(_) => {}
        }
    }
    let (state, done) = (act["state"].as_str().unwrap(), act["done_on"].as_str());
    let at = format!(
        "{} {}: {act} on {as_of}, last day {last}",
        entry["case"], entry["determination"]
    );
    match (in_time, lacking, late) {
        (Some(day), ..) => assert_eq!((state, done), ("in_time", Some(day)), "{at}"),
        (None, true, _) => assert_eq!(state, "unknown", "{at}"),
        (None, false, Some(day)) => assert_eq!((state, done), ("late", Some(day)), "{at}"),
        (None, false, None) => {
            let due = if last < as_of { "missed" } else { "pending" };
            assert!([due, "not_owed", "unknown"].contains(&state), "{at}");
        }
    }
}

/// How many cases each determination (`KEY`), warning (`warning KEY`) and
/// time limit's act (`act KEY`) changed in between the two sides, and in
/// how many cases anything did.
fn changes(old: &BTreeMap<String, Said>, new: &BTreeMap<String, Said>) -> (Json, usize) {
    let mut per: BTreeMap<String, u64> = BTreeMap::new();
    let mut changed = 0;
    for (case, a) in old {
        let b = &new[case];
        let mut keys: Vec<String> = Vec::new();
        for (key, o) in &a.outcomes {
            if b.outcomes.get(key) != Some(o) {
                keys.push(key.clone());
            }
        }
        for w in a.warnings.symmetric_difference(&b.warnings) {
            keys.push(format!("warning {w}"));
        }
        for (key, act) in &a.acts {
            if b.acts.get(key).is_some_and(|other| other != act) {
                keys.push(format!("act {key}"));
            }
        }
        changed += usize::from(!keys.is_empty());
        for k in keys {
            *per.entry(k).or_default() += 1;
        }
    }
    (serde_json::to_value(per).unwrap(), changed)
}

/// `lsa diff` with `options` over `input` (its JSON report) counts what
/// the oracle does: the changes per key, the cases changed, the invalid
/// records (exit 3 where there are some).
fn agrees(options: &[&str], input: &Path, oracle: (&Json, usize), invalid: usize, what: &str) {
    let args = [
        &["diff", "--format", "json"][..],
        options,
        &[input.to_str().unwrap()],
    ]
    .concat();
    let out = lsa(&args);
    assert_eq!(
        out.status.code(),
        Some(if invalid > 0 { 3 } else { 0 }),
        "{}",
        stderr(&out)
    );
    let report: Json = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        report["changes_per_determination"], *oracle.0,
        "{what}: lsa diff's counts against two runs of lsa batch and lsa agenda"
    );
    assert_eq!(report["cases_changed"], oracle.1, "{what}");
    assert_eq!(report["invalid"]["records"], invalid, "{what}");
}

/// Two rule trees: a period, a period as a param's version, a param's
/// version in force later, a holiday, a condition, the facts that meet a
/// time limit, its `owed when`, a warning and a def
/// that many read (no longer reading a decision: found that decisions
/// evaluated on one side only were reported changed), each amended on its
/// own.
#[test]
fn diff_of_two_trees_counts_what_two_batches_and_agendas_differ_in() {
    let input = caseload("diff-oracle-trees", 900, true);
    let (old, invalid) = side(&repo().join("rules"), &input, None);
    assert!(
        old.len() > 800,
        "most random records are valid: {}",
        old.len()
    );
    assert!(invalid > 0, "and a few are not");
    let amendments = [
        (
            "lodging 14 days",
            "eu/apr/procedure.rules",
            "from 2026-06-12 = 21 days",
            "from 2026-06-12 = 14 days",
        ),
        (
            "postponement 20 months",
            "eu/apr/procedure.rules",
            "from 2026-06-12 = 21 months",
            "from 2026-06-12 = 20 months",
        ),
        (
            "a condition",
            "eu/apr/procedure.rules",
            "when track != border\n     and context.disproportionate_numbers_for_lodging",
            "when context.disproportionate_numbers_for_lodging",
        ),
        (
            "met by",
            "eu/apr/procedure.rules",
            "met by application.lodged_on",
            "met by application.registered_on",
        ),
        (
            "owed when",
            "eu/apr/procedure.rules",
            "owed when not another_member_state_responsible",
            "owed when not application.transferred_to_lithuania",
        ),
        (
            "a param in force later",
            "eu/apr/procedure.rules",
            "from 2026-06-12 = 21 days",
            "from 2026-08-01 = 21 days",
        ),
        (
            "a holiday moved",
            "lt/holidays.rules",
            "holiday \"Statehood Day\" on 6 July",
            "holiday \"Statehood Day\" on 7 July",
        ),
        (
            "a warning",
            "case.rules",
            "when application.lodged_on < application.registered_on",
            "when application.lodged_on <= application.registered_on",
        ),
        (
            "a def",
            "eu/ammr/responsibility.rules",
            "  exists(responsibility.accepted_on)\n  or deemed_accepted",
            "  exists(responsibility.accepted_on)",
        ),
    ];
    let mut seen = BTreeSet::new();
    for (i, (what, file, from, to)) in amendments.iter().enumerate() {
        let tree = amended_rules(&format!("diff-oracle-tree-{i}"), file, from, to);
        let (new, _) = side(&tree, &input, None);
        let (per, changed) = changes(&old, &new);
        let new = tree.to_str().unwrap();
        agrees(
            &["--old", "rules", "--new", new],
            &input,
            (&per, changed),
            invalid,
            what,
        );
        assert!(changed > 0, "{what}: the amendment changes some case");
        seen.extend(
            per.as_object()
                .unwrap()
                .keys()
                .map(|k| k.split(' ').count()),
        );
    }
    // Determinations and acts both changed in some amendment.
    assert_eq!(seen, BTreeSet::from([1, 2]), "{seen:?}");
}

/// Two dates (with `lsa diff` and `POST /v1/diff`), and a fact set: each
/// case on both sides under the same law.
#[test]
fn diff_on_two_dates_and_with_a_fact_set_counts_what_two_batches_differ_in_also_over_http() {
    let input = caseload("diff-oracle-dates", 600, false);
    let rules = repo().join("rules");
    let (on, invalid) = side(&rules, &input, Some("2026-09-01"));
    let (vs, _) = side(&rules, &input, Some("2027-03-01"));
    let (per, changed) = changes(&on, &vs);
    let dates = ["--on", "2026-09-01", "--vs", "2027-03-01"];
    agrees(&dates, &input, (&per, changed), invalid, "two dates");
    let keys = per.as_object().unwrap();
    assert!(keys.keys().any(|k| k.starts_with("act ")), "{per:#}");
    assert!(keys.keys().any(|k| k.starts_with("warning ")), "{per:#}");
    served_diff_agrees(&input, &per, invalid);
    // Across the day the AMMR and the Crisis Regulation apply (1 July 2026):
    // decisions coming into force, params taking their first versions.
    let (before, _) = side(&rules, &input, Some("2026-06-20"));
    let (after, _) = side(&rules, &input, Some("2026-07-10"));
    let (per, changed) = changes(&before, &after);
    let dates = ["--on", "2026-06-20", "--vs", "2026-07-10"];
    agrees(
        &dates,
        &input,
        (&per, changed),
        invalid,
        "across 1 July 2026",
    );

    // A fact set in every record: the oracle reads a copy of the caseload
    // with the fact written into each record.
    let set_input = with_fact_set(&input, "diff-oracle-fact");
    let (after, _) = side(&rules, &set_input, Some("2026-09-01"));
    let (per, changed) = changes(&on, &after);
    let options = ["--set", SET, "--as-of", "2026-09-01"];
    agrees(&options, &input, (&per, changed), invalid, "a fact set");
}

/// The fact the what-if tests set, as `--set` takes it.
const SET: &str = "applicant.unaccompanied_minor=true";

/// A copy of caseload `input`, in scratch folder `name`, with [`SET`]
/// written into each valid record.
fn with_fact_set(input: &Path, name: &str) -> PathBuf {
    let mut with_fact = String::new();
    for line in std::fs::read_to_string(input).unwrap().lines() {
        let mut r: serde_json::Map<String, Json> = serde_json::from_str(line).unwrap();
        match r.get_mut("applicant") {
            Some(Json::Object(applicant)) => {
                applicant.insert("unaccompanied_minor".into(), Json::Bool(true));
            }
            // (Invalid: as it is.)
            Some(_) => {}
            None => {
                r.insert(
                    "applicant".into(),
                    serde_json::json!({ "unaccompanied_minor": true }),
                );
            }
        }
        with_fact.push_str(&Json::Object(r).to_string());
        with_fact.push('\n');
    }
    scratch_file(name, "cases.jsonl", &with_fact)
}

/// `lsa check --set` over a folder of random records: each case's
/// outcomes are those `lsa batch` gives the record with the fact written
/// in, and its `what_if` names exactly the determinations whose outcome
/// differs from the record as it is: status, value, deciding rule, or what
/// an unknown one needs (the questions change too).
#[test]
fn check_set_is_the_record_with_the_fact_written_in() {
    let input = caseload("what-if-oracle", 150, true);
    let rules = repo().join("rules");
    let (before, _) = side(&rules, &input, None);
    let (after, _) = side(&rules, &with_fact_set(&input, "what-if-oracle-fact"), None);
    let dir = scratch("what-if-oracle-files");
    for line in std::fs::read_to_string(&input).unwrap().lines() {
        let r: Json = serde_json::from_str(line).unwrap();
        let case = r["case"].as_str().unwrap();
        if before.contains_key(case) {
            std::fs::write(dir.join(format!("{case}.json")), line).unwrap();
        }
    }
    let out = lsa(&[
        "check",
        "--format",
        "json",
        "--set",
        SET,
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut checked = 0;
    let mut named_some = 0;
    for line in stdout(&out).lines() {
        let j: Json = serde_json::from_str(line).unwrap();
        let case = j["case"].as_str().unwrap();
        let (was, is) = (&before[case], &after[case]);
        for (key, o) in j["outcomes"].as_object().unwrap() {
            let said = (o["status"].clone(), o["value"].clone());
            assert_eq!(is.outcomes[key], said, "{case} {key}: lsa check --set");
        }
        let named: BTreeSet<&str> = (j["what_if"]["changes"].as_array().unwrap().iter())
            .map(|c| c["determination"].as_str().unwrap())
            .collect();
        let differ: BTreeSet<&str> = (is.outcomes.keys())
            .filter(|k| is.outcomes[*k] != was.outcomes[*k] || is.detail[*k] != was.detail[*k])
            .map(String::as_str)
            .collect();
        assert_eq!(named, differ, "{case}: what_if");
        checked += 1;
        named_some += usize::from(!named.is_empty());
    }
    assert_eq!(checked, before.len());
    assert!(named_some > checked / 4, "{named_some} of {checked}");
}

/// The answer of a server started for it to the caseload `input`, posted
/// whole as JSON Lines to `url`.
fn posted(input: &Path, url: &str) -> crate::serve::Answer {
    let server = crate::serve::Server::start(&["--max-body-bytes", "16000000"]);
    let body = std::fs::read(input).unwrap();
    server.call("POST", url, "application/x-ndjson", &body)
}

/// `POST /v1/diff` over the caseload on the same two dates names, case by
/// case, the determinations, acts and warnings the oracle counts in `per`.
fn served_diff_agrees(input: &Path, per: &Json, invalid: usize) {
    let answer = posted(input, "/v1/diff?on=2026-09-01&vs=2027-03-01");
    assert_eq!(answer.status, 422, "{}", answer.body);
    let mut counted: BTreeMap<String, u64> = BTreeMap::new();
    let mut errors = 0;
    for case in answer.json()["results"].as_array().unwrap() {
        match case["changes"].as_array() {
            Some(changes) => {
                for c in changes {
                    let key = c["determination"].as_str().unwrap().to_string();
                    *counted.entry(key).or_default() += 1;
                }
            }
            None => errors += 1,
        }
    }
    assert_eq!(errors, invalid);
    assert_eq!(
        serde_json::to_value(counted).unwrap(),
        *per,
        "POST /v1/diff"
    );
}

/// `lsa select` over a random caseload takes whom `lsa batch`'s outcomes
/// rank first: the eligible (`relocation.eligible` true), meaningful links
/// first, then the earliest registered (ties by case id), up to the quota;
/// the rest of those ranked beyond the quota in that order; those not
/// eligible not qualified, and those whose eligibility or key is not known
/// not ranked.
#[test]
fn select_takes_whom_batch_outcomes_rank_first() {
    let input = caseload("select-oracle", 900, true);
    let (cases, invalid) = side(&repo().join("rules"), &input, None);
    let registered: BTreeMap<String, Json> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Json>(l).unwrap())
        .map(|r| {
            let case = r["case"].as_str().unwrap().to_string();
            (case, r["application"]["registered_on"].clone())
        })
        .collect();
    let determined = |said: &Said, key: &str| match &said.outcomes[key] {
        (status, value) if status == "determined" => Some(value.clone()),
        _ => None,
    };
    let mut ranked = Vec::new();
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (case, said) in &cases {
        let standing = match determined(said, "relocation.eligible") {
            Some(Json::Bool(true)) => {
                let links = determined(said, "relocation.meaningful_links");
                match (links, registered[case].as_str()) {
                    (Some(Json::Bool(links)), Some(on)) => {
                        ranked.push((!links, on.to_string(), case.clone()));
                        continue;
                    }
                    _ => "unranked",
                }
            }
            Some(_) => "not_qualified",
            None => match &said.outcomes["relocation.eligible"].0 {
                s if s == "unknown" => "unknown",
                s if s == "undetermined" => "not_qualified",
                _ => "error",
            },
        };
        expected.insert(case.clone(), standing.to_string());
    }
    ranked.sort();
    assert!(ranked.len() > 40, "enough ranked: {}", ranked.len());
    let quota = ranked.len() / 2;
    let out = lsa(&[
        "select",
        input.to_str().unwrap(),
        "--quota",
        &quota.to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let j: Json = serde_json::from_str(&stdout(&out)).unwrap();
    let selected: Vec<&str> = (j["selected"].as_array().unwrap().iter())
        .map(|s| s["case"].as_str().unwrap())
        .collect();
    let first: Vec<&str> = ranked[..quota].iter().map(|r| r.2.as_str()).collect();
    assert_eq!(selected, first, "the selected, in order");
    let mut beyond = Vec::new();
    let mut got: BTreeMap<String, String> = BTreeMap::new();
    let mut invalid_seen = 0;
    for n in j["not_selected"].as_array().unwrap() {
        match n["reason"].as_str().unwrap() {
            "beyond_quota" => {
                beyond.push((n["rank"].as_u64().unwrap(), n["case"].as_str().unwrap()))
            }
            "invalid" => invalid_seen += 1,
            reason => {
                got.insert(n["case"].as_str().unwrap().to_string(), reason.to_string());
            }
        }
    }
    beyond.sort();
    let rest: Vec<(u64, &str)> = (ranked[quota..].iter().enumerate())
        .map(|(i, r)| ((quota + i + 1) as u64, r.2.as_str()))
        .collect();
    assert_eq!(beyond, rest, "those ranked beyond the quota");
    assert_eq!(got, expected, "those not ranked, and why");
    assert_eq!(invalid_seen, invalid);
}

/// `lsa agenda` over a window of days is the whole agenda (every date the
/// law gives, whenever it falls) cut to the window: its dates those of the
/// window, in the same order; `missed` the time limits missed outside it;
/// `open` the same whatever the window, and the date-valued determinations
/// `lsa batch` gives no date; with `--open`, the dates whose act is
/// neither done nor not owed. `POST /v1/agenda` gives the same.
#[test]
fn an_agenda_window_is_the_whole_agenda_cut_to_it() {
    let input = caseload("agenda-oracle", 400, true);
    let agenda = |extra: &[&str]| -> Json {
        let args = [
            &["agenda", input.to_str().unwrap(), "--format", "json"][..],
            extra,
        ]
        .concat();
        serde_json::from_str(&stdout(&lsa(&args))).unwrap()
    };
    let whole = agenda(&["--from", "1900-01-01", "--to", "2200-12-31"]);
    let (from, to) = ("2026-09-01", "2026-10-15");
    let window = ["--from", from, "--to", to];
    let cut = agenda(&window);
    let all = whole["dates"].as_array().unwrap();
    let within = |d: &&Json| (from..=to).contains(&d["value"].as_str().unwrap());
    let state = |d: &Json| d["act"]["state"].as_str().map(str::to_string);
    let dates: Vec<Json> = all.iter().filter(within).cloned().collect();
    assert!(
        dates.len() > 20,
        "enough dates in the window: {}",
        dates.len()
    );
    assert_eq!(
        cut["dates"],
        Json::Array(dates.clone()),
        "the window's dates"
    );
    let missed: Vec<Json> = (all.iter())
        .filter(|d| !within(d) && state(d).as_deref() == Some("missed"))
        .cloned()
        .collect();
    assert!(!missed.is_empty());
    assert_eq!(
        cut["missed"],
        Json::Array(missed),
        "missed outside the window"
    );
    assert_eq!(cut["open"], whole["open"], "no date: whatever the window");
    // `open`: each date-valued determination `lsa batch` gives no date, in
    // input order, then the rules' order.
    let dated: BTreeSet<&str> = (shipped().decisions.iter())
        .filter(|d| d.ty == lsa::value::Type::Date)
        .map(|d| &*d.key)
        .collect();
    let batch = stdout(&lsa(&["batch", input.to_str().unwrap()]));
    let mut no_date = Vec::new();
    for line in batch.lines() {
        let j: Json = serde_json::from_str(line).unwrap();
        for (key, o) in j["outcomes"].as_object().into_iter().flatten() {
            if dated.contains(key.as_str())
                && ["unknown", "error", "conflict"].contains(&o["status"].as_str().unwrap())
            {
                no_date.push((j["case"].clone(), key.clone(), o["status"].clone()));
            }
        }
    }
    let open: Vec<(Json, String, Json)> = (whole["open"].as_array().unwrap().iter())
        .map(|o| {
            (
                o["case"].clone(),
                o["determination"].as_str().unwrap().to_string(),
                o["status"].clone(),
            )
        })
        .collect();
    assert!(!open.is_empty());
    assert_eq!(open, no_date, "open: the dates lsa batch does not give");
    let open: Vec<Json> = (dates.into_iter())
        .filter(|d| !matches!(state(d).as_deref(), Some("in_time" | "late" | "not_owed")))
        .collect();
    let only_open = agenda(&[&window[..], &["--open"]].concat());
    assert_eq!(only_open["dates"], Json::Array(open), "--open");
    // Over HTTP, the same caseload as JSON Lines: the same agenda.
    let served = posted(&input, &format!("/v1/agenda?from={from}&to={to}"));
    assert_eq!(served.status, 422, "{}", served.body);
    let served = served.json();
    for key in ["from", "to", "cases", "dates", "open", "missed"] {
        assert_eq!(served[key], cut[key], "POST /v1/agenda: {key}");
    }
}

/// `POST /v1/batch` over a random caseload as JSON Lines answers each line
/// as `lsa batch` writes it: every case's line the same, byte for byte, and
/// each invalid record's errors the same, in its place.
#[test]
fn batch_over_http_writes_what_lsa_batch_writes() {
    let input = caseload("batch-oracle", 600, true);
    let cli = stdout(&lsa(&["batch", input.to_str().unwrap()]));
    let served = posted(&input, "/v1/batch");
    assert_eq!(served.status, 200, "{}", served.body);
    let (cli, served): (Vec<&str>, Vec<&str>) =
        (cli.lines().collect(), served.body.lines().collect());
    assert_eq!(cli.len(), served.len());
    let mut invalid = 0;
    for (i, (a, b)) in cli.iter().zip(&served).enumerate() {
        let (ja, jb): (Json, Json) = (
            serde_json::from_str(a).unwrap(),
            serde_json::from_str(b).unwrap(),
        );
        if ja["status"] == "invalid" {
            invalid += 1;
            assert_eq!(
                ja["errors"][0]["path"],
                jb["errors"][0]["path"],
                "line {}",
                i + 1
            );
            assert_eq!(
                ja["errors"][0]["message"],
                jb["errors"][0]["message"],
                "line {}",
                i + 1
            );
        } else {
            assert_eq!(a, b, "line {}", i + 1);
        }
    }
    assert!(invalid > 0);
}

/// The same random records as YAML files and as JSON Lines: `lsa batch`
/// decides each the same (the YAML reader against the JSON one).
#[test]
fn yaml_records_are_decided_as_the_same_records_in_json() {
    let input = caseload("yaml-oracle", 300, true);
    let dir = scratch("yaml-oracle-files");
    for line in std::fs::read_to_string(&input).unwrap().lines() {
        let r: Json = serde_json::from_str(line).unwrap();
        let name = format!("{}.yaml", r["case"].as_str().unwrap());
        std::fs::write(dir.join(name), serde_yaml::to_string(&r).unwrap()).unwrap();
    }
    let outcomes = |path: &Path| -> BTreeMap<String, Json> {
        let out = stdout(&lsa(&["batch", path.to_str().unwrap()]));
        (out.lines())
            .map(|l| serde_json::from_str::<Json>(l).unwrap())
            .map(|j| {
                let case = j["case"].as_str().unwrap().to_string();
                let said = if j["status"] == "invalid" {
                    serde_json::json!(["invalid", j["errors"][0]["path"]])
                } else {
                    serde_json::json!([j["outcomes"], j["warnings"]])
                };
                (case, said)
            })
            .collect()
    };
    let (json, yaml) = (outcomes(&input), outcomes(&dir));
    assert_eq!(json.len(), 300);
    for (case, said) in &json {
        assert_eq!(&yaml[case], said, "{case}: YAML against JSON");
    }
}

/// `ask_next` asks for every fact still needed: with each question
/// answered (any value of its type, here one a complete random record
/// gives), no determination is left unknown. (A case with an error, which
/// no answer is asked for, aside.)
#[test]
fn answering_every_question_asked_leaves_nothing_unknown() {
    let input = caseload("ask-oracle", 900, true);
    let records: Vec<Json> = (std::fs::read_to_string(&input).unwrap().lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Answers: from the complete records (every third).
    let complete: Vec<&Json> = records
        .iter()
        .step_by(3)
        .filter(|r| r["applicant"].is_object())
        .collect();
    let answer = |section: &str, field: Option<&str>, item_field: Option<&str>| -> Json {
        (complete.iter())
            .find_map(|c| {
                let v = c.get(section)?;
                let v = match field {
                    Some(f) => v.get(f)?,
                    None => v,
                };
                match item_field {
                    Some(i) => v.as_array()?.iter().find_map(|item| item.get(i)).cloned(),
                    None => Some(v.clone()),
                }
            })
            .unwrap_or_else(|| panic!("no answer for {section} {field:?} {item_field:?}"))
    };
    let batch = |path: &Path| -> Vec<Json> {
        (stdout(&lsa(&["batch", path.to_str().unwrap()])).lines())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let mut answered = String::new();
    let mut asked = 0;
    for (mut record, line) in records.clone().into_iter().zip(batch(&input)) {
        let statuses: Vec<&str> = (line["outcomes"].as_object().into_iter().flatten())
            .map(|(_, o)| o["status"].as_str().unwrap())
            .collect();
        if line["status"] == "invalid" || statuses.iter().any(|s| ["error", "conflict"].contains(s))
        {
            continue;
        }
        for q in line["ask_next"].as_array().unwrap() {
            asked += 1;
            let path = q["path"].as_str().unwrap();
            let (section, rest) = path.split_once('.').unwrap_or((path, ""));
            match rest.split_once("[].") {
                Some((list, field)) => {
                    for item in record[section][list].as_array_mut().unwrap() {
                        if item.get(field).is_none() {
                            item[field] = answer(section, Some(list), Some(field));
                        }
                    }
                }
                None if rest.is_empty() => record[section] = answer(section, None, None),
                None => {
                    if !record[section].is_object() {
                        record[section] = serde_json::json!({});
                    }
                    record[section][rest] = answer(section, Some(rest), None);
                }
            }
        }
        answered.push_str(&format!("{record}\n"));
    }
    assert!(asked > 5000, "questions asked: {asked}");
    let answered = scratch_file("ask-oracle-answered", "cases.jsonl", &answered);
    let lines = batch(&answered);
    assert!(lines.len() > 500, "{}", lines.len());
    for line in lines {
        assert_ne!(line["status"], "invalid", "{line}");
        for (key, o) in line["outcomes"].as_object().unwrap() {
            assert_ne!(o["status"], "unknown", "{} {key}: {o}", line["case"]);
        }
    }
}

/// Splits `expr` at `word` (`and`, `or`) where it stands outside brackets
/// and quotes: the parts of a chain as written, each without the brackets
/// around it.
fn parts_of(expr: &str, word: &str) -> Vec<String> {
    let sep = format!(" {word} ");
    let (mut parts, mut depth, mut quoted, mut start) = (Vec::new(), 0i32, false, 0);
    let mut i = 0;
    while i < expr.len() {
        match expr.as_bytes()[i] {
            b'"' => quoted = !quoted,
            b'(' | b'[' if !quoted => depth += 1,
            b')' | b']' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && expr[i..].starts_with(&sep) => {
                parts.push(unbracketed(&expr[start..i]));
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(unbracketed(&expr[start..]));
    parts
}

/// `expr` without the brackets that enclose it whole.
fn unbracketed(expr: &str) -> String {
    let mut e = expr.trim();
    while e.starts_with('(') && e.ends_with(')') {
        let mut depth = 0;
        let closes_at_end = e.char_indices().all(|(i, c)| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth > 0 || i == e.len() - 1
        });
        if !closes_at_end {
            break;
        }
        e = e[1..e.len() - 1].trim();
    }
    e.to_string()
}

/// Whether an explanation wrote the record's value at `path` as `shown`:
/// `none` for null, texts quoted or bare (codes, enum values), booleans as
/// written; `None` where the record has no such value, or a number or list
/// (written in the units of their type, "19.9%": not read here).
fn written_as(record: &Json, path: &str, shown: &str) -> Option<bool> {
    let mut at = record;
    for key in path.split('.') {
        at = at.get(key)?;
    }
    Some(match at {
        Json::Null => shown == "none",
        Json::String(s) => shown == s || shown == format!("{s:?}"),
        Json::Bool(b) => shown == b.to_string(),
        _ => return None,
    })
}

/// Whether `record` has the fact at `path` (`a.b`, or `a.list[].c` for
/// every item of a list; a list not given lacks it).
fn holds(record: &Json, path: &str) -> bool {
    match path.split_once("[].") {
        Some((list, field)) => {
            let items = record.pointer(&format!("/{}", list.replace('.', "/")));
            items
                .and_then(Json::as_array)
                .is_some_and(|items| items.iter().all(|i| holds(i, field)))
        }
        None => {
            let path = path.trim_end_matches("[]");
            record
                .pointer(&format!("/{}", path.replace('.', "/")))
                .is_some()
        }
    }
}

/// What an explanation's nodes are checked for, and how often.
#[derive(Default)]
struct Checked {
    counts: BTreeMap<&'static str, usize>,
}

impl Checked {
    fn saw(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }
}

/// Every node of one explained condition or value, against its parts and
/// the record: a chain of `and`s or `or`s shows only its parts, and they
/// decide its truth (a false `and` shows its false parts, a true one every
/// part; an unknown chain its unknown parts, or every part); `not`,
/// `known`, `exists` and a comparison with a literal follow from their one
/// operand; a fact from the record is the record's.
fn node_agrees(n: &Json, record: &Json, at: &str, seen: &mut Checked) {
    let expr = n["expr"].as_str().unwrap_or_default();
    let value = n["value"].as_str().unwrap_or_default();
    let children = n["children"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let shown: Vec<&str> = children
        .iter()
        .map(|c| c["value"].as_str().unwrap_or_default())
        .collect();
    let only =
        |e: &str| children.len() == 1 && unbracketed(children[0]["expr"].as_str().unwrap()) == e;
    let truth = matches!(value, "true" | "false" | "unknown");
    if n["source"] == "computed" && n.get("name").is_none() {
        for (word, decides, other) in [("or", "true", "false"), ("and", "false", "true")] {
            let parts = parts_of(expr, word);
            if parts.len() < 2 {
                continue;
            }
            for c in children {
                let c = unbracketed(c["expr"].as_str().unwrap());
                assert!(parts.contains(&c), "{at}: `{c}` is not a part of `{expr}`");
            }
            if truth {
                seen.saw("a chain of and/or");
                let all = shown.len() == parts.len();
                let ok = match value {
                    v if v == decides => !shown.is_empty() && shown.iter().all(|s| *s == decides),
                    v if v == other => all && shown.iter().all(|s| *s == other),
                    _ => {
                        (all && !shown.contains(&decides) && shown.contains(&"unknown"))
                            || (!shown.is_empty() && shown.iter().all(|s| *s == "unknown"))
                    }
                };
                assert!(ok, "{at}: `{expr}` = {value}, its parts shown {shown:?}");
            }
            break;
        }
        if let Some(rest) = expr.strip_prefix("not ") {
            if only(&unbracketed(rest)) && truth {
                seen.saw("not");
                let want = match shown[0] {
                    "true" => "false",
                    "false" => "true",
                    other => other,
                };
                assert_eq!(value, want, "{at}: `{expr}`");
            }
        }
        for (call, absent) in [("known(", "false"), ("exists(", "unknown")] {
            if let Some(inner) = expr.strip_prefix(call).and_then(|e| e.strip_suffix(')')) {
                if only(inner) {
                    seen.saw("known, exists");
                    let want = match shown[0] {
                        "unknown" => absent,
                        "none" if call == "exists(" => "false",
                        _ => "true",
                    };
                    assert_eq!(value, want, "{at}: `{expr}` of {}", shown[0]);
                }
            }
        }
        for op in [" == ", " != "] {
            let Some(operand) = children.first().and_then(|c| c["expr"].as_str()) else {
                break;
            };
            let Some(literal) = expr.strip_prefix(operand).and_then(|e| e.strip_prefix(op)) else {
                continue;
            };
            if children.len() == 1 && !literal.contains([' ', '(']) && shown[0] != "none" {
                seen.saw("a comparison with a literal");
                let want = match shown[0] {
                    "unknown" => "unknown",
                    s if (s == literal) == (op == " == ") => "true",
                    _ => "false",
                };
                assert_eq!(value, want, "{at}: `{expr}` with {operand} = {}", shown[0]);
            }
        }
    }
    if n["source"] == "record"
        && expr
            .split('.')
            .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        if let Some(same) = written_as(record, expr, value) {
            seen.saw("a fact from the record");
            assert!(
                same,
                "{at}: `{expr}` shown as {value}, not as the record has it"
            );
        }
    }
    for (i, c) in children.iter().enumerate() {
        node_agrees(c, record, &format!("{at}/{i}"), seen);
    }
}

/// `lsa batch --explain` over a random caseload, each explanation read
/// against itself and the record: its status and value are the outcome's,
/// and none is an error (the records' dates fall before and after the law
/// applies; an error here was the crisis extension's, below: should one
/// come from the open question of an application registered before 12
/// June 2026 and lodged after, docs/law.md, it is to be looked at, not
/// allowed);
/// a rule shown as deciding has a true condition, one not applicable a
/// false one, an open one an unknown one; a rule named as setting another
/// aside is shown as deciding or set aside itself (every ground of the
/// outcome is shown); and every node of every condition and value agrees
/// with its parts and with the record ([`node_agrees`]). The
/// defects this found: a relocated applicant's examination time limit in
/// a crisis in error on a date before 1 July 2026; the second of two
/// agreeing grounds of a `unique` decision not shown; and the rule whose
/// value an unknown outcome waits on not shown.
#[test]
fn explanations_agree_with_their_parts_and_the_record() {
    let input = caseload("explain-oracle", 300, true);
    let records: BTreeMap<String, Json> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Json>(l).unwrap())
        .map(|r| (r["case"].as_str().unwrap().to_string(), r))
        .collect();
    let out = lsa(&["batch", "--explain", input.to_str().unwrap()]);
    let mut seen = Checked::default();
    for line in stdout(&out).lines() {
        let j: Json = serde_json::from_str(line).unwrap();
        if j["status"] == "invalid" {
            continue;
        }
        let case = j["case"].as_str().unwrap();
        let record = &records[case];
        for (key, o) in j["outcomes"].as_object().unwrap() {
            let x = &o["explanation"];
            let at = format!("{case} {key}");
            assert_eq!(x["status"], o["status"], "{at}");
            if o["status"] == "determined" {
                let shown = x["value"].as_str().unwrap();
                let written = match &o["value"] {
                    // A text quoted, a code or enum value bare.
                    Json::String(s) if shown.starts_with('"') => format!("{s:?}"),
                    Json::String(s) => s.clone(),
                    Json::Array(items) => format!(
                        "[{}]",
                        items
                            .iter()
                            .map(|i| i.as_str().unwrap())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    other => other.to_string(),
                };
                assert_eq!(shown, written, "{at}");
            }
            assert!(
                !x["status"].as_str().unwrap().contains("error"),
                "{at}: {x}"
            );
            let rules = |role: &str| x[role].as_array().cloned().unwrap_or_default();
            let names = |role: &str| -> BTreeSet<String> {
                rules(role)
                    .iter()
                    .map(|r| r["rule"]["name"].as_str().unwrap().to_string())
                    .collect()
            };
            let (by, aside) = (names("by"), names("set_aside"));
            // What an unknown outcome needs is missing from the record.
            for need in x["needs"].as_array().into_iter().flatten() {
                seen.saw("a fact needed");
                let need = need.as_str().unwrap();
                assert!(
                    !holds(record, need),
                    "{at}: needs {need}, which the record has"
                );
            }
            // A deciding rule's value is the outcome's (one value each under
            // `first` and `unique`).
            if o["status"] == "determined" && !o["value"].is_array() {
                for r in rules("by").iter().filter(|r| r["value"].is_object()) {
                    seen.saw("a deciding rule's value");
                    assert_eq!(
                        r["value"]["value"], x["value"],
                        "{at}: {}",
                        r["rule"]["name"]
                    );
                }
            }
            for (role, want) in [
                ("by", "true"),
                ("not_applicable", "false"),
                ("open", "unknown"),
            ] {
                for r in rules(role) {
                    seen.saw("a rule's role");
                    let name = r["rule"]["name"].as_str().unwrap();
                    assert_eq!(r["because"]["value"], want, "{at}: {role} {name}");
                }
            }
            // Where a condition is still open, a rule that applies may yet
            // be set aside by it: it is shown once that is settled.
            let settled = rules("open").is_empty();
            for r in rules("set_aside").iter().filter(|_| settled) {
                for over in r["by"].as_array().unwrap() {
                    seen.saw("a rule set aside");
                    let over = over.as_str().unwrap();
                    assert!(
                        by.contains(over) || aside.contains(over),
                        "{at}: {over} sets {} aside, but is not shown",
                        r["rule"]["name"]
                    );
                }
            }
            for role in [
                "applies",
                "by",
                "not_applicable",
                "open",
                "set_aside",
                "default",
            ] {
                let nodes: Vec<Json> = match &x[role] {
                    Json::Array(list) => list
                        .iter()
                        .flat_map(|r| [r["because"].clone(), r["value"].clone()])
                        .collect(),
                    Json::Object(o) => vec![o
                        .get("condition")
                        .cloned()
                        .unwrap_or_else(|| x[role].clone())],
                    _ => Vec::new(),
                };
                for n in nodes.iter().filter(|n| n.is_object()) {
                    node_agrees(n, record, &format!("{at} {role}"), &mut seen);
                }
            }
        }
    }
    // Each check ran, over many nodes.
    for what in [
        "a chain of and/or",
        "not",
        "known, exists",
        "a comparison with a literal",
        "a fact from the record",
        "a rule's role",
        "a rule set aside",
        "a fact needed",
        "a deciding rule's value",
    ] {
        assert!(
            seen.counts.get(what).copied().unwrap_or(0) > 100,
            "{what}: {:?}",
            seen.counts
        );
    }
}
