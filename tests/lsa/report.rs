//! The caseworker's report: in Lithuanian and in plain words, the answer
//! first, then what to ask next, then why; the same as a page for the case
//! file; labels and the ask-next list in the JSON.

use crate::common::{lsa, repo, scratch, stderr, stdout};

const INCOMPLETE: &str = "tests/examples/incomplete-file.yaml";

/// The Lithuanian report of an incomplete file: a summary with a label and
/// a value on every line (no field paths), and every question a sentence.
#[test]
fn the_lithuanian_report_leads_with_the_answer_and_asks_in_sentences() {
    let out = lsa(&["check", "--lang", "lt", INCOMPLETE]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let section = |head: &str, next: &str| -> Vec<String> {
        let start = text
            .find(&format!("\n{head}\n"))
            .unwrap_or_else(|| panic!("no {head}:\n{text}"));
        let rest = &text[start + head.len() + 2..];
        let end = rest.find(&format!("\n{next}")).unwrap_or(rest.len());
        rest[..end]
            .lines()
            .map(str::to_string)
            .filter(|l| !l.trim().is_empty())
            .collect()
    };
    let summary = section("Sprendimai", "Ko dar paklausti");
    let program = crate::common::shipped();
    assert_eq!(summary.len(), program.decisions.len());
    for line in &summary {
        // `Label: value  [citation]`, the value in words; no raw path.
        assert!(line.contains(": "), "{line}");
        let before_cite = line.split("  [").next().unwrap();
        assert!(
            !before_cite.contains("applicant.")
                && !before_cite.contains("application.")
                && !before_cite.contains('_'),
            "a raw name in the summary: {line}"
        );
    }
    assert!(
        text.contains(
            "Terminas pateikti prašymą perimti: nežinoma (trūksta: Prašymo užregistravimo data)"
        ),
        "{text}"
    );
    // A summary line names three facts it lacks and counts the rest, which
    // the questions ask for and the explanation below lists.
    assert!(
        text.contains(
            "  Prašymo išnagrinėjimo terminas: nežinoma (trūksta: Grėsmė saugumui; Pripažinimo lygis (%); Prašymo oficialaus pateikimo data ir dar 2 (žr. „Ko dar paklausti“))"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  Prašymo išnagrinėjimo terminas: nežinoma\n    trūksta: Grėsmė saugumui; Pripažinimo lygis (%); Prašymo oficialaus pateikimo data; Nagrinėjimo terminas pratęstas iki; Nagrinėjimo užbaigimas atidėtas\n"
        ),
        "{text}"
    );
    // No relocation section: not considered for relocation, nothing asked.
    assert!(
        text.contains("Ar asmenį galima perkelti į Lietuvą: nenustatyta (šiai bylai netaikoma)"),
        "{text}"
    );
    assert!(
        text.contains("[Reglamento (ES) 2024/1351 56 str. 2 d. a p.]"),
        "{text}"
    );
    let asks = section("Ko dar paklausti", "Kodėl");
    // A fact of a list's items names the item that lacks it.
    let at = asks
        .iter()
        .position(|l| l.contains("Iki kada šis dokumentas galioja"))
        .unwrap_or_else(|| panic!("{asks:?}"));
    assert_eq!(
        asks.get(at + 1).map(|l| l.trim()),
        Some("(responsibility.documents[0].valid_until)")
    );
    let questions: Vec<&String> = asks
        .iter()
        .filter(|l| !l.trim_start().starts_with('('))
        .collect();
    assert!(!questions.is_empty());
    for q in questions {
        let sentence = q.trim_start().split_once(". ").map(|x| x.1).unwrap_or(q);
        assert!(
            sentence.chars().next().is_some_and(char::is_uppercase),
            "{q}"
        );
        assert!(sentence.ends_with('?'), "not a question: {q}");
    }
}

/// The ask-next list holds every fact whose absence keeps a determination
/// unknown: answering all of them (any answer) leaves nothing unknown.
#[test]
fn answering_every_question_leaves_nothing_unknown() {
    let program = crate::common::shipped();
    let evaluate = |text: &str| {
        let record = lsa::record::read(program, text, lsa::record::Format::Yaml, "x")
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        lsa::explain::evaluate(
            program,
            "x".into(),
            &record.inputs,
            record.as_of.unwrap(),
            false,
        )
    };
    for example in [
        "incomplete-file",
        "border-low-recognition",
        "relocation-offer",
    ] {
        let path = repo().join(format!("tests/examples/{example}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let report = evaluate(&text);
        let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        for p in &report.ask_next {
            let path = program.path(*p);
            let answer = an_answer(program, path);
            answer_at(&mut doc, &path.split('.').collect::<Vec<_>>(), &answer);
        }
        let report = evaluate(&serde_yaml::to_string(&doc).unwrap());
        let unknown: Vec<String> = report
            .outcomes
            .iter()
            .filter(|(_, o)| o.status() == lsa::eval::Status::Unknown)
            .map(|(id, o)| format!("{}: {o:?}", program.decisions[id.index()].key))
            .collect();
        assert!(
            unknown.is_empty(),
            "{example}: still unknown after every answer: {unknown:?}"
        );
        assert!(report.ask_next.is_empty(), "{example}");
    }
}

/// Writes `answer` at `path` in the record (`section.field`, or the field
/// of every item of a list: `section.list[].field`).
fn answer_at(doc: &mut serde_yaml::Value, path: &[&str], answer: &serde_yaml::Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let map = doc.as_mapping_mut().unwrap();
    if rest.is_empty() {
        map.insert((*first).into(), answer.clone());
        return;
    }
    match first.strip_suffix("[]") {
        Some(list) => {
            let items = map.get_mut(list).and_then(|l| l.as_sequence_mut());
            for item in items.into_iter().flatten() {
                answer_at(item, rest, answer);
            }
        }
        None => {
            let entry = map
                .entry((*first).into())
                .or_insert(serde_yaml::Value::Mapping(Default::default()));
            answer_at(entry, rest, answer);
        }
    }
}

/// Some answer for a field: its type's first value (a list: empty).
fn an_answer(program: &lsa::check::Program, path: &str) -> serde_yaml::Value {
    use lsa::value::Type;
    let mut segments = path.split('.');
    let input = segments.next().unwrap();
    let mut ty = program
        .inputs
        .iter()
        .find(|i| i.name == input)
        .unwrap()
        .ty
        .clone();
    for s in segments {
        if let Type::List(item) = ty.base() {
            ty = (**item).clone();
        }
        let s = s.trim_end_matches("[]");
        let Type::Record(r) = ty.base() else {
            panic!("{path}")
        };
        ty = program
            .record(*r)
            .unwrap()
            .fields
            .iter()
            .find(|f| f.name == s)
            .unwrap()
            .ty
            .clone();
    }
    match ty.base() {
        Type::Bool => false.into(),
        Type::Date => "2026-07-01".into(),
        Type::Percent | Type::Decimal => serde_yaml::Value::Number(30.into()),
        Type::Integer => 1.into(),
        Type::Text => "ITA".into(),
        Type::Enum(e) => program.enums[e.0 as usize].variants[0].clone().into(),
        Type::List(_) => serde_yaml::Value::Sequence(Vec::new()),
        other => panic!("{path}: {other:?}"),
    }
}

/// Every decision, field and enum value of the shipped law has a Lithuanian
/// (and an English) label.
#[test]
fn every_label_is_there_in_both_languages() {
    for lang in ["lt", "en"] {
        let out = lsa(&["lint", "--labels", lang]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("0 without a `{lang}` label")),
            "{}",
            stderr(&out)
        );
    }
    let program = crate::common::shipped();
    assert!(program.missing_labels(lsa::lang::Lang::Lt).is_empty());
}

/// A rule whose condition reads a national choice (a true/false param its
/// doc calls one) says so in its label, in both languages, so that the
/// caseworker reads that the answer rests on it: the shipped law's border
/// procedure by choice, its 16 weeks for a relocated person and the
/// accelerated procedure for unaccompanied minors (APR Arts. 43(1), 51(2),
/// 42(3)).
#[test]
fn a_rule_resting_on_a_national_choice_says_so_in_its_label() {
    use lsa::check::ir::{Expr, Labelled, Node};
    use lsa::lang::Lang;
    fn reads_a_choice(program: &lsa::check::Program, node: &Node) -> bool {
        // A true/false param its doc calls a national choice (not one that
        // records a reading of the text lsa decided, as
        // `crisis_extension_for_relocated`).
        let choice = |id: &lsa::check::ir::ParamId| {
            program.params.get(id.0 as usize).is_some_and(|p| {
                p.ty == lsa::value::Type::Bool && p.doc.to_lowercase().contains("national choice")
            })
        };
        match &node.kind {
            Expr::Param(id) | Expr::ParamOn { param: id, .. } if choice(id) => true,
            _ => node.children().iter().any(|c| reads_a_choice(program, c)),
        }
    }
    let program = crate::common::shipped();
    let mut found = Vec::new();
    let mut unsaid = Vec::new();
    for (d, decision) in program.decisions.iter().enumerate() {
        for (r, rule) in decision.rules.iter().enumerate() {
            if !reads_a_choice(program, &rule.when) {
                continue;
            }
            found.push(rule.key.to_string());
            let what = Labelled::Rule(lsa::check::ir::DecisionId(d as u32), r as u32);
            for (lang, says) in [(Lang::Lt, "Lietuv"), (Lang::En, "Lithuania")] {
                let label = program.labels.label(&what, lang).unwrap_or_default();
                if !label.contains(says) {
                    unsaid.push(format!("{} ({}): {label}", rule.key, lang.code()));
                }
            }
        }
    }
    // The shipped law's: the border procedure by choice, the 16 weeks and
    // the five points of Art. 42(3) for minors, at least.
    assert!(found.len() >= 7, "{found:?}");
    assert!(unsaid.is_empty(), "{}", unsaid.join("\n"));
}

/// `lsa check case.yaml` in `dir` (a tree of [`crate::common::rule_tree`]),
/// in `lang` as of `as_of`, with `more` arguments.
fn check_case(
    dir: &std::path::Path,
    lang: &str,
    as_of: &str,
    more: &[&str],
) -> std::process::Output {
    let args = ["check", "--lang", lang, "--as-of", as_of, "case.yaml"];
    crate::common::lsa_in(dir, &[&args[..], more].concat())
}

/// Whether `text` holds a name of the rules or a path of the record
/// (`procedure.regular_examination_end`, `application.lodged_on`): a word
/// with a dot between lowercase parts, one of them with an underscore.
fn raw_name(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'))
        .map(|w| w.trim_matches('.'))
        .find(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() > 1
                && parts
                    .iter()
                    .all(|p| p.starts_with(|c: char| c.is_ascii_lowercase()))
                && parts.iter().any(|p| p.contains('_'))
        })
}

/// The caseworker's report of every example, in both languages, names no
/// rule, def or record path: each determination, fact and time limit computed
/// on the way by its label (only what to ask next gives each fact's path
/// beside its question, for the case-management system); nor do the agenda
/// and the selection's reports.
#[test]
fn the_report_names_nothing_by_its_name_in_the_rules() {
    assert_eq!(
        raw_name("· procedure.regular_examination_end: x"),
        Some("procedure.regular_examination_end")
    );
    assert_eq!(
        raw_name("needs application.lodged_on."),
        Some("application.lodged_on")
    );
    assert_eq!(
        raw_name("Reg. 1182/71 Art. 3(1). Done 2026-07-01, in time"),
        None
    );
    for lang in ["lt", "en"] {
        for case in crate::common::files("tests/examples", "yaml") {
            let out = lsa(&["check", "--lang", lang, case.to_str().unwrap()]);
            let text = stdout(&out);
            let mut asking = false;
            for line in text.lines() {
                if ["What to ask next", "Ko dar paklausti"].contains(&line) {
                    asking = true;
                } else if line.starts_with("Why") || line.starts_with("Kodėl") {
                    asking = false;
                }
                let shown = if asking && line.trim_start().starts_with('(') {
                    ""
                } else {
                    line
                };
                assert_eq!(raw_name(shown), None, "{lang}, {}: {line}", case.display());
            }
        }
        // The agenda likewise, with what each date still needs; a warning
        // gives its key in brackets after its words.
        let out = lsa(&[
            "agenda",
            "--lang",
            lang,
            "--as-of",
            "2026-07-01",
            "--to",
            "2027-12-31",
            "--missing",
            "tests/examples",
        ]);
        let text = stdout(&out);
        assert!(
            text.contains(["needs", "trūksta"][usize::from(lang == "lt")]),
            "{text}"
        );
        for line in text.lines() {
            let shown = match line.trim_start().starts_with('!') {
                true => line.rsplit_once(" (").map_or(line, |(words, _)| words),
                false => line,
            };
            assert_eq!(raw_name(shown), None, "{lang}, the agenda: {line}");
        }
        // `lsa select`, as text and as a page: the selection by its label
        // (its key has no `_` for `raw_name` to see); a warning's key in
        // brackets after its words, as above.
        let input = "tests/examples/relocation-candidates.jsonl";
        let json = stdout(&lsa(&["select", "--quota", "3", "--format", "json", input]));
        let warnings: Vec<String> = json
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix('"'))
            .filter(|k| k.starts_with("case."))
            .map(|k| format!(" ({k})"))
            .collect();
        assert!(!warnings.is_empty(), "{json}");
        for format in ["text", "html"] {
            let out = lsa(&[
                "select", "--lang", lang, "--quota", "3", "--format", format, input,
            ]);
            let mut text = stdout(&out);
            assert!(text.contains("GR-109"), "{text}");
            assert!(!text.contains("relocation.candidates"), "{text}");
            for w in &warnings {
                text = text.replace(w, "");
            }
            for line in text.lines() {
                assert_eq!(raw_name(line), None, "{lang}, select {format}: {line}");
            }
        }
    }
    // A record's fields, in a list the record gives, by their labels in
    // English too (`Kind of entry`, not `kind`).
    let out = lsa(&[
        "check",
        "--lang",
        "en",
        "tests/examples/border-low-recognition.yaml",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("Entries into Member States: [{Kind of entry: irregular crossing, Member State: Lithuania (LTU), Date: Tue 2026-06-30}]"),
        "{text}"
    );
}

/// A length of time written in words or figures (`21 days`, `three working
/// days`, `šešių mėnesių`, `dešimčia darbo dienų`), if `text` holds one.
fn period_in_words(text: &str) -> Option<String> {
    const EN: [&str; 14] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty",
    ];
    const LT: [&str; 16] = [
        "vien",
        "dvi",
        "trys",
        "tris",
        "trij",
        "trim",
        "ketur",
        "penk",
        "šeš",
        "septyn",
        "aštuon",
        "devyn",
        "dešim",
        "dvylik",
        "penkiolik",
        "dvidešim",
    ];
    const UNITS: [&str; 8] = [
        "day", "week", "month", "year", "dien", "savait", "mėnes", "met",
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w != "working" && w != "darbo")
        .collect();
    words.windows(2).find_map(|pair| {
        let (n, unit) = (&pair[0], &pair[1]);
        let number = n.chars().all(|c| c.is_ascii_digit())
            || EN.contains(&n.as_str())
            || n == "du"
            || LT.iter().any(|stem| n.starts_with(stem));
        (number && UNITS.iter().any(|u| unit.starts_with(u))).then(|| format!("{n} {unit}"))
    })
}

