//! `lsa agenda`: the dates the law sets for the cases of a caseload (the
//! time limits, and the other dates the determinations give), in date
//! order, within a window of days: what falls due in a caseworker's files
//! this fortnight, and which dates cannot be computed yet, and why.

use std::path::Path;

use indicatif::ProgressBar;
use jiff::civil::Date;
use serde_json::{json, Value as Json};

use super::batch::read_items;
use super::{today, Failure, Result};
use crate::check::ir::{DecisionId, Program};
use crate::eval::{By, Evaluation, Outcome};
use crate::explain::{self, report::Say, words::Words, AsOf, OutcomeJson};
use crate::lang::Lang;
use crate::time::Tongue;
use crate::value::{date_str, Type, Value};

/// How many days the window spans when `--to` is not given: two weeks
/// after its first day.
pub const DAYS: i32 = 14;

/// The formats of `lsa agenda`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AgendaFormat {
    Text,
    Json,
}

/// The options of one run.
pub(super) struct Options<'a> {
    pub input: &'a Path,
    pub as_of: Option<Date>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub format: AgendaFormat,
    /// The language of the text (JSON: keys and codes, labels in it).
    pub lang: Lang,
    /// In the text, list each date the records do not give the facts for
    /// (else they are counted).
    pub missing: bool,
    pub max_line: usize,
}

/// A case of the caseload, as read.
struct Case {
    name: String,
    as_of: AsOf,
    /// The warnings its facts raise (by index in `Program::warnings`): a
    /// time limit counted from a date typed wrong is wrong too.
    warnings: Vec<u32>,
}

/// A date-valued determination of one case: its date within the window, or
/// why it has none yet.
struct Dated {
    case: usize,
    decision: DecisionId,
    outcome: Outcome,
}

impl Dated {
    fn date(&self) -> Option<Date> {
        match &self.outcome {
            Outcome::Determined {
                value: Value::Date(d),
                ..
            } => Some(*d),
            _ => None,
        }
    }
}

/// What a run found.
struct Agenda {
    from: Date,
    to: Date,
    cases: Vec<Case>,
    /// In the window, by date, then case, then the rules' order.
    dates: Vec<Dated>,
    /// Not computed: an error, rules in conflict, facts missing (in input
    /// order, then the rules' order).
    open: Vec<Dated>,
    /// How many dates wait on facts (each kept in `open` only where it is
    /// shown: in JSON, or with `--missing`; a caseload's are many).
    waiting: usize,
    /// Each invalid record's source and error object.
    invalid: Vec<(String, String)>,
}

pub(super) fn run(program: &Program, o: &Options) -> Result<()> {
    let today = today();
    let from = o.from.or(o.as_of).unwrap_or(today);
    let to = match o.to {
        Some(to) => to,
        None => from
            .checked_add(jiff::Span::new().days(DAYS))
            .map_err(|e| Failure::Io(format!("--from {from}: {e}")))?,
    };
    if to < from {
        return Err(Failure::Io(format!(
            "--to {to} is before the window's first day, {from}"
        )));
    }
    // The date-valued determinations, in the rules' order.
    let dated: Vec<DecisionId> = program
        .decisions
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.ty.base(), Type::Date))
        .map(|(i, _)| DecisionId(i as u32))
        .collect();
    let keep_waiting = o.missing || o.format == AgendaFormat::Json;
    let mut agenda = Agenda {
        from,
        to,
        cases: Vec::new(),
        dates: Vec::new(),
        open: Vec::new(),
        waiting: 0,
        invalid: Vec::new(),
    };
    read_items(o.input, o.max_line, &ProgressBar::hidden(), |item, _| {
        let rec = match item.read(program) {
            Ok(rec) => rec,
            Err(e) => {
                agenda
                    .invalid
                    .push((item.source(), item.error_json(program, &e)));
                return Ok(());
            }
        };
        let case = agenda.cases.len();
        let as_of = AsOf::of(rec.as_of, o.as_of, || today);
        let mut ev = Evaluation::new(program, &rec.inputs, as_of.date);
        for &decision in &dated {
            let outcome = ev.outcome(decision);
            let d = Dated {
                case,
                decision,
                outcome,
            };
            match &d.outcome {
                Outcome::Determined { .. } => {
                    if d.date().is_some_and(|d| from <= d && d <= to) {
                        agenda.dates.push(d);
                    }
                }
                Outcome::Undetermined { .. } => {}
                Outcome::Unknown { .. } => {
                    agenda.waiting += 1;
                    if keep_waiting {
                        agenda.open.push(d)
                    }
                }
                Outcome::Conflict { .. } | Outcome::Error { .. } => agenda.open.push(d),
            }
        }
        agenda.cases.push(Case {
            name: item.case_name(&rec),
            as_of,
            warnings: ev.warned(),
        });
        Ok(())
    })?;
    agenda.dates.sort_by(|a, b| {
        let name = |d: &Dated| agenda.cases.get(d.case).map(|c| c.name.as_str());
        (a.date(), name(a), a.case, a.decision.0).cmp(&(b.date(), name(b), b.case, b.decision.0))
    });
    match o.format {
        AgendaFormat::Text => text(program, o, &agenda)?,
        AgendaFormat::Json => {
            let j = to_json(program, o.lang, &agenda);
            outln!("{}", serde_json::to_string_pretty(&j).unwrap_or_default())?;
        }
    }
    if agenda.invalid.is_empty() {
        Ok(())
    } else {
        let n = agenda.invalid.len();
        match o.lang {
            Lang::En => errln!("{n} invalid records (their dates are not in the agenda)"),
            Lang::Lt => errln!("netinkamų įrašų: {n} (jų datų darbotvarkėje nėra)"),
        }
        Err(Failure::Record(None))
    }
}

