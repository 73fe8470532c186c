//! `lsa select`: a selection declared in the rules (e.g. whom Lithuania
//! relocates) run over a caseload: who is taken, in which order, and why
//! every other case is not.

use std::path::Path;

use indicatif::ProgressBar;
use jiff::civil::Date;
use serde_json::{json, Value as Json};

use super::batch::read_items;
use super::{today, Failure, Result, SelectFormat};
use crate::check::{Program, SelectionDef};
use crate::explain;
use crate::select::{self, Candidate, Placed, Selection, Standing};
use crate::value::Value;

/// The options of one run.
pub(super) struct Options<'a> {
    pub input: &'a Path,
    pub name: Option<&'a str>,
    pub quota: Option<usize>,
    pub as_of: Option<Date>,
    pub format: SelectFormat,
    pub max_line: usize,
}

/// The selection a run uses: the one named, or the only one there is.
fn find<'p>(program: &'p Program, name: Option<&str>) -> Result<&'p SelectionDef> {
    let keys: Vec<&str> = program.selections.iter().map(|s| &*s.key).collect();
    match name {
        Some(n) => program
            .selections
            .iter()
            .find(|s| &*s.key == n || s.name == n)
            .ok_or_else(|| {
                Failure::Io(format!(
                    "no selection `{n}` in the rules (they have: {})",
                    keys.join(", ")
                ))
            }),
        None => match program.selections.as_slice() {
            [one] => Ok(one),
            [] => Err(Failure::Io("the rules declare no selection".into())),
            _ => Err(Failure::Io(format!(
                "the rules declare several selections: name one with --selection ({})",
                keys.join(", ")
            ))),
        },
    }
}

pub(super) fn run(program: &Program, o: &Options) -> Result<()> {
    let sel = find(program, o.name)?;
    let today = today();
    let date = o.as_of.unwrap_or(today);
    let (quota, quota_from) = match (o.quota, select::quota_from_rules(program, sel, date)) {
        (Some(q), _) => (q, "--quota"),
        (None, Ok(Some(q))) => (q, "the rules"),
        (None, Ok(None)) => {
            return Err(Failure::Io(format!(
                "`{}` takes as many as it is given: name the number with --quota N",
                sel.key
            )))
        }
        (None, Err(e)) => return Err(Failure::Io(format!("`{}`: {e}", sel.key))),
    };
    let mut candidates = Vec::new();
    let mut invalid: Vec<(String, String)> = Vec::new();
    read_items(o.input, o.max_line, &ProgressBar::hidden(), |item, _| {
        match item.read(program) {
            Ok(rec) => candidates.push(Candidate {
                case: item.case_name(&rec),
                as_of: explain::AsOf::of(rec.as_of, o.as_of, || today).date,
                inputs: rec.inputs,
            }),
            Err(e) => invalid.push((item.source(), item.error_json(program, &e))),
        }
        Ok(())
    })?;
    let result = select::select(program, sel, &candidates, quota);
    match o.format {
        SelectFormat::Text => text(program, sel, &result, quota_from, &invalid)?,
        SelectFormat::Json => {
            let j = to_json(program, sel, &result, quota_from, &invalid);
            outln!("{}", serde_json::to_string_pretty(&j).unwrap_or_default())?;
        }
        SelectFormat::Html => {
            let j = to_json(program, sel, &result, quota_from, &invalid);
            out!("{}", html(sel, &j))?;
        }
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        errln!("{} invalid records (not candidates)", invalid.len());
        Err(Failure::Record(None))
    }
}

