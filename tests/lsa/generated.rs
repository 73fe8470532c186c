//! The code generated for the shipped law (`src/eval/fast/shipped.rs`):
//! current, run by the shipped program, and computing exactly what the
//! nodes every other program runs compute.

use std::path::Path;

use proptest::prelude::*;

use crate::common::shipped;

/// The checked-in code is what the generator writes for the shipped rules
/// as they are now, and the shipped program runs it. Where it is not:
/// `LSA_REGENERATE=1 cargo test --test lsa generated` writes it (never
/// under `CI=true`), and the next build runs it.
#[test]
fn generated_code_is_current_and_runs() {
    let program = shipped();
    let want = lsa::eval::fast::generate(program);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/eval/fast/shipped.rs");
    // (A checkout may end its lines with carriage returns.)
    let have = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if have != want {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        if std::env::var_os("LSA_REGENERATE").is_some() && !ci {
            std::fs::write(&path, want).unwrap();
            eprintln!("wrote {}: build again to run it", path.display());
            return;
        }
        panic!(
            "src/eval/fast/shipped.rs is not the code the generator writes for the shipped \
             rules now (a rule or the generator changed): run \
             `LSA_REGENERATE=1 cargo test --test lsa generated` and commit the file"
        );
    }
    assert!(
        program.fast.generated(),
        "the shipped program does not run the code generated for it"
    );
    // The shipped law with a rule's condition changed runs its nodes; so
    // does the shipped law with a time limit's period changed (the
    // generated code has the periods as constants).
    for (file, from, to) in [
        (
            "remedies.rules",
            "when rejected_as_unfounded and application.subsequent_application",
            "when rejected_as_unfounded or application.subsequent_application",
        ),
        (
            "procedure.rules",
            "param lodging_period: duration [APR Art. 28(1)]\n  from 2026-06-12 = 21 days",
            "param lodging_period: duration [APR Art. 28(1)]\n  from 2026-06-12 = 14 days",
        ),
    ] {
        let (mut files, at) = crate::common::shipped_files_with(file);
        let text = &mut files[at].1;
        let changed = text.replacen(from, to, 1);
        assert_ne!(*text, changed, "{file}");
        *text = changed;
        let other = lsa::check::compile(&files).program.unwrap();
        assert!(!other.fast.generated(), "{file}: {to}");
    }
}

/// The shipped law on its nodes rather than its generated code.
fn on_nodes() -> &'static lsa::check::Program {
    static PROGRAM: std::sync::OnceLock<lsa::check::Program> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(|| {
        let mut p = shipped().clone();
        p.fast =
            lsa::eval::fast::Nodes::without_generated_code(&p.defs, &p.decisions, p.nodes.slots);
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// On random records (complete or not), the generated code and the
    /// nodes give the same outcomes and warnings, and give up on the same
    /// records.
    #[test]
    fn generated_code_computes_what_the_nodes_compute(
        choices in prop::collection::vec(any::<u16>(), 600),
        complete in any::<bool>(),
    ) {
        let (gen, nodes) = (shipped(), on_nodes());
        prop_assert!(gen.fast.generated(), "the shipped program does not run its generated code");
        let text = crate::robustness::random_record(gen, &mut crate::robustness::picker(&choices), complete);
        let rec = lsa::record::read(gen, &text, lsa::record::Format::Json, "x").unwrap();
        let as_of = rec.as_of.unwrap();
        let a = lsa::eval::fast::outcomes(gen, &rec.inputs, as_of);
        let b = lsa::eval::fast::outcomes(nodes, &rec.inputs, as_of);
        prop_assert_eq!(a, b, "{}", text);
    }
}

/// The shipped law as a test that sets params (`params:` in an expectation
/// file) has it.
fn with_params(params: serde_json::Value) -> lsa::check::Program {
    let test = serde_json::json!({ "params": params });
    lsa::expect::with_params(shipped(), &test).unwrap().unwrap()
}

/// A period the generated code has as a constant (a time limit's param),
/// set by a test: the fast evaluation runs the nodes, which read the period
/// the test sets (a true/false param, which the generated code reads where
/// it is, keeps the generated code).
#[test]
fn a_period_a_test_sets_runs_the_nodes() {
    assert!(
        !with_params(serde_json::json!({ "procedure.lodging_period": "14 days" }))
            .fast
            .generated()
    );
    assert!(
        with_params(serde_json::json!({ "procedure.apply_optional_border_procedure": true }))
            .fast
            .generated()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// On random complete records, the fast evaluation of the shipped law
    /// with a shorter lodging period, as a test sets it, gives the general
    /// evaluator's outcomes.
    #[test]
    fn a_period_a_test_sets_is_the_one_the_fast_evaluation_reads(
        choices in prop::collection::vec(any::<u16>(), 600),
    ) {
        static SHORTER: std::sync::OnceLock<lsa::check::Program> = std::sync::OnceLock::new();
        let shorter = SHORTER
            .get_or_init(|| with_params(serde_json::json!({ "procedure.lodging_period": "14 days" })));
        let text = crate::robustness::random_record(shorter, &mut crate::robustness::picker(&choices), true);
        let (fast, general) = crate::robustness::both_ways(shorter, &text);
        if let Some(fast) = fast {
            prop_assert_eq!(fast, general, "{}", text);
        }
    }
}
