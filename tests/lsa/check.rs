//! The checker: snapshots of every diagnostic over `tests/cases/check/{ok,err}`,
//! and hard assertions on the ones users depend on.

use lsa::check::ir::{DecisionDef, DecisionId, DefId, Expr, Node, Program};
use lsa::diag::Severity;

use crate::common::{compile_one, files, rendered, repo, stem};

fn compile_case(path: &std::path::Path) -> lsa::check::Compiled {
    let text = std::fs::read_to_string(path).unwrap();
    let name = format!(
        "tests/cases/check/{}",
        path.strip_prefix(crate::common::repo().join("tests/cases/check"))
            .unwrap()
            .display()
    );
    compile_one(&name, &text)
}

#[test]
fn ok_cases_compile_with_their_warnings() {
    for path in files("tests/cases/check/ok", "rules") {
        let c = compile_case(&path);
        assert!(c.program.is_some(), "{}:\n{}", path.display(), rendered(&c));
        insta::assert_snapshot!(format!("check_ok__{}", stem(&path)), rendered(&c));
    }
}

#[test]
fn err_cases_report_every_error() {
    for path in files("tests/cases/check/err", "rules") {
        let c = compile_case(&path);
        assert!(c.program.is_none(), "{} compiled", path.display());
        insta::assert_snapshot!(format!("check_err__{}", stem(&path)), rendered(&c));
    }
}

#[test]
fn five_independent_errors_are_five_diagnostics() {
    let c = compile_case(&crate::common::repo().join("tests/cases/check/err/five-errors.rules"));
    let errors: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    let help: Vec<String> = c
        .diagnostics
        .iter()
        .filter_map(|d| d.help.clone())
        .collect();
    assert!(
        help.iter().any(|h| h == "did you mean `registered_on`?"),
        "{help:#?}"
    );
    assert!(help.iter().any(|h| h == "did you mean `APR`?"), "{help:#?}");
}

#[test]
fn every_warning_kind_is_reported() {
    let c = compile_case(&crate::common::repo().join("tests/cases/check/ok/warnings.rules"));
    let messages: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
    for expected in [
        "input `unused_input` is never used",
        "param `warnings.unused_param` is never used",
        "def `warnings.unused_def` is never used",
        "decision `warnings.uncited` cites no provision",
        "rule `no_citation` of `warnings.uncited` cites no provision",
        "rules `yes` and `no` of `warnings.overlapping` can apply together with different values",
        "rule `shadowed` of `warnings.ordered` can never decide: whenever it applies, `broad` comes first",
    ] {
        assert!(messages.contains(&expected), "missing `{expected}` in {messages:#?}");
    }
    assert!(c
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

/// The `null` lint: every unguarded use in `nulls.rules` found, at its
/// line, and no guarded one (the file's doc comments say which is which).
#[test]
fn values_that_may_be_null_are_reported_only_where_nothing_guards_them() {
    let path = crate::common::repo().join("tests/cases/check/ok/nulls.rules");
    let c = compile_case(&path);
    assert!(c.program.is_some(), "{}", rendered(&c));
    let found: Vec<(usize, &lsa::diag::Diagnostic)> = c
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("may be `null` here"))
        .map(|d| (c.files.line_col(d.span.file, d.span.start).0, d))
        .collect();
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(
        lines,
        [38, 54, 65, 79, 93, 93, 106, 122, 139],
        "{}",
        rendered(&c)
    );
    let owed = found[7].1.label.as_deref().unwrap();
    assert!(owed.contains("the agenda takes it as owed"), "{owed}");
    // A warning's condition: it is not raised; a def read: named with
    // what it reads.
    let label = found[1].1.label.as_deref().unwrap();
    assert!(
        label.contains("the warning `nulls.lodged_before_made` is then not raised"),
        "{label}"
    );
    assert!(
        found[2]
            .1
            .message
            .starts_with("`from_lodging` reads `c.lodged`"),
        "{}",
        rendered(&c)
    );
    // An `applies` line guarded by the line before it, not by the one after.
    assert!(
        found[8]
            .1
            .message
            .starts_with("`c.spouse.born` may be `null`"),
        "{}",
        rendered(&c)
    );
    // Nothing else is reported in that file.
    assert_eq!(c.diagnostics.len(), found.len(), "{}", rendered(&c));
}

/// A ruleset over `record R { fields }` with `n` defs: `d0` is `bottom`,
/// and each of the others reads the one below four times.
fn chain_of_defs(fields: &str, bottom: &str, n: usize) -> String {
    let mut text = format!(
        "ruleset chain\nsource X \"x\"\nrecord R {{ {fields} }}\ninput r: R\ndef d0: bool [X 1] = {bottom}\n"
    );
    for i in 1..n {
        let p = i - 1;
        text.push_str(&format!(
            "def d{i}: bool [X 1] = (d{p} and d{p}) or (d{p} and d{p})\n"
        ));
    }
    text
}

/// The `null` lint follows a def once however often it is read: a chain of
/// 40 defs, each reading the one below four times, took time exponential in
/// the chain (4^40 steps: it never finished) before each def's guards were
/// worked out once. The guard at the bottom still reaches the top.
#[test]
fn the_null_lint_follows_a_long_chain_of_defs_once() {
    let text = chain_of_defs("a: date?, b: date", "exists(r.a)", 40);
    let decision = |when: &str| {
        format!("{text}decision z: bool [X 2]\n  rule y [X 2]\n    when {when}\n    then true\n")
    };
    let guarded = decision("d39 and r.a < r.b");
    let c = compile_one("chain.rules", &guarded);
    assert!(c.program.is_some(), "{}", rendered(&c));
    assert!(
        !c.diagnostics.iter().any(|d| d.message.contains("`null`")),
        "{}",
        rendered(&c)
    );
    let unguarded = decision("(d39 or r.b > r.b) and r.a < r.b");
    let c = compile_one("chain.rules", &unguarded);
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.message.starts_with("`r.a` may be `null` here")),
        "{}",
        rendered(&c)
    );
}

