//! `lsa test`: expectation files (YAML: a list of tests, each a case, inline or
//! by path, an optional as-of date and expected determinations), coverage by
//! provision, and explanation snapshots for drafters' own rule trees.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::{read_text, Failure, Result};
use crate::check::{Expr, Program};
use crate::expect::{run_test_located, test_name, tests_of, with_params, Coverage};
use crate::explain;
use crate::record::{self, Format};
use crate::value::Value;

/// A file of tests: its name and text, on disk or shipped in the binary.
struct TestFile {
    name: String,
    text: String,
    on_disk: bool,
}

/// A relative path with `.` and `..` resolved lexically (`tests/law/../examples/x.yaml`
/// is `tests/examples/x.yaml`); a `..` that climbs above the start is kept.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            Component::ParentDir => parts.push("..".into()),
            Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().to_string()),
        }
    }
    parts.join("/")
}

/// Where case files named by a test are found: on disk, relative to the test
/// file (the file system resolves `..`); for the shipped tests, among the
/// embedded files.
fn resolve(base: &str, rel: &str, on_disk: bool) -> std::result::Result<(String, String), String> {
    let joined = Path::new(base).parent().unwrap_or(Path::new("")).join(rel);
    if on_disk {
        return match read_text(&joined) {
            Ok(t) => Ok((joined.display().to_string(), t)),
            Err(Failure::Io(m)) => Err(m),
            Err(_) => Err(format!("{}: cannot be read", joined.display())),
        };
    }
    let path = normalize(&joined);
    crate::shipped::EXAMPLES
        .iter()
        .chain(crate::shipped::LAW_TESTS)
        .find(|(name, _)| {
            format!("tests/examples/{name}") == path || format!("tests/law/{name}") == path
        })
        .map(|(_, text)| (path.clone(), text.to_string()))
        .ok_or_else(|| format!("{path}: no such shipped case"))
}

fn collect(paths: &[PathBuf]) -> Result<Vec<TestFile>> {
    if paths.is_empty() {
        return Ok(crate::shipped::LAW_TESTS
            .iter()
            .map(|(name, text)| TestFile {
                name: format!("tests/law/{name}"),
                text: text.to_string(),
                on_disk: false,
            })
            .collect());
    }
    let files = super::case_files(paths)?;
    // Nothing run is not a pass (F22).
    if files.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::Io(format!(
            "no expectation files (.yaml, .yml, .json) in {}",
            named.join(", ")
        )));
    }
    files
        .into_iter()
        .map(|f| {
            Ok(TestFile {
                name: f.display().to_string(),
                text: read_text(&f)?,
                on_disk: true,
            })
        })
        .collect()
}

pub(super) fn run(
    program: &Program,
    paths: &[PathBuf],
    coverage: bool,
    snapshot: bool,
    accept: bool,
    lang: crate::lang::Lang,
) -> Result<()> {
    let words = crate::explain::words::Words::new(program, lang);
    // A failure names its determination; the label follows the key.
    let labelled = |f: &str| -> String {
        match f.split_once(": ") {
            Some((key, rest)) => match program
                .decision_by_key(key)
                .and_then(|id| words.decision_label(id))
            {
                Some(label) => format!("{key} ({label}): {rest}"),
                None => f.to_string(),
            },
            None => f.to_string(),
        }
    };
    if snapshot && paths.is_empty() {
        return Err(Failure::Io(
            "name the expectation files: snapshots are written beside them".into(),
        ));
    }
    let files = collect(paths)?;
    outln!(
        "{}",
        super::law::describe(&program.provenance, crate::lang::Lang::En)
    )?;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut cov = Coverage::default();
    let mut snapshot_problems = 0usize;
    for file in &files {
        let doc = match record::read_document(&file.text, Format::of_path(&file.name), &file.name) {
            Ok(d) => d,
            Err(e) => {
                outln!("FAIL {}: {e}", file.name)?;
                failed += 1;
                continue;
            }
        };
        let tests = tests_of(doc);
        let resolver = |rel: &str| resolve(&file.name, rel, file.on_disk);
        let mut snap = String::new();
        for (i, t) in tests.iter().enumerate() {
            let variant = match with_params(program, t) {
                Ok(v) => v,
                Err(e) => {
                    failed += 1;
                    outln!("FAIL {} ({}): {e}", test_name(t, i), file.name)?;
                    continue;
                }
            };
            let program = variant.as_ref().unwrap_or(program);
            let format = Format::of_path(&file.name);
            let locate = |path: &str| record::locate(&file.text, format, path);
            let ran = run_test_located(program, &file.name, i, t, &resolver, &locate);
            if let Some(report) = &ran.report {
                for d in report.derivations() {
                    cov.add(&d);
                }
                cov.add_acts(program, &report.outcomes, &ran.acts);
                snap.push_str(&format!(
                    "## {}\n\n{}\n",
                    ran.name,
                    explain::case_text_of(
                        program,
                        report,
                        &ran.acts,
                        crate::expect::snapshot_filter(t)
                    )
                ));
            }
            if ran.failures.is_empty() {
                passed += 1;
                outln!("ok   {} ({})", ran.name, file.name)?;
            } else {
                failed += 1;
                outln!("FAIL {} ({})", ran.name, file.name)?;
                for f in &ran.failures {
                    outln!("  - {}", labelled(f))?;
                }
            }
        }
        if snapshot && file.on_disk {
            snapshot_problems += check_snapshot(&file.name, &snap, accept)?;
        }
    }
    if coverage {
        print_coverage(program, &cov)?;
    }
    if snapshot_problems > 0 {
        outln!("{snapshot_problems} snapshot(s) differ or are missing; review them, then run again with --accept")?;
    }
    // A snapshot that differs or is missing is a failure like any other.
    let failed = failed + snapshot_problems;
    outln!("{passed} passed, {failed} failed")?;
    if failed > 0 {
        Err(Failure::Tests)
    } else {
        Ok(())
    }
}

