//! Rendering: a case's outcomes and derivations as text (for caseworkers) or as
//! the JSON of the contract (`format: 1`, for integrators). Reads results only;
//! evaluates nothing and touches no files.

use jiff::civil::Date;
use serde_json::{json, Map, Value as Json};

use crate::check::ir::{DecisionId, Program};
use crate::eval::why::{show, Applied, Derivation, Step};
use crate::eval::{By, Evaluation, Outcome, Status};
use crate::value::{date_str, datetime_str, Slot, Value};

/// The version of the JSON output contract.
pub const FORMAT: u32 = 1;

/// Everything known about one evaluated case.
#[derive(Clone, Debug)]
pub struct CaseReport {
    pub case: String,
    pub as_of: Date,
    pub outcomes: Vec<(DecisionId, Outcome)>,
    /// Present when explanations were asked for; in the same order as `outcomes`.
    pub derivations: Option<Vec<Derivation>>,
}

/// Evaluates every decision of `program` for one case.
pub fn evaluate(program: &Program, case: String, inputs: &[Slot], as_of: Date, explain: bool) -> CaseReport {
    let mut ev = Evaluation::new(program, inputs, as_of);
    let outcomes: Vec<(DecisionId, Outcome)> =
        (0..program.decisions.len()).map(|i| DecisionId(i as u32)).map(|id| (id, ev.decide(id))).collect();
    let derivations = explain.then(|| outcomes.iter().map(|(id, _)| ev.derive(*id)).collect());
    CaseReport { case, as_of, outcomes, derivations }
}

/// A value in the JSON contract: booleans, numbers, strings for enums, dates and
/// money, arrays for lists.
pub fn json_value(program: &Program, v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Integer(i) => json!(i),
        Value::Decimal(d) | Value::Percent(d) => {
            serde_json::from_str::<Json>(&d.normalize().to_string()).unwrap_or_else(|_| Json::String(d.to_string()))
        }
        Value::Money(m) => Json::String(m.to_string()),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Date(d) => Json::String(date_str(*d)),
        Value::DateTime(d) => Json::String(datetime_str(*d)),
        Value::Duration(p) => Json::String(p.to_string()),
        Value::Enum(e, i) => Json::String(program.enum_variant(*e, *i).to_string()),
        Value::List(items) => Json::Array(items.iter().map(|v| json_value(program, v)).collect()),
        Value::Record(_) => Json::Null,
        Value::None => Json::Null,
    }
}

/// One outcome as the contract's JSON object.
pub fn outcome_json(program: &Program, id: DecisionId, outcome: &Outcome, derivation: Option<&Derivation>) -> Json {
    let mut o = Map::new();
    o.insert("status".into(), serde_json::to_value(outcome.status()).unwrap_or(Json::Null));
    o.insert("value".into(), outcome.value().map(|v| json_value(program, v)).unwrap_or(Json::Null));
    let d = program.decisions.get(id.index());
    match outcome {
        Outcome::Determined { by, .. } => {
            let rule_name = |i: usize| d.and_then(|d| d.rules.get(i)).map(|r| format!("{}.{}", d.map(|d| d.ruleset.as_str()).unwrap_or(""), r.name));
            let rule_cite = |i: usize| d.and_then(|d| d.rules.get(i)).and_then(|r| r.citation.as_ref()).map(|c| c.text.clone());
            match by {
                By::Rule(i) => {
                    o.insert("rule".into(), rule_name(*i).map(Json::String).unwrap_or(Json::Null));
                    o.insert("citation".into(), rule_cite(*i).map(Json::String).unwrap_or(Json::Null));
                }
                By::Rules(rs) => {
                    o.insert("rules".into(), Json::Array(rs.iter().filter_map(|i| rule_name(*i)).map(Json::String).collect()));
                    let cites: Vec<Json> = rs.iter().filter_map(|i| rule_cite(*i)).map(Json::String).collect();
                    o.insert("citations".into(), Json::Array(cites));
                    if let Some(c) = d.and_then(|d| d.citation.as_ref()) {
                        o.insert("citation".into(), Json::String(c.text.clone()));
                    }
                }
                By::Default => {
                    o.insert("rule".into(), Json::String("default".into()));
                    if let Some(c) = d.and_then(|d| d.citation.as_ref()) {
                        o.insert("citation".into(), Json::String(c.text.clone()));
                    }
                }
            }
        }
        Outcome::Unknown { needs } => {
            o.insert("needs".into(), Json::Array(needs.iter().map(|p| Json::String(program.path(*p).to_string())).collect()));
        }
        Outcome::Conflict { rules } => {
            let names: Vec<Json> = rules
                .iter()
                .filter_map(|i| d.and_then(|d| d.rules.get(*i)).map(|r| Json::String(format!("{}.{}", d.map(|d| d.ruleset.as_str()).unwrap_or(""), r.name))))
                .collect();
            o.insert("rules".into(), Json::Array(names));
        }
        Outcome::Error { message } => {
            o.insert("message".into(), Json::String(message.clone()));
        }
        Outcome::Undetermined { not_in_force } => {
            let reason = if *not_in_force { "not in force on the as-of date" } else { "no rule applies and there is no default" };
            o.insert("reason".into(), Json::String(reason.into()));
        }
    }
    if let Some(d) = derivation {
        o.insert("explanation".into(), serde_json::to_value(d).unwrap_or(Json::Null));
    }
    Json::Object(o)
}