/// The analysis of `first` and `unique` rules abstracts a def at every
/// read: a chain of 15 defs each reading the one below four times made 4^14
/// propositions (minutes, and gigabytes) before it had a budget; past it,
/// nothing is claimed and the rules compile.
#[test]
fn the_rule_analysis_gives_up_on_an_exponential_chain_of_defs() {
    let mut text = chain_of_defs("f: bool, g: bool", "r.f", 15);
    text.push_str("decision z: bool [X 2]\n  policy first\n  rule y [X 2]\n    when d14\n    then true\n  rule w [X 2]\n    when r.g\n    then false\n");
    let c = compile_one("chain.rules", &text);
    assert!(c.program.is_some(), "{}", rendered(&c));
    assert!(c.diagnostics.is_empty(), "{}", rendered(&c));
}

#[test]
fn disjoint_rules_are_not_reported_as_overlapping() {
    let c = compile_one(
        "t.rules",
        "ruleset t\nsource X \"x\"\nenum S { a, b, c }\nrecord R { s: S, f: bool }\ninput r: R\n\
         decision d: bool [X 1]\n  rule one [X 1] when r.s == a and r.f then true\n  rule two [X 2] when r.s in [b, c] then false\n  \
         rule three [X 3] when r.s == a and not r.f then false\n",
    );
    assert!(c.program.is_some());
    assert!(
        c.diagnostics
            .iter()
            .all(|d| !d.message.contains("apply together")),
        "{}",
        rendered(&c)
    );
}

