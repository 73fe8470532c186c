//! Rendering: a case's outcomes and derivations as text (for caseworkers) or as
//! the JSON of the contract (`format: 1`, for integrators). Reads results only;
//! evaluates nothing and touches no files.

use jiff::civil::Date;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Value as Json};

pub mod html;
pub mod report;
pub mod words;

use crate::check::ir::{DecisionDef, DecisionId, Program};
use crate::eval::fast::{Given, Items, Look, Shown};
use crate::eval::why::{show, Applied, Derivation, Explanations, Note, Role, Seen, Step};
use crate::eval::{By, Evaluation, Outcome, Reason, Scratch, Status};
use crate::lang::Lang;
use crate::value::{date_str, datetime_str, Slot, Value};

/// The version of the JSON output contract.
pub const FORMAT: u32 = 1;

/// The version of lsa, as outputs name it.
pub const LSA_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The law an output was made with, as JSON: `{"hash":…,"revision":…,"lsa":…}`.
pub struct LawJson<'a>(pub &'a crate::check::Provenance);

impl Serialize for LawJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("hash", &self.0.hash)?;
        m.serialize_entry("revision", &self.0.revision)?;
        m.serialize_entry("lsa", LSA_VERSION)?;
        m.end()
    }
}

/// The law in a line, as text outputs head with it: `law rules
/// (sha256:50b66acb9996…, git 3656b95555a9), lsa 0.1.0`.
pub fn law_text(p: &crate::check::Provenance) -> String {
    law_text_in(p, Lang::En)
}

/// [`law_text`] in `lang` (`taisyklės: rules (…), lsa 0.1.0`).
pub fn law_text_in(p: &crate::check::Provenance, lang: Lang) -> String {
    let short = p.hash.get(..19).unwrap_or(&p.hash);
    let law = match lang {
        Lang::En => "law",
        Lang::Lt => "taisyklės:",
    };
    match &p.revision {
        Some(r) => format!("{law} {} ({short}…, git {r}), lsa {LSA_VERSION}", p.origin),
        None => format!("{law} {} ({short}…), lsa {LSA_VERSION}", p.origin),
    }
}

/// The same as a JSON tree.
pub fn law_json(p: &crate::check::Provenance) -> Json {
    serde_json::to_value(LawJson(p)).unwrap_or(Json::Null)
}

/// An error object (the contract's §5): the record's `case` (`null` where
/// it gives none), the law, where the record was (`line` of JSON Lines,
/// `source` file or stream, each where known), its `status` (`invalid`,
/// `internal_error`) and its `errors`. The one place the object is made, for
/// `lsa batch`, `lsa check` and `lsa serve`.
pub fn error_json(
    program: &Program,
    case: Json,
    line: Option<usize>,
    source: Option<&str>,
    status: &str,
    errors: impl Serialize,
) -> Json {
    let mut object = serde_json::Map::new();
    object.insert("format".into(), FORMAT.into());
    object.insert("case".into(), case);
    object.insert("law".into(), law_json(&program.provenance));
    if let Some(line) = line {
        object.insert("line".into(), line.into());
    }
    if let Some(source) = source {
        object.insert("source".into(), source.into());
    }
    object.insert("status".into(), status.into());
    object.insert(
        "errors".into(),
        serde_json::to_value(errors).unwrap_or_default(),
    );
    Json::Object(object)
}

/// Where a case's evaluation date came from. The same in every command: the
/// record's own `as_of` wins; `--as-of` is the date of the records without
/// one; today's date where neither gives one. (`lsa diff --on D1 --vs D2`
/// compares two dates it was given, and says so.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOfFrom {
    /// The record's `as_of`.
    Record,
    /// The `--as-of` option (the record has none).
    Option,
    /// Today (neither the record nor the command gave a date).
    Today,
    /// A date the command compares on (`lsa diff --on/--vs`), over the record's.
    Compared,
}

impl AsOfFrom {
    /// The word in the JSON output (`"as_of_from"`).
    pub fn key(self) -> &'static str {
        match self {
            AsOfFrom::Record => "record",
            AsOfFrom::Option => "option",
            AsOfFrom::Today => "today",
            AsOfFrom::Compared => "compared",
        }
    }

    /// The words in the text output, after the date.
    pub fn text(self) -> &'static str {
        match self {
            AsOfFrom::Record => "the record's date",
            AsOfFrom::Option => "from --as-of",
            AsOfFrom::Today => "today",
            AsOfFrom::Compared => "a date compared",
        }
    }
}

/// A case's evaluation date and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    pub date: Date,
    pub from: AsOfFrom,
}

impl AsOf {
    /// The date of a record under the one rule of every command: the
    /// record's own, else the option's, else `today()`.
    pub fn of(record: Option<Date>, option: Option<Date>, today: impl FnOnce() -> Date) -> AsOf {
        match (record, option) {
            (Some(date), _) => AsOf {
                date,
                from: AsOfFrom::Record,
            },
            (None, Some(date)) => AsOf {
                date,
                from: AsOfFrom::Option,
            },
            (None, None) => AsOf {
                date: today(),
                from: AsOfFrom::Today,
            },
        }
    }
}

/// A date the caller took from the record.
impl From<Date> for AsOf {
    fn from(date: Date) -> AsOf {
        AsOf {
            date,
            from: AsOfFrom::Record,
        }
    }
}

/// Everything known about one evaluated case.
#[derive(Clone, Debug)]
pub struct CaseReport<'p> {
    pub case: String,
    pub as_of: Date,
    /// Where `as_of` came from.
    pub as_of_from: AsOfFrom,
    /// The facts still to ask for, the most useful first
    /// ([`Evaluation::ask_next`]).
    pub ask_next: Vec<crate::check::ir::PathId>,
    /// For each of `ask_next` that is a field of a list's items
    /// (`responsibility.documents[].valid_until`), the items of this case
    /// that lack it (`responsibility.documents[1].valid_until`), so a
    /// question names which; empty for the others.
    pub ask_at: Vec<Vec<String>>,
    pub outcomes: Vec<(DecisionId, Outcome)>,
    /// The warnings the case's facts raise (`warn`), in the rules' order.
    pub warnings: Vec<Warned>,
    /// Present when explanations were asked for (boxed: a report without
    /// them is moved about whole, in 136 bytes rather than 336).
    pub explanations: Option<Box<Explanations<'p>>>,
}

/// A warning raised for a case, with the facts its condition read.
#[derive(Clone, Debug, PartialEq)]
pub struct Warned {
    /// Its index in `Program::warnings`.
    pub warning: usize,
    /// Each fact the condition reads that the record gives, and its value
    /// (one it does not give took no part in raising the warning).
    pub facts: Vec<(crate::check::ir::PathId, Value)>,
}

/// The warnings `warned` (by index in `Program::warnings`) with the facts
/// of the case each one read.
fn warnings(program: &Program, inputs: &[Slot], warned: &[u32]) -> Vec<Warned> {
    raised(program, inputs, warned)
        .map(|(warning, facts)| Warned {
            warning,
            facts: facts.map(|(path, v)| (path, v.clone())).collect(),
        })
        .collect()
}

