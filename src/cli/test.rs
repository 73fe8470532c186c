//! `lsa test`: expectation files (YAML: a list of tests, each a case, inline or
//! by path, an optional as-of date and expected determinations), coverage by
//! provision, and explanation snapshots for drafters' own rule trees.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_json::Value as Json;

use super::{read_text, Failure, Result};
use crate::check::Program;
use crate::diag::did_you_mean;
use crate::eval::why::{Derivation, Step};
use crate::eval::Outcome;
use crate::explain::{self, json_value, CaseReport};
use crate::record::{self, CaseRecord, Format};
use crate::value::parse_date;

/// A file of tests: its name and text, on disk or shipped in the binary.
struct TestFile {
    name: String,
    text: String,
    on_disk: bool,
}

/// Where case files named by a test are found.
fn resolve(base: &str, rel: &str, on_disk: bool) -> std::result::Result<(String, String), String> {
    let joined = Path::new(base).parent().unwrap_or(Path::new("")).join(rel);
    let mut parts: Vec<String> = Vec::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                if parts.pop().is_none() || parts.last().is_some_and(|p| p == "..") {
                    parts.push("..".into());
                }
            }
            Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().to_string()),
        }
    }
    let path = parts.join("/");
    if on_disk {
        let p = PathBuf::from(if joined.is_absolute() { format!("/{path}") } else { path.clone() });
        return match read_text(&p) {
            Ok(t) => Ok((p.display().to_string(), t)),
            Err(Failure::Io(m)) => Err(m),
            Err(_) => Err(format!("{}: cannot be read", p.display())),
        };
    }
    crate::shipped::EXAMPLES
        .iter()
        .chain(crate::shipped::LAW_TESTS)
        .find(|(name, _)| format!("tests/examples/{name}") == path || format!("tests/law/{name}") == path)
        .map(|(_, text)| (path.clone(), text.to_string()))
        .ok_or_else(|| format!("{path}: no such shipped case"))
}

fn collect(paths: &[PathBuf]) -> Result<Vec<TestFile>> {
    if paths.is_empty() {
        return Ok(crate::shipped::LAW_TESTS
            .iter()
            .map(|(name, text)| TestFile { name: format!("tests/law/{name}"), text: text.to_string(), on_disk: false })
            .collect());
    }
    let files = super::case_files(paths)?;
    files
        .into_iter()
        .map(|f| Ok(TestFile { name: f.display().to_string(), text: read_text(&f)?, on_disk: true }))
        .collect()
}

/// One test's outcome.
struct Ran {
    name: String,
    failures: Vec<String>,
    report: Option<CaseReport>,
}

#[derive(Default)]
struct Tally {
    applied: usize,
    not_applied: usize,
}

#[derive(Default)]
struct Coverage {
    /// (decision key, rule name) → counts.
    rules: BTreeMap<(String, String), Tally>,
    /// Citation text → number of cases in which an item citing it took part.
    cited_used: BTreeMap<String, usize>,
}

impl Coverage {
    fn add(&mut self, d: &Derivation) {
        for a in d.by.iter().chain(&d.conflict) {
            self.rules.entry((d.decision.clone(), a.rule.name.clone())).or_default().applied += 1;
        }
        for s in &d.set_aside {
            self.rules.entry((d.decision.clone(), s.rule.name.clone())).or_default().applied += 1;
        }
        for a in &d.not_applicable {
            self.rules.entry((d.decision.clone(), a.rule.name.clone())).or_default().not_applied += 1;
        }
        if let (Some(c), crate::eval::Status::Determined) = (&d.citation, d.status) {
            *self.cited_used.entry(c.clone()).or_default() += 1;
        }
        let steps = d.by.iter().chain(&d.not_applicable).chain(&d.conflict).map(|a| &a.because).chain(d.default.iter());
        for s in steps {
            self.steps(s);
        }
    }

    fn steps(&mut self, s: &Step) {
        if let Some(c) = &s.citation {
            if matches!(s.source, "def" | "param") {
                *self.cited_used.entry(c.clone()).or_default() += 1;
            }
        }
        for c in &s.children {
            self.steps(c);
        }
    }
}

