//! `lsa agenda`: the dates the law sets for the cases of a caseload (the
//! time limits, and the other dates the determinations give), in date
//! order, within a window of days: what falls due in a caseworker's files
//! this fortnight, and which dates cannot be computed yet, and why. The
//! agenda itself is [`crate::agenda`]; this reads the caseload and writes it.

use std::path::Path;

use indicatif::ProgressBar;
use jiff::civil::Date;
use rayon::prelude::*;

use super::batch::{stream, CHUNK};
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
    Html,
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
    /// Leave out the time limits whose act the record says was done.
    pub open: bool,
    pub max_line: usize,
}

pub(super) fn run(program: &Program, o: &Options) -> Result<()> {
    let today = today();
    let (from, to) =
        agenda::window(o.from, o.to, o.as_of, today).map_err(|e| Failure::Io(format!("--{e}")))?;
    let keep_waiting = o.missing || o.format == AgendaFormat::Json;
    let mut agenda = Agenda::new(program, from, to, keep_waiting);
    agenda.open_only = o.open;
    // Read and evaluated on all cores, a chunk at a time (as `lsa batch`),
    // then added in input order.
    let inputs = [o.input.to_path_buf()];
    stream(
        &inputs,
        o.max_line,
        CHUNK,
        &ProgressBar::hidden(),
        |chunk| {
            let evaluated: Vec<_> = chunk
                .par_iter()
                .map(|item| match item.read(program) {
                    Ok(rec) => {
                        let as_of = AsOf::of(rec.as_of, o.as_of, || today);
                        Ok((
                            item.case_name(&rec),
                            as_of,
                            agenda.evaluate(&rec.inputs, as_of),
                        ))
                    }
                    Err(e) => Err(item.unread(program, &e, o.lang)),
                })
                .collect();
            for case in evaluated {
                match case {
                    Ok((name, as_of, dates)) => agenda.push(name, as_of, dates),
                    Err(invalid) => agenda.invalid.push(invalid),
                }
            }
            Ok(())
        },
    )?;
    agenda.finish();
    match o.format {
        AgendaFormat::Text => text(program, o, &agenda)?,
        AgendaFormat::Html => {
            out!("{}", html(program, o, &agenda))?;
            super::unread_errors(o.lang, &agenda.invalid);
        }
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
            Lang::En => errln!(
                "{n} invalid record{} (their dates are not in the agenda)",
                if n == 1 { "" } else { "s" }
            ),
            Lang::Lt => errln!("netinkamų įrašų: {n} (jų datų darbotvarkėje nėra)"),
        }
        Err(Failure::Record(None))
    }
}

/// One date of the agenda in words.
struct Row {
    case: String,
    label: String,
    /// Its citation in the language, if any.
    cite: Option<String>,
    /// The case's facts raise warnings (`!`).
    marked: bool,
    /// The case's warnings in words, under its first date.
    warnings: Vec<String>,
    /// For a time limit whose act the rules name: whether it was done, in
    /// words.
    act: Option<String>,
}

/// The agenda in the words of its language: what the text and the HTML
/// page both show.
struct View {
    law: String,
    /// How many dates in how many cases, from when to when.
    summary: String,
    /// How many cases are marked, and what that asks.
    marked: Option<String>,
    /// The time limits past without their act on record, outside the
    /// window: each day with its dates.
    missed: Vec<(String, Vec<Row>)>,
    /// Each day with its dates.
    days: Vec<(String, Vec<Row>)>,
    /// The dates that failed: the case, the determination, why, the citation.
    failed: Vec<(String, String, String, Option<String>)>,
    /// With `--missing`: each case with the dates it lacks facts for, and
    /// the facts.
    missing: Vec<(String, Vec<(String, String)>)>,
    /// Without `--missing`: how many dates wait on facts.
    waiting: Option<String>,
    /// The invalid records' sources.
    invalid: Vec<String>,
    lang: Lang,
}