/// The warnings `warned` (by index in `Program::warnings`), each with the
/// facts its condition reads that the record gives, borrowed from it.
fn raised<'c>(
    program: &'c Program,
    inputs: &'c [Slot],
    warned: &'c [u32],
) -> impl Iterator<
    Item = (
        usize,
        impl Iterator<Item = (crate::check::ir::PathId, &'c Value)>,
    ),
> {
    warned.iter().filter_map(move |&k| {
        let w = program.warnings.get(k as usize)?;
        let facts = w
            .facts
            .iter()
            .filter_map(move |f| Some((f.path, fact_value(inputs, f)?)));
        Some((k as usize, facts))
    })
}

/// A fact's value in a record, if it gives one.
fn fact_value<'c>(inputs: &'c [Slot], fact: &crate::check::ir::Fact) -> Option<&'c Value> {
    let Some(Slot::Value(first)) = inputs.get(fact.input.index()) else {
        return None;
    };
    let mut v = first;
    for field in &fact.fields {
        let Value::Record(fields) = v else {
            return None;
        };
        let Some(Slot::Value(inner)) = fields.get(*field as usize) else {
            return None;
        };
        v = inner;
    }
    Some(v)
}

impl<'p> CaseReport<'p> {
    /// The derivation of the `n`-th outcome, if explanations were asked for.
    pub fn derivation(&self, n: usize) -> Option<Derivation<'_, 'p>> {
        self.explanations.as_ref()?.derivation(&self.outcomes, n)
    }

    /// Every derivation, in the order of the outcomes (none without explanations).
    pub fn derivations(&self) -> impl Iterator<Item = Derivation<'_, 'p>> {
        (0..self.outcomes.len()).filter_map(|n| self.derivation(n))
    }
}

/// Evaluates every decision of `program` for one case.
pub fn evaluate<'p>(
    program: &'p Program,
    case: String,
    inputs: &[Slot],
    as_of: impl Into<AsOf>,
    explain: bool,
) -> CaseReport<'p> {
    let all = |_: DecisionId| true;
    evaluate_explaining(program, case, inputs, as_of, explain.then_some(&all))
}

/// A case as if facts were set (`lsa check --set`, `POST /v1/check?set=`):
/// `given` the record's inputs and date as read, `with` those of the record
/// with the facts (`option` dates a record without one, else `today`),
/// `set` the facts as read. The report of the case with the facts
/// (explained if `explain`), and what they change.
#[allow(
    clippy::too_many_arguments,
    reason = "the two records and how to date them"
)]
pub fn evaluate_what_if<'p>(
    program: &'p Program,
    case: String,
    given: (&[Slot], Option<Date>),
    with: (&[Slot], Option<Date>),
    set: Vec<(String, Json)>,
    option: Option<Date>,
    today: impl Fn() -> Date,
    explain: bool,
) -> (CaseReport<'p>, report::WhatIf) {
    let before = evaluate(
        program,
        case.clone(),
        given.0,
        AsOf::of(given.1, option, &today),
        false,
    );
    let after = evaluate(
        program,
        case,
        with.0,
        AsOf::of(with.1, option, &today),
        explain,
    );
    let what_if = report::WhatIf::between(set, before.outcomes, &after.outcomes);
    (after, what_if)
}

/// [`evaluate`], explaining only the decisions `wanted` names (with
/// `None`, none): every outcome is evaluated as always.
pub fn evaluate_explaining<'p>(
    program: &'p Program,
    case: String,
    inputs: &[Slot],
    as_of: impl Into<AsOf>,
    wanted: Option<&dyn Fn(DecisionId) -> bool>,
) -> CaseReport<'p> {
    evaluated_explaining(program, case, inputs, as_of, wanted).into_report(program)
}

/// [`evaluate_explaining`], keeping a case the fast evaluation decides as
/// it left it.
fn evaluated_explaining<'p: 'a, 'a>(
    program: &'p Program,
    case: String,
    inputs: &'a [Slot],
    as_of: impl Into<AsOf>,
    wanted: Option<&dyn Fn(DecisionId) -> bool>,
) -> Evaluated<'p, 'a> {
    let as_of = as_of.into();
    if wanted.is_none() {
        // A complete file goes the fast way; it gives up on anything the
        // general evaluator must say more about (unknowns, errors). (Made
        // where it is handed back, and decided there, one value returned
        // on every path: see `DecidedCase::new`.)
        let mut out = Evaluated::Fast(FastReport {
            case,
            as_of,
            decided: crate::eval::fast::DecidedCase::new(program, inputs, as_of.date),
        });
        if let Evaluated::Fast(report) = &mut out {
            if !decided_fast(program, &mut report.decided) {
                let case = std::mem::take(&mut report.case);
                out = Evaluated::Report(evaluate_generally(program, case, inputs, as_of, None));
            }
        }
        return out;
    }
    Evaluated::Report(evaluate_generally(program, case, inputs, as_of, wanted))
}

/// Decides a case the fast way (`eval::fast::DecidedCase::decide`), its
/// warnings found (by the general evaluator where the fast one gives up
/// on them): false where the general evaluator must decide it.
fn decided_fast(program: &Program, decided: &mut crate::eval::fast::DecidedCase<'_>) -> bool {
    if !decided.decide() {
        return false;
    }
    if decided.warned.is_none() {
        let (inputs, as_of) = (decided.inputs(), decided.as_of());
        decided.warned = Some(Evaluation::new(program, inputs, as_of).warned());
    }
    true
}

/// [`evaluate_explaining`] by the general evaluator.
fn evaluate_generally<'p>(
    program: &'p Program,
    case: String,
    inputs: &[Slot],
    as_of: AsOf,
    wanted: Option<&dyn Fn(DecisionId) -> bool>,
) -> CaseReport<'p> {
    let AsOf {
        date: as_of,
        from: as_of_from,
    } = as_of;
    thread_local! {
        // The memory of this thread's previous evaluation.
        static SCRATCH: std::cell::Cell<Option<Scratch>> = const { std::cell::Cell::new(None) };
    }
    let scratch = SCRATCH.with(std::cell::Cell::take).unwrap_or_default();
    let mut ev = Evaluation::with_scratch(program, inputs, as_of, scratch);
    let explanations = wanted.map(|w| Box::new(ev.explain_only(w)));
    let warned = ev.warned_fast_first();
    let ask_next = ev.ask_next();
    let ask_at = ask_next
        .iter()
        .map(|p| crate::eval::items_lacking(program, inputs, program.path(*p)))
        .collect();
    let (outcomes, scratch) = ev.finish();
    SCRATCH.with(|s| s.set(Some(scratch)));
    CaseReport {
        case,
        as_of,
        as_of_from,
        ask_next,
        ask_at,
        outcomes,
        warnings: warnings(program, inputs, &warned),
        explanations,
    }
}