/// The citation a determination's date rests on: its deciding rule's, else
/// its decision's (as the JSON output gives it).
fn citation<'p>(program: &'p Program, d: &Dated) -> Option<&'p str> {
    let decision = program.decisions.get(d.decision.index())?;
    let rule = match &d.outcome {
        Outcome::Determined {
            by: By::Rule(i), ..
        } => decision.rules.get(*i).and_then(|r| r.citation.as_ref()),
        _ => None,
    };
    rule.or(decision.citation.as_ref()).map(|c| &*c.text)
}

/// How many cases `dates` are of.
fn cases_among<'d>(dates: impl Iterator<Item = &'d Dated>) -> usize {
    let mut cases: Vec<usize> = dates.map(|d| d.case).collect();
    cases.sort_unstable();
    cases.dedup();
    cases.len()
}

fn text(program: &Program, o: &Options, a: &Agenda) -> Result<()> {
    let w = Words::new(program, o.lang);
    let say = Say(o.lang);
    let lt = o.lang == Lang::Lt;
    let day = |d: Date| w.value(&Value::Date(d));
    let name = |d: &Dated| a.cases.get(d.case).map_or("", |c| c.name.as_str());
    // A case whose facts raise a warning is marked, its warnings below its
    // first date.
    let warned = |d: &Dated| a.cases.get(d.case).map_or(&[][..], |c| &c.warnings[..]);
    let mut shown_warnings = vec![false; a.cases.len()];
    let cite = |d: &Dated| {
        citation(program, d)
            .map(|c| format!("  [{}]", w.cite(c)))
            .unwrap_or_default()
    };
    outln!("{}", super::law::describe(&program.provenance, o.lang))?;
    let with_dates = cases_among(a.dates.iter());
    let total = a.cases.len() + a.invalid.len();
    let n = a.dates.len();
    if lt {
        outln!(
            "terminai ir kitos teisės nustatytos datos nuo {} iki {}: {n} {} (bylų su jomis: {with_dates}; iš viso bylų: {total})",
            day(a.from),
            day(a.to),
            Lang::lt_count(n as u64, ["data", "datos", "datų"])
        )?;
    } else {
        outln!(
            "time limits and other dates the law sets from {} to {}: {n} in {with_dates} of {total} cases",
            day(a.from),
            day(a.to)
        )?;
    }
    let marked = cases_among(a.dates.iter().filter(|d| !warned(d).is_empty()));
    if marked > 0 {
        let (head, tail) = match lt {
            false => (
                "cases whose facts cannot all be right (marked !)",
                "check them before relying on a date",
            ),
            true => (
                "bylų, kurių faktai negali būti visi teisingi (pažymėta !)",
                "patikrinkite juos, prieš remdamiesi data",
            ),
        };
        outln!("  {head}: {marked} – {tail}")?;
    }
    let mut last = None;
    for d in &a.dates {
        if d.date() != last {
            last = d.date();
            if let Some(date) = last {
                outln!("\n{}", day(date))?;
            }
        }
        let mark = if warned(d).is_empty() { "" } else { " !" };
        outln!("  {}{mark}  {}{}", name(d), w.decision(d.decision), cite(d))?;
        if let Some(shown @ false) = shown_warnings.get_mut(d.case) {
            *shown = true;
            for k in warned(d) {
                if let Some(def) = program.warnings.get(*k as usize) {
                    outln!("        ! {} ({})", w.def(def.def), def.key)?;
                }
            }
        }
    }
    if a.dates.is_empty() {
        outln!(
            "\n  {}",
            say.pick(
                "(none in these days: --from and --to choose others)",
                "(šiomis dienomis nėra: kitas dienas pasirinkite su --from ir --to)"
            )
        )?;
    }
    // Errors and conflicts always; facts missing when asked for, else counted.
    let failed: Vec<&Dated> = a
        .open
        .iter()
        .filter(|d| !matches!(d.outcome, Outcome::Unknown { .. }))
        .collect();
    if !failed.is_empty() {
        outln!(
            "\n{}",
            say.pick(
                "not computed (check the record or the rules)",
                "neapskaičiuota (patikrinkite įrašą arba taisykles)"
            )
        )?;
        for d in failed {
            let why = match &d.outcome {
                Outcome::Error { message } => format!("{}: {message}", w.error()),
                _ => say.conflict().to_string(),
            };
            outln!(
                "  {}  {}: {why}{}",
                name(d),
                w.decision(d.decision),
                cite(d)
            )?;
        }
    }
    let missing: Vec<&Dated> = a
        .open
        .iter()
        .filter(|d| matches!(d.outcome, Outcome::Unknown { .. }))
        .collect();
    if o.missing && a.waiting > 0 {
        outln!(
            "\n{}",
            say.pick(
                "cannot be computed yet, for facts the records lack",
                "dar negalima apskaičiuoti, nes įrašuose trūksta faktų"
            )
        )?;
        let mut case = None;
        for d in &missing {
            let Outcome::Unknown { needs } = &d.outcome else {
                continue;
            };
            if case != Some(d.case) {
                case = Some(d.case);
                outln!("  {}", name(d))?;
            }
            let needs: Vec<String> = needs
                .iter()
                .map(|p| match lt {
                    true => w.path(program.path(*p)),
                    false => program.path(*p).to_string(),
                })
                .collect();
            outln!(
                "    {} – {}: {}",
                w.decision(d.decision),
                say.pick("needs", "trūksta"),
                needs.join(if lt { "; " } else { ", " })
            )?;
        }
    } else if a.waiting > 0 {
        let m = a.waiting as u64;
        if lt {
            outln!(
                "\n{m} {} dar negalima apskaičiuoti: įrašuose trūksta faktų (juos išvardija --missing)",
                Lang::lt_count(m, ["datos", "datų", "datų"])
            )?;
        } else {
            outln!(
                "\n{m} {} cannot be computed yet: the records lack facts they need (--missing lists them)",
                if m == 1 { "date" } else { "dates" }
            )?;
        }
    }
    super::invalid_records(o.lang, &a.invalid)
}