/// A whole case as the contract's JSON object (one line of `lsa batch`).
pub fn case_json(program: &Program, report: &CaseReport) -> Json {
    let mut outcomes = Map::new();
    let mut errors = Vec::new();
    for (n, (id, outcome)) in report.outcomes.iter().enumerate() {
        let key = program.decisions.get(id.index()).map(|d| d.key()).unwrap_or_default();
        let derivation = report.derivations.as_ref().and_then(|d| d.get(n));
        if let Outcome::Error { message } = outcome {
            errors.push(json!({ "decision": key, "message": message }));
        }
        outcomes.insert(key, outcome_json(program, *id, outcome, derivation));
    }
    json!({
        "format": FORMAT,
        "case": report.case,
        "as_of": date_str(report.as_of),
        "outcomes": outcomes,
        "errors": errors,
    })
}

/// Where citations start in text explanations.
const CITE_COLUMN: usize = 58;

fn line(out: &mut String, indent: usize, text: &str, tail: Option<&str>) {
    let mut l = format!("{}{}", "  ".repeat(indent), text);
    if let Some(tail) = tail {
        let width = l.chars().count();
        if width + 2 <= CITE_COLUMN {
            l.push_str(&" ".repeat(CITE_COLUMN - width));
        } else {
            l.push_str("  ");
        }
        l.push_str(tail);
    }
    out.push_str(l.trim_end());
    out.push('\n');
}

fn bracket(c: &Option<String>) -> Option<String> {
    c.as_ref().map(|c| format!("[{c}]"))
}

/// A case as text: each determination with its explanation.
pub fn case_text(program: &Program, report: &CaseReport) -> String {
    let mut out = format!("case {} (as of {})\n", report.case, date_str(report.as_of));
    for (n, (id, outcome)) in report.outcomes.iter().enumerate() {
        out.push('\n');
        match report.derivations.as_ref().and_then(|d| d.get(n)) {
            Some(d) => derivation_text(&mut out, d),
            None => {
                let key = program.decisions.get(id.index()).map(|d| d.key()).unwrap_or_default();
                line(&mut out, 0, &format!("{key} = {}", outcome_word(program, outcome)), None);
            }
        }
    }
    out
}

fn outcome_word(program: &Program, o: &Outcome) -> String {
    match o {
        Outcome::Determined { value, .. } => show(program, value),
        Outcome::Unknown { needs } => format!(
            "unknown (needs {})",
            needs.iter().map(|p| program.path(*p)).collect::<Vec<_>>().join(", ")
        ),
        Outcome::Undetermined { .. } => "undetermined".into(),
        Outcome::Conflict { .. } => "conflict".into(),
        Outcome::Error { message } => format!("error: {message}"),
    }
}

/// One derivation as indented text (language brief §6).
pub fn derivation_text(out: &mut String, d: &Derivation) {
    let head = match (d.status, &d.value) {
        (Status::Determined, Some(v)) => format!("{} = {v}", d.decision),
        (Status::Unknown, _) => format!("{} = unknown", d.decision),
        (Status::Undetermined, _) => format!("{} = undetermined", d.decision),
        (Status::Conflict, _) => format!("{} = conflict", d.decision),
        (Status::Error, _) => format!("{} = error", d.decision),
        (Status::Determined, None) => d.decision.clone(),
    };
    line(out, 0, &head, bracket(&d.citation).as_deref());
    if let Some(note) = &d.note {
        line(out, 1, note, None);
    }
    if let Some(e) = &d.error {
        line(out, 1, &format!("error: {e}"), None);
    }
    if !d.needs.is_empty() {
        line(out, 1, &format!("needs: {}", d.needs.join(", ")), None);
    }
    for a in &d.by {
        applied_text(out, "by", a);
    }
    if let Some(default) = &d.default {
        line(out, 1, &format!("by default: {} (no rule applies)", default.value), None);
        step_text(out, 2, default);
    }
    for a in &d.conflict {
        applied_text(out, "in conflict:", a);
    }
    for s in &d.set_aside {
        let text = format!("set aside: {} (by {})", s.rule.name, s.by.join(", "));
        line(out, 1, &text, bracket(&s.rule.citation).as_deref());
    }
    for a in &d.open {
        applied_text(out, "open:", a);
    }
    for a in &d.not_applicable {
        applied_text(out, "not applicable:", a);
    }
    for r in &d.not_in_force {
        line(out, 1, &format!("not in force: {}", r.name), bracket(&r.citation).as_deref());
    }
}

fn applied_text(out: &mut String, label: &str, a: &Applied) {
    let text = if label == "by" { format!("by {} {}", a.rule.kind, a.rule.name) } else { format!("{label} {}", a.rule.name) };
    line(out, 1, &text, bracket(&a.rule.citation).as_deref());
    step_text(out, 2, &a.because);
    if let Some(v) = &a.value {
        step_text(out, 2, v);
    }
}

fn step_text(out: &mut String, indent: usize, s: &Step) {
    // A value written out in the rule (`when true`, `default false`) explains nothing more.
    if s.source == "rule" && s.children.is_empty() {
        return;
    }
    let text = if s.expr == s.value { s.expr.clone() } else { format!("{} = {}", s.expr, s.value) };
    let tail = match (s.source, &s.citation, &s.note) {
        ("record", _, Some(note)) => Some(format!("({note})")),
        ("record", _, None) => Some("(from the record)".into()),
        (_, Some(c), Some(note)) => Some(format!("[{c}] ({note})")),
        (_, Some(c), None) => Some(format!("[{c}]")),
        (_, None, Some(note)) => Some(format!("({note})")),
        _ => None,
    };
    line(out, indent, &text, tail.as_deref());
    for st in &s.steps {
        line(out, indent + 1, &format!("· {st}"), None);
    }
    for c in &s.children {
        step_text(out, indent + 1, c);
    }
}