/// One evaluated case, as `lsa batch` writes it ([`CaseWriter::write_evaluated`]):
/// a complete file's outcomes read where the fast evaluation left them,
/// any other case's report (`'p` the program's, `'a` the record's).
pub enum Evaluated<'p, 'a> {
    Fast(FastReport<'a>),
    Report(CaseReport<'p>),
}

/// A case the fast evaluation decided whole, with no report made of it.
pub struct FastReport<'a> {
    pub case: String,
    pub as_of: AsOf,
    pub decided: crate::eval::fast::DecidedCase<'a>,
}

impl<'a> FastReport<'a> {
    /// The report [`evaluate`] gives for the case.
    fn into_report<'p>(mut self, program: &'p Program) -> CaseReport<'p> {
        let warned = self.decided.warned.take().unwrap_or_default();
        CaseReport {
            case: self.case,
            as_of: self.as_of.date,
            as_of_from: self.as_of.from,
            ask_next: Vec::new(),
            ask_at: Vec::new(),
            outcomes: self.decided.outcomes(),
            warnings: warnings(program, self.decided.inputs(), &warned),
            explanations: None,
        }
    }
}

impl<'p> Evaluated<'p, '_> {
    /// `f` of each outcome's status, in the decisions' order.
    pub fn each_status(&self, mut f: impl FnMut(Status)) {
        match self {
            Evaluated::Report(r) => r.outcomes.iter().for_each(|(_, o)| f(o.status())),
            Evaluated::Fast(fast) => fast.decided.looks().for_each(|look| {
                f(match look {
                    Look::Not(_) => Status::Undetermined,
                    Look::Value(..) => Status::Determined,
                })
            }),
        }
    }

    /// The case's report, as [`evaluate`] gives it.
    pub fn into_report(self, program: &'p Program) -> CaseReport<'p> {
        match self {
            Evaluated::Fast(f) => f.into_report(program),
            Evaluated::Report(r) => r,
        }
    }
}

/// [`evaluate`], keeping a case the fast evaluation decides as it left it
/// (no [`Outcome`] made of each decision): what `lsa batch` writes.
pub fn evaluated<'p: 'a, 'a>(
    program: &'p Program,
    case: String,
    inputs: &'a [Slot],
    as_of: impl Into<AsOf>,
    explain: bool,
) -> Evaluated<'p, 'a> {
    let all = |_: DecisionId| true;
    evaluated_explaining(program, case, inputs, as_of, explain.then_some(&all as _))
}

/// One side of [`evaluate_pair`]: the program, the record's inputs and the date.
pub type Side<'p, 'c> = (&'p Program, &'c [Slot], AsOf);

/// Two evaluations of a case side by side (`lsa diff`): `differ` sees both
/// (their outcomes, computed once, each only when asked for) and says which
/// decisions to explain on each side, or that nothing differs (`None`); the
/// explanations are then made from the same evaluations, without evaluating
/// again. A decision neither asked for nor explained is reported
/// `Undetermined` (it was not evaluated).
pub fn evaluate_pair<'p: 'c, 'c>(
    old: Side<'p, 'c>,
    new: Side<'p, 'c>,
    case: &str,
    differ: impl FnOnce(&mut Evaluation<'p, 'c>, &mut Evaluation<'p, 'c>) -> Option<[Vec<bool>; 2]>,
) -> Option<[CaseReport<'p>; 2]> {
    thread_local! {
        // The memory of this thread's previous pair of evaluations.
        static SCRATCH: std::cell::Cell<Option<[Scratch; 2]>> = const { std::cell::Cell::new(None) };
    }
    let [sa, sb] = SCRATCH.with(std::cell::Cell::take).unwrap_or_default();
    let mut a = Evaluation::with_scratch(old.0, old.1, old.2.date, sa);
    let mut b = Evaluation::with_scratch(new.0, new.1, new.2.date, sb);
    let keep = |a: Evaluation<'p, 'c>, b: Evaluation<'p, 'c>| {
        let (oa, sa) = a.finish_decided();
        let (ob, sb) = b.finish_decided();
        SCRATCH.with(|s| s.set(Some([sa, sb])));
        (oa, ob)
    };
    let Some([wa, wb]) = differ(&mut a, &mut b) else {
        keep(a, b);
        return None;
    };
    let flag = |w: &[bool], id: DecisionId| w.get(id.index()).copied().unwrap_or(false);
    let xa = a.explain_only(&|id| flag(&wa, id));
    let xb = b.explain_only(&|id| flag(&wb, id));
    let (oa, ob) = keep(a, b);
    let report = |outcomes, x: Explanations<'p>, at: AsOf| CaseReport {
        case: case.to_string(),
        as_of: at.date,
        as_of_from: at.from,
        ask_next: Vec::new(),
        ask_at: Vec::new(),
        outcomes,
        warnings: Vec::new(),
        explanations: Some(Box::new(x)),
    };
    Some([report(oa, xa, old.2), report(ob, xb, new.2)])
}

/// A value in the JSON contract: booleans, numbers, strings for enums, dates and
/// money, arrays for lists.
pub fn json_value(program: &Program, v: &Value) -> Json {
    serde_json::to_value(JsonValue(program, v)).unwrap_or(Json::Null)
}

/// Serializes a value as the contract writes it, without building a tree.
struct JsonValue<'a>(&'a Program, &'a Value);

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let JsonValue(program, v) = *self;
        match v {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Integer(i) => s.serialize_i64(*i),
            Value::Decimal(d) | Value::Percent(d) => {
                let n = d.normalize();
                if let (Ok(i), 0) = (i64::try_from(n), n.scale()) {
                    return s.serialize_i64(i);
                }
                // The exact decimal as a JSON number, never through a double
                // (which would write 10033.333333333334 for a third of
                // 30100, or 7.922816251426434e+28). A JSON tree (YAML
                // output) still reads it as a double.
                match serde_json::value::RawValue::from_string(n.to_string()) {
                    Ok(raw) => raw.serialize(s),
                    Err(_) => s.collect_str(&n),
                }
            }
            Value::Money(m) => s.collect_str(m),
            Value::Text(t) => s.serialize_str(t),
            Value::Date(d) => crate::value::Ymd(*d).serialize(s),
            Value::DateTime(d) => s.serialize_str(&datetime_str(*d)),
            Value::Duration(p) => s.collect_str(p),
            Value::Enum(e, i) => s.serialize_str(program.enum_variant(*e, *i)),
            Value::List(items) => s.collect_seq(items.iter().map(|v| JsonValue(program, v))),
            Value::Record(_) | Value::None => s.serialize_none(),
        }
    }
}

/// One outcome as the contract's JSON object.
pub struct OutcomeJson<'a> {
    pub program: &'a Program,
    pub id: DecisionId,
    pub outcome: &'a Outcome,
    pub derivation: Option<Derivation<'a, 'a>>,
    /// The language of the label.
    pub lang: Lang,
}

/// `ruleset.rule`, the name outputs give a rule.
fn rule_key(program: &Program, id: DecisionId, rule: usize) -> Option<&str> {
    let d = program.decisions.get(id.index())?;
    d.rules.get(rule).map(|r| &*r.key)
}