#[test]
fn misspelled_input_field_in_the_shipped_rules_is_located() {
    let (mut files, at) = crate::common::shipped_files_with("procedure.rules");
    let (name, text) = &mut files[at];
    // The first use in an expression (doc comments name the field too).
    let at = text.find("from: application.registered_on").unwrap() + "from: ".len();
    text.replace_range(
        at..at + "application.registered_on".len(),
        "application.registred_on",
    );
    let (name, text) = (name.clone(), text.clone());
    let c = lsa::check::compile(&files);
    assert!(c.program.is_none());
    let d = c.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(d.help.as_deref(), Some("did you mean `registered_on`?"));
    let (line, col) = c.files.line_col(d.span.file, d.span.start);
    let prefix = &text[..at];
    assert_eq!(line, prefix.matches('\n').count() + 1);
    assert_eq!(
        col,
        prefix.len() - prefix.rfind('\n').map(|i| i + 1).unwrap_or(0) + "application.".len() + 1
    );
    assert_eq!(c.files.name(d.span.file), name);
}

#[test]
fn the_shipped_rules_compile_without_warnings() {
    let c = lsa::shipped::compile();
    assert!(c.program.is_some(), "{}", rendered(&c));
    assert_eq!(c.diagnostics.len(), 0, "{}", rendered(&c));
}

#[test]
fn the_program_is_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<lsa::check::Program>();
}

/// Explanations keep values by node id: every expression of the program has
/// its own id, from 0 to `nodes.all`.
#[test]
fn every_expression_has_its_own_id() {
    fn walk(n: &mut lsa::check::ir::Node, ids: &mut Vec<u32>) {
        ids.push(n.id);
        for c in n.children_mut() {
            walk(c, ids);
        }
    }
    let mut program = crate::common::shipped().clone();
    let mut ids = Vec::new();
    for def in &mut program.defs {
        walk(&mut def.body, &mut ids);
    }
    for d in &mut program.decisions {
        if let Some(n) = &mut d.default {
            walk(n, &mut ids);
        }
        if let Some(n) = &mut d.met_by.owed {
            walk(n, &mut ids);
        }
        for r in &mut d.rules {
            walk(&mut r.when, &mut ids);
            walk(&mut r.then, &mut ids);
            if let Some(n) = &mut r.met_by.owed {
                walk(n, &mut ids);
            }
        }
    }
    for s in &mut program.selections {
        walk(&mut s.among, &mut ids);
        for k in &mut s.keys {
            walk(&mut k.expr, &mut ids);
        }
        if let Some(t) = &mut s.take {
            walk(t, &mut ids);
        }
    }
    ids.sort_unstable();
    let expected: Vec<u32> = (0..program.nodes.all as u32).collect();
    assert_eq!(ids, expected);
}

/// Explanations keep values by slot: expressions written the same way (same
/// words, same type) in a file share one, so each is evaluated once per case;
/// under a quantifier's body, where a name stands for each item in turn,
/// every expression has its own.
#[test]
fn expressions_written_alike_share_a_value_slot_except_under_a_quantifier() {
    fn walk(n: &mut lsa::check::ir::Node, out: &mut Vec<(String, u32, u32)>) {
        out.push((n.text.to_string(), n.id, n.slot));
        for c in n.children_mut() {
            walk(c, out);
        }
    }
    let mut program = crate::common::program(
        "ruleset t\nsource X \"x\"\nrecord R { ok: bool, items: list<I> }\nrecord I { ok: bool }\ninput r: R\n\
         decision d: bool [X 1]\n  rule a [X 1] when r.ok and any(i in r.items: i.ok) then true\n  \
         rule b [X 1] when not r.ok and any(i in r.items: i.ok) then false\n",
    );
    let mut nodes = Vec::new();
    for r in &mut program.decisions[0].rules {
        walk(&mut r.when, &mut nodes);
    }
    let slots =
        |text: &str| -> Vec<u32> { nodes.iter().filter(|n| n.0 == text).map(|n| n.2).collect() };
    let (ok, any, body) = (
        slots("r.ok"),
        slots("any(i in r.items: i.ok)"),
        slots("i.ok"),
    );
    assert_eq!((ok.len(), any.len(), body.len()), (2, 2, 2));
    assert_eq!(ok[0], ok[1], "the same record read shares a slot");
    assert_eq!(any[0], any[1], "the same quantifier shares a slot");
    assert_ne!(
        body[0], body[1],
        "under a quantifier's body each has its own"
    );
    let distinct: std::collections::BTreeSet<u32> = nodes.iter().map(|n| n.2).collect();
    assert!(distinct.len() < nodes.len());
    assert!(distinct.iter().all(|s| (*s as usize) < program.nodes.slots));
}