impl View {
    fn new(program: &Program, o: &Options, a: &Agenda) -> View {
        let w = Words::new(program, o.lang);
        let say = Say(o.lang);
        let lt = o.lang == Lang::Lt;
        let day = |d: Date| w.value(&Value::Date(d));
        let name = |d: &Dated| a.case(d).map_or(String::new(), |c| c.name.clone());
        let warned = |d: &Dated| a.case(d).map_or(&[][..], |c| &c.warnings[..]);
        let cite = |d: &Dated| a.citation(d).map(|c| w.cite(c));
        let with_dates = Agenda::cases_among(a.dates.iter());
        let total = a.cases.len() + a.invalid.len();
        let n = a.dates.len();
        let summary = match lt {
            true => format!(
                "terminai ir kitos teisės nustatytos datos nuo {} iki {}: {n} {} (bylų su jomis: {with_dates}; iš viso bylų: {total})",
                day(a.from),
                day(a.to),
                Lang::lt_count(n as u64, ["data", "datos", "datų"])
            ),
            false => format!(
                "time limits and other dates the law sets from {} to {}: {n} in {with_dates} of {total} cases",
                day(a.from),
                day(a.to)
            ),
        };
        let marked = Agenda::cases_among(
            a.dates
                .iter()
                .chain(&a.missed)
                .filter(|d| !warned(d).is_empty()),
        );
        let marked = (marked > 0).then(|| match lt {
            false => format!("cases whose facts cannot all be right (marked !): {marked} – check them before relying on a date"),
            true => format!("bylų, kurių faktai negali būti visi teisingi (pažymėta !): {marked} – patikrinkite juos, prieš remdamiesi data"),
        });
        // A case whose facts raise a warning is marked, its warnings under
        // its first date (the missed ones come first).
        let mut shown_warnings = vec![false; a.cases.len()];
        let mut by_day = |dates: &[Dated]| {
            let mut days: Vec<(String, Vec<Row>)> = Vec::new();
            let mut last = None;
            for d in dates {
                if d.date() != last || days.is_empty() {
                    last = d.date();
                    days.push((last.map(day).unwrap_or_default(), Vec::new()));
                }
                let mut warnings = Vec::new();
                if let Some(shown @ false) = shown_warnings.get_mut(d.case) {
                    *shown = true;
                    warnings = warned(d)
                        .iter()
                        .filter_map(|k| program.warnings.get(*k as usize))
                        .map(|def| format!("{} ({})", w.def(def.def), def.key))
                        .collect();
                }
                if let Some((_, rows)) = days.last_mut() {
                    rows.push(Row {
                        case: name(d),
                        label: w.decision(d.decision),
                        cite: cite(d),
                        marked: !warned(d).is_empty(),
                        warnings,
                        act: d.act.as_ref().map(|act| w.act(act)),
                    });
                }
            }
            days
        };
        let missed = by_day(&a.missed);
        let days = by_day(&a.dates);
        let failed = a
            .open
            .iter()
            .filter_map(|d| {
                let why = match &d.outcome {
                    Outcome::Error { message } => format!("{}: {message}", w.error()),
                    Outcome::Conflict { .. } => say.conflict().to_string(),
                    _ => return None,
                };
                Some((name(d), w.decision(d.decision), why, cite(d)))
            })
            .collect();
        // With `--missing`, each case's dates that wait on facts (kept only
        // then), with the facts.
        let mut missing: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let mut case = None;
        for d in a.open.iter().filter(|_| o.missing) {
            let Outcome::Unknown { needs } = &d.outcome else {
                continue;
            };
            if case != Some(d.case) {
                case = Some(d.case);
                missing.push((name(d), Vec::new()));
            }
            if let Some((_, dates)) = missing.last_mut() {
                dates.push((w.decision(d.decision), w.facts(needs)));
            }
        }
        let m = a.waiting as u64;
        let waiting = (!o.missing && m > 0).then(|| match lt {
            true => format!(
                "{m} {} dar negalima apskaičiuoti: įrašuose trūksta faktų (juos išvardija --missing)",
                Lang::lt_count(m, ["datos", "datų", "datų"])
            ),
            false => format!(
                "{m} {} cannot be computed yet: the records lack facts they need (--missing lists them)",
                if m == 1 { "date" } else { "dates" }
            ),
        });
        View {
            law: super::law::describe(&program.provenance, o.lang),
            summary,
            marked,
            missed,
            days,
            failed,
            missing,
            waiting,
            invalid: a.invalid.iter().map(|u| u.at.clone()).collect(),
            lang: o.lang,
        }
    }