impl Serialize for OutcomeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let program = self.program;
        let d = program.decisions.get(self.id.index());
        let cite = |i: usize| {
            d.and_then(|d| d.rules.get(i))
                .and_then(|r| r.citation.as_ref())
                .map(|c| &*c.text)
        };
        let decision_cite = d.and_then(|d| d.citation.as_ref()).map(|c| &*c.text);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("status", &self.outcome.status())?;
        m.serialize_entry(
            "value",
            &self.outcome.value().map(|v| JsonValue(program, v)),
        )?;
        m.serialize_entry(
            "label",
            &words::Words::new(program, self.lang).decision(self.id),
        )?;
        match self.outcome {
            Outcome::Determined {
                by: By::Rule(i), ..
            } => {
                m.serialize_entry("rule", &rule_key(program, self.id, *i))?;
                m.serialize_entry("citation", &cite(*i))?;
            }
            Outcome::Determined {
                by: By::Rules(rs), ..
            } => {
                let names: Vec<&str> = rs
                    .iter()
                    .filter_map(|i| rule_key(program, self.id, *i))
                    .collect();
                let cites: Vec<&str> = rs.iter().filter_map(|i| cite(*i)).collect();
                m.serialize_entry("rules", &names)?;
                m.serialize_entry("citations", &cites)?;
                m.serialize_entry("citation", &decision_cite)?;
            }
            Outcome::Determined {
                by: By::Default, ..
            } => {
                m.serialize_entry("rule", "default")?;
                m.serialize_entry("citation", &decision_cite)?;
            }
            Outcome::Unknown { needs } => {
                m.serialize_entry(
                    "needs",
                    &needs.iter().map(|p| program.path(*p)).collect::<Vec<_>>(),
                )?;
            }
            Outcome::Conflict { rules } => {
                let names: Vec<&str> = rules
                    .iter()
                    .filter_map(|i| rule_key(program, self.id, *i))
                    .collect();
                m.serialize_entry("rules", &names)?;
            }
            Outcome::Error { message } => m.serialize_entry("message", message)?,
            Outcome::Undetermined { reason } => {
                let (why, cite) = undetermined(d, *reason);
                m.serialize_entry("reason", why)?;
                if let Some(cite) = cite {
                    m.serialize_entry("citation", cite)?;
                }
            }
        }
        if let Some(d) = &self.derivation {
            m.serialize_entry("explanation", d)?;
        }
        m.end()
    }
}

/// Why a decision has no value, in the words of the contract, and the
/// provision that says so (for a case the decision does not apply to).
pub fn undetermined(d: Option<&DecisionDef>, reason: Reason) -> (&str, Option<&str>) {
    match reason {
        Reason::NoRule => ("no rule applies and there is no default", None),
        Reason::NotInForce => ("not in force on the as-of date", None),
        Reason::NotApplicable(k) => match d.and_then(|d| d.applies.get(usize::from(k))) {
            Some(a) => (&a.otherwise, a.citation.as_ref().map(|c| &*c.text)),
            None => ("it does not apply to this case", None),
        },
    }
}

/// A whole case as the contract's JSON object (one line of `lsa batch`).
pub struct CaseJson<'a> {
    pub program: &'a Program,
    pub report: &'a CaseReport<'a>,
    /// The language of the labels and questions.
    pub lang: Lang,
}

/// The facts still to ask for, as JSON: path, label and question in `lang`.
struct AskNextJson<'a>(&'a Program, &'a [crate::check::ir::PathId], Lang);

impl Serialize for AskNextJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let words = words::Words::new(self.0, self.2);
        s.collect_seq(self.1.iter().map(|p| {
            let path = self.0.path(*p);
            json!({ "path": path, "label": words.path(path), "question": words.question(path) })
        }))
    }
}

/// The warnings a case's facts raise, as JSON: the warning's key, its
/// label in `lang`, its citation and the facts it read that the record
/// gives, with their values.
struct WarningsJson<'a>(&'a Program, &'a [Warned], Lang);

impl Serialize for WarningsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let program = self.0;
        let words = words::Words::new(program, self.2);
        s.collect_seq(self.1.iter().filter_map(|w| {
            let def = program.warnings.get(w.warning)?;
            let facts: serde_json::Map<String, Json> = w
                .facts
                .iter()
                .map(|(p, v)| (program.path(*p).to_string(), json_value(program, v)))
                .collect();
            Some(json!({
                "warning": &*def.key,
                "label": words.def(def.def),
                "citation": def.citation.as_ref().map(|c| &c.text),
                "facts": facts,
            }))
        }))
    }
}

impl Serialize for CaseJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (program, report) = (self.program, self.report);
        struct Outcomes<'a>(&'a Program, &'a CaseReport<'a>, Lang);
        impl Serialize for Outcomes<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.1.outcomes.len()))?;
                for (n, (id, outcome)) in self.1.outcomes.iter().enumerate() {
                    let key = self
                        .0
                        .decisions
                        .get(id.index())
                        .map(|d| &*d.key)
                        .unwrap_or_default();
                    let derivation = self.1.derivation(n);
                    m.serialize_entry(
                        &key,
                        &OutcomeJson {
                            program: self.0,
                            id: *id,
                            outcome,
                            derivation,
                            lang: self.2,
                        },
                    )?;
                }
                m.end()
            }
        }
        let errors: Vec<Json> = report
            .outcomes
            .iter()
            .filter_map(|(id, o)| match o {
                Outcome::Error { message } => {
                    let key = program
                        .decisions
                        .get(id.index())
                        .map(|d| &*d.key)
                        .unwrap_or_default();
                    Some(json!({ "decision": key, "message": message }))
                }
                _ => None,
            })
            .collect();
        let mut m = s.serialize_map(Some(10))?;
        m.serialize_entry("format", &FORMAT)?;
        m.serialize_entry("case", &report.case)?;
        m.serialize_entry("as_of", &crate::value::Ymd(report.as_of))?;
        m.serialize_entry("as_of_from", report.as_of_from.key())?;
        m.serialize_entry("lang", self.lang.code())?;
        m.serialize_entry("law", &LawJson(&program.provenance))?;
        m.serialize_entry("outcomes", &Outcomes(program, report, self.lang))?;
        m.serialize_entry("errors", &errors)?;
        m.serialize_entry(
            "warnings",
            &WarningsJson(program, &report.warnings, self.lang),
        )?;
        m.serialize_entry(
            "ask_next",
            &AskNextJson(program, &report.ask_next, self.lang),
        )?;
        m.end()
    }
}

/// A whole case as a JSON tree (labels in English).
pub fn case_json(program: &Program, report: &CaseReport) -> Json {
    case_json_in(program, report, Lang::En)
}

/// A whole case as a JSON tree, labels and questions in `lang`.
pub fn case_json_in(program: &Program, report: &CaseReport, lang: Lang) -> Json {
    serde_json::to_value(CaseJson {
        program,
        report,
        lang,
    })
    .unwrap_or(Json::Null)
}

/// Appends a whole case as one line of JSON (without the newline) to `out`
/// (labels in English).
pub fn write_case_json(out: &mut Vec<u8>, program: &Program, report: &CaseReport) {
    write_case_json_in(out, program, report, Lang::En)
}

/// Appends a whole case as one line of JSON, labels and questions in `lang`.
pub fn write_case_json_in(out: &mut Vec<u8>, program: &Program, report: &CaseReport, lang: Lang) {
    // Writing to memory fails only if serializing does, which it does not.
    let _ = serde_json::to_writer(
        &mut *out,
        &CaseJson {
            program,
            report,
            lang,
        },
    );
}