/// One determination as the contract's outcome object, with its case, the
/// case's evaluation date and the determination's key.
fn dated_json(program: &Program, lang: Lang, a: &Agenda, d: &Dated) -> Json {
    let mut j = serde_json::to_value(OutcomeJson {
        program,
        id: d.decision,
        outcome: &d.outcome,
        derivation: None,
        lang,
    })
    .unwrap_or(Json::Null);
    let case = a.cases.get(d.case);
    if let Json::Object(m) = &mut j {
        let key = program.decisions.get(d.decision.index()).map(|d| &*d.key);
        let mut head = serde_json::Map::new();
        head.insert("case".into(), json!(case.map(|c| &c.name)));
        head.insert("as_of".into(), json!(case.map(|c| date_str(c.as_of.date))));
        head.insert("as_of_from".into(), json!(case.map(|c| c.as_of.from.key())));
        head.insert("determination".into(), json!(key));
        let warnings: Vec<&str> = case
            .into_iter()
            .flat_map(|c| &c.warnings)
            .filter_map(|k| program.warnings.get(*k as usize))
            .map(|w| &*w.key)
            .collect();
        head.insert("warnings".into(), json!(warnings));
        head.append(m);
        *m = head;
    }
    j
}

fn to_json(program: &Program, lang: Lang, a: &Agenda) -> Json {
    let invalid: Vec<Json> = a
        .invalid
        .iter()
        .map(|(_, e)| serde_json::from_str(e).unwrap_or(Json::Null))
        .collect();
    json!({
        "format": explain::FORMAT,
        "law": explain::law_json(&program.provenance),
        "from": date_str(a.from),
        "to": date_str(a.to),
        "cases": a.cases.len() + a.invalid.len(),
        "dates": a.dates.iter().map(|d| dated_json(program, lang, a, d)).collect::<Vec<_>>(),
        "open": a.open.iter().map(|d| dated_json(program, lang, a, d)).collect::<Vec<_>>(),
        "invalid": invalid,
    })
}