    fn pick(&self, en: &'static str, lt: &'static str) -> &'static str {
        Say(self.lang).pick(en, lt)
    }

    fn none_in_window(&self) -> &'static str {
        self.pick(
            "(none in these days: --from and --to choose others)",
            "(šiomis dienomis nėra: kitas dienas pasirinkite su --from ir --to)",
        )
    }

    fn window_head(&self) -> &'static str {
        self.pick("in the window", "šiomis dienomis")
    }

    /// The heading of the time limits past without their act, with how
    /// many there are.
    fn missed_head(&self) -> String {
        let n: usize = self.missed.iter().map(|(_, rows)| rows.len()).sum();
        let head = self.pick(
            "time limits past whose act the record does not show done (on each case's evaluation date)",
            "praėję terminai, kurių veiksmo įraše nėra (bylos vertinimo dieną)",
        );
        format!("{head}: {n}")
    }

    fn failed_head(&self) -> &'static str {
        self.pick(
            "not computed (check the record or the rules)",
            "neapskaičiuota (patikrinkite įrašą arba taisykles)",
        )
    }

    fn missing_head(&self) -> &'static str {
        self.pick(
            "cannot be computed yet, for facts the records lack",
            "dar negalima apskaičiuoti, nes įrašuose trūksta faktų",
        )
    }

    fn needs(&self) -> &'static str {
        self.pick("needs", "trūksta")
    }
}

fn text(program: &Program, o: &Options, a: &Agenda) -> Result<()> {
    let v = View::new(program, o, a);
    let cite = |c: &Option<String>| c.as_ref().map(|c| format!("  [{c}]")).unwrap_or_default();
    outln!("{}", v.law)?;
    outln!("{}", v.summary)?;
    if let Some(m) = &v.marked {
        outln!("  {m}")?;
    }
    let days = |days: &[(String, Vec<Row>)]| -> Result<()> {
        for (day, rows) in days {
            outln!("\n{day}")?;
            for r in rows {
                let mark = if r.marked { " !" } else { "" };
                let act = r
                    .act
                    .as_ref()
                    .map(|a| format!(" – {a}"))
                    .unwrap_or_default();
                outln!("  {}{mark}  {}{act}{}", r.case, r.label, cite(&r.cite))?;
                for warning in &r.warnings {
                    outln!("        ! {warning}")?;
                }
            }
        }
        Ok(())
    };
    if !v.missed.is_empty() {
        outln!("\n{}", v.missed_head())?;
        days(&v.missed)?;
        outln!("\n{}", v.window_head())?;
    }
    days(&v.days)?;
    if v.days.is_empty() {
        outln!("\n  {}", v.none_in_window())?;
    }
    if !v.failed.is_empty() {
        outln!("\n{}", v.failed_head())?;
        for (case, label, why, c) in &v.failed {
            outln!("  {case}  {label}: {why}{}", cite(c))?;
        }
    }
    if !v.missing.is_empty() {
        outln!("\n{}", v.missing_head())?;
        for (case, dates) in &v.missing {
            outln!("  {case}")?;
            for (label, needs) in dates {
                outln!("    {label} – {}: {needs}", v.needs())?;
            }
        }
    }
    if let Some(waiting) = &v.waiting {
        outln!("\n{waiting}")?;
    }
    super::invalid_records(o.lang, &a.invalid)
}