/// Writes one record's line of a caseload into `out` with `write`; should
/// that panic (a defect in lsa, never expected), what it wrote is taken out
/// again and the panic handed back, for the caller to write the record's
/// `internal_error` object in its place (`lsa batch`, `POST /v1/batch`), so
/// that one record never loses the others.
pub fn write_or_undo<T>(
    out: &mut Vec<u8>,
    write: impl FnOnce(&mut Vec<u8>) -> T,
) -> Result<T, Box<dyn std::any::Any + Send>> {
    let start = out.len();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write(&mut *out))).inspect_err(|_| {
        out.truncate(start);
    })
}

/// Writes whole cases as lines of the contract's JSON, byte for byte as
/// [`write_case_json`] does, for a caseload: the texts that are the same in
/// every case (decision keys, rule names, citations) are put into JSON once,
/// not once per case. Cases with explanations are written by
/// [`write_case_json`].
pub struct CaseWriter<'p> {
    program: &'p Program,
    /// By decision.
    decisions: Vec<DecisionJsonText>,
    /// For an outcome of no decision of the program (none is).
    unnamed: DecisionJsonText,
    /// How every line starts: `{"format":1,"case":`.
    head: String,
    /// `,"lang":"…","law":{…}`, the same on every line.
    law: String,
    lang: Lang,
    /// Every enum value as a JSON string, by enum and variant.
    variants: Vec<Vec<String>>,
    /// By warning: how its object starts, to its facts:
    /// `{"warning":…,"label":…,"citation":…,"facts":{`.
    warnings: Vec<String>,
}

/// A decision's fixed texts, as JSON.
struct DecisionJsonText {
    /// The key, a JSON string.
    key: String,
    /// The citation (`null` without one).
    citation: String,
    /// `,"label":"…"`.
    label: String,
    /// By rule: the name, and the citation if it has one.
    rules: Vec<(String, Option<String>)>,
    /// By rule: what follows a value it gives, to the end of the outcome:
    /// `,"label":…,"rule":…,"citation":…}`.
    after_rule: Vec<String>,
    /// What follows a value the default gives, to the end of the outcome.
    after_default: String,
    /// By status (in the order of [`Status`]): `"key":{"status":"…","value":`.
    heads: [String; 5],
    /// The whole of an undetermined outcome, by reason:
    /// `"key":{"status":"undetermined",…}`; no rule applies, and not in
    /// force (fields of their own, read where many outcomes of a line are
    /// undetermined at no more cost than a constant's).
    no_rule: String,
    not_in_force: String,
    /// The same, not applicable, by `applies` line (at least one).
    not_applicable: Vec<String>,
}

impl DecisionJsonText {
    /// `"key":{"status":"determined","value":`.
    fn determined(&self) -> &str {
        self.heads
            .get(Status::Determined as usize)
            .map_or("", String::as_str)
    }

    /// The texts, written out whole where they follow each other (one
    /// copy each on every line instead of two or three).
    fn new(
        d: Option<&DecisionDef>,
        key: &str,
        citation: String,
        label: String,
        rules: Vec<(String, Option<String>)>,
    ) -> DecisionJsonText {
        let heads = status_heads(key);
        let after_rule = rules
            .iter()
            .map(|(name, cite)| {
                format!(
                    "{label},\"rule\":{name},\"citation\":{}}}",
                    cite.as_deref().unwrap_or("null")
                )
            })
            .collect();
        let head = heads
            .get(Status::Undetermined as usize)
            .map_or("", String::as_str);
        let whole = |reason| format!("{head}null{label}{}}}", undetermined_text(d, reason));
        let lines = d
            .map_or(0, |d| d.applies.len())
            .clamp(1, crate::eval::MAX_APPLIES);
        let not_applicable = (0..lines)
            .map(|k| whole(Reason::NotApplicable(k as u8)))
            .collect();
        let (no_rule, not_in_force) = (whole(Reason::NoRule), whole(Reason::NotInForce));
        DecisionJsonText {
            key: crate::json::quoted(key),
            after_default: format!("{label},\"rule\":\"default\",\"citation\":{citation}}}"),
            citation,
            label,
            rules,
            after_rule,
            heads,
            no_rule,
            not_in_force,
            not_applicable,
        }
    }
}

/// The JSON after `"value":null` of an undetermined outcome for `reason`,
/// as [`OutcomeJson`] writes it.
fn undetermined_text(d: Option<&DecisionDef>, reason: Reason) -> String {
    let (why, cite) = undetermined(d, reason);
    let mut text = format!(",\"reason\":{}", crate::json::quoted(why));
    if let Some(cite) = cite {
        text.push_str(&format!(",\"citation\":{}", crate::json::quoted(cite)));
    }
    text
}

/// `"key":{"status":"…","value":` for each [`Status`], in its order.
fn status_heads(key: &str) -> [String; 5] {
    let key = crate::json::quoted(key);
    Status::ALL.map(|s| format!("{key}:{{\"status\":\"{}\",\"value\":", s.key()))
}