/// The key values of a case, as the text output shows them.
fn key_text(program: &Program, sel: &SelectionDef, p: &Placed) -> String {
    sel.keys
        .iter()
        .zip(&p.keys)
        .map(|(k, v)| {
            let v = v
                .as_ref()
                .map_or_else(|| "unknown".to_string(), |v| show(program, v));
            format!("{} = {v}", k.expr.text)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn show(program: &Program, v: &Value) -> String {
    crate::eval::why::show(program, v)
}

/// Why a case stands where it does, in words.
fn reason(p: &Placed, quota: usize) -> String {
    match &p.standing {
        Standing::Selected { position } => format!("selected, position {position}"),
        Standing::BeyondQuota { rank } => {
            format!("qualifies, ranked {rank}: beyond the quota of {quota}")
        }
        Standing::NotQualified { rule, citation } => match (rule, citation) {
            (Some(r), Some(c)) => format!("does not qualify ({r} [{c}])"),
            (Some(r), None) => format!("does not qualify ({r})"),
            (None, Some(c)) => format!("does not qualify [{c}]"),
            (None, None) => "does not qualify".into(),
        },
        Standing::Unknown { needs } => {
            format!(
                "whether it qualifies is unknown: needs {}",
                needs.join(", ")
            )
        }
        Standing::Unranked { needs } => format!(
            "qualifies, but cannot be ranked: needs {}",
            needs.join(", ")
        ),
        Standing::Error { message } => format!("error: {message}"),
    }
}

fn text(
    program: &Program,
    sel: &SelectionDef,
    r: &Selection,
    quota_from: &str,
    invalid: &[(String, String)],
) -> Result<()> {
    let cite = sel
        .citation
        .as_ref()
        .map(|c| format!(" [{}]", c.text))
        .unwrap_or_default();
    outln!("{}", super::law::describe(&program.provenance))?;
    outln!(
        "selection {}{cite}: {} selected of {} candidates (quota {} from {quota_from})",
        sel.key,
        r.selected(),
        r.placed.len() + invalid.len(),
        r.quota
    )?;
    for (i, k) in sel.keys.iter().enumerate() {
        let order = if k.descending {
            "descending"
        } else {
            "ascending"
        };
        let cite = k
            .citation
            .as_ref()
            .map(|c| format!(" [{}]", c.text))
            .unwrap_or_default();
        outln!("  key {}: {} {order}{cite}", i + 1, k.expr.text)?;
    }
    let mut selected: Vec<&Placed> = r
        .placed
        .iter()
        .filter(|p| matches!(p.standing, Standing::Selected { .. }))
        .collect();
    selected.sort_by_key(|p| match p.standing {
        Standing::Selected { position } => position,
        _ => usize::MAX,
    });
    let warned = r.placed.iter().filter(|p| !p.warnings.is_empty()).count();
    if warned > 0 {
        let who = match warned {
            1 => "1 candidate".to_string(),
            n => format!("{n} candidates"),
        };
        outln!(
            "  {who} with facts that cannot all be right (marked !): check them before relying on a place"
        )?;
    }
    // A candidate's warnings, each on a line of its own below it.
    let words = explain::words::Words::new(program, crate::lang::Lang::En);
    let warnings = |p: &Placed| -> Result<()> {
        for w in &p.warnings {
            if let Some(def) = program.warnings.get(*w as usize) {
                outln!("        ! {} ({})", words.def(def.def), def.key)?;
            }
        }
        Ok(())
    };
    outln!("\nselected")?;
    for p in &selected {
        if let Standing::Selected { position } = p.standing {
            outln!("  {position:>4}. {}  {}", p.case, key_text(program, sel, p))?;
            warnings(p)?;
        }
    }
    outln!("\nnot selected")?;
    for p in r
        .placed
        .iter()
        .filter(|p| !matches!(p.standing, Standing::Selected { .. }))
    {
        let keys = match p.standing {
            Standing::BeyondQuota { .. } => format!("  ({})", key_text(program, sel, p)),
            _ => String::new(),
        };
        outln!("  {}: {}{keys}", p.case, reason(p, r.quota))?;
        warnings(p)?;
    }
    for (name, _) in invalid {
        outln!("  {name}: invalid record (see the error on standard error)")?;
    }
    for (_, e) in invalid {
        errln!("{e}");
    }
    Ok(())
}

fn to_json(
    program: &Program,
    sel: &SelectionDef,
    r: &Selection,
    quota_from: &str,
    invalid: &[(String, String)],
) -> Json {
    let keys = |p: &Placed| -> Json {
        let mut m = serde_json::Map::new();
        for (k, v) in sel.keys.iter().zip(&p.keys) {
            let v = v
                .as_ref()
                .map_or(Json::Null, |v| explain::json_value(program, v));
            m.insert(k.expr.text.to_string(), v);
        }
        Json::Object(m)
    };
    let warnings = |p: &Placed| -> Json {
        p.warnings
            .iter()
            .filter_map(|w| program.warnings.get(*w as usize))
            .map(|w| Json::from(&*w.key))
            .collect()
    };
    let mut selected: Vec<(usize, Json)> = Vec::new();
    let mut rest = Vec::new();
    for p in &r.placed {
        let mut entry = match &p.standing {
            Standing::Selected { position } => {
                json!({ "position": position, "case": p.case, "keys": keys(p) })
            }
            Standing::BeyondQuota { rank } => json!({
                "case": p.case, "reason": "beyond_quota", "rank": rank, "keys": keys(p),
            }),
            Standing::NotQualified { rule, citation } => json!({
                "case": p.case, "reason": "not_qualified", "rule": rule, "citation": citation,
            }),
            Standing::Unknown { needs } => {
                json!({ "case": p.case, "reason": "unknown", "needs": needs })
            }
            Standing::Unranked { needs } => {
                json!({ "case": p.case, "reason": "unranked", "needs": needs })
            }
            Standing::Error { message } => {
                json!({ "case": p.case, "reason": "error", "message": message })
            }
        };
        if let Json::Object(m) = &mut entry {
            m.insert("warnings".into(), warnings(p));
        }
        match p.standing {
            Standing::Selected { position } => selected.push((position, entry)),
            _ => rest.push(entry),
        }
    }
    for (_, e) in invalid {
        let error: Json = serde_json::from_str(e).unwrap_or(Json::Null);
        rest.push(json!({ "case": error.get("case"), "reason": "invalid", "error": error }));
    }
    selected.sort_by_key(|(p, _)| *p);
    json!({
        "format": explain::FORMAT,
        "selection": &*sel.key,
        "citation": sel.citation.as_ref().map(|c| &*c.text),
        "law": explain::law_json(&program.provenance),
        "quota": r.quota,
        "quota_from": quota_from,
        "keys": sel.keys.iter().map(|k| json!({
            "key": &*k.expr.text,
            "order": if k.descending { "descending" } else { "ascending" },
            "citation": k.citation.as_ref().map(|c| &*c.text),
        })).collect::<Vec<_>>(),
        "candidates": r.placed.len() + invalid.len(),
        "selected": selected.into_iter().map(|(_, j)| j).collect::<Vec<_>>(),
        "not_selected": rest,
    })
}

use crate::explain::html::esc;

/// A self-contained page of the selection (no scripts, no network).
fn html(sel: &SelectionDef, j: &Json) -> String {
    let s = |v: &Json| match v {
        Json::String(t) => esc(t),
        Json::Null => String::new(),
        other => esc(&other.to_string()),
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str(&format!("<title>Selection {}</title>", esc(&sel.key)));
    out.push_str("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}th{background:#eee}</style></head><body>\n");
    out.push_str(&format!(
        "<h1>Selection <code>{}</code></h1>\n<p>{} selected of {} candidates; quota {} (from {}).</p>\n",
        esc(&sel.key),
        j["selected"].as_array().map_or(0, Vec::len),
        j["candidates"],
        j["quota"],
        s(&j["quota_from"]),
    ));
    out.push_str("<h2>Keys</h2><ol>");
    for k in j["keys"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "<li><code>{}</code> {} {}</li>",
            s(&k["key"]),
            s(&k["order"]),
            s(&k["citation"])
        ));
    }
    out.push_str(
        "</ol><h2>Selected</h2><table><tr><th>position</th><th>case</th><th>keys</th><th>facts to check</th></tr>\n",
    );
    for p in j["selected"].as_array().into_iter().flatten() {
        let check: Vec<String> = p["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(&s)
            .collect();
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            p["position"],
            s(&p["case"]),
            esc(&p["keys"].to_string()),
            check.join("<br>")
        ));
    }
    out.push_str(
        "</table><h2>Not selected</h2><table><tr><th>case</th><th>why</th><th>details</th></tr>\n",
    );
    for p in j["not_selected"].as_array().into_iter().flatten() {
        let mut details = p.clone();
        if let Some(m) = details.as_object_mut() {
            m.remove("case");
            m.remove("reason");
        }
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            s(&p["case"]),
            s(&p["reason"]),
            esc(&details.to_string())
        ));
    }
    out.push_str("</table></body></html>\n");
    out
}