/// The agenda as a self-contained page (no scripts, no network), in the
/// words of the text.
fn html(program: &Program, o: &Options, a: &Agenda) -> String {
    use crate::explain::html::{esc, page_head, STYLE};
    let v = View::new(program, o, a);
    let title = v.pick("Time limits and dates", "Terminai ir datos");
    let mut out = page_head(v.lang, title, STYLE);
    out.push_str(&format!(
        "<h1>{title}</h1>\n<p>{}</p>\n<p>{}</p>\n",
        esc(&v.summary),
        esc(&v.law)
    ));
    if let Some(m) = &v.marked {
        out.push_str(&format!("<p class=\"warn\">{}</p>\n", esc(m)));
    }
    let head = |cells: &[&str]| {
        format!(
            "<table><tr>{}</tr>\n",
            cells
                .iter()
                .map(|c| format!("<th>{c}</th>"))
                .collect::<String>()
        )
    };
    let days = |out: &mut String, days: &[(String, Vec<Row>)], level: u8| {
        for (day, rows) in days {
            out.push_str(&format!("<h{level}>{}</h{level}>\n", esc(day)));
            out.push_str(&head(&[
                v.pick("Case", "Byla"),
                v.pick("Time limit or date", "Terminas ar data"),
                v.pick("Done?", "Ar atlikta"),
                v.pick("Provision", "Nuostata"),
            ]));
            for r in rows {
                let warnings: String = r
                    .warnings
                    .iter()
                    .map(|w| format!("<br><span class=\"warn\">! {}</span>", esc(w)))
                    .collect();
                let mark = if r.marked { " !" } else { "" };
                out.push_str(&format!(
                    "<tr><td>{}{mark}{warnings}</td><td>{}</td><td>{}</td><td class=\"cite\">{}</td></tr>\n",
                    esc(&r.case),
                    esc(&r.label),
                    esc(r.act.as_deref().unwrap_or_default()),
                    esc(r.cite.as_deref().unwrap_or_default())
                ));
            }
            out.push_str("</table>\n");
        }
    };
    if !v.missed.is_empty() {
        out.push_str(&format!(
            "<h2 class=\"warn\">{}</h2>\n",
            esc(&v.missed_head())
        ));
        days(&mut out, &v.missed, 3);
        out.push_str(&format!("<h2>{}</h2>\n", esc(v.window_head())));
        days(&mut out, &v.days, 3);
    } else {
        days(&mut out, &v.days, 2);
    }
    if v.days.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", esc(v.none_in_window())));
    }
    if !v.failed.is_empty() {
        out.push_str(&format!(
            "<h2 class=\"warn\">{}</h2>\n",
            esc(v.failed_head())
        ));
        out.push_str(&head(&[
            v.pick("Case", "Byla"),
            v.pick("Time limit or date", "Terminas ar data"),
            v.pick("Why", "Kodėl"),
        ]));
        for (case, label, why, cite) in &v.failed {
            let cite = cite.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default();
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}{}</td><td>{}</td></tr>\n",
                esc(case),
                esc(label),
                esc(&cite),
                esc(why)
            ));
        }
        out.push_str("</table>\n");
    }
    if !v.missing.is_empty() {
        out.push_str(&format!("<h2>{}</h2>\n", esc(v.missing_head())));
        out.push_str(&head(&[
            v.pick("Case", "Byla"),
            v.pick("Time limit or date", "Terminas ar data"),
            v.needs(),
        ]));
        for (case, dates) in &v.missing {
            for (label, needs) in dates {
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(case),
                    esc(label),
                    esc(needs)
                ));
            }
        }
        out.push_str("</table>\n");
    }
    if let Some(waiting) = &v.waiting {
        out.push_str(&format!("<p>{}</p>\n", esc(waiting)));
    }
    for source in &v.invalid {
        out.push_str(&format!(
            "<p class=\"warn\">{}: {}</p>\n",
            esc(source),
            esc(v.pick(
                "invalid record (see the error on standard error)",
                "netinkamas įrašas (klaida parašyta į standartinį klaidų srautą)"
            ))
        ));
    }
    out.push_str("</body></html>\n");
    out
}
