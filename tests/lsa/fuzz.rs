//! The fuzz targets' properties (`fuzz/src/checks.rs`, compiled here too),
//! run on the seed corpus: the shipped law, the example cases and every
//! test input. The fuzzers run them on generated inputs (`fuzz/README.md`).

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use crate::common::{files_below, repo};

fn seeds(ext: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["rules", "tests"] {
        for path in files_below(&repo().join(dir), ext) {
            out.push(std::fs::read(path).unwrap());
        }
    }
    out
}

#[test]
fn the_fuzz_properties_hold_on_the_seed_corpus() {
    let rules = seeds("rules");
    assert!(rules.len() > 20);
    for seed in &rules {
        checks::compile(seed);
        checks::fmt(seed);
    }
    let records: Vec<Vec<u8>> = ["yaml", "json", "jsonl"]
        .into_iter()
        .flat_map(seeds)
        .collect();
    assert!(records.len() > 20);
    for seed in &records {
        checks::record(seed);
    }
    // `--set` on an example: a first line `path=value`, as the record
    // target's inputs may start (fuzz/seed.sh seeds the same).
    let example =
        std::fs::read_to_string(repo().join("tests/examples/border-low-recognition.yaml")).unwrap();
    for set in [
        "applicant.family_in_lithuania=true",
        "responsibility.entries[0].on=2026-07-01",
        "relocation.information_received_on=2026-07-10",
        "applicant.unaccompanied_minor.x=1",
        "responsibility.entries[7].on=2026-07-01",
    ] {
        checks::record(format!("{set}\n{example}").as_bytes());
    }
    // A few mangled seeds: cut in the middle.
    for seed in &rules {
        checks::compile(&seed[..seed.len() / 2]);
        checks::fmt(&seed[..seed.len() / 2]);
    }
}