/// No label states a length of time: a period is a param's, and appears
/// from the param where it matters, so an amendment of the param (the
/// lodging period from 21 days to 14) cannot leave a label or a question
/// stating the old figure.
#[test]
fn no_label_states_a_period() {
    for (text, found) in [
        ("within 21 days", Some("21 days")),
        ("later than three working days after", Some("three days")),
        ("ne vėlesnė už šešių mėnesių terminą", Some("šešių mėnesių")),
        ("pratęstas dešimčia darbo dienų", Some("dešimčia dienų")),
        (
            "Naujųjų metų diena; Art. 28(1); 2026 m. birželio 12 d.",
            None,
        ),
    ] {
        assert_eq!(period_in_words(text).as_deref(), found, "{text}");
    }
    let text = std::fs::read_to_string(repo().join("rules/labels.rules")).unwrap();
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        // The quoted texts of a label line (`lt "…" ask "…"`).
        for (k, quoted) in line.split('"').enumerate() {
            if k % 2 == 1 && !line.trim_start().starts_with("//") {
                if let Some(p) = period_in_words(quoted) {
                    found.push(format!("rules/labels.rules:{}: {p}: {quoted}", i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A def that computes a time limit is named in the report before its
/// steps: without a label it is listed as missing one (in English too, where
/// its key would show), with one the report names it by the label; a def
/// of another kind is not listed.
#[test]
fn a_time_limit_def_is_labelled_and_named_by_its_label() {
    let text = |labels: &str| {
        format!(
            "ruleset t\nsource A \"An act\"\ncalendar LT \"Lithuania\"\n  holiday \"New Year's Day\" on 1 January\n\
             record R {{ on: date }}\ninput r: R\n\
             def limit: date [A Art. 1] = deadline(from: r.on, 10 days)\n\
             def later: bool [A Art. 1] = r.on > 2026-01-01\n\
             decision d: date [A Art. 2]\n  rule x [A Art. 2] when later then limit\n\
             {labels}"
        )
    };
    let words = "label t.d\n  lt \"Terminas\"\n  en \"Time limit\"\n\
                 label t.d.x\n  lt \"taisyklė\"\n  en \"the rule\"\n\
                 label r\n  lt \"Įrašas\"\n  en \"Record\"\n\
                 label r.on\n  lt \"Diena\"\n  en \"Day\"\n";
    let bare = crate::common::program(&text(words));
    for lang in [lsa::lang::Lang::Lt, lsa::lang::Lang::En] {
        assert_eq!(bare.missing_labels(lang), vec!["time limit t.limit"]);
    }
    let labelled = text(&format!(
        "{words}label t.limit\n  lt \"Dešimt dienų\"\n  en \"Ten days\"\n"
    ));
    let program = crate::common::program(&labelled);
    assert!(program.missing_labels(lsa::lang::Lang::Lt).is_empty());
    let dir = crate::common::rule_tree(
        "time-limit-label",
        "t.rules",
        &labelled,
        &[("case.yaml", "r: { on: 2026-03-02 }\n")],
    );
    for (lang, named) in [
        ("lt", "· Dešimt dienų: 2026-03-12"),
        ("en", "· Ten days: Thu 2026-03-12"),
    ] {
        let text = stdout(&check_case(&dir, lang, "2026-03-02", &[]));
        assert!(text.contains(named), "{text}");
        assert!(!text.contains("t.limit"), "{text}");
    }
}

/// A selection without a label is listed by `lsa lint --labels`, and is
/// named by its key in its report; with one, its label is the report's
/// title, in each language.
#[test]
fn a_selection_is_labelled_and_titled_by_its_label() {
    let text = |labels: &str| {
        format!(
            "ruleset pick\nsource A \"An act\"\n\
             record P {{ links: bool }}\ninput p: P\n\
             decision eligible: bool [A Art. 1]\n  rule all [A Art. 1] when p.links or not p.links then true\n\
             selection order [A Art. 2]\n  among eligible\n  by p.links descending\n\
             label pick.eligible\n  lt \"Tinka\"\n  en \"Eligible\"\n\
             label pick.eligible.all\n  lt \"visi\"\n  en \"all\"\n\
             label p\n  lt \"Asmuo\"\n  en \"Person\"\n\
             label p.links\n  lt \"Ryšiai\"\n  en \"Links\"\n\
             {labels}"
        )
    };
    let bare = crate::common::program(&text(""));
    for lang in [lsa::lang::Lang::Lt, lsa::lang::Lang::En] {
        assert_eq!(bare.missing_labels(lang), vec!["selection pick.order"]);
    }
    let labelled = text("label pick.order\n  lt \"Eilė\"\n  en \"The order\"\n");
    let program = crate::common::program(&labelled);
    assert!(program.missing_labels(lsa::lang::Lang::Lt).is_empty());
    for (tree, lang, title) in [
        (
            text(""),
            "en",
            "selection pick.order [A Art. 2]: 1 selected of 2 candidates",
        ),
        (
            text(""),
            "lt",
            "atranka pick.order [A Art. 2]: atrinkta 1 iš 2 kandidatų",
        ),
        (
            labelled.clone(),
            "en",
            "The order [A Art. 2]: 1 selected of 2 candidates",
        ),
        (labelled, "lt", "Eilė [A Art. 2]: atrinkta 1 iš 2 kandidatų"),
    ] {
        let dir = crate::common::rule_tree(
            &format!("selection-label-{lang}"),
            "pick.rules",
            &tree,
            &[(
                "cases.jsonl",
                "{\"case\":\"X\",\"p\":{\"links\":true}}\n{\"case\":\"Y\",\"p\":{\"links\":false}}\n",
            )],
        );
        let out = crate::common::lsa_in(
            &dir,
            &[
                "select",
                "--lang",
                lang,
                "--quota",
                "1",
                "--as-of",
                "2026-07-01",
                "cases.jsonl",
            ],
        );
        let report = stdout(&out);
        assert!(report.contains(title), "{title}\n{report}{}", stderr(&out));
        assert!(report.contains("X  "), "{report}");
    }
}

/// A code the record gives reads as its label with the code beside it
/// ("Vokietija (DEU)"), in each language, and as itself where the rules
/// label it not; the JSON keeps the code, the contract's value.
#[test]
fn codes_read_as_their_labels() {
    let f = "tests/examples/take-charge-late.yaml";
    let lt = stdout(&lsa(&["check", "--lang", "lt", f]));
    assert!(
        lt.contains("Valstybė narė pagal kriterijus: Vokietija (DEU)"),
        "{lt}"
    );
    assert!(
        lt.contains("Atsakinga valstybė narė: Lietuva (LTU)"),
        "{lt}"
    );
    let en = stdout(&lsa(&["check", "--lang", "en", f]));
    assert!(
        en.contains("Member State the criteria point to: Germany (DEU)"),
        "{en}"
    );
    let out = lsa(&["check", "--format", "json", "--lang", "lt", f]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["outcomes"]["responsibility.criterion_member_state"]["value"],
        "DEU"
    );
    // Rules of one's own: one code labelled (in Lithuanian only), the
    // label written as `lsa fmt` writes it.
    let dir = crate::common::rule_tree(
        "text-labels",
        "t.rules",
        "ruleset t\n\ninput state: text\n\ndecision home: text\n\n  rule given\n    when true\n    then state\n\nlabel \"LTU\"\n  lt \"Lietuva\"\n",
        &[],
    );
    let fmt = crate::common::lsa_in(&dir, &["fmt", "--check"]);
    assert!(fmt.status.success(), "{}", stderr(&fmt));
    for (code, lang, says) in [
        ("LTU", "lt", "home: Lietuva (LTU)"),
        ("LTU", "en", "home: LTU"),
        ("POL", "lt", "home: POL"),
    ] {
        std::fs::write(dir.join("case.yaml"), format!("state: {code}\n")).unwrap();
        let out = crate::common::lsa_in(&dir, &["check", "--lang", lang, "case.yaml"]);
        assert!(stdout(&out).contains(says), "{says}: {}", stdout(&out));
    }
    // An empty text names nothing to label.
    let c = crate::common::compile_one("t.rules", "ruleset t\n\nlabel \"\"\n  lt \"nieko\"\n");
    assert!(c.program.is_none());
    assert!(
        crate::common::rendered(&c).contains("an empty text has no label"),
        "{}",
        crate::common::rendered(&c)
    );
}

/// The JSON carries each outcome's label and the case's ask-next list, in
/// the language asked for.
#[test]
fn json_has_labels_and_what_to_ask() {
    let out = lsa(&["check", "--format", "json", "--lang", "lt", INCOMPLETE]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["lang"], "lt");
    assert_eq!(
        json["outcomes"]["relocation.eligible"]["label"],
        "Ar asmenį galima perkelti į Lietuvą"
    );
    let asks = json["ask_next"].as_array().unwrap();
    assert_eq!(asks[0]["path"], "application.registered_on");
    assert_eq!(asks[0]["label"], "Prašymo užregistravimo data");
    assert_eq!(asks[0]["question"], "Kada prašymas užregistruotas?");
    // The old fields stay: format 1 readers keep working.
    assert_eq!(json["format"], 1);
    assert_eq!(
        json["outcomes"]["procedure.track"]["needs"],
        serde_json::json!([
            "applicant.security_threat",
            "application.recognition_rate_pct"
        ])
    );
    // Batch writes the same, byte for byte as the serializer.
    let out = lsa(&["check", "--format", "json", "--lang", "en", INCOMPLETE]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["ask_next"][0]["question"],
        "When was the application registered?"
    );
}

/// Splits an HTML page into its tags, checking every element it opens is
/// closed in order (void elements aside): a page every browser reads alike.
fn check_well_formed(page: &str) {
    const VOID: [&str; 3] = ["meta", "br", "hr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("an unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> closes something else"
            );
        } else if !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

/// The HTML page of each example: well formed, self-contained (no script,
/// nothing fetched), with the same values as the JSON; and where a
/// headless Chromium is installed, it opens without a console message.
#[test]
fn the_html_page_of_each_example_shows_the_json_values() {
    let dir = scratch("html-pages");
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    for path in crate::common::files("tests/examples", "yaml") {
        let p = path.to_str().unwrap();
        let out = lsa(&["check", "--format", "html", p]);
        assert!(out.status.success(), "{}", stderr(&out));
        let page = stdout(&out);
        check_well_formed(&page);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("href="));
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&lsa(&["check", "--format", "json", p]))).unwrap();
        for (key, o) in json["outcomes"].as_object().unwrap() {
            let row = page
                .split(&format!("<tr id=\"{key}\">"))
                .nth(1)
                .unwrap_or_else(|| panic!("{key}"));
            let row = &row[..row.find("</tr>").unwrap()];
            assert!(
                row.contains(&format!("<td>{}</td>", o["label"].as_str().unwrap())),
                "{key}: {row}"
            );
            // A date or a yes/no as the JSON has it.
            match &o["value"] {
                serde_json::Value::Bool(b) => assert!(
                    row.contains(if *b { ">yes<" } else { ">no<" }),
                    "{key}: {row}"
                ),
                serde_json::Value::String(d) if d.len() == 10 && d.as_bytes()[4] == b'-' => {
                    assert!(row.contains(d.as_str()), "{key}: {row}")
                }
                _ => {}
            }
        }
        if let Some(chromium) = chromium {
            let file = dir.join(format!("{}.html", crate::common::stem(&path)));
            std::fs::write(&file, &page).unwrap();
            let run = std::process::Command::new(chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-first-run",
                    "--enable-logging=stderr",
                    "--v=0",
                    "--dump-dom",
                ])
                .arg(format!("file://{}", file.display()))
                .output()
                .unwrap();
            let log = String::from_utf8_lossy(&run.stderr);
            assert!(run.status.success(), "{log}");
            assert!(!log.contains("CONSOLE"), "console messages: {log}");
            assert!(String::from_utf8_lossy(&run.stdout).contains("<h1>"));
        }
    }
}

/// Why a determination does not apply reads in the caseworker's language:
/// the `applies` line's Lithuanian label, its own words in English.
#[test]
fn why_a_determination_does_not_apply_is_said_in_lithuanian() {
    let case = crate::common::scratch_file(
        "not-applicable",
        "old.yaml",
        "case: OLD-1\nas_of: 2026-07-10\napplication: { registered_on: 2026-06-30 }\n",
    );
    let lt = stdout(&lsa(&["check", "--lang", "lt", case.to_str().unwrap()]));
    assert!(
        lt.contains("  Atsakinga valstybė narė: nenustatyta\n    netaikoma: prašymas užregistruotas iki 2026 m. liepos 1 d.: atsakinga valstybė narė nustatoma pagal Reglamentą (ES) Nr. 604/2013 (Dublinas III)"),
        "{lt}"
    );
    // Only the line that does not hold speaks: not the file's other one,
    // on a relocation offer, which does.
    assert!(!lt.contains("pasiūlytas perkelti"), "{lt}");
    let en = stdout(&lsa(&["check", "--lang", "en", case.to_str().unwrap()]));
    assert!(
        en.contains("  Member State responsible: not determined\n    not applicable: the application was registered before 1 July 2026: the Member State responsible is determined under Regulation (EU) No 604/2013 (Dublin III)"),
        "{en}"
    );
    assert!(!en.contains("offered for relocation"), "{en}");
}

/// A time limit's days off, in Lithuanian: the date names its weekday, so
/// a weekend day is said to be one (not its weekday twice), and a holiday
/// by its name; the working days skipped likewise, a holiday by its name
/// only. (The example's registration: made Mon 7 Dec 2026, five days end
/// on Sat 12 Dec, moved to Mon 14 Dec; its ten working days skip Christmas.)
#[test]
fn days_off_are_said_once_in_lithuanian() {
    let lt = stdout(&lsa(&[
        "check",
        "--lang",
        "lt",
        "tests/examples/late-after-return-decision.yaml",
    ]));
    assert!(
        lt.contains("· 2026-12-12 (šeštadienis) yra savaitgalio diena; 2026-12-13 (sekmadienis) yra savaitgalio diena → terminas baigiasi kitą darbo dieną, 2026-12-14 (pirmadienis)"),
        "{lt}"
    );
    assert!(
        lt.contains("neskaičiuojama: 2026-12-19 (šeštadienis), 2026-12-20 (sekmadienis), 2026-12-24 (ketvirtadienis) (šventinė diena (Kūčių diena, Darbo kodekso 123 str. 1 d.))"),
        "{lt}"
    );
    for twice in [
        "(šeštadienis) (šeštadienis)",
        "(šeštadienis) yra šeštadienis",
        "(sekmadienis) yra sekmadienis",
    ] {
        assert!(!lt.contains(twice), "{twice}: {lt}");
    }
}

/// A person not considered for relocation (no relocation section, the
/// application made at a border crossing point) is asked nothing about a
/// relocation: not the relocation's dates, and not the arrival after a
/// relocation transfer, which only the border procedure's rule for a
/// relocated applicant reads, a rule whose condition is already false. The
/// same file without the circumstances asks for both, since they may be
/// `relocated`; and the Lithuanian report says why the determinations do not
/// apply.
#[test]
fn nothing_is_asked_about_a_relocation_that_is_not_taking_place() {
    let asks = |file: &std::path::Path| -> Vec<String> {
        let out = lsa(&["check", "--format", "json", file.to_str().unwrap()]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        json["ask_next"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["path"].as_str().unwrap().to_string())
            .collect()
    };
    let file = repo().join(INCOMPLETE);
    let here = asks(&file);
    assert!(
        here.contains(&"application.registered_on".to_string()),
        "{here:?}"
    );
    assert!(
        !here.iter().any(|p| p.starts_with("relocation.")),
        "{here:?}"
    );
    let open = example_changed(
        "incomplete-file",
        "  circumstances: border_crossing_point\n",
        "",
    );
    let there = asks(&open);
    assert!(
        there.contains(&"application.circumstances".to_string()),
        "{there:?}"
    );
    for path in [
        "relocation.arrived_on",
        "relocation.information_received_on",
    ] {
        assert!(there.contains(&path.to_string()), "{path}: {there:?}");
    }
    let lt = stdout(&lsa(&["check", "--lang", "lt", file.to_str().unwrap()]));
    assert!(
        lt.contains("  Perdavimo terminas: nenustatyta\n  Kas taikoma asmeniui atvykus: nenustatyta\n    netaikoma: asmens perkėlimas į Lietuvą nesvarstomas (įraše nėra perkėlimo duomenų)"),
        "{lt}"
    );
}

/// A copy of the example `name` (in `tests/examples/`) with `from`
/// written `to` (which it must hold), in a scratch folder of its own.
fn example_changed(name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let example =
        std::fs::read_to_string(repo().join(format!("tests/examples/{name}.yaml"))).unwrap();
    assert!(example.contains(from), "{name} holds `{from}`");
    let file = scratch(&format!("{name}-changed")).join(format!("{name}.yaml"));
    std::fs::write(&file, example.replace(from, to)).unwrap();
    file
}

/// A warning whose condition reads a determination shows what the rules
/// found beside the record's fact, so the caseworker sees both sides of
/// the disagreement; the JSON's `facts` stay the record's (the contract).
#[test]
fn a_warning_shows_what_the_rules_found_beside_the_fact() {
    let file = example_changed(
        "rejected-at-the-border",
        "examined_in: border",
        "examined_in: regular",
    );
    let f = file.to_str().unwrap();
    let en = stdout(&lsa(&["check", "--lang", "en", f]));
    assert!(
        en.contains("    Procedure applied: regular procedure\n    The rules find: Examination procedure: border procedure\n"),
        "{en}"
    );
    let lt = stdout(&lsa(&["check", "--lang", "lt", f]));
    assert!(
        lt.contains("    Taikoma nagrinėjimo procedūra: įprasta procedūra\n    Pagal taisykles: Nagrinėjimo procedūra: pasienio procedūra\n"),
        "{lt}"
    );
    let page = stdout(&lsa(&["check", "--format", "html", "--lang", "en", f]));
    check_well_formed(&page);
    assert!(
        page.contains("The rules find: Examination procedure: border procedure"),
        "{page}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&lsa(&["check", "--format", "json", f]))).unwrap();
    assert_eq!(
        json["warnings"][0]["warning"],
        "procedure.examined_in_another_procedure"
    );
    assert_eq!(
        json["warnings"][0]["facts"],
        serde_json::json!({ "application.examined_in": "regular" })
    );
}

/// Facts that cannot all be right (`warn` in the rules) come first in the
/// caseworker's report, in either language, with the provision and the
/// facts; the page and the JSON say the same; a file without them has no
/// such section.
#[test]
fn facts_that_cannot_all_be_right_are_said_before_the_answers() {
    let file = example_changed(
        "border-low-recognition",
        "registered_on: 2026-07-03",
        "registered_on: 2026-06-20",
    );
    let f = file.to_str().unwrap();

    let lt = stdout(&lsa(&["check", "--lang", "lt", f]));
    let head = lt
        .find("\nPatikrinkite faktus\n")
        .unwrap_or_else(|| panic!("{lt}"));
    assert!(head < lt.find("\nSprendimai\n").unwrap(), "{lt}");
    assert!(lt.contains(
        "\n  ! Prašymo užregistravimo data ankstesnė už jo pateikimo datą: patikrinkite abi datas  [Reglamento (ES) 2024/1348 27 str. 1 d.]\n    Prašymo užregistravimo data: 2026-06-20 (šeštadienis); Prašymo pateikimo data: 2026-06-30 (antradienis)\n"
    ), "{lt}");
    let en = stdout(&lsa(&["check", "--lang", "en", f]));
    assert!(en.contains(
        "\nCheck the facts\n  ! The application is registered before it was made: check both dates  [APR Art. 27(1)]\n    Application registered on: Sat 2026-06-20; Application made on: Tue 2026-06-30\n"
    ), "{en}");

    let page = stdout(&lsa(&["check", "--lang", "lt", "--format", "html", f]));
    check_well_formed(&page);
    let warned = page
        .find("Patikrinkite faktus")
        .unwrap_or_else(|| panic!("{page}"));
    assert!(warned < page.find("<h2>Sprendimai</h2>").unwrap());

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&lsa(&["check", "--format", "json", f]))).unwrap();
    assert_eq!(
        json["warnings"],
        serde_json::json!([{
            "warning": "case.registered_before_made",
            "label": "The application is registered before it was made: check both dates",
            "citation": "APR Art. 27(1)",
            "facts": { "application.registered_on": "2026-06-20", "application.made_on": "2026-06-30" }
        }])
    );
    // `lsa batch` writes the same object.
    let batch = crate::common::json_lines(&stdout(&lsa(&["batch", f])));
    assert_eq!(batch[0]["warnings"], json["warnings"]);

    // The example as shipped: nothing to check.
    let plain = repo().join("tests/examples/border-low-recognition.yaml");
    let p = plain.to_str().unwrap();
    assert!(!stdout(&lsa(&["check", "--lang", "lt", p])).contains("Patikrinkite faktus"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&lsa(&["check", "--format", "json", p]))).unwrap();
    assert_eq!(json["warnings"], serde_json::json!([]));
}

/// The Lithuanian report says periods and the notes beside a step (a
/// param's value in force, a fact not in the record, "as above", the rule
/// that decided), the fields of a record from the case file, why a
/// determination has no value, and the law's line in Lithuanian, in the
/// text and on the HTML page alike.
#[test]
fn lithuanian_reports_say_periods_notes_records_and_reasons_in_lithuanian() {
    let f = "tests/examples/relocated-applicant.yaml";
    let text = stdout(&lsa(&["check", "--lang", "lt", "--explain", "full", f]));
    assert!(
        text.contains("confirmation_period(on: relocation.information_received_on) = 1 savaitė  [Reglamento (ES) 2024/1351 67 str. 9 d. 1 pastr.] (reikšmė, galiojusi 2026-07-17, nuo 2026-07-01)"),
        "{text}"
    );
    assert!(
        text.contains("transfer_period(on: relocation.confirmed_on) = 4 savaitės"),
        "{text}"
    );
    let page = stdout(&lsa(&["check", "--lang", "lt", "--format", "html", f]));
    check_well_formed(&page);
    assert!(
        page.contains("= 1 savaitė <span class=\"cite\">[Reglamento (ES) 2024/1351 67 str. 9 d. 1 pastr.]</span> <span class=\"cite\">(reikšmė, galiojusi 2026-07-17, nuo 2026-07-01)</span>"),
        "{page}"
    );
    assert!(
        page.contains(
            "(pagal taisyklę `one_week` [Reglamento (ES) 2024/1351 67 str. 9 d. 1 pastr.])"
        ),
        "{page}"
    );
    for english in [
        "value in force",
        "as above",
        "is not in the record",
        "by rule `",
        " week",
    ] {
        assert!(
            !page.contains(english),
            "`{english}` on the Lithuanian page: {page}"
        );
    }
    let page = stdout(&lsa(&["check", "--lang", "en", "--format", "html", f]));
    assert!(
        page.contains("= 1 week <span class=\"cite\">[AMMR Art. 67(9), first subparagraph]</span> <span class=\"cite\">(value in force on 2026-07-17, from 2026-07-01)</span>"),
        "{page}"
    );
    // A list of records from the case file: each field by its label in
    // Lithuanian (the keys are English words); in English by its key.
    let f = "tests/examples/take-charge-late.yaml";
    let lt = stdout(&lsa(&["check", "--lang", "lt", f]));
    assert!(
        lt.contains("Leidimai gyventi ir vizos: [{Dokumento rūšis: trumpalaikė viza, Išdavusi valstybė narė: Vokietija (DEU), Atstovaujama valstybė narė: nenurodyta, Galioja nuo: 2026-09-01 (antradienis), Galioja iki: 2026-09-30 (trečiadienis), Panaikintas ar atšauktas: nenurodyta, Sukčiavimas po išdavimo: ne}]"),
        "{lt}"
    );
    assert!(!lt.contains("issuing_state"), "{lt}");
    // A record a rule computes from them too, by its type's one place.
    let full = stdout(&lsa(&["check", "--lang", "lt", "--explain", "full", f]));
    assert!(
        full.contains(
            "deciding_visa = {Dokumento rūšis: trumpalaikė viza, Išdavusi valstybė narė: Vokietija (DEU),"
        ),
        "{full}"
    );
    let page = stdout(&lsa(&["check", "--lang", "lt", "--format", "html", f]));
    assert!(!page.contains("{kind:"), "{page}");
    // The law the report rests on, named in Lithuanian too.
    assert!(lt.starts_with("taisyklės: rules (sha256:"), "{lt}");
    // Why a determination has no value, in the full view and on the page.
    let example = "tests/examples/border-low-recognition.yaml";
    let full = stdout(&lsa(&[
        "check",
        "--lang",
        "lt",
        "--explain",
        "full",
        example,
    ]));
    assert!(
        full.contains("appeal.automatic_right_to_remain = nenustatyta            [Reglamento (ES) 2024/1348 68 str.]\n  netaikoma: iki vertinimo datos prašymas pirmojoje instancijoje neatmestas"),
        "{full}"
    );
    let page = stdout(&lsa(&[
        "check", "--lang", "lt", "--format", "html", example,
    ]));
    assert!(
        page.contains("netaikoma jokia taisyklė, kitos reikšmės teisė nenustato"),
        "{page}"
    );
    assert!(!page.contains("no rule applies"), "{page}");
    let dir = scratch("lt-not-in-force");
    let undated = dir.join("undated.yaml");
    let text =
        std::fs::read_to_string(repo().join("tests/examples/relocated-applicant.yaml")).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("as_of"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&undated, text).unwrap();
    let undated = undated.to_str().unwrap();
    for format in ["text", "html"] {
        let out = stdout(&lsa(&[
            "check",
            "--lang",
            "lt",
            "--explain",
            "full",
            "--format",
            format,
            "--as-of",
            "2026-06-20",
            undated,
        ]));
        assert!(
            out.contains("2026-06-20 negalioja (galioja nuo 2026-07-01)"),
            "{out}"
        );
        assert!(!out.contains("not in force"), "{out}");
    }
    let en = stdout(&lsa(&["check", "--lang", "en", f]));
    assert!(
        en.contains(
            "Residence documents and visas: [{Kind of document: short-stay visa, Issuing Member State: Germany (DEU),"
        ),
        "{en}"
    );
}

/// `--set` checks a case as if a fact were otherwise: the report is the
/// one of the record with the fact (as a file written so would give it),
/// and says first which determinations change, with their outcomes before
/// and after, those of `lsa check` on the two files.
#[test]
fn what_if_a_fact_were_otherwise_the_report_says_what_changes() {
    let case = "tests/examples/border-low-recognition.yaml";
    let text = std::fs::read_to_string(repo().join(case)).unwrap();
    let dir = scratch("what-if");
    let minor = dir.join("minor.yaml");
    let changed = text.replacen("unaccompanied_minor: false", "unaccompanied_minor: true", 1);
    assert_ne!(changed, text);
    std::fs::write(&minor, changed).unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = lsa(&[&["check", "--format", "json"], args].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let set = json(&[case, "--set", "applicant.unaccompanied_minor=true"]);
    let (before, after) = (json(&[case]), json(&[minor.to_str().unwrap()]));
    // The case with the fact is the case of the file with it.
    assert_eq!(set["outcomes"], after["outcomes"]);
    assert_eq!(set["ask_next"], after["ask_next"]);
    // Every determination whose outcome differs between the two files, and
    // no other, with both outcomes (without explanations).
    let strip = |o: &serde_json::Value| {
        let mut o = o.clone();
        o.as_object_mut().unwrap().remove("explanation");
        o
    };
    let mut expected = Vec::new();
    for (key, o) in before["outcomes"].as_object().unwrap() {
        let a = &after["outcomes"][key];
        if strip(o) != strip(a) {
            expected.push(
                serde_json::json!({ "determination": key, "before": strip(o), "after": strip(a) }),
            );
        }
    }
    assert!(expected.len() >= 4, "{expected:?}");
    assert_eq!(set["what_if"]["changes"], serde_json::Value::from(expected));
    assert_eq!(
        set["what_if"]["set"],
        serde_json::json!({ "applicant.unaccompanied_minor": true })
    );
    // In words, for the caseworker: the fact by its label, each change.
    let text = stdout(&check_in_lithuanian_with(
        "applicant.unaccompanied_minor=true",
    ));
    assert!(
        text.contains("Kas, jei (faktai nurodyti su --set): Nelydimas nepilnametis (applicant.unaccompanied_minor) = taip\nKas pasikeičia (pagal įrašą → su šiais faktais):\n"),
        "{text}"
    );
    // The report below names the case as one with facts set.
    assert!(
        text.contains(
            "\nByla LT-2026-000123 (kas, jei: faktai nurodyti su --set) — vertinimo data"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  Pasienio procedūra: privaloma → negalima taikyti\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "Valstybė narė pagal kriterijus: Lietuva (LTU) → Lietuva (LTU) (pagal kitą taisyklę: «"
        ),
        "{text}"
    );
    // A fact that changes nothing says so.
    let out = lsa(&[
        "check",
        case,
        "--set",
        "responsibility.entries[0].on=2026-06-30",
    ]);
    assert!(stdout(&out).contains("What if (facts set with --set): responsibility.entries[0].on = 2026-06-30\n  no determination changes\n"));
}

/// A `--set` that cannot be made is refused before anything is printed,
/// saying what is wrong: a field misspelt (with the one meant), a value
/// of the wrong kind, an item the list does not have, a path into a value,
/// no `=`.
#[test]
fn a_set_that_cannot_be_made_says_why() {
    let case = "tests/examples/border-low-recognition.yaml";
    for (set, says) in [
        ("applicant.famly_in_lithuania=true", "`applicant.famly_in_lithuania`: unknown field\n  help: did you mean `family_in_lithuania`?"),
        ("applicant.family_in_lithuania=maybe", "`applicant.family_in_lithuania`: expected true or false, found the text \"maybe\""),
        ("responsibility.entries[3].on=2026-07-01", "`responsibility.entries` has 1 item: no item 3 (they count from 0)"),
        ("applicant.unaccompanied_minor.since=2026-07-01", "`applicant.unaccompanied_minor` is not a record"),
        ("applicant.unaccompanied_minor", "give a field's path and its value"),
    ] {
        let out = lsa(&["check", case, "--set", set]);
        crate::common::exits_with(&out, 1, says);
        assert_eq!(stdout(&out), "", "{set}");
    }
    // In Lithuanian for the caseworker: the reader's words, a value that
    // is not YAML among them.
    for (set, says) in [
        (
            "applicant.family_in_lithuania=[",
            "--set applicant.family_in_lithuania=[: neteisingas YAML",
        ),
        (
            "responsibility.entries[3].on=2026-07-01",
            "sąraše `responsibility.entries` elementų: 1; elemento 3 nėra (skaičiuojama nuo 0)",
        ),
    ] {
        crate::common::exits_with(&check_in_lithuanian_with(set), 1, says);
    }
}

/// `lsa check` of the border example in Lithuanian with one fact set.
fn check_in_lithuanian_with(set: &str) -> std::process::Output {
    let case = "tests/examples/border-low-recognition.yaml";
    lsa(&["check", case, "--lang", "lt", "--set", set])
}

/// Beside each time limit the report says whether the record shows its act
/// done, as the agenda does: the registration and the lodging in time, a
/// reply not yet given; with the reply set (`--set`), done in time; on the
/// page too. The take charge request, owed where another Member State is
/// responsible, is done a day late here; for an applicant the criteria
/// give Lithuania, it is not owed.
#[test]
fn each_time_limit_says_whether_the_record_shows_its_act_done() {
    let case = "tests/examples/take-charge-late.yaml";
    let text = stdout(&lsa(&["check", case, "--lang", "lt"]));
    for line in [
        "  Terminas pateikti prašymą perimti: 2026-12-28 (pirmadienis) – atlikta 2026-12-29, po termino  [",
        "  Prašymo oficialaus pateikimo terminas: 2026-11-16 (pirmadienis) – atlikta 2026-10-30, per terminą  [",
        "  Terminas atsakyti į prašymą perimti: 2027-01-29 (penktadienis) – įraše dar neatlikta  [",
        "  Prašymo užregistravimo terminas: 2026-10-28 (trečiadienis) – atlikta 2026-10-26, per terminą  [",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    // A date that is no time limit says nothing of an act.
    assert!(
        text.contains("  Teisė dirbti nuo: 2027-04-27 (antradienis)  ["),
        "{text}"
    );
    let set = stdout(&lsa(&[
        "check",
        case,
        "--set",
        "responsibility.refused_on=2027-01-10",
    ]));
    assert!(
        set.contains(
            "  Time limit to reply to the take charge request: Fri 2027-01-29 – done 2027-01-10, in time  ["
        ),
        "{set}"
    );
    let page = stdout(&lsa(&["check", case, "--format", "html"]));
    assert!(
        page.contains("<br><span class=\"path\">done 2026-10-26, in time</span>"),
        "{page}"
    );
    // Not owed, with the reason: the def that decided it, its value; its
    // provision only where the time limit's is another.
    for (example, line) in [
        (
            "border-low-recognition",
            "  Terminas pateikti prašymą perimti: 2026-09-03 (ketvirtadienis) – šioje byloje atlikti nereikia (Lietuva turi prašyti kitą valstybę narę perimti asmenį: ne)  [",
        ),
        (
            "unaccompanied-minor",
            "  Prašymo išnagrinėjimo terminas: 2027-02-12 (penktadienis) – šioje byloje atlikti nereikia (Už prašymo nagrinėjimą atsakinga kita valstybė narė: taip [Reglamento (ES) 2024/1348 39 str. 1 d. a p.])  [",
        ),
    ] {
        let path = format!("tests/examples/{example}.yaml");
        let text = stdout(&lsa(&["check", &path, "--lang", "lt"]));
        assert!(text.contains(line), "{text}");
    }
}

/// A person offered for relocation has made no application in Lithuania
/// (AMMR Art. 67(11)): the report asks nothing about one, and the reason
/// the determinations of four files are not made (each file's first
/// `applies` line, the same words), shared by all of them in a row, is said
/// once under their names, in both languages, without the reason of the
/// files' other lines (an application the APR does not govern).
#[test]
fn a_relocation_offer_is_asked_nothing_about_an_application_and_each_reason_said_once() {
    let file = repo().join("tests/examples/relocation-offer.yaml");
    let en = stdout(&lsa(&["check", "--lang", "en", file.to_str().unwrap()]));
    assert!(
        en.contains("What to ask next\n  Nothing: the record holds every fact"),
        "{en}"
    );
    let reason = "not applicable: no application has been made in Lithuania: the person is offered for relocation and not transferred yet";
    assert_eq!(en.matches(reason).count(), 1, "{en}");
    assert!(!en.contains("12 June 2026"), "{en}");
    let why = en.split_once("\nWhy").map(|(_, w)| w).unwrap_or_default();
    assert!(
        why.contains(
            "  Access to the labour market on the as-of date: not determined\n    not applicable: no application"
        ),
        "{why}"
    );
    assert!(
        why.contains(
            "  Member State responsible: not determined\n  \
             Time limit to register the application: not determined\n  \
             Time limit to lodge the application: not determined\n"
        ),
        "{why}"
    );
    let lt = stdout(&lsa(&["check", "--lang", "lt", file.to_str().unwrap()]));
    assert_eq!(
        lt.matches("netaikoma: Lietuvoje prašymas nepateiktas: asmuo pasiūlytas perkelti")
            .count(),
        1,
        "{lt}"
    );
    // The full explanation still gives every determination its own.
    let full = stdout(&lsa(&[
        "check",
        "--lang",
        "en",
        "--explain",
        "full",
        file.to_str().unwrap(),
    ]));
    // (16 of the Member State responsible, 8 of the procedure, the appeal's,
    // 2 of reception and 3 of the residence permit.)
    assert_eq!(full.matches(reason).count(), 30, "{full}");
}

/// The bench's baseline (`benches/throughput/baseline.rs`) writes the
/// English labels of the determinations and warnings as its own texts, and
/// the bench stops at its first check where one differs from lsa's: each
/// key the baseline gives a label is followed by the label the rules give
/// it (the test suite does not build the bench; this reads its source).
#[test]
fn the_bench_baseline_writes_the_labels_of_the_rules() {
    let source = std::fs::read_to_string(repo().join("benches/throughput/baseline.rs")).unwrap();
    // The string literals of a piece of the source, in order (an escaped
    // quote stays inside).
    let literals = |mut rest: &str| {
        let mut out = Vec::new();
        while let Some(start) = rest.find('"') {
            let body = &rest[start + 1..];
            let bytes = body.as_bytes();
            let mut end = 0;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            out.push(body[..end.min(body.len())].to_string());
            rest = body.get(end + 1..).unwrap_or("");
        }
        out
    };
    // The determinations' table: key, label, key, label, …
    let table = source
        .split("pub const KEYS")
        .nth(1)
        .expect("the baseline's table of determinations, `pub const KEYS`");
    let table = literals(table.split("];").next().unwrap());
    let mut given: Vec<(String, String)> = table
        .chunks(2)
        .map(|kl| (kl[0].clone(), kl[1].clone()))
        .collect();
    let program = crate::common::shipped();
    // The warnings: key, label, then the citation as JSON (`"\"APR …\""`,
    // or `"null"`).
    let all = literals(&source);
    let warning = |k: &str| program.warnings.iter().any(|w| *w.key == *k);
    for w in all.windows(3) {
        if warning(&w[0]) && (w[2].starts_with("\\\"") || w[2] == "null") {
            given.push((w[0].clone(), w[1].clone()));
        }
    }
    let en = lsa::lang::Lang::En;
    let mut labelled: Vec<(String, String)> = Vec::new();
    for (i, d) in program.decisions.iter().enumerate() {
        let what = lsa::check::ir::Labelled::Decision(lsa::check::ir::DecisionId(i as u32));
        if let Some(l) = program.labels.label(&what, en) {
            labelled.push((d.key().to_string(), l.to_string()));
        }
    }
    for w in &program.warnings {
        if let Some(l) = program
            .labels
            .label(&lsa::check::ir::Labelled::Def(w.def), en)
        {
            labelled.push((w.key.to_string(), l.to_string()));
        }
    }
    for (key, label) in &given {
        let rules = labelled.iter().find(|(k, _)| k == key).map(|(_, l)| l);
        assert_eq!(Some(label), rules, "the baseline's label of {key}");
    }
    assert_eq!(table.len(), 2 * program.decisions.len(), "{table:?}");
    // Every determination and every warning.
    assert_eq!(
        given.len(),
        program.decisions.len() + program.warnings.len()
    );
}

/// An outcome that is an evaluation error (a defect of the rules or a fact
/// they cannot compute with) says its message in Lithuanian in the
/// Lithuanian report, with the names it quotes as they are.
#[test]
fn evaluation_errors_are_said_in_lithuanian() {
    let rules = "ruleset t\nsource A \"An act\"\n\
        record R { n: integer, d: integer, flag: bool, on: date? }\ninput r: R\n\
        decision gated: integer [A Art. 1]\n  applies when r.flag otherwise \"only when flagged\"\n  rule x [A Art. 1] when true then 1\n\
        decision reads_gated: integer [A Art. 2]\n  rule x [A Art. 2] when true then gated + 1\n\
        decision dated: integer [A Art. 3]\n  rule x [A Art. 3] when exists(r.on) then 1\n\
        decision reads_dated: integer [A Art. 4]\n  rule x [A Art. 4] when true then dated + 1\n\
        decision divided: decimal [A Art. 5]\n  rule x [A Art. 5] when true then r.n / r.d\n";
    let dir = crate::common::rule_tree(
        "evaluation-errors-lt",
        "t.rules",
        rules,
        &[("case.yaml", "r: { n: 3, d: 0, flag: false, on: null }\n")],
    );
    for args in [vec![], vec!["--explain", "full"], vec!["--format", "html"]] {
        let text = stdout(&check_case(&dir, "lt", "2026-07-01", &args));
        for said in [
            "`t.gated` šiai bylai netaikoma",
            "`t.dated` nenustatyta: netaikoma jokia taisyklė ir nėra numatytosios reikšmės",
            "dalyba iš nulio",
        ] {
            assert!(text.contains(said), "{args:?}: {said}\n{text}");
        }
        for english in ["does not apply", "no rule applies", "division by zero"] {
            assert!(!text.contains(english), "{args:?}: {english}\n{text}");
        }
    }
    // In English the evaluator's own words.
    let out = check_case(&dir, "en", "2026-07-01", &[]);
    assert!(
        stdout(&out).contains("division by zero"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_section_read_whole_is_asked_for_by_its_label() {
    // `known(r)` reads whether the record has section `r`: where it has
    // none, the section itself is asked for, in words.
    let text = |labels: &str| {
        format!(
            "ruleset s\nsource A \"An act\"\n\
             record R {{ on: date }}\nrecord P {{ minor: bool }}\ninput r: R\ninput p: P\n\
             decision offered: bool [A Art. 1]\n  default false\n  rule offered [A Art. 1] when known(r) or p.minor then true\n\
             label s.offered\n  lt \"Pasiūlytas\"\n  en \"Offered\"\n\
             label s.offered.offered\n  lt \"pasiūlytas\"\n  en \"offered\"\n\
             label r.on\n  lt \"Data\" ask \"Kada?\"\n  en \"Date\" ask \"When?\"\n\
             label p\n  lt \"Asmuo\" ask \"Kas?\"\n  en \"Person\" ask \"Who?\"\n\
             label p.minor\n  lt \"Nepilnametis\" ask \"Ar nepilnametis?\"\n  en \"Minor\" ask \"A minor?\"\n\
             {labels}"
        )
    };
    let bare = crate::common::program(&text(""));
    for lang in [lsa::lang::Lang::Lt, lsa::lang::Lang::En] {
        assert_eq!(bare.missing_labels(lang), vec!["section r"]);
    }
    let labelled = text(
        "label r\n  lt \"Pasiūlymas\" ask \"Ar asmuo pasiūlytas, ir kada?\"\n  en \"Offer\" ask \"Was the person offered, and when?\"\n",
    );
    assert!(crate::common::program(&labelled)
        .missing_labels(lsa::lang::Lang::Lt)
        .is_empty());
    for (tree, lang, asked) in [
        (text(""), "en", "r?"),
        (labelled.clone(), "en", "Was the person offered, and when?"),
        (labelled, "lt", "Ar asmuo pasiūlytas, ir kada?"),
    ] {
        let dir = crate::common::rule_tree(
            &format!("section-label-{lang}-{}", asked.len()),
            "s.rules",
            &tree,
            &[("case.yaml", "case: X\np: {}\n")],
        );
        let out = check_case(&dir, lang, "2026-07-01", &[]);
        let report = stdout(&out);
        assert!(
            report
                .lines()
                .any(|l| l.trim_start().ends_with(&format!(". {asked}"))),
            "{asked}\n{report}{}",
            stderr(&out)
        );
    }
}

/// A time limit whose act may not be owed, on a record without the facts
/// that say whether another Member State is responsible (APR Art.
/// 39(1)(a)): the summary line names three of the 26 facts and counts the
/// rest, each of which "What to ask next" asks for.
#[test]
fn a_summary_line_counts_the_facts_it_does_not_name() {
    let example =
        std::fs::read_to_string(repo().join("tests/examples/take-charge-late.yaml")).unwrap();
    // The record without its responsibility section (the file's last).
    let (kept, _) = example.split_once("\nresponsibility:").unwrap();
    let case = crate::common::scratch_file("summary-counts", "case.yaml", &format!("{kept}\n"));
    let out = lsa(&["check", "--lang", "lt", case.to_str().unwrap()]);
    let text = stdout(&out);
    crate::common::assert_has(
        &text,
        &[
            "  Prašymo išnagrinėjimo terminas: 2027-04-30 (penktadienis) – įraše neatlikta; ar reikia atlikti, nežinoma: trūksta Šeimos nariai, broliai, seserys ir giminaičiai valstybėse narėse; Leidimai gyventi ir vizos; Diplomai ir kvalifikacijos ir dar 23 (žr. „Ko dar paklausti“)  [",
            // The last of the 26 is asked for too.
            ". Ar Lietuva taip pat netaiko šiam asmeniui vizos reikalavimo?\n",
        ],
    );
    let en = stdout(&lsa(&["check", case.to_str().unwrap()]));
    assert!(
        en.contains("whether owed is not known: needs Family members, siblings and relatives in Member States; Residence documents and visas; Diplomas and qualifications; and 23 more (see “What to ask next”)"),
        "{en}"
    );
}

/// Under `unique`, two rules that apply and agree are each a ground of the
/// outcome: the explanation shows both as deciding (JSON `by`, the text's
/// "by" lines, and the facts each read in the caseworker's report), while
/// the outcome's `rule` stays the first; under `first`, a later rule that
/// also applies is not shown (it was never reached).
#[test]
fn agreeing_grounds_of_a_unique_decision_are_each_shown() {
    let rules = |policy: &str| {
        format!(
            "ruleset b\nsource A \"An act\"\n\
             record P {{ sick: bool, needs: bool }}\ninput p: P\n\
             decision excluded: bool [A Art. 1]\n  {policy}\n  default false\n\
             \x20 rule sick [A Art. 1(a)] when p.sick then true\n\
             \x20 rule needs [A Art. 1(b)] when p.needs then true\n"
        )
    };
    for (policy, both) in [("policy unique", true), ("policy first", false)] {
        let dir = crate::common::rule_tree(
            &format!("agreeing-{}", &policy[7..]),
            "b.rules",
            &rules(policy),
            &[("case.yaml", "p: { sick: true, needs: true }\n")],
        );
        let json =
            crate::common::json_out(&check_case(&dir, "en", "2026-07-01", &["--format", "json"]));
        let outcome = &json["outcomes"]["b.excluded"];
        assert_eq!(outcome["rule"], "b.sick", "{outcome}");
        let by: Vec<&str> = outcome["explanation"]["by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            by,
            if both {
                vec!["sick", "needs"]
            } else {
                vec!["sick"]
            }
        );
        let full = stdout(&check_case(
            &dir,
            "en",
            "2026-07-01",
            &["--explain", "full"],
        ));
        assert_eq!(full.contains("by rule needs"), both, "{full}");
        assert!(full.contains("by rule sick"), "{full}");
        let report = stdout(&check_case(&dir, "en", "2026-07-01", &[]));
        assert_eq!(report.contains("by the rule «needs»"), both, "{report}");
        assert_eq!(report.contains("p.needs: yes"), both, "{report}");
    }
}