/// Explanations run each condition (and def body) down its plan: every step
/// names the place of its expression under the condition and that
/// expression's slot, operands come before what reads them, and the last
/// step is the condition itself.
#[test]
fn every_planned_step_is_the_expression_at_its_place() {
    use lsa::check::plan::{node_at, Arg, Op};
    let program = crate::common::shipped();
    let mut roots: Vec<(&lsa::check::ir::Node, &lsa::check::plan::Plan)> = Vec::new();
    for (d, plans) in program.decisions.iter().zip(&program.plans.when) {
        assert_eq!(d.rules.len(), plans.len());
        roots.extend(d.rules.iter().map(|r| &r.when).zip(plans));
    }
    assert_eq!(program.defs.len(), program.plans.defs.len());
    roots.extend(
        program
            .defs
            .iter()
            .map(|d| &d.body)
            .zip(&program.plans.defs),
    );
    let (mut steps, mut full) = (0, 0);
    for (root, plan) in roots {
        let mut seen = std::collections::HashSet::new();
        for step in plan {
            let n = node_at(root, &step.at)
                .unwrap_or_else(|| panic!("no expression at {:?} in `{}`", step.at, root.text));
            assert_eq!(n.slot, step.slot, "`{}` in `{}`", n.text, root.text);
            let slot = |a: &Arg| match a {
                Arg::Slot(s) => Some(*s),
                Arg::Lit(_) => None,
            };
            let reads: Vec<u32> = match &step.op {
                Op::Not(a) => vec![*a],
                Op::Chain { parts, .. } => parts.to_vec(),
                Op::Cmp(_, a, b)
                | Op::In {
                    item: a, list: b, ..
                } => slot(a).into_iter().chain(slot(b)).collect(),
                _ => Vec::new(),
            };
            for r in reads {
                assert!(
                    seen.contains(&r),
                    "`{}` reads a slot not yet computed",
                    n.text
                );
            }
            seen.insert(step.slot);
            steps += 1;
            full += matches!(step.op, Op::Full) as usize;
        }
        assert_eq!(
            plan.last().map(|s| s.slot),
            Some(root.slot),
            "`{}`",
            root.text
        );
    }
    // Most of the shipped conditions are planned, not left to the general code.
    assert!(
        full * 5 < steps,
        "{full} of {steps} steps left to the general code"
    );
}

#[test]
fn three_syntax_errors_and_a_name_error_are_reported_in_one_run_without_follow_ons() {
    let c = compile_case(&repo().join("tests/cases/check/err/three-syntax-errors.rules"));
    assert!(c.program.is_none());
    let errors: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert_eq!(
        errors.iter().filter(|m| m.starts_with("expected")).count(),
        3
    );
    assert!(errors.contains(&"`Application` has no field `registred_on`"));
    assert_eq!(
        errors
            .iter()
            .filter(|m| m.contains("`in force` line"))
            .count(),
        1,
        "reported once, not once per decision"
    );
    // No follow-on: the uses of the broken `late` and `lodging_period` are
    // not reported as unknown, and no "never used" warning is guessed.
    assert!(
        c.diagnostics.iter().all(|d| d.is_error()),
        "{}",
        rendered(&c)
    );
}