fn expected_matches(program: &Program, outcome: &Outcome, expected: &Json) -> std::result::Result<(), String> {
    let actual_value = outcome.value().map(|v| json_value(program, v)).unwrap_or(Json::Null);
    let status = serde_json::to_value(outcome.status()).unwrap_or(Json::Null);
    let describe = |v: &Json| match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    let actual_text = match outcome {
        Outcome::Determined { .. } => describe(&actual_value),
        Outcome::Unknown { needs } => {
            format!("unknown (needs {})", needs.iter().map(|p| program.path(*p)).collect::<Vec<_>>().join(", "))
        }
        Outcome::Error { message } => format!("error: {message}"),
        other => describe(&serde_json::to_value(other.status()).unwrap_or(Json::Null)),
    };
    let same = |a: &Json, b: &Json| a == b || (a.is_number() && b.is_number() && a.as_f64() == b.as_f64());
    match expected {
        Json::Object(map) if map.contains_key("status") || map.contains_key("needs") || map.contains_key("value") => {
            if let Some(s) = map.get("status") {
                if !same(s, &status) {
                    return Err(format!("expected status {}, got {actual_text}", describe(s)));
                }
            }
            if let Some(v) = map.get("value") {
                if !same(v, &actual_value) {
                    return Err(format!("expected {}, got {actual_text}", describe(v)));
                }
            }
            if let Some(n) = map.get("needs") {
                let actual: Vec<Json> = match outcome {
                    Outcome::Unknown { needs } => needs.iter().map(|p| Json::String(program.path(*p).to_string())).collect(),
                    _ => Vec::new(),
                };
                if *n != Json::Array(actual.clone()) {
                    return Err(format!("expected needs {}, got {}", n, Json::Array(actual)));
                }
            }
            Ok(())
        }
        v => {
            if outcome.value().is_some() && same(v, &actual_value) {
                Ok(())
            } else {
                Err(format!("expected {}, got {actual_text}", describe(v)))
            }
        }
    }
}

fn run_one(program: &Program, file: &TestFile, index: usize, test: &Json) -> Ran {
    let name = test.get("name").and_then(Json::as_str).map(str::to_string).unwrap_or_else(|| format!("test {}", index + 1));
    let fail = |name: String, why: String| Ran { name, failures: vec![why], report: None };
    let record: CaseRecord = match test.get("case") {
        Some(Json::String(rel)) => match resolve(&file.name, rel, file.on_disk) {
            Ok((path, text)) => match record::read(program, &text, Format::of_path(&path), &path) {
                Ok(r) => r,
                Err(e) => return fail(name, format!("invalid case: {e}")),
            },
            Err(e) => return fail(name, e),
        },
        Some(inline @ Json::Object(_)) => match record::read_value(program, inline, &file.name, &format!("[{index}].case")) {
            Ok(r) => r,
            Err(e) => return fail(name, format!("invalid case: {e}")),
        },
        _ => return fail(name, "a test needs `case:` (a path or the record itself)".into()),
    };
    let as_of = match test.get("as_of").and_then(Json::as_str) {
        Some(s) => match parse_date(s) {
            Some(d) => Some(d),
            None => return fail(name, format!("`as_of: {s}` is not a date")),
        },
        None => record.as_of,
    };
    let Some(as_of) = as_of else {
        return fail(name, "a test needs an as-of date (in the test or its case), so that it gives the same result every day".into());
    };
    let case = record.id.clone().unwrap_or_else(|| name.clone());
    let report = explain::evaluate(program, case, &record.inputs, as_of, true);
    let mut failures = Vec::new();
    let Some(Json::Object(expect)) = test.get("expect") else {
        return Ran { name, failures: vec!["a test needs `expect:` (determination: value)".into()], report: Some(report) };
    };
    for (key, expected) in expect {
        let Some(id) = program.decision_by_key(key) else {
            let keys: Vec<String> = program.decisions.iter().map(|d| d.key()).collect();
            let hint = did_you_mean(key, keys.iter().map(String::as_str)).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            failures.push(format!("{key}: no such determination{hint}"));
            continue;
        };
        let outcome = report.outcomes.iter().find(|(d, _)| *d == id).map(|(_, o)| o.clone());
        let Some(outcome) = outcome else { continue };
        if let Err(why) = expected_matches(program, &outcome, expected) {
            let mut text = format!("{key}: {why}\n");
            if let Some(d) = report.derivations.as_ref().and_then(|ds| ds.get(id.index())) {
                let mut explanation = String::new();
                explain::derivation_text(&mut explanation, d);
                for l in explanation.lines() {
                    text.push_str(&format!("      {l}\n"));
                }
            }
            failures.push(text.trim_end().to_string());
        }
    }
    Ran { name, failures, report: Some(report) }
}

