//! `lsa agenda`: the dates the law sets for the cases of a caseload (the
//! time limits, and the other dates the determinations give), in date
//! order, within a window of days: what falls due in a caseworker's files
//! this fortnight, and which dates cannot be computed yet, and why. The
//! agenda itself is [`crate::agenda`]; this reads the caseload and writes it.

use std::path::Path;

use indicatif::ProgressBar;
use jiff::civil::Date;

use super::batch::read_items;
use super::{today, Failure, Result};
use crate::agenda::{self, Agenda, Dated};
use crate::check::ir::Program;
use crate::eval::Outcome;
use crate::explain::{report::Say, words::Words, AsOf};
use crate::lang::Lang;
use crate::time::Tongue;
use crate::value::Value;

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

pub(super) fn run(program: &Program, o: &Options) -> Result<()> {
    let today = today();
    let (from, to) =
        agenda::window(o.from, o.to, o.as_of, today).map_err(|e| Failure::Io(format!("--{e}")))?;
    let keep_waiting = o.missing || o.format == AgendaFormat::Json;
    let mut agenda = Agenda::new(program, from, to, keep_waiting);
    read_items(o.input, o.max_line, &ProgressBar::hidden(), |item, _| {
        match item.read(program) {
            Ok(rec) => agenda.add(
                item.case_name(&rec),
                &rec.inputs,
                AsOf::of(rec.as_of, o.as_of, || today),
            ),
            Err(e) => agenda
                .invalid
                .push((item.source(), item.error_json(program, &e))),
        }
        Ok(())
    })?;
    agenda.finish();
    match o.format {
        AgendaFormat::Text => text(program, o, &agenda)?,
        AgendaFormat::Json => {
            let j = agenda.to_json(o.lang);
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
        a.citation(d)
            .map(|c| format!("  [{}]", w.cite(c)))
            .unwrap_or_default()
    };
    outln!("{}", super::law::describe(&program.provenance, o.lang))?;
    let with_dates = Agenda::cases_among(a.dates.iter());
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
    let marked = Agenda::cases_among(a.dates.iter().filter(|d| !warned(d).is_empty()));
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
