//! `lsa diff`: amendment impact. The same cases evaluated under two rule trees
//! (or on two dates); which determinations change, for which cases, and the
//! first rule or def whose evaluation differs, with both explanations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::{json, Value as Json};

use super::{case_name, read_text, today, DiffFormat, Failure, Result};
use crate::check::Program;
use crate::eval::why::{Derivation, Role, Step};
use crate::explain::{self, CaseReport};
use crate::record::{self, Format};
use crate::value::date_str;

#[allow(clippy::large_enum_variant, reason = "one plan per command")]
pub(super) enum Plan {
    Trees {
        old: Program,
        new: Program,
        old_name: String,
        new_name: String,
        /// The date of the records without `as_of` (`--as-of`).
        as_of: Option<Date>,
    },
    Dates {
        program: Program,
        old: Date,
        new: Date,
    },
}

impl Plan {
    /// The old side's program and the new side's.
    fn programs(&self) -> (&Program, &Program) {
        match self {
            Plan::Trees { old, new, .. } => (old, new),
            Plan::Dates { program, .. } => (program, program),
        }
    }
}

/// The rule files of the tree in folder `dir` as it was at a git revision,
/// named `REV:path` (the path relative to `dir`), and the revision's commit.
pub(super) fn rules_at_revision(rev: &str, dir: &Path) -> Result<(Vec<(String, String)>, String)> {
    let git = |args: &[&str]| -> Result<String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| Failure::Io(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(Failure::Io(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        String::from_utf8(out.stdout).map_err(|_| Failure::Io("git printed invalid UTF-8".into()))
    };
    let listing = git(&["ls-tree", "-r", "--name-only", rev, "--", "."])?;
    let files: Vec<&str> = listing.lines().filter(|l| l.ends_with(".rules")).collect();
    if files.is_empty() {
        return Err(Failure::Io(format!(
            "no .rules files in {} at revision `{rev}`",
            super::law::shown(dir)
        )));
    }
    let commit = git(&["rev-parse", "--short=12", rev])?.trim().to_string();
    let files = files
        .into_iter()
        .map(|f| {
            Ok((
                format!("{rev}:{f}"),
                git(&["show", &format!("{rev}:./{f}")])?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((files, commit))
}

/// One case under both sides.
struct Pair<'p> {
    case: String,
    /// The case's date and where it came from (the same on both sides).
    as_of: Option<(Date, explain::AsOfFrom)>,
    old: std::result::Result<CaseReport<'p>, String>,
    new: std::result::Result<CaseReport<'p>, String>,
}

/// Evaluates one case file: on the date compared, or (`Err`) on the date
/// every command uses (the record's own, `--as-of`, today).
fn evaluate<'p>(
    program: &'p Program,
    path: &Path,
    date: std::result::Result<Date, Option<Date>>,
) -> std::result::Result<CaseReport<'p>, String> {
    let text = read_text(path).map_err(|f| match f {
        Failure::Io(m) => m,
        _ => "cannot be read".into(),
    })?;
    let name = path.display().to_string();
    let rec =
        record::read(program, &text, Format::of_path(&name), &name).map_err(|e| e.to_string())?;
    let date = match date {
        Ok(date) => explain::AsOf {
            date,
            from: explain::AsOfFrom::Compared,
        },
        Err(option) => explain::AsOf::of(rec.as_of, option, today),
    };
    Ok(explain::evaluate(
        program,
        case_name(&rec, path),
        &rec.inputs,
        date,
        true,
    ))
}

/// Determination key → (value text, derivation).
fn outcomes<'a, 'p>(
    program: &Program,
    r: &'a CaseReport<'p>,
) -> BTreeMap<String, (String, Derivation<'a, 'p>)> {
    let mut out = BTreeMap::new();
    for (n, (id, o)) in r.outcomes.iter().enumerate() {
        let key = program
            .decisions
            .get(id.index())
            .map(|d| d.key())
            .unwrap_or_default();
        let value = match o.value() {
            Some(v) => crate::eval::why::show(program, v),
            None => serde_json::to_value(o.status())
                .ok()
                .and_then(|s| s.as_str().map(str::to_string))
                .unwrap_or_default(),
        };
        if let Some(d) = r.derivation(n) {
            out.insert(key, (value, d));
        }
    }
    out
}

/// Each rule's part in a derivation, as comparable text.
fn rule_states(d: &Derivation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let sig = |s: Option<Step>| s.map(|s| s.json()).unwrap_or_default();
    for (role, word) in [
        (Role::By, "decided"),
        (Role::Conflict, "conflict"),
        (Role::SetAside, "set aside by"),
        (Role::Open, "open"),
        (Role::NotApplicable, "not applicable"),
        (Role::NotInForce, "not in force"),
    ] {
        for a in d.parts(role) {
            let state = match role {
                Role::SetAside => format!("{word} {}", a.set_aside_by().join(",")),
                Role::NotInForce => word.to_string(),
                _ => format!("{word} {}", sig(a.because())),
            };
            out.push((a.rule().name.to_string(), state));
        }
    }
    out
}

/// The first def or param in a step tree whose value differs between two trees.
fn first_def_change(old: Step, new: Step) -> Option<String> {
    if matches!(old.source(), "def" | "param")
        && old.source() == new.source()
        && old.expr() == new.expr()
        && old.value() != new.value()
    {
        return Some(format!(
            "{} `{}`: {} → {}",
            new.source(),
            new.expr(),
            old.value(),
            new.value()
        ));
    }
    old.children()
        .zip(new.children())
        .find_map(|(a, b)| first_def_change(a, b))
}

/// The condition of every rule that has one shown, by rule name.
fn conditions<'a, 'p>(d: &Derivation<'a, 'p>) -> BTreeMap<String, Step<'a, 'p>> {
    [Role::By, Role::NotApplicable, Role::Open, Role::Conflict]
        .into_iter()
        .flat_map(|role| d.parts(role).collect::<Vec<_>>())
        .filter_map(|a| Some((a.rule().name.to_string(), a.because()?)))
        .collect()
}

/// Where the reasoning first differs, in words.
fn first_difference(old: &Derivation, new: &Derivation) -> String {
    let old_states: BTreeMap<String, String> = rule_states(old).into_iter().collect();
    let (old_steps, new_steps) = (conditions(old), conditions(new));
    let new_states = rule_states(new);
    for (name, state) in &new_states {
        match old_states.get(name) {
            None => return format!("rule `{name}` is new"),
            Some(s) if s != state => {
                let detail = match (old_steps.get(name), new_steps.get(name)) {
                    (Some(a), Some(b)) => first_def_change(*a, *b).or_else(|| {
                        let a_deadline = a.steps_text().last();
                        let b_deadline = b.steps_text().last();
                        (a_deadline != b_deadline).then(|| {
                            format!(
                                "its time limit: {} → {}",
                                a_deadline.unwrap_or_default(),
                                b_deadline.unwrap_or_default()
                            )
                        })
                    }),
                    _ => None,
                };
                let first_word = |s: &str| s.split(' ').next().unwrap_or("").to_string();
                let change = if first_word(s) == first_word(state) {
                    "evaluates differently".to_string()
                } else {
                    format!(
                        "{} → {}",
                        s.split(" {").next().unwrap_or(s),
                        state.split(" {").next().unwrap_or(state)
                    )
                };
                return match detail {
                    Some(d) => format!("rule `{name}` {change}; first difference in {d}"),
                    None => format!("rule `{name}` {change}"),
                };
            }
            Some(_) => {}
        }
    }
    if let Some(name) = old_states
        .keys()
        .find(|k| !new_states.iter().any(|(n, _)| n == *k))
    {
        return format!("rule `{name}` was removed");
    }
    match (old.default(), new.default()) {
        (Some(a), Some(b)) if a.value() != b.value() => {
            return format!("the default: {} → {}", a.value(), b.value())
        }
        _ => {}
    }
    // Same rules decide: the value itself is computed differently.
    let values = old
        .parts(Role::By)
        .zip(new.parts(Role::By))
        .find_map(|(a, b)| match (a.value(), b.value()) {
            (Some(x), Some(y)) if x.value() != y.value() => {
                Some(first_def_change(x, y).unwrap_or_else(|| {
                    let steps = |s: Step| {
                        s.steps_text()
                            .chain(
                                s.children()
                                    .flat_map(|c| c.steps_text().collect::<Vec<_>>()),
                            )
                            .collect::<Vec<_>>()
                    };
                    let (sa, sb) = (steps(x), steps(y));
                    match sa.iter().zip(&sb).find(|(p, q)| p != q) {
                        Some((p, q)) => format!(
                            "the value of rule `{}`: `{}` → `{}`; first differing step: {p} → {q}",
                            b.rule().name,
                            x.expr(),
                            y.expr()
                        ),
                        None => format!(
                            "the value of rule `{}`: `{}` = {} → `{}` = {}",
                            b.rule().name,
                            x.expr(),
                            x.value(),
                            y.expr(),
                            y.value()
                        ),
                    }
                }))
            }
            _ => None,
        });
    values.unwrap_or_else(|| "the decision's value".into())
}

struct Change {
    key: String,
    old: String,
    new: String,
    why: String,
    old_text: String,
    new_text: String,
}

fn changes(plan: &Plan, pair: &Pair) -> std::result::Result<Vec<Change>, String> {
    let (old_p, new_p) = plan.programs();
    let old = pair.old.as_ref().map_err(|e| format!("old: {e}"))?;
    let new = pair.new.as_ref().map_err(|e| format!("new: {e}"))?;
    let (a, b) = (outcomes(old_p, old), outcomes(new_p, new));
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
    let mut out = Vec::new();
    for key in keys {
        let text = |d: &Derivation| {
            let mut s = String::new();
            explain::derivation_text(&mut s, d);
            s
        };
        match (a.get(key), b.get(key)) {
            (Some((va, da)), Some((vb, db))) if va != vb => out.push(Change {
                key: key.clone(),
                old: va.clone(),
                new: vb.clone(),
                why: first_difference(da, db),
                old_text: text(da),
                new_text: text(db),
            }),
            (Some((va, da)), None) => out.push(Change {
                key: key.clone(),
                old: va.clone(),
                new: "(removed)".into(),
                why: "the determination was removed".into(),
                old_text: text(da),
                new_text: String::new(),
            }),
            (None, Some((vb, db))) => out.push(Change {
                key: key.clone(),
                old: "(absent)".into(),
                new: vb.clone(),
                why: "the determination is new".into(),
                old_text: String::new(),
                new_text: text(db),
            }),
            _ => {}
        }
    }
    Ok(out)
}

pub(super) fn run(
    plan: &Plan,
    paths: &[PathBuf],
    format: DiffFormat,
    lang: crate::lang::Lang,
) -> Result<()> {
    let (_, new_program) = plan.programs();
    let words = explain::words::Words::new(new_program, lang);
    let label = |key: &str| {
        new_program
            .decision_by_key(key)
            .and_then(|id| words.decision_label(id))
            .map(|l| format!(" ({l})"))
            .unwrap_or_default()
    };
    let (old_label, new_label) = match plan {
        Plan::Trees {
            old,
            new,
            old_name,
            new_name,
            ..
        } => (
            format!("{old_name} — {}", super::law::describe(&old.provenance)),
            format!("{new_name} — {}", super::law::describe(&new.provenance)),
        ),
        Plan::Dates { old, new, program } => (
            format!(
                "on {} (in place of each record's as_of) — {}",
                date_str(*old),
                super::law::describe(&program.provenance)
            ),
            format!(
                "on {} (in place of each record's as_of) — {}",
                date_str(*new),
                super::law::describe(&program.provenance)
            ),
        ),
    };
    let pairs: Vec<Pair> = paths
        .iter()
        .map(|p| {
            let (old, new) = match plan {
                Plan::Trees {
                    old, new, as_of, ..
                } => (evaluate(old, p, Err(*as_of)), evaluate(new, p, Err(*as_of))),
                Plan::Dates { program, old, new } => (
                    evaluate(program, p, Ok(*old)),
                    evaluate(program, p, Ok(*new)),
                ),
            };
            let (case, as_of) = match (&old, &new) {
                (Ok(r), _) | (_, Ok(r)) => (r.case.clone(), Some((r.as_of, r.as_of_from))),
                _ => (p.display().to_string(), None),
            };
            Pair {
                case,
                as_of,
                old,
                new,
            }
        })
        .collect();
    let results: Vec<(&Pair, std::result::Result<Vec<Change>, String>)> =
        pairs.iter().map(|p| (p, changes(plan, p))).collect();
    let changed: Vec<&(&Pair, std::result::Result<Vec<Change>, String>)> = results
        .iter()
        .filter(|(_, c)| c.as_ref().map(|c| !c.is_empty()).unwrap_or(true))
        .collect();
    let mut per_key: BTreeMap<String, usize> = BTreeMap::new();
    for (_, c) in &results {
        for ch in c.iter().flatten() {
            *per_key.entry(ch.key.clone()).or_default() += 1;
        }
    }
    match format {
        DiffFormat::Json => {
            let cases: Vec<Json> = changed
                .iter()
                .map(|(p, c)| match c {
                    Ok(c) => json!({
                        "case": p.case,
                        "as_of": p.as_of.filter(|(_, from)| *from != explain::AsOfFrom::Compared).map(|(d, _)| date_str(d)),
                        "as_of_from": p.as_of.map(|(_, from)| from.key()),
                        "changes": c.iter().map(|ch| json!({
                            "determination": ch.key, "old": ch.old, "new": ch.new, "first_difference": ch.why,
                            "old_explanation": ch.old_text, "new_explanation": ch.new_text,
                        })).collect::<Vec<_>>(),
                    }),
                    Err(e) => json!({ "case": p.case, "error": e }),
                })
                .collect();
            let (old_law, new_law) = plan.programs();
            let out = json!({
                "old": old_label, "new": new_label,
                "old_law": explain::law_json(&old_law.provenance),
                "new_law": explain::law_json(&new_law.provenance),
                "cases": results.len(), "cases_changed": changed.len(),
                "changes_per_determination": per_key,
                "changed": cases,
            });
            outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default())?;
        }
        DiffFormat::Text | DiffFormat::Markdown => {
            let md = format == DiffFormat::Markdown;
            if md {
                outln!("# Amendment impact: `{old_label}` → `{new_label}`\n")?;
                outln!("{} cases, {} changed\n", results.len(), changed.len())?;
                if !per_key.is_empty() {
                    outln!("| determination | cases changed |\n|---|---|")?;
                    for (k, n) in &per_key {
                        outln!("| `{k}`{} | {n} |", label(k))?;
                    }
                    outln!()?;
                }
            } else {
                outln!(
                    "old: {old_label}\nnew: {new_label}\n{} cases, {} changed",
                    results.len(),
                    changed.len()
                )?;
                for (k, n) in &per_key {
                    outln!(
                        "  {k}{}: {n} case{} changed",
                        label(k),
                        if *n == 1 { "" } else { "s" }
                    )?;
                }
            }
            for (p, c) in &changed {
                let dated = match p.as_of {
                    Some((d, from)) if from != explain::AsOfFrom::Compared => {
                        format!(" (as of {}, {})", date_str(d), from.text())
                    }
                    _ => String::new(),
                };
                if md {
                    outln!("## {}{dated}\n", p.case)?;
                } else {
                    outln!("\ncase {}{dated}", p.case)?;
                }
                match c {
                    Err(e) => outln!("{}error: {e}", if md { "" } else { "  " })?,
                    Ok(c) => {
                        for ch in c {
                            if md {
                                outln!(
                                    "- `{}`: **{}** → **{}** ({})\n",
                                    ch.key,
                                    ch.old,
                                    ch.new,
                                    ch.why
                                )?;
                                outln!("  <details><summary>explanations</summary>\n\n```\n{}```\n\n```\n{}```\n  </details>\n", ch.old_text, ch.new_text)?;
                            } else {
                                outln!("  {}: {} → {}", ch.key, ch.old, ch.new)?;
                                outln!("    first difference: {}", ch.why)?;
                                outln!("    old:")?;
                                for l in ch.old_text.lines() {
                                    outln!("      {l}")?;
                                }
                                outln!("    new:")?;
                                for l in ch.new_text.lines() {
                                    outln!("      {l}")?;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
