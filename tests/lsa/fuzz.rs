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
    // A few mangled seeds: cut in the middle.
    for seed in &rules {
        checks::compile(&seed[..seed.len() / 2]);
        checks::fmt(&seed[..seed.len() / 2]);
    }
}