pub(super) fn run(program: &Program, paths: &[PathBuf], coverage: bool, snapshot: bool, accept: bool) -> Result<()> {
    if snapshot && paths.is_empty() {
        return Err(Failure::Io("name the expectation files: snapshots are written beside them".into()));
    }
    let files = collect(paths)?;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut cov = Coverage::default();
    let mut snapshot_problems = 0usize;
    for file in &files {
        let doc = match record::read_document(&file.text, Format::of_path(&file.name), &file.name) {
            Ok(d) => d,
            Err(e) => {
                println!("FAIL {}: {e}", file.name);
                failed += 1;
                continue;
            }
        };
        let tests: Vec<Json> = match doc {
            Json::Array(items) => items,
            Json::Object(ref m) if m.contains_key("tests") => m.get("tests").and_then(Json::as_array).cloned().unwrap_or_default(),
            other => vec![other],
        };
        let mut snap = String::new();
        for (i, t) in tests.iter().enumerate() {
            let ran = run_one(program, file, i, t);
            if let Some(report) = &ran.report {
                for d in report.derivations.iter().flatten() {
                    cov.add(d);
                }
                snap.push_str(&format!("## {}\n\n{}\n", ran.name, explain::case_text(program, report)));
            }
            if ran.failures.is_empty() {
                passed += 1;
                println!("ok   {} ({})", ran.name, file.name);
            } else {
                failed += 1;
                println!("FAIL {} ({})", ran.name, file.name);
                for f in &ran.failures {
                    println!("  - {f}");
                }
            }
        }
        if snapshot && file.on_disk {
            snapshot_problems += check_snapshot(&file.name, &snap, accept)?;
        }
    }
    if coverage {
        print_coverage(program, &cov);
    }
    if snapshot_problems > 0 {
        println!("{snapshot_problems} snapshot(s) differ or are missing; review them, then run again with --accept");
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 || snapshot_problems > 0 {
        Err(Failure::Tests)
    } else {
        Ok(())
    }
}

/// Compares the explanations of a test file with `FILE.snap`; returns 1 if it
/// differs or is missing (and was not accepted).
fn check_snapshot(test_file: &str, text: &str, accept: bool) -> Result<usize> {
    let path = PathBuf::from(format!("{test_file}.snap"));
    let old = std::fs::read_to_string(&path).ok();
    if old.as_deref() == Some(text) {
        return Ok(0);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    match &old {
        None => println!("snapshot {}: new", path.display()),
        Some(old) => {
            println!("snapshot {}: changed", path.display());
            let diff = similar::TextDiff::from_lines(old.as_str(), text);
            print!("{}", diff.unified_diff().context_radius(2).header("old", "new"));
        }
    }
    if accept || (old.is_none() && !in_ci) {
        std::fs::write(&path, text).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
        println!("snapshot {}: written", path.display());
        return Ok(0);
    }
    Ok(1)
}

fn print_coverage(program: &Program, cov: &Coverage) {
    println!("\ncoverage by provision (rules: cases where the rule applied / did not apply)\n");
    // Citation → items citing it.
    let mut by_source: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut add = |cite: &str, item: String| {
        for part in cite.split("; ") {
            let (source, article) = part.split_once(' ').unwrap_or((part, ""));
            by_source.entry(source.to_string()).or_default().entry(article.to_string()).or_default().push(item.clone());
        }
    };
    let mut incomplete = Vec::new();
    for d in &program.decisions {
        if let Some(c) = &d.citation {
            let n = cov.cited_used.get(&c.text).copied().unwrap_or(0);
            add(&c.text, format!("decision {}: determined in {n} cases", d.key()));
        }
        for r in &d.rules {
            let t = cov.rules.get(&(d.key(), r.name.clone()));
            let (a, n) = t.map(|t| (t.applied, t.not_applied)).unwrap_or((0, 0));
            let mark = if a > 0 && n > 0 { "" } else { "  ← incomplete" };
            if let Some(c) = &r.citation {
                add(&c.text, format!("{} {}/{}: applied {a}, not applied {n}{mark}", if r.is_exception { "exception" } else { "rule" }, d.key(), r.name));
            }
            if a == 0 || n == 0 {
                incomplete.push(format!("{}/{} (applied {a}, not applied {n})", d.key(), r.name));
            }
        }
    }
    for def in &program.defs {
        if let Some(c) = &def.citation {
            let n = cov.cited_used.get(&c.text).copied().unwrap_or(0);
            add(&c.text, format!("def {}.{}: used in explanations {n} times", def.ruleset, def.name));
        }
    }
    for p in &program.params {
        if let Some(c) = &p.citation {
            let n = cov.cited_used.get(&c.text).copied().unwrap_or(0);
            add(&c.text, format!("param {}.{}: used in explanations {n} times", p.ruleset, p.name));
        }
    }
    for (source, articles) in &by_source {
        let title = program.sources.iter().find(|s| s.name == *source).map(|s| s.title.as_str()).unwrap_or("");
        println!("{source}  {title}");
        for (article, items) in articles {
            println!("  {article}");
            for item in items {
                println!("    {item}");
            }
        }
        println!();
    }
    if incomplete.is_empty() {
        println!("every rule is exercised by a case where it applies and one where it does not\n");
    } else {
        println!("rules not exercised both ways (applied and not applied):");
        for r in &incomplete {
            println!("  - {r}");
        }
        println!();
    }
}