impl<'p> CaseWriter<'p> {
    /// A writer with English labels.
    pub fn new(program: &'p Program) -> CaseWriter<'p> {
        CaseWriter::in_lang(program, Lang::En)
    }

    /// A writer with labels and questions in `lang`.
    pub fn in_lang(program: &'p Program, lang: Lang) -> CaseWriter<'p> {
        let words = words::Words::new(program, lang);
        let cite = |c: &Option<crate::check::ir::Citation>| {
            c.as_ref().map(|c| crate::json::quoted(&c.text))
        };
        let decisions = program
            .decisions
            .iter()
            .enumerate()
            .map(|(i, d)| {
                DecisionJsonText::new(
                    Some(d),
                    &d.key,
                    cite(&d.citation).unwrap_or_else(|| "null".into()),
                    format!(
                        ",\"label\":{}",
                        crate::json::quoted(&words.decision(DecisionId(i as u32)))
                    ),
                    d.rules
                        .iter()
                        .map(|r| (crate::json::quoted(&r.key), cite(&r.citation)))
                        .collect(),
                )
            })
            .collect();
        CaseWriter {
            program,
            decisions,
            unnamed: DecisionJsonText::new(
                None,
                "",
                "null".into(),
                ",\"label\":\"\"".into(),
                Vec::new(),
            ),
            head: format!("{{\"format\":{FORMAT},\"case\":"),
            law: format!(
                ",\"lang\":\"{}\",\"law\":{}",
                lang.code(),
                serde_json::to_string(&LawJson(&program.provenance)).unwrap_or_default()
            ),
            lang,
            variants: program
                .enums
                .iter()
                .map(|e| e.variants.iter().map(|v| crate::json::quoted(v)).collect())
                .collect(),
            warnings: program
                .warnings
                .iter()
                .map(|w| {
                    format!(
                        "{{\"warning\":{},\"label\":{},\"citation\":{},\"facts\":{{",
                        crate::json::quoted(&w.key),
                        crate::json::quoted(&words.def(w.def)),
                        cite(&w.citation).unwrap_or_else(|| "null".into())
                    )
                })
                .collect(),
        }
    }

    /// Appends a value as JSON: the common ones straight as bytes, the
    /// others as [`JsonValue`] writes them (the same text).
    fn write_value(&self, out: &mut Vec<u8>, v: &Value) {
        match v {
            Value::Bool(b) => self.write_shown(out, Shown::Bool(*b)),
            Value::Date(d) => self.write_shown(out, Shown::Date(*d)),
            Value::Enum(e, i) => self.write_shown(out, Shown::Enum(*e, *i)),
            Value::Text(t) => crate::json::write_str(out, t),
            Value::List(items) => {
                crate::json::list(out, items.iter(), |out, item| self.write_value(out, item))
            }
            _ => self.write_json(out, v),
        }
    }

    /// [`CaseWriter::write_value`] of a value as the fast evaluation shows it.
    #[inline(always)]
    fn write_shown(&self, out: &mut Vec<u8>, v: Shown<'_, '_>) {
        match v {
            Shown::Bool(true) => out.extend_from_slice(b"true"),
            Shown::Bool(false) => out.extend_from_slice(b"false"),
            Shown::Date(d) => match crate::value::date_digits(d) {
                Some(digits) => {
                    out.push(b'"');
                    out.extend_from_slice(&digits);
                    out.push(b'"');
                }
                None => self.write_json(out, &Value::Date(d)),
            },
            Shown::Enum(e, i) => match self
                .variants
                .get(e.0 as usize)
                .and_then(|vs| vs.get(i as usize))
            {
                Some(text) => out.extend_from_slice(text.as_bytes()),
                None => self.write_json(out, &Value::Enum(e, i)),
            },
            Shown::Integer(i) => self.write_json(out, &Value::Integer(i)),
            Shown::None => self.write_json(out, &Value::None),
            Shown::List(items) => self.write_items(out, items),
            Shown::At(v) => self.write_value(out, v),
        }
    }

    /// [`CaseWriter::write_shown`] of a list computed for the case (a
    /// function of its own: `write_shown` is inlined where it is called).
    fn write_items(&self, out: &mut Vec<u8>, items: Items<'_, '_>) {
        crate::json::list(out, items.iter(), |out, item| self.write_shown(out, item));
    }

    /// A value as [`JsonValue`] writes it.
    fn write_json(&self, out: &mut Vec<u8>, v: &Value) {
        let _ = serde_json::to_writer(&mut *out, &JsonValue(self.program, v));
    }

    /// Appends `report` as one line of JSON (without the newline) to `out`.
    pub fn write(&self, out: &mut Vec<u8>, report: &CaseReport) {
        let text = crate::json::write_str;
        self.write_head(out, &report.case, report.as_of, report.as_of_from);
        let explained = report.explanations.is_some();
        for (n, (id, outcome)) in report.outcomes.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            let d = self.decision(*id);
            match outcome {
                Outcome::Undetermined { reason } => self.write_plain(out, d, Look::Not(*reason)),
                Outcome::Determined {
                    value,
                    by: By::Rule(i),
                } => self.write_plain(out, d, Look::Value(Shown::At(value), Given::Rule(*i))),
                Outcome::Determined {
                    value,
                    by: By::Default,
                } => self.write_plain(out, d, Look::Value(Shown::At(value), Given::Default)),
                _ => self.write_outcome(out, d, outcome),
            }
            // The explanation last, inside the outcome's object: before its
            // closing brace (taken off and put back; the unexplained lines,
            // most of a caseload, keep it in their fixed texts).
            if explained {
                if let Some(derivation) = report.derivation(n) {
                    out.pop();
                    out.extend_from_slice(b",\"explanation\":");
                    derivation.write_json(out);
                    out.push(b'}');
                }
            }
        }
        out.extend_from_slice(b"},\"errors\":[");
        let errors = report.outcomes.iter().filter_map(|(id, o)| match o {
            Outcome::Error { message } => Some((id, message)),
            _ => None,
        });
        for (k, (id, message)) in errors.enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"decision\":");
            out.extend_from_slice(self.decision(*id).key.as_bytes());
            out.extend_from_slice(b",\"message\":");
            text(out, message);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"warnings\":");
        self.write_warnings(
            out,
            report.warnings.iter().map(|w| {
                (
                    w.warning,
                    w.facts.iter().map(|(path, value)| (*path, value)),
                )
            }),
        );
        out.extend_from_slice(b",\"ask_next\":");
        if report.ask_next.is_empty() {
            out.extend_from_slice(b"[]");
        } else {
            let _ = serde_json::to_writer(
                &mut *out,
                &AskNextJson(self.program, &report.ask_next, self.lang),
            );
        }
        out.push(b'}');
    }

    /// Appends an evaluated case as one line of JSON (without the newline)
    /// to `out`: the same line [`CaseWriter::write`] writes of its report.
    pub fn write_evaluated(&self, out: &mut Vec<u8>, evaluated: &Evaluated) {
        let fast = match evaluated {
            Evaluated::Report(report) => return self.write(out, report),
            Evaluated::Fast(fast) => fast,
        };
        self.write_head(out, &fast.case, fast.as_of.date, fast.as_of.from);
        // By index, not through `looks`: 280 instructions a line less.
        let decided = &fast.decided;
        for n in 0..self.decisions.len() {
            if n > 0 {
                out.push(b',');
            }
            let d = self.decision(DecisionId(n as u32));
            if let Some(look) = decided.look(n) {
                self.write_plain(out, d, look);
            }
        }
        // (No errors: the fast evaluation decides no case with one.)
        out.extend_from_slice(b"},\"errors\":[],\"warnings\":");
        let warned = decided.warned.as_deref().unwrap_or_default();
        self.write_warnings(out, raised(self.program, decided.inputs(), warned));
        // (Nothing to ask for: the file is complete.)
        out.extend_from_slice(b",\"ask_next\":[]}");
    }

    /// The line's beginning, up to the outcomes' first.
    fn write_head(&self, out: &mut Vec<u8>, case: &str, as_of: Date, as_of_from: AsOfFrom) {
        out.extend_from_slice(self.head.as_bytes());
        crate::json::write_str(out, case);
        out.extend_from_slice(b",\"as_of\":");
        let _ = serde_json::to_writer(&mut *out, &crate::value::Ymd(as_of));
        out.extend_from_slice(b",\"as_of_from\":\"");
        out.extend_from_slice(as_of_from.key().as_bytes());
        out.push(b'"');
        out.extend_from_slice(self.law.as_bytes());
        out.extend_from_slice(b",\"outcomes\":{");
    }

    /// The texts of a decision (by id).
    fn decision(&self, id: DecisionId) -> &DecisionJsonText {
        self.decisions.get(id.index()).unwrap_or(&self.unnamed)
    }

    /// Appends an outcome with a value or undetermined, each of the
    /// commonest with one copy of its fixed texts around the value; its
    /// object, closing brace included.
    #[inline(always)]
    fn write_plain(&self, out: &mut Vec<u8>, d: &DecisionJsonText, look: Look<'_, '_>) {
        let (value, after) = match look {
            Look::Not(reason) => {
                let whole = match reason {
                    Reason::NoRule => &d.no_rule,
                    Reason::NotInForce => &d.not_in_force,
                    // (Every line has its text: the fallback is never taken.)
                    Reason::NotApplicable(k) => {
                        d.not_applicable.get(usize::from(k)).unwrap_or(&d.no_rule)
                    }
                };
                out.extend_from_slice(whole.as_bytes());
                return;
            }
            Look::Value(value, Given::Rule(i)) => (value, d.after_rule.get(i)),
            Look::Value(value, Given::Default) => (value, Some(&d.after_default)),
            Look::Value(value, Given::Rules(bits)) => {
                out.extend_from_slice(d.determined().as_bytes());
                self.write_shown(out, value);
                out.extend_from_slice(d.label.as_bytes());
                self.write_rules(out, d, Given::rules(bits));
                out.push(b'}');
                return;
            }
        };
        out.extend_from_slice(d.determined().as_bytes());
        self.write_shown(out, value);
        match after {
            Some(after) => out.extend_from_slice(after.as_bytes()),
            // (A rule the decision does not have.)
            None => {
                out.extend_from_slice(d.label.as_bytes());
                out.extend_from_slice(b",\"rule\":null,\"citation\":null}");
            }
        }
    }

    /// The rules that gave a `collect` decision's value (by index), and
    /// their citations, and the decision's.
    fn write_rules(
        &self,
        out: &mut Vec<u8>,
        d: &DecisionJsonText,
        rules: impl Iterator<Item = usize> + Clone,
    ) {
        let rules = rules.filter_map(|i| d.rules.get(i));
        out.extend_from_slice(b",\"rules\":");
        json_texts(out, rules.clone().map(|r| r.0.as_str()));
        out.extend_from_slice(b",\"citations\":");
        json_texts(out, rules.filter_map(|r| r.1.as_deref()));
        out.extend_from_slice(b",\"citation\":");
        out.extend_from_slice(d.citation.as_bytes());
    }

    /// Appends any outcome but [`CaseWriter::write_plain`]'s: its object,
    /// closing brace included.
    fn write_outcome(&self, out: &mut Vec<u8>, d: &DecisionJsonText, outcome: &Outcome) {
        let text = crate::json::write_str;
        let head = d.heads.get(outcome.status() as usize);
        out.extend_from_slice(head.map_or("", String::as_str).as_bytes());
        match outcome.value() {
            Some(v) => self.write_value(out, v),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(d.label.as_bytes());
        match outcome {
            Outcome::Determined {
                by: By::Rule(_) | By::Default,
                ..
            } => {
                out.extend_from_slice(b",\"rule\":null,\"citation\":null");
            }
            Outcome::Determined {
                by: By::Rules(rs), ..
            } => self.write_rules(out, d, rs.iter().copied()),
            Outcome::Unknown { needs } => {
                out.extend_from_slice(b",\"needs\":");
                crate::json::list(out, needs, |out, p| text(out, self.program.path(*p)));
            }
            Outcome::Conflict { rules } => {
                out.extend_from_slice(b",\"rules\":");
                json_texts(
                    out,
                    rules
                        .iter()
                        .filter_map(|i| d.rules.get(*i))
                        .map(|r| r.0.as_str()),
                );
            }
            Outcome::Error { message } => {
                out.extend_from_slice(b",\"message\":");
                text(out, message);
            }
            Outcome::Undetermined { .. } => {}
        }
        out.push(b'}');
    }

    /// Appends the warnings raised (by index in `Program::warnings`), each
    /// with the facts it read.
    fn write_warnings<'v, F>(&self, out: &mut Vec<u8>, warned: impl Iterator<Item = (usize, F)>)
    where
        F: Iterator<Item = (crate::check::ir::PathId, &'v Value)>,
    {
        let warned = warned.filter_map(|(k, facts)| Some((self.warnings.get(k)?, facts)));
        crate::json::list(out, warned, |out, (head, facts)| {
            out.extend_from_slice(head.as_bytes());
            for (k, (path, value)) in facts.enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                crate::json::write_str(out, self.program.path(path));
                out.push(b':');
                self.write_value(out, value);
            }
            out.extend_from_slice(b"}}");
        });
    }
}