/// Compares the explanations of a test file with `FILE.snap`; returns 1 if it
/// differs or is missing (and was not accepted with `--accept`).
fn check_snapshot(test_file: &str, text: &str, accept: bool) -> Result<usize> {
    let path = PathBuf::from(format!("{test_file}.snap"));
    let old = std::fs::read_to_string(&path).ok();
    if old.as_deref() == Some(text) {
        return Ok(0);
    }
    match &old {
        None => outln!("snapshot {}: new", path.display())?,
        Some(old) => {
            outln!("snapshot {}: changed", path.display())?;
            let diff = similar::TextDiff::from_lines(old.as_str(), text);
            out!(
                "{}",
                diff.unified_diff().context_radius(2).header("old", "new")
            )?;
        }
    }
    // Written only when asked: a snapshot accepted unseen reviews nothing.
    if accept {
        std::fs::write(&path, text).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
        outln!("snapshot {}: written", path.display())?;
        return Ok(0);
    }
    Ok(1)
}

fn print_coverage(program: &Program, cov: &Coverage) -> Result<()> {
    outln!("\ncoverage by provision (rules: cases where the rule applied / did not apply; `applies` lines: determinations for which the line held / did not)\n")?;
    // Citation → items citing it.
    let mut by_source: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut add = |cite: &str, item: String| {
        for part in cite.split("; ") {
            let (source, article) = part.split_once(' ').unwrap_or((part, ""));
            by_source
                .entry(source.to_string())
                .or_default()
                .entry(article.to_string())
                .or_default()
                .push(item.clone());
        }
    };
    let mut incomplete = Vec::new();
    for d in &program.decisions {
        if let Some(c) = &d.citation {
            let n = cov.decisions.get(&d.key()).copied().unwrap_or(0);
            add(
                &c.text,
                format!("decision {}: determined in {n} cases", d.key()),
            );
        }
        for r in &d.rules {
            let t = cov.rules.get(&(d.key(), r.name.to_string()));
            let (a, n) = t.map(|t| (t.applied, t.not_applied)).unwrap_or((0, 0));
            // A rule whose condition is `true` cannot fail to apply; it needs only the one side.
            let unconditional = matches!(r.when.kind, Expr::Lit(Value::Bool(true)));
            let complete = a > 0 && (n > 0 || unconditional);
            let kind = if r.is_exception { "exception" } else { "rule" };
            let mark = match (complete, unconditional) {
                (false, _) => "  ← incomplete",
                (true, true) => " (unconditional)",
                (true, false) => "",
            };
            if let Some(c) = &r.citation {
                add(
                    &c.text,
                    format!(
                        "{kind} {}/{}: applied {a}, not applied {n}{mark}",
                        d.key(),
                        r.name
                    ),
                );
            }
            if !complete {
                incomplete.push(format!(
                    "{}/{} (applied {a}, not applied {n})",
                    d.key(),
                    r.name
                ));
            }
        }
    }
    // The `applies` lines (each once, however many decisions it governs):
    // held for some determination and not for another, as a rule is
    // applied and not applied.
    let mut lines: Vec<crate::check::ir::DefId> = program
        .decisions
        .iter()
        .flat_map(|d| d.applies.iter().map(|a| a.def))
        .collect();
    lines.sort_unstable();
    lines.dedup();
    for def in &lines {
        let Some(line) = program.defs.get(def.index()) else {
            continue;
        };
        let t = cov.lines.get(&*line.key);
        let (a, n) = t.map(|t| (t.applied, t.not_applied)).unwrap_or((0, 0));
        let complete = a > 0 && n > 0;
        let mark = if complete { "" } else { "  ← incomplete" };
        if let Some(c) = &line.citation {
            add(
                &c.text,
                format!(
                    "applies line {}: held {a}, did not hold {n}{mark}",
                    line.key
                ),
            );
        }
        if !complete {
            incomplete.push(format!(
                "applies line {} (held {a}, did not hold {n})",
                line.key
            ));
        }
    }
    // The `owed when` conditions: each where it held (the act owed) and
    // where it did not, as a rule is applied and not applied.
    for d in &program.decisions {
        // The decision's own stands for its default (each rule holds its
        // own, else the decision's).
        let own = std::iter::once((String::new(), &d.met_by, d.citation.as_ref()))
            .filter(|_| d.default.is_some());
        let rules = d
            .rules
            .iter()
            .map(|r| (r.name.to_string(), &r.met_by, r.citation.as_ref()));
        for (rule, met_by, citation) in own.chain(rules) {
            if met_by.owed.is_none() {
                continue;
            }
            let t = cov.owed.get(&(d.key(), rule.clone()));
            let (a, n) = t.map(|t| (t.applied, t.not_applied)).unwrap_or((0, 0));
            let complete = a > 0 && n > 0;
            let mark = if complete { "" } else { "  ← incomplete" };
            let name = match rule.as_str() {
                "" => d.key(),
                rule => format!("{}/{rule}", d.key()),
            };
            if let Some(c) = citation {
                add(
                    &c.text,
                    format!("owed when of {name}: owed {a}, not owed {n}{mark}"),
                );
            }
            if !complete {
                incomplete.push(format!("owed when of {name} (owed {a}, not owed {n})"));
            }
        }
    }
    for (id, def) in program.defs.iter().enumerate() {
        if lines
            .binary_search(&crate::check::ir::DefId(id as u32))
            .is_ok()
        {
            continue;
        }
        if let Some(c) = &def.citation {
            let name = format!("{}.{}", def.ruleset, def.name);
            let n = cov.used.get(&name).copied().unwrap_or(0);
            add(&c.text, format!("def {name}: used {n} times"));
        }
    }
    for p in &program.params {
        if let Some(c) = &p.citation {
            let name = format!("{}.{}", p.ruleset, p.name);
            let n = cov.used.get(&name).copied().unwrap_or(0);
            add(&c.text, format!("param {name}: used {n} times"));
        }
    }
    for (source, articles) in &by_source {
        let title = program
            .sources
            .iter()
            .find(|s| s.name == *source)
            .map(|s| s.title.as_str())
            .unwrap_or("");
        outln!("{source}  {title}")?;
        for (article, items) in articles {
            outln!("  {article}")?;
            for item in items {
                outln!("    {item}")?;
            }
        }
        outln!()?;
    }
    if incomplete.is_empty() {
        outln!("every rule is exercised by a case where it applies and one where it does not, every `applies` line by one where it holds and one where it does not, and every `owed when` by one where the act is owed and one where it is not\n")?;
    } else {
        outln!("rules, `applies` lines and `owed when` conditions not exercised both ways (applied and not applied, held and not held, owed and not owed):")?;
        for r in &incomplete {
            outln!("  - {r}")?;
        }
        outln!()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(
            normalize(Path::new("tests/law/../examples/a.yaml")),
            "tests/examples/a.yaml"
        );
        assert_eq!(
            normalize(Path::new("tests/law/x/../../examples/./a.yaml")),
            "tests/examples/a.yaml"
        );
        assert_eq!(normalize(Path::new("../../a.yaml")), "../../a.yaml");
        assert_eq!(normalize(Path::new("a/../../b.yaml")), "../b.yaml");
    }
}