/// One syntax error in an item of the shipped law, of each kind whose name
/// the rest of the law reads, is one diagnostic: nothing that reads the
/// item (its labels, an enum's values, a record's fields compared with
/// enum values or read through an optional, the time limits that cite a
/// source or need the calendar, the holidays' labels) is reported again.
#[test]
fn one_broken_item_of_the_shipped_law_is_one_error() {
    let cases = [
        // A decision: its labels and the rules that read it.
        (
            "reception.rules",
            "decision labour_market_access_from: date",
            "decision labour_market_access_from date",
        ),
        // An enum: the uses of its values.
        (
            "case.rules",
            "enum ProtectionStatus { none, refugee, subsidiary }",
            "enum ProtectionStatus { none, refugee, subsidiary ]",
        ),
        // A record an input has: its fields compared with enum values that
        // several enums have, and its fields' labels.
        (
            "case.rules",
            "record Application {",
            "record Application {{",
        ),
        // A list's items: fields read through `first(…)`, optional.
        ("case.rules", "record Entry {", "record Entry {{"),
        // An act: the time limits whose provisions cite it.
        (
            "sources.rules",
            "source AMMR \"Regulation",
            "source AMMR Regulation",
        ),
        // The calendar: every time limit, and the holidays' labels.
        (
            "holidays.rules",
            "calendar LT \"Lithuania\"",
            "calendar LT Lithuania",
        ),
        // A computation: the time limits that name it (`under: APR_73`).
        (
            "sources.rules",
            "computation APR_73 for APR [APR Art. 73]",
            "computation APR_73 for APR [APR Art. 73",
        ),
    ];
    for (file, good, bad) in cases {
        let (mut files, at) = crate::common::shipped_files_with(file);
        let text = &mut files[at].1;
        assert_eq!(text.matches(good).count(), 1, "{good}");
        *text = text.replace(good, bad);
        let c = lsa::check::compile(&files);
        assert!(c.program.is_none(), "{bad}");
        let shown = rendered(&c);
        assert_eq!(c.diagnostics.len(), 1, "{bad}:\n{shown}");
        assert!(
            c.diagnostics[0].is_error() && c.diagnostics[0].message.starts_with("expected"),
            "{bad}:\n{shown}"
        );
    }
}

/// An act misspelt where it is declared is cited all over the law: its
/// citations are one error, at the first, which says how many there are;
/// and the time limits whose provisions cite it are not reported as having
/// no way to compute them.
#[test]
fn an_act_cited_but_not_declared_is_one_error_with_its_count() {
    let (mut files, at) = crate::common::shipped_files_with("sources.rules");
    let text = &mut files[at].1;
    *text = text.replacen("source AMMR \"", "source AMMRR \"", 1);
    let cited = files
        .iter()
        .map(|(_, t)| t.matches("[AMMR Art.").count() + t.matches("; AMMR Art.").count())
        .sum::<usize>();
    let c = lsa::check::compile(&files);
    let shown = rendered(&c);
    let citing: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.message == "citation names `AMMR`, which is not a declared source")
        .collect();
    assert_eq!(citing.len(), 1, "{shown}");
    let help = citing[0].help.as_deref().unwrap_or("");
    assert!(help.starts_with("did you mean `AMMRR`?"), "{help}");
    let count: usize = help
        .split("is cited ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{help}"));
    // (The doc comments cite it too, in words the count leaves out.)
    assert!(count > 100 && count <= cited, "{count} of {cited}");
    assert!(!shown.contains("cites no act that declares"), "{shown}");
    // The computation that names it, and its label: said where they are.
    assert_eq!(c.diagnostics.len(), 3, "{shown}");
}

/// A date plus a bare number: the period's unit is what is missing.
#[test]
fn a_date_plus_a_number_asks_for_the_unit() {
    let c = compile_one(
        "t.rules",
        "ruleset t\nsource X \"x\"\nrecord R { on: date }\ninput r: R\ndef a: date [X 1] = r.on + 3\n",
    );
    let d = c.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(d.message, "`+` does not apply to a date and an integer");
    assert_eq!(
        d.help.as_deref(),
        Some("a date moves by a period: give its unit, as in `3 days` (or weeks, months, years)")
    );
}