/// Appends a list of texts already made as JSON.
fn json_texts<'t>(out: &mut Vec<u8>, items: impl Iterator<Item = &'t str>) {
    crate::json::list(out, items, |out, item| {
        out.extend_from_slice(item.as_bytes())
    });
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

/// A case as text: each determination with its explanation.
pub fn case_text(program: &Program, report: &CaseReport) -> String {
    case_text_of(program, report, &[], |_, _| true)
}

/// [`case_text`] of the determinations `wanted` accepts (by key and
/// outcome), each time limit of `acts` with its act under its first line
/// (`act, met by FACT: …`, as the report words it), so that a snapshot
/// shows an amendment of what meets a time limit, or of when it is owed.
pub fn case_text_of(
    program: &Program,
    report: &CaseReport,
    acts: &[(DecisionId, crate::agenda::Act)],
    wanted: impl Fn(&str, &Outcome) -> bool,
) -> String {
    let mut out = format!(
        "case {} (as of {}, {})\n",
        report.case,
        date_str(report.as_of),
        report.as_of_from.text()
    );
    let words = words::Words::new(program, Lang::En);
    for w in &report.warnings {
        if let (Some(def), Some((_, _, facts))) =
            (program.warnings.get(w.warning), words.warning(w))
        {
            let cite = def.citation.as_ref().map(|c| format!("[{}]", c.text));
            let found = words
                .warning_found(w, &report.outcomes)
                .map(|f| format!("; the rules find: {f}"))
                .unwrap_or_default();
            let text = format!("warning {}: {facts}{found}", def.key);
            line(&mut out, 0, &text, cite.as_deref());
        }
    }
    for (n, (id, outcome)) in report.outcomes.iter().enumerate() {
        let key = program.decisions.get(id.index()).map(|d| d.key());
        if !wanted(key.as_deref().unwrap_or_default(), outcome) {
            continue;
        }
        out.push('\n');
        match report.derivation(n) {
            Some(d) => {
                let mut text = String::new();
                derivation_text(&mut text, &d);
                let act = acts.iter().find(|(a, _)| a == id).and_then(|(_, act)| {
                    let (met_by, _) = crate::agenda::met_by(program, *id, outcome)?;
                    let facts = crate::agenda::fact_paths(program, &met_by.facts).join(" or ");
                    Some(format!("  act, met by {facts}: {}\n", words.act(act)))
                });
                if let Some(act) = act {
                    let at = text.find('\n').map_or(text.len(), |i| i + 1);
                    text.insert_str(at, &act);
                }
                out.push_str(&text);
            }
            None => {
                let key = program
                    .decisions
                    .get(id.index())
                    .map(|d| d.key())
                    .unwrap_or_default();
                line(
                    &mut out,
                    0,
                    &format!("{key} = {}", outcome_word(program, outcome)),
                    None,
                );
            }
        }
    }
    out
}

/// An outcome in a word or two: its value, or what it is waiting for.
pub fn outcome_word(program: &Program, o: &Outcome) -> String {
    match o {
        Outcome::Determined { value, .. } => show(program, value),
        Outcome::Unknown { needs } => {
            format!(
                "unknown (needs {})",
                needs
                    .iter()
                    .map(|p| program.path(*p))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Outcome::Undetermined { .. } => "undetermined".into(),
        Outcome::Conflict { .. } => "conflict".into(),
        Outcome::Error { message } => format!("error: {message}"),
    }
}

/// One derivation as indented text (language brief §6), in English.
pub fn derivation_text(out: &mut String, d: &Derivation) {
    derivation_text_in(out, d, None);
}

/// The fixed words of the full derivation, in English or in the language
/// of `w`.
fn say<'s>(w: Option<&words::Words>, en: &'s str, lt: &'s str) -> &'s str {
    match w.map(|w| w.lang) {
        Some(Lang::Lt) => lt,
        _ => en,
    }
}

/// A citation in the language of `w` (as written without one).
fn cite_in(w: Option<&words::Words>, c: &str) -> String {
    match w {
        Some(w) => crate::time::Tongue::cite(w, c),
        None => c.to_string(),
    }
}

/// One derivation as indented text; with `w`, its values, notes, citations
/// and fixed words in `w`'s language (the expressions stay as written).
pub fn derivation_text_in(out: &mut String, d: &Derivation, w: Option<&words::Words>) {
    let key = d.key();
    let value = match (w, d.outcome_value(), d.value()) {
        (Some(w), Some(v), _) => Some(w.value(v)),
        (_, _, v) => v.map(|v| v.to_string()),
    };
    let head = match (d.status(), value) {
        (Status::Determined, Some(v)) => format!("{key} = {v}"),
        (Status::Unknown, _) => format!("{key} = {}", say(w, "unknown", "nežinoma")),
        (Status::Undetermined, _) => format!("{key} = {}", say(w, "undetermined", "nenustatyta")),
        (Status::Conflict, _) => format!("{key} = {}", say(w, "conflict", "prieštaravimas")),
        (Status::Error, _) => format!("{key} = {}", say(w, "error", "klaida")),
        (Status::Determined, None) => key.to_string(),
    };
    let bracket_in = |c: Option<&str>| c.map(|c| format!("[{}]", cite_in(w, c)));
    line(out, 0, &head, bracket_in(d.citation()).as_deref());
    if let Some(note) = w.map_or_else(|| d.note(), |w| w.note(d)) {
        line(out, 1, &note, None);
    }
    if let Some(e) = d.error() {
        let e = w.map_or_else(|| e.to_string(), |w| w.message(e));
        line(out, 1, &format!("{}: {e}", say(w, "error", "klaida")), None);
    }
    let needs = d.needs();
    if !needs.is_empty() {
        line(
            out,
            1,
            &format!("{}: {}", say(w, "needs", "trūksta"), needs.join(", ")),
            None,
        );
    }
    let seen = Seen::default();
    if let Some((step, cite)) = d.applies() {
        line(
            out,
            1,
            say(w, "applies to this case when:", "taikoma šiai bylai, kai:"),
            bracket_in(cite).as_deref(),
        );
        step_text(out, 2, step, &seen, w);
    }
    for a in d.parts(Role::By) {
        applied_text(out, "by", a, &seen, w);
    }
    if let Some(default) = d.default() {
        let value = match w {
            Some(w) => w.tv(&default.tv()),
            None => default.value().to_string(),
        };
        line(
            out,
            1,
            &match w.map(|w| w.lang) {
                Some(Lang::Lt) => format!("numatytoji reikšmė: {value} (netaikoma jokia taisyklė)"),
                _ => format!("by default: {value} (no rule applies)"),
            },
            None,
        );
        step_text(out, 2, default, &seen, w);
    }
    for a in d.parts(Role::Conflict) {
        applied_text(out, say(w, "in conflict:", "prieštarauja:"), a, &seen, w);
    }
    for a in d.parts(Role::SetAside) {
        let text = format!(
            "{} {} ({} {})",
            say(w, "set aside:", "atmesta:"),
            a.rule().name,
            say(w, "by", "dėl"),
            a.set_aside_by().join(", ")
        );
        line(out, 1, &text, bracket_in(a.citation()).as_deref());
    }
    for a in d.parts(Role::Open) {
        applied_text(out, say(w, "open:", "neaišku:"), a, &seen, w);
    }
    for a in d.parts(Role::NotApplicable) {
        applied_text(out, say(w, "not applicable:", "netaikoma:"), a, &seen, w);
    }
    for a in d.parts(Role::NotInForce) {
        line(
            out,
            1,
            &format!(
                "{} {}",
                say(w, "not in force:", "negalioja:"),
                a.rule().name
            ),
            bracket_in(a.citation()).as_deref(),
        );
    }
}

fn applied_text(out: &mut String, label: &str, a: Applied, seen: &Seen, w: Option<&words::Words>) {
    let text = if label == "by" {
        match (w.map(|w| w.lang), a.rule().is_exception) {
            (Some(Lang::Lt), false) => format!("pagal taisyklę {}", a.rule().name),
            (Some(Lang::Lt), true) => format!("pagal išimtį {}", a.rule().name),
            _ => format!("by {} {}", a.kind(), a.rule().name),
        }
    } else {
        format!("{label} {}", a.rule().name)
    };
    let cite = a.citation().map(|c| format!("[{}]", cite_in(w, c)));
    line(out, 1, &text, cite.as_deref());
    for s in a.because().into_iter().chain(a.value()) {
        step_text(out, 2, s, seen, w);
    }
}

/// A note on a step in the language of `w`.
fn note_in(note: &Note, w: Option<&words::Words>) -> String {
    match w {
        Some(w) => note.words(w.lang, &|c| cite_in(Some(w), c)),
        None => note.to_string(),
    }
}

fn step_text(out: &mut String, indent: usize, s: Step, seen: &Seen, w: Option<&words::Words>) {
    let source = s.source();
    let (note, children) = s.shown(seen);
    // A value written out in the rule (`when true`, `default false`) explains nothing more.
    if source == "rule" && children.is_empty() {
        return;
    }
    let value = match w {
        Some(w) => w.step(&s),
        None => match s.item() {
            // `any` true, `all` false: the item that made it so.
            Some((list, at)) if !crate::eval::why::holds_records(s.ty()) => {
                format!("{} ({list}[{at}])", s.value())
            }
            _ => s.value().to_string(),
        },
    };
    let expr = s.expr();
    let text = if expr == value {
        expr.to_string()
    } else {
        format!("{expr} = {value}")
    };
    let has_note = !matches!(note, Note::None);
    let note = note_in(&note, w);
    let tail = match (source, s.citation(), has_note) {
        ("record", _, true) => Some(format!("({note})")),
        ("record", _, false) => Some(say(w, "(from the record)", "(iš įrašo)").to_string()),
        (_, Some(c), true) => Some(format!("[{}] ({note})", cite_in(w, c))),
        (_, Some(c), false) => Some(format!("[{}]", cite_in(w, c))),
        (_, None, true) => Some(format!("({note})")),
        _ => None,
    };
    line(out, indent, &text, tail.as_deref());
    let steps: Vec<String> = match w {
        Some(w) => s.steps_text_in(w).collect(),
        None => s.steps_text().collect(),
    };
    for st in steps {
        line(out, indent + 1, &format!("· {st}"), None);
    }
    for c in children {
        step_text(out, indent + 1, c, seen, w);
    }
}