/// A label that names nothing is reported beside a syntax error: where the
/// broken item is another (a def), and where it is a label of the same
/// ruleset (a label declares nothing, so it hides no other).
#[test]
fn a_label_naming_nothing_is_reported_beside_a_syntax_error_elsewhere() {
    // Each case: its edits (file, text, the text put instead) and the label
    // reported.
    type Edit<'a> = (&'a str, &'a str, &'a str);
    let cases: [(&[Edit], &str); 2] = [
        (
            &[
                (
                    "labels.rules",
                    "label reception.labour_market_access_from\n",
                    "label reception.labour_market_acces_from\n",
                ),
                (
                    "relocation.rules",
                    "def security_excluded: bool",
                    "def security_excluded bool",
                ),
            ],
            "`reception.labour_market_acces_from` names nothing a label can name",
        ),
        (
            &[
                (
                    "labels.rules",
                    "  lt \"Teisė dirbti nuo\"\n",
                    "  lt Teisė dirbti nuo\n",
                ),
                (
                    "labels.rules",
                    "label reception.labour_market_access\n",
                    "label reception.labour_market_acess\n",
                ),
            ],
            "`reception.labour_market_acess` names nothing a label can name",
        ),
    ];
    for (edits, label) in cases {
        let (mut files, _) = crate::common::shipped_files_with("labels.rules");
        for (file, good, bad) in edits {
            let (_, at) = crate::common::shipped_files_with(file);
            let text = &mut files[at].1;
            assert!(text.contains(good), "{good}");
            *text = text.replacen(good, bad, 1);
        }
        let c = lsa::check::compile(&files);
        let messages: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(
            messages.iter().any(|m| m.starts_with("expected")),
            "{messages:#?}"
        );
        assert!(messages.contains(&label), "{messages:#?}");
    }
}

#[test]
fn cycles_are_reported_with_name_errors() {
    let c = compile_one(
        "t.rules",
        "ruleset t\nsource X \"x\"\ndef a: bool [X 1] = b\ndef b: bool [X 2] = a\ndef c: bool [X 3] = nothing\n",
    );
    let r = rendered(&c);
    assert!(r.contains("depends on itself"), "{r}");
    assert!(r.contains("unknown name `nothing`"), "{r}");
}

/// The decisions a decision reads: through its rules, default and `applies`,
/// and through every def they read, however deep.
fn decisions_read_by(program: &Program, d: &DecisionDef) -> Vec<DecisionId> {
    fn walk(p: &Program, n: &Node, defs: &mut Vec<DefId>, out: &mut Vec<DecisionId>) {
        match n.kind {
            Expr::Decision(id) => out.push(id),
            Expr::Def(id) if !defs.contains(&id) => {
                defs.push(id);
                walk(p, &p.defs[id.index()].body, defs, out);
            }
            _ => {}
        }
        for child in n.children() {
            walk(p, child, defs, out);
        }
    }
    let (mut defs, mut out) = (Vec::new(), Vec::new());
    for a in &d.applies {
        defs.push(a.def);
        walk(
            program,
            &program.defs[a.def.index()].body,
            &mut defs,
            &mut out,
        );
    }
    for r in &d.rules {
        walk(program, &r.when, &mut defs, &mut out);
        walk(program, &r.then, &mut defs, &mut out);
    }
    if let Some(n) = &d.default {
        walk(program, n, &mut defs, &mut out);
    }
    out
}

/// Explanations derive the decisions in `Plans::derive_order`: every
/// decision once, each after every decision it reads, whatever the order
/// they are declared in (so that an explanation reads a determination as
/// explained instead of deciding it apart first). On a small program
/// declared against its dependencies, and on the shipped law.
#[test]
fn explanations_derive_each_decision_after_those_it_reads() {
    let small = crate::common::program(
        "ruleset t\nsource X \"x\"\nrecord R { f: bool }\ninput r: R\n\
         decision a: bool [X 1]\n  applies [X 1]\n    when not c\n    otherwise \"c\"\n  default false\n  rule one [X 1]\n    when d\n    then true\n\
         def d: bool [X 1] = b\n\
         decision b: bool [X 1]\n  default false\n  rule two [X 1]\n    when r.f\n    then true\n\
         decision c: bool [X 1]\n  rule three [X 1]\n    when r.f\n    then false\n",
    );
    let small_order: Vec<String> = small
        .plans
        .derive_order
        .iter()
        .map(|id| small.decisions[id.index()].key())
        .collect();
    // Declared first, it reads both others: derived last.
    assert_eq!(
        small_order.last().map(String::as_str),
        Some("t.a"),
        "{small_order:?}"
    );
    for program in [&small, crate::common::shipped()] {
        let order = &program.plans.derive_order;
        let mut sorted: Vec<u32> = order.iter().map(|id| id.0).collect();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (0..program.decisions.len() as u32).collect::<Vec<_>>()
        );
        for (k, id) in order.iter().enumerate() {
            let d = &program.decisions[id.index()];
            for read in decisions_read_by(program, d) {
                let at = order.iter().position(|x| *x == read).unwrap();
                assert!(
                    at < k,
                    "`{}` is derived before `{}`, which it reads",
                    d.key(),
                    program.decisions[read.index()].key()
                );
            }
        }
    }
}

/// `met by` on a decision holds for each of its rules, unless a rule names
/// its own: the facts, in order, as record paths.
#[test]
fn a_rule_names_its_own_act_or_its_decision_s() {
    let c = compile_case(&repo().join("tests/cases/check/ok/met-by.rules"));
    let program = c.program.unwrap();
    let d = &program.decisions[0];
    let paths = |facts: &[Node]| -> Vec<String> {
        facts
            .iter()
            .map(|n| match &n.kind {
                Expr::Field { path, .. } => program.path(*path).to_string(),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(
        paths(&d.met_by.facts),
        ["request.accepted_on", "request.refused_on"]
    );
    assert_eq!(
        paths(&d.rules[0].met_by.facts),
        ["request.accepted_on", "request.refused_on"]
    );
    assert_eq!(paths(&d.rules[1].met_by.facts), ["request.accepted_on"]);
    // The decision's `owed when` goes with its facts; a rule's own `met
    // by` without one owes its act in every case.
    let owed = |m: &lsa::check::MetBy| m.owed.as_ref().map(|n| n.text.to_string());
    assert_eq!(owed(&d.met_by).as_deref(), Some("not request.withdrawn"));
    assert_eq!(
        owed(&d.rules[0].met_by).as_deref(),
        Some("not request.withdrawn")
    );
    assert_eq!(owed(&d.rules[1].met_by), None);
}

/// A name not declared is one error in its ruleset, however often it is
/// used: at its first use, the next three beside it, the help counting
/// them all; another unknown name is an error of its own.
#[test]
fn an_unknown_name_is_one_error_however_often_it_is_used() {
    let c = compile_case(&repo().join("tests/cases/check/err/unknown-name-uses.rules"));
    let errors: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["unknown name `flg`", "unknown name `nope`"]);
    assert_eq!(errors[0].related.len(), 3);
    assert!(errors[0]
        .help
        .as_deref()
        .unwrap()
        .ends_with("(`flg` is used 5 times in this ruleset; this error stands for all)"));
    assert_eq!(errors[1].related.len(), 0);
}

/// The words of an expression, as explanations show it: runs of white
/// space folded to one space, `//` comments dropped (not inside a text),
/// line ends joined; a text already so is given back as it stands.
#[test]
fn expression_texts_are_folded_into_words() {
    for (raw, words) in [
        ("a and b", "a and b"),
        ("a  and\tb", "a and b"),
        ("a and // why\n    b", "a and b"),
        ("a and\r\n  b", "a and b"),
        ("a\u{a0}and b", "a and b"),
        ("a\u{b}and b", "a and b"),
        ("\"x // y\" == a", "\"x // y\" == a"),
        ("n / 2 > 1", "n / 2 > 1"),
        ("\"Vilnius, Lietuva\" == a", "\"Vilnius, Lietuva\" == a"),
    ] {
        let mut map = lsa::diag::SourceMap::default();
        let id = map.add("t.rules", raw);
        let span = lsa::diag::Span::new(id, 0, raw.len());
        assert_eq!(lsa::check::ir::fold_text(&map, span), words, "{raw:?}");
    }
}
