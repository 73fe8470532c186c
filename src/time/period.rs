//! Periods: plain calendar arithmetic, and the end of a time limit under the
//! computation rule of its act ([`Computation`]: APR Art. 73, AMMR Art. 75,
//! Council Regulation (EEC, Euratom) No 1182/71 Art. 3).
//!
//! Every function that computes a time limit can write its steps into a trace,
//! as data; [`PeriodStep::render`] puts a step into words a caseworker can
//! check by hand, each with the provision of the computation rule that states
//! it. The trace is only built when asked.

use jiff::civil::{Date, DateTime};
use jiff::Span;

use super::calendar::{date_of, day_number, months_later, FIRST_DAY, LAST_DAY};
use super::{Calendar, Clause, Computation, DurationUnit};
use crate::lang::Lang;
use crate::value::{date_str, date_with_weekday, datetime_str, Period};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("date out of range: {0}")]
    OutOfRange(String),
    #[error("a period of {0} cannot be used here: {1}")]
    Unit(Period, &'static str),
    #[error("a period cannot be negative: {0}")]
    Negative(Period),
    #[error("the calendar `{0}` has no working day in the year after {1}")]
    NoWorkingDay(String, String),
}

/// Consecutive days that are not working days beyond which a calendar is
/// taken to be broken (every day a holiday), not searched to the end of time.
const MAX_DAYS_OFF: u32 = 366;

fn out_of_range(what: impl std::fmt::Display) -> TimeError {
    TimeError::OutOfRange(what.to_string())
}

/// One step of computing a time limit, as data: rendered into words
/// ([`PeriodStep::render`]) only when an explanation is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum PeriodStep {
    /// The event day, which is not counted (Art. 3(1)).
    Event(Date),
    /// The nominal last day: days (3(2)(b)); weeks on the same weekday; months
    /// and years on the same date, or the last day of a month without it
    /// (`missing_day`, 3(2)(c)).
    Added {
        period: Period,
        end: Date,
        missing_day: Option<i8>,
    },
    /// A period in working days, with the days not counted (3(3)).
    WorkingDays {
        period: Period,
        end: Date,
        skipped: Vec<Date>,
    },
    /// Moved off days that are not working days (3(4)).
    Moved {
        passed: Vec<Date>,
        end: Date,
    },
    /// Extended to hold two working days (3(5)).
    TwoWorkingDays {
        first: Date,
        before: Date,
        end: Date,
    },
    Ends(Date),
    /// A retroactive period, counted back.
    CountedBack {
        period: Period,
        anchor: Date,
        start: Date,
    },
    HourStart {
        event: DateTime,
        start: DateTime,
    },
    HourEnd {
        period: Period,
        end: DateTime,
    },
}

/// How the words of a step are put in another language: the citations and
/// holiday names the rules give in it.
pub trait Tongue {
    fn lang(&self) -> Lang;
    /// A citation as written in the rules (`AMMR Art. 75(a)`), in the language.
    fn cite(&self, text: &str) -> String;
    /// A holiday's name, in the language.
    fn holiday(&self, name: &str) -> String;
}

/// English, as the rules write it.
pub struct English;

impl Tongue for English {
    fn lang(&self) -> Lang {
        Lang::En
    }
    fn cite(&self, text: &str) -> String {
        text.to_string()
    }
    fn holiday(&self, name: &str) -> String {
        name.to_string()
    }
}

/// A period in words: `4 weeks`, `4 savaitės`.
pub fn period_words(lang: Lang, p: &Period) -> String {
    match lang {
        Lang::En => p.to_string(),
        Lang::Lt => {
            let forms = match p.unit {
                DurationUnit::Hours => ["valanda", "valandos", "valandų"],
                DurationUnit::Days => ["diena", "dienos", "dienų"],
                DurationUnit::WorkingDays => ["darbo diena", "darbo dienos", "darbo dienų"],
                DurationUnit::Weeks => ["savaitė", "savaitės", "savaičių"],
                DurationUnit::Months => ["mėnuo", "mėnesiai", "mėnesių"],
                DurationUnit::Years => ["metai", "metai", "metų"],
            };
            format!(
                "{} {}",
                p.amount,
                Lang::lt_count(p.amount.unsigned_abs(), forms)
            )
        }
    }
}

/// A day with its weekday: `Thu 2026-12-31`, `2026-12-31 (ketvirtadienis)`.
pub fn day_words(lang: Lang, d: Date) -> String {
    match lang {
        Lang::En => date_with_weekday(d),
        Lang::Lt => format!("{} ({})", date_str(d), lang.weekday(d.weekday())),
    }
}

impl PeriodStep {
    /// The step in words: `calendar` names the holidays passed over,
    /// `computation` the provision that states each step.
    pub fn render(&self, calendar: Option<&Calendar>, computation: &Computation) -> String {
        self.render_in(&English, calendar, computation)
    }

    /// The step in the words of `t`'s language.
    pub fn render_in(
        &self,
        t: &dyn Tongue,
        calendar: Option<&Calendar>,
        computation: &Computation,
    ) -> String {
        let lang = t.lang();
        let lt = lang == Lang::Lt;
        let day = |d: &Date| day_words(lang, *d);
        let period = |p: &Period| period_words(lang, p);
        let why = |d: &Date| {
            calendar
                .and_then(|c| c.why_not_working_in(*d, t))
                .unwrap_or_default()
        };
        let cite = |clause| match computation.cite(clause) {
            Some(c) => format!(" ({})", t.cite(c)),
            None => String::new(),
        };
        match self {
            PeriodStep::Event(d) if lt => {
                format!(
                    "įvykis {}: ši diena neskaičiuojama{}",
                    day(d),
                    cite(Clause::EventDay)
                )
            }
            PeriodStep::Event(d) => format!(
                "event on {}: that day is not counted{}",
                day(d),
                cite(Clause::EventDay)
            ),
            PeriodStep::Added {
                period: p,
                end,
                missing_day: None,
            } => {
                let same = match (p.unit, lt) {
                    (DurationUnit::Weeks, false) => ", the same weekday",
                    (DurationUnit::Months | DurationUnit::Years, false) => ", the same date",
                    (DurationUnit::Weeks, true) => ", ta pati savaitės diena",
                    (DurationUnit::Months | DurationUnit::Years, true) => ", ta pati mėnesio diena",
                    _ => "",
                };
                let clause = match p.unit {
                    DurationUnit::Weeks | DurationUnit::Months | DurationUnit::Years => {
                        Clause::SameDay
                    }
                    _ => Clause::Days,
                };
                format!("+ {} → {}{same}{}", period(p), day(end), cite(clause))
            }
            PeriodStep::Added {
                period: p,
                end,
                missing_day: Some(missing),
            } => {
                let date = format!("{:04}-{:02}-{:02}", end.year(), end.month(), missing);
                if lt {
                    format!(
                        "+ {} → {date} nėra: paskutinė to mėnesio diena, {}{}",
                        period(p),
                        day(end),
                        cite(Clause::EndOfMonth)
                    )
                } else {
                    format!(
                        "+ {} → {date} does not exist: the last day of that month, {}{}",
                        period(p),
                        day(end),
                        cite(Clause::EndOfMonth)
                    )
                }
            }
            PeriodStep::WorkingDays {
                period: p,
                end,
                skipped,
            } => {
                // The date names its weekday: only a holiday is said.
                let days: Vec<String> = skipped
                    .iter()
                    .map(|d| match calendar.and_then(|c| c.holiday_words_in(*d, t)) {
                        Some(holiday) => format!("{} ({holiday})", day(d)),
                        None => day(d),
                    })
                    .collect();
                let (skip, counting) = if lt {
                    ("; neskaičiuojama: ", ", skaičiuojant tik darbo dienas")
                } else {
                    ("; not counted: ", ", counting working days only")
                };
                let skip = if days.is_empty() {
                    String::new()
                } else {
                    format!("{skip}{}", days.join(", "))
                };
                format!(
                    "+ {}{counting}{}{skip} → {}",
                    period(p),
                    cite(Clause::WorkingDays),
                    day(end)
                )
            }
            PeriodStep::Moved { passed, end } => {
                let is = if lt { "yra" } else { "is" };
                let days: Vec<String> = passed
                    .iter()
                    .map(|d| format!("{} {is} {}", day(d), why(d)))
                    .collect();
                let next = if lt {
                    "terminas baigiasi kitą darbo dieną"
                } else {
                    "the time limit ends on the next working day"
                };
                format!(
                    "{} → {next}, {}{}",
                    days.join("; "),
                    day(end),
                    cite(Clause::NextWorkingDay)
                )
            }
            PeriodStep::TwoWorkingDays { first, before, end } => {
                let text = if lt {
                    "apima mažiau nei dvi darbo dienas; dviejų ar daugiau dienų terminas apima bent dvi darbo dienas"
                } else {
                    "includes fewer than two working days; a period of two days or more includes at least two"
                };
                format!(
                    "{} – {} {text}{} → {}",
                    date_str(*first),
                    date_str(*before),
                    cite(Clause::TwoWorkingDays),
                    day(end)
                )
            }
            PeriodStep::Ends(d) if lt => format!("baigiasi {} 24:00 val.", day(d)),
            PeriodStep::Ends(d) => format!("ends {} at 24:00", day(d)),
            PeriodStep::CountedBack {
                period: p,
                anchor,
                start,
            } => {
                let back = computation
                    .cite(Clause::CountedBack)
                    .map(|c| format!(", {}", t.cite(c)))
                    .unwrap_or_default();
                if lt {
                    format!(
                        "{} skaičiuojant atgal nuo {} → {} (skaičiuojant atgal data dėl savaitgalių ar švenčių nekeliama{back})",
                        period(p),
                        day(anchor),
                        day(start)
                    )
                } else {
                    format!(
                        "{} counted back from {} → {} (counted back: it does not move off weekends or holidays{back})",
                        period(p),
                        day(anchor),
                        day(start)
                    )
                }
            }
            PeriodStep::HourStart { event, start } if lt => format!(
                "įvykis {}: ši valanda neskaičiuojama, terminas skaičiuojamas nuo {}{}",
                datetime_str(*event),
                datetime_str(*start),
                cite(Clause::Hours)
            ),
            PeriodStep::HourStart { event, start } => format!(
                "event at {}: that hour is not counted, the period starts at {}{}",
                datetime_str(*event),
                datetime_str(*start),
                cite(Clause::Hours)
            ),
            PeriodStep::HourEnd { period: p, end } if lt => format!(
                "+ {} → baigiasi {} (valandomis skaičiuojamas terminas nekeliamas)",
                period(p),
                datetime_str(*end)
            ),
            PeriodStep::HourEnd { period: p, end } => {
                format!(
                    "+ {} → ends {} (a period in hours does not move)",
                    period(p),
                    datetime_str(*end)
                )
            }
        }
    }
}

/// Where a computation writes its steps, if anyone asked.
type Trace<'t> = Option<&'t mut Vec<PeriodStep>>;

#[inline(always)]
fn step(trace: &mut Trace<'_>, make: impl FnOnce() -> PeriodStep) {
    if let Some(t) = trace.as_deref_mut() {
        t.push(make());
    }
}

fn shift(date: Date, unit: DurationUnit, amount: i64) -> Result<Date, TimeError> {
    if let Some(moved) = shift_by_numbers(date, unit, amount) {
        return Ok(moved);
    }
    let span = match unit {
        DurationUnit::Days => Span::new().try_days(amount),
        DurationUnit::Weeks => Span::new().try_weeks(amount),
        DurationUnit::Months => Span::new().try_months(amount),
        DurationUnit::Years => Span::new().try_years(amount),
        DurationUnit::Hours | DurationUnit::WorkingDays => {
            return Err(TimeError::Unit(
                Period { amount, unit },
                "only days, weeks, months and years move a date",
            ))
        }
    }
    .map_err(|_| out_of_range(format!("{} {amount} {}", date_str(date), unit.word(true))))?;
    date.checked_add(span)
        .map_err(|_| out_of_range(format!("{} + {amount} {}", date_str(date), unit.word(true))))
}

/// Day `day` moved by `amount` days or weeks (see `day_number`); `None`
/// for another unit, and out of jiff's range of dates.
#[inline(always)]
fn days_later(day: i32, unit: DurationUnit, amount: i64) -> Option<i32> {
    let days = match unit {
        DurationUnit::Days => amount,
        DurationUnit::Weeks => amount.checked_mul(7)?,
        _ => return None,
    };
    i32::try_from(i64::from(day).checked_add(days)?)
        .ok()
        .filter(|d| (FIRST_DAY..=LAST_DAY).contains(d))
}

/// [`shift`] on day numbers, without building a [`Span`]: days and weeks
/// on the count of days, months and years on the count of months with the
/// day clamped to the end of a shorter month, as jiff does (the unit tests
/// compare the two). `None` for the other units and out of range, which
/// [`shift`] then handles with jiff (and its errors).
fn shift_by_numbers(date: Date, unit: DurationUnit, amount: i64) -> Option<Date> {
    match unit {
        DurationUnit::Days | DurationUnit::Weeks => {
            date_of(days_later(day_number(date), unit, amount)?)
        }
        DurationUnit::Months | DurationUnit::Years => {
            let months = months_in(unit, amount)?;
            if let Some(n) = months_later(date, months) {
                return date_of(n);
            }
            let total =
                (i64::from(date.year()) * 12 + i64::from(date.month()) - 1).checked_add(months)?;
            let y = i16::try_from(total.div_euclid(12)).ok()?;
            let m = i8::try_from(total.rem_euclid(12) + 1).ok()?;
            let first = Date::new(y, m, 1).ok()?;
            Date::new(y, m, date.day().min(first.days_in_month())).ok()
        }
        DurationUnit::Hours | DurationUnit::WorkingDays => None,
    }
}

/// `amount` months or years as months (`None` past `i64`).
fn months_in(unit: DurationUnit, amount: i64) -> Option<i64> {
    match unit {
        DurationUnit::Years => amount.checked_mul(12),
        _ => Some(amount),
    }
}

/// Plain calendar arithmetic: `date + period`, the day clamped to the end of a
/// shorter month (2026-08-31 + 6 months = 2027-02-28). Negative amounts subtract.
pub fn add_period(date: Date, period: Period) -> Result<Date, TimeError> {
    shift(date, period.unit, period.amount)
}

/// Age in whole years on `on` (a person born on 29 February turns a year older
/// on 1 March in common years).
pub fn age(birth: Date, on: Date) -> i64 {
    let mut years = i64::from(on.year()) - i64::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    i64::from(day_number(b)) - i64::from(day_number(a))
}

/// The day after day `n` (see [`day_number`]).
#[inline(always)]
fn next_day(n: i32) -> Result<i32, TimeError> {
    if n < LAST_DAY {
        Ok(n + 1)
    } else {
        Err(out_of_range(
            to_date(n).map_or_else(|_| n.to_string(), date_str),
        ))
    }
}

/// The date of day `n` (see [`day_number`]).
#[inline(always)]
fn to_date(n: i32) -> Result<Date, TimeError> {
    date_of(n).ok_or_else(|| no_such_day(n))
}

/// Day `n` is not a date jiff has.
fn no_such_day(n: i32) -> TimeError {
    out_of_range(format!("day {n} from 1970-01-01"))
}

/// The first working day from day `day` on (`day` itself if it is one),
/// with the days passed over; an error if the calendar has none for a year.
#[inline(always)]
fn working_from(
    day: i32,
    calendar: &Calendar,
    mut passed: Option<&mut Vec<Date>>,
) -> Result<i32, TimeError> {
    if passed.is_none() {
        // Read off the precomputed days a word at a time, where it can.
        let found = calendar.first_working_day_number(day);
        if let Some(d) = found.filter(|d| d.abs_diff(day) <= MAX_DAYS_OFF) {
            return Ok(d);
        }
    }
    let mut d = day;
    let mut off = 0u32;
    while !calendar.is_working_day_number(d) {
        if let Some(p) = passed.as_deref_mut() {
            p.push(to_date(d)?);
        }
        off += 1;
        if off > MAX_DAYS_OFF {
            return Err(TimeError::NoWorkingDay(
                calendar.name.clone(),
                date_str(to_date(day)?),
            ));
        }
        d = next_day(d)?;
    }
    Ok(d)
}

/// The last day of a time limit that runs from an event on `event`, under
/// `computation` (APR Art. 73, AMMR Art. 75, Reg. 1182/71 Art. 3): the event
/// day is not counted; days end on the last day; weeks, months and years on
/// the same weekday or date, or the last day of a month without that date;
/// working-day periods count working days only; where the rule says so
/// (`next_working_day`), a last day on a Saturday, Sunday or public holiday
/// moves to the next working day; and where it says so (`two_working_days`,
/// Reg. 1182/71 Art. 3(5) only), a period of two days or more includes at
/// least two working days. Hours: see [`deadline_hours`].
#[inline(always)]
pub fn deadline_from(
    event: Date,
    period: Period,
    calendar: &Calendar,
    computation: &Computation,
    mut trace: Trace<'_>,
) -> Result<Date, TimeError> {
    if trace.is_none() {
        let first = day_number(event);
        let plain = plain_end(
            event,
            first,
            period.unit,
            period.amount,
            calendar,
            PlainRule::of(computation),
        );
        if let Some(end) = plain {
            return Ok(end);
        }
    }
    if period.amount < 0 {
        return Err(TimeError::Negative(period));
    }
    step(&mut trace, || PeriodStep::Event(event));
    let n = period.amount;
    // Counted on day numbers; a day is made a date again only for the
    // trace and at the end.
    let first = day_number(event);
    let nominal = match period.unit {
        DurationUnit::Hours => {
            return Err(TimeError::Unit(
                period,
                "a period in hours runs from a date and time (`2026-08-03T14:20`)",
            ))
        }
        DurationUnit::WorkingDays => {
            let mut day = first;
            let mut counted = 0;
            let mut skipped = Vec::new();
            while counted < n {
                let next = next_day(day)?;
                day = working_from(next, calendar, trace.is_some().then_some(&mut skipped))?;
                counted += 1;
            }
            if trace.is_some() {
                let end = to_date(day)?;
                step(&mut trace, || PeriodStep::WorkingDays {
                    period,
                    end,
                    skipped,
                });
            }
            day
        }
        DurationUnit::Days | DurationUnit::Weeks => {
            let end = match days_later(first, period.unit, n) {
                Some(end) => end,
                // (Out of range: `shift` says so.)
                None => day_number(shift(event, period.unit, n)?),
            };
            if trace.is_some() {
                let end = to_date(end)?;
                step(&mut trace, || PeriodStep::Added {
                    period,
                    end,
                    missing_day: None,
                });
            }
            end
        }
        DurationUnit::Months | DurationUnit::Years => {
            // On the table of months, where there is no trace to write.
            let months = months_in(period.unit, n);
            if let (Some(end), None) = (months.and_then(|m| months_later(event, m)), &trace) {
                end
            } else {
                let end = shift(event, period.unit, n)?;
                let missing_day = (end.day() != event.day()).then_some(event.day());
                step(&mut trace, || PeriodStep::Added {
                    period,
                    end,
                    missing_day,
                });
                day_number(end)
            }
        }
    };
    // A last day that is not a working day moves to the next working day,
    // where the computation rule says so.
    let mut end = nominal;
    if computation.has(Clause::NextWorkingDay) {
        let mut passed = Vec::new();
        end = working_from(nominal, calendar, trace.is_some().then_some(&mut passed))?;
        if end != nominal && trace.is_some() {
            let end = to_date(end)?;
            step(&mut trace, || PeriodStep::Moved { passed, end });
        }
    }
    // Reg. 1182/71 Art. 3(5): a period of two days or more includes at least
    // two working days (only where the computation rule has that clause).
    if two_days_or_more(period.unit, n) && computation.has(Clause::TwoWorkingDays) {
        // Two working days in (event, end] are enough: stop counting there.
        let mut working = 0;
        let mut day = first;
        while day < end && working < 2 {
            // The next working day after `day`, read off the precomputed
            // days where it can (else the next day, counted if it works).
            let next = next_day(day)?;
            match calendar.first_working_day_number(next) {
                Some(w) if w <= end => {
                    day = w;
                    working += 1;
                }
                Some(_) => day = end,
                None => {
                    day = next;
                    if calendar.is_working_day_number(day) {
                        working += 1;
                    }
                }
            }
        }
        if working < 2 {
            let before = end;
            while working < 2 {
                end = working_from(next_day(end)?, calendar, None)?;
                working += 1;
            }
            if trace.is_some() {
                let (first, before, end) =
                    (to_date(next_day(first)?)?, to_date(before)?, to_date(end)?);
                step(&mut trace, || PeriodStep::TwoWorkingDays {
                    first,
                    before,
                    end,
                });
            }
        }
    }
    let end = calendar.date_of(end).ok_or_else(|| no_such_day(end))?;
    step(&mut trace, || PeriodStep::Ends(end));
    Ok(end)
}

/// What [`plain_end`] takes from a computation rule: whether it moves a
/// last day off a day that is not a working day (`next_working_day`), and
/// whether a period of two days or more must include two working days
/// (`two_working_days`, Reg. 1182/71 Art. 3(5)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlainRule {
    pub next_working: bool,
    pub two_working_days: bool,
}

impl PlainRule {
    pub fn of(computation: &Computation) -> PlainRule {
        PlainRule {
            next_working: computation.has(Clause::NextWorkingDay),
            two_working_days: computation.has(Clause::TwoWorkingDays),
        }
    }
}

/// The last day of a time limit as [`deadline_from`] computes it without a
/// trace, under the computation rule `rule`, where it is plain: `amount`
/// days, weeks, months or years from `event` (`first` its day number)
/// counted on the tables, the next working day read off the calendar's
/// precomputed days, and under Reg. 1182/71 Art. 3(5) the two working days
/// the period includes found there (where it does not include them, as a
/// period of two days over a weekend, `None`). `None` for everything else
/// (working days, hours, a negative amount, a date beyond the tables, an
/// error), which [`deadline_from`] computes step by step. The one place
/// the usual time limit is computed: `deadline_from` without a trace comes
/// here first, and so does the code generated for the shipped law, with
/// the period and the rule's clauses as constants (`eval::fast`); the
/// explanations, which trace every step, take the long way, and the debug
/// builds compare the two at every time limit an explanation shows.
#[inline(always)]
pub fn plain_end(
    event: Date,
    first: i32,
    unit: DurationUnit,
    amount: i64,
    calendar: &Calendar,
    rule: PlainRule,
) -> Option<Date> {
    if amount < 0 {
        return None;
    }
    let nominal = match unit {
        DurationUnit::Days | DurationUnit::Weeks => days_later(first, unit, amount)?,
        DurationUnit::Months | DurationUnit::Years => {
            months_later(event, months_in(unit, amount)?)?
        }
        DurationUnit::Hours | DurationUnit::WorkingDays => return None,
    };
    let end = if rule.next_working {
        calendar
            .first_working_day_number(nominal)
            .filter(|d| d.abs_diff(nominal) <= MAX_DAYS_OFF)?
    } else {
        nominal
    };
    if rule.two_working_days && two_days_or_more(unit, amount) {
        // Two working days after the event, on or before the last day.
        let one = calendar.first_working_day_number(first.checked_add(1)?)?;
        let two = calendar.first_working_day_number(one.checked_add(1)?)?;
        if two > end {
            return None;
        }
    }
    calendar.date_of(end)
}

/// Whether a period is one of "two days or more" (Reg. 1182/71 Art. 3(5)):
/// two days or working days, or one week, month or year.
fn two_days_or_more(unit: DurationUnit, amount: i64) -> bool {
    match unit {
        DurationUnit::Days | DurationUnit::WorkingDays => amount >= 2,
        _ => amount >= 1,
    }
}

/// The start of a period counted back from `anchor` (`deadline(before: …)`),
/// e.g. the date 3 years before a Council act. Retroactive periods do not move
/// off weekends or holidays (Art. 3(4), last sentence).
pub fn deadline_before(
    anchor: Date,
    period: Period,
    mut trace: Trace<'_>,
) -> Result<Date, TimeError> {
    if period.amount < 0 {
        return Err(TimeError::Negative(period));
    }
    if matches!(period.unit, DurationUnit::Hours | DurationUnit::WorkingDays) {
        return Err(TimeError::Unit(
            period,
            "a period counted back runs in days, weeks, months or years",
        ));
    }
    let start = shift(anchor, period.unit, -period.amount)?;
    step(&mut trace, || PeriodStep::CountedBack {
        period,
        anchor,
        start,
    });
    Ok(start)
}

/// The end of a period in hours (Art. 3(1) first subparagraph, 3(2)(a)): the
/// hour during which the event happens is not counted, so the period starts at
/// the next full hour. No move off weekends or holidays.
pub fn deadline_hours(
    event: DateTime,
    period: Period,
    mut trace: Trace<'_>,
) -> Result<DateTime, TimeError> {
    if period.unit != DurationUnit::Hours {
        return Err(TimeError::Unit(period, "a date and time is moved by hours"));
    }
    if period.amount < 0 {
        return Err(TimeError::Negative(period));
    }
    let hour_start = event
        .with()
        .minute(0)
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .map_err(|_| out_of_range(datetime_str(event)))?;
    let start = hour_start
        .checked_add(Span::new().hours(1))
        .map_err(|_| out_of_range(datetime_str(event)))?;
    let end = start
        .checked_add(
            Span::new()
                .try_hours(period.amount)
                .map_err(|_| out_of_range(period))?,
        )
        .map_err(|_| out_of_range(period))?;
    step(&mut trace, || PeriodStep::HourStart { event, start });
    step(&mut trace, || PeriodStep::HourEnd { period, end });
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{DayRule, Holiday};
    use jiff::civil::date;

    fn lt() -> Calendar {
        let fixed = |name: &str, day, month| Holiday {
            name: name.into(),
            rule: DayRule::Fixed { day, month },
            citation: None,
            from: None,
            until: None,
        };
        let mut holidays = vec![
            fixed("New Year's Day", 1, 1),
            fixed("Statehood Day", 6, 7),
            fixed("Christmas Eve", 24, 12),
            fixed("Christmas Day", 25, 12),
            fixed("Second Day of Christmas", 26, 12),
        ];
        holidays.push(Holiday {
            name: "Easter Monday".into(),
            rule: DayRule::Easter { offset: 1 },
            citation: None,
            from: None,
            until: None,
        });
        Calendar::new("LT".into(), None, None, holidays)
    }

    fn p(amount: i64, unit: DurationUnit) -> Period {
        Period { amount, unit }
    }

    #[test]
    fn day_number_arithmetic_is_jiffs() {
        // Every unit both ways over four years of start days (leap days and
        // month ends included), and near the ends of jiff's range.
        let mut starts: Vec<Date> = Vec::new();
        let mut d = Date::constant(2023, 1, 1);
        while d < Date::constant(2027, 1, 1) {
            starts.push(d);
            d = d.tomorrow().unwrap_or(d);
        }
        // The last days the tables have, and the first they do not.
        let mut d = Date::constant(2109, 10, 1);
        while d < Date::constant(2110, 3, 1) {
            starts.push(d);
            d = d.tomorrow().unwrap_or(d);
        }
        starts.extend([Date::constant(-9999, 1, 1), Date::constant(9999, 12, 31)]);
        for &start in &starts {
            for unit in [
                DurationUnit::Days,
                DurationUnit::Weeks,
                DurationUnit::Months,
                DurationUnit::Years,
            ] {
                for amount in [-400, -13, -1, 0, 1, 2, 5, 6, 12, 18, 21, 400] {
                    let span = match unit {
                        DurationUnit::Days => Span::new().days(amount),
                        DurationUnit::Weeks => Span::new().weeks(amount),
                        DurationUnit::Months => Span::new().months(amount),
                        _ => Span::new().years(amount),
                    };
                    assert_eq!(
                        shift_by_numbers(start, unit, amount),
                        start.checked_add(span).ok(),
                        "{start} {amount} {unit:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn plain_arithmetic_clamps_to_month_end() {
        assert_eq!(
            add_period(date(2026, 8, 31), p(6, DurationUnit::Months)),
            Ok(date(2027, 2, 28))
        );
        assert_eq!(
            add_period(date(2028, 2, 29), p(1, DurationUnit::Years)),
            Ok(date(2029, 2, 28))
        );
    }

    #[test]
    fn holiday_roll_is_explained() {
        let mut trace = Vec::new();
        let end = deadline_from(
            date(2026, 10, 1),
            p(12, DurationUnit::Weeks),
            &lt(),
            Computation::reg_1182_71(),
            Some(&mut trace),
        );
        assert_eq!(end, Ok(date(2026, 12, 28)));
        let text = trace
            .iter()
            .map(|s| s.render(Some(&lt()), Computation::reg_1182_71()))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            text.contains("Thu 2026-12-24 is a public holiday (Christmas Eve)"),
            "{text}"
        );
        assert!(text.contains("Sun 2026-12-27 is a Sunday"), "{text}");
        assert!(text.contains("ends Mon 2026-12-28"), "{text}");
    }

    #[test]
    fn retroactive_periods_do_not_roll() {
        // 2023-12-10 is a Sunday: a forward period would move; a retroactive one does not.
        assert_eq!(
            deadline_before(date(2026, 12, 10), p(3, DurationUnit::Years), None),
            Ok(date(2023, 12, 10))
        );
    }

    #[test]
    fn ages_in_whole_years() {
        assert_eq!(age(date(2009, 3, 2), date(2027, 3, 1)), 17);
        assert_eq!(age(date(2009, 3, 2), date(2027, 3, 2)), 18);
        assert_eq!(days_between(date(2026, 1, 1), date(2027, 1, 1)), 365);
        assert_eq!(days_between(date(2027, 1, 1), date(2026, 1, 1)), -365);
    }

    /// A day's number, and the day of a number, are jiff's count of days
    /// from 1970-01-01, over the whole of jiff's range of dates.
    #[test]
    fn day_numbers_are_jiffs_days() {
        let epoch = Date::constant(1970, 1, 1);
        let mut d = Date::MIN;
        while d < Date::MAX {
            let days = (d - epoch).get_days();
            assert_eq!(day_number(d), days, "{d}");
            assert_eq!(date_of(days), Some(d), "{d}");
            d = d.checked_add(Span::new().days(997)).unwrap_or(Date::MAX);
        }
        assert_eq!(day_number(Date::MAX), LAST_DAY);
        assert_eq!(day_number(Date::MIN), FIRST_DAY);
        assert_eq!(date_of(LAST_DAY + 1), None);
        assert_eq!(date_of(day_number(Date::MIN) - 1), None);
    }

    /// The time limit counted on day numbers is the one counted date by
    /// date (as it was before: the reference below), for every kind of
    /// period, each computation's switches, and three years of events;
    /// without a trace (the usual time limit through `plain_end`, as the
    /// evaluation computes it) and with one (every step, as explanations
    /// show it).
    #[test]
    fn time_limits_on_day_numbers_are_counted_date_by_date() {
        fn working_from(mut d: Date, cal: &Calendar) -> Date {
            while !cal.is_working_day(d) {
                d = d.tomorrow().unwrap_or(d);
            }
            d
        }
        fn reference(event: Date, p: Period, cal: &Calendar, next: bool, two: bool) -> Date {
            let tomorrow = |d: Date| d.tomorrow().unwrap_or(d);
            let mut end = match p.unit {
                DurationUnit::WorkingDays => {
                    let mut day = event;
                    for _ in 0..p.amount {
                        day = working_from(tomorrow(day), cal);
                    }
                    day
                }
                _ => shift(event, p.unit, p.amount).unwrap_or(event),
            };
            if next {
                end = working_from(end, cal);
            }
            let two_or_more = match p.unit {
                DurationUnit::Days | DurationUnit::WorkingDays => p.amount >= 2,
                _ => p.amount >= 1,
            };
            if two && two_or_more {
                let mut working = 0;
                let mut day = event;
                while day < end && working < 2 {
                    day = tomorrow(day);
                    working += i32::from(cal.is_working_day(day));
                }
                while working < 2 {
                    end = working_from(tomorrow(end), cal);
                    working += 1;
                }
            }
            end
        }
        let cal = lt();
        let rule = |next: bool, two: bool| {
            let mut clauses = Vec::new();
            if next {
                clauses.push((Clause::NextWorkingDay, "next".into()));
            }
            if two {
                clauses.push((Clause::TwoWorkingDays, "two".into()));
            }
            Computation::new("test", None, clauses)
        };
        let periods: Vec<Period> = (0..40)
            .map(|n| p(n, DurationUnit::Days))
            .chain((0..20).map(|n| p(n, DurationUnit::Weeks)))
            .chain((0..15).map(|n| p(n, DurationUnit::Months)))
            .chain((0..12).map(|n| p(n, DurationUnit::WorkingDays)))
            .chain((0..3).map(|n| p(n, DurationUnit::Years)))
            .collect();
        let mut event = Date::constant(2025, 12, 1);
        while event < Date::constant(2028, 12, 31) {
            for &period in &periods {
                for (next, two) in [(false, false), (true, false), (true, true), (false, true)] {
                    let (rule, expected) = (
                        rule(next, two),
                        Ok(reference(event, period, &cal, next, two)),
                    );
                    assert_eq!(
                        deadline_from(event, period, &cal, &rule, None),
                        expected,
                        "{event} + {period:?}, next working day {next}, two working days {two}"
                    );
                    let mut steps = Vec::new();
                    assert_eq!(
                        deadline_from(event, period, &cal, &rule, Some(&mut steps)),
                        expected,
                        "{event} + {period:?}, next working day {next}, two working days {two}, traced"
                    );
                }
            }
            event = event.tomorrow().unwrap_or(Date::MAX);
        }
    }

    #[test]
    fn negative_and_misplaced_units_are_errors() {
        let reg = Computation::reg_1182_71();
        assert!(deadline_from(
            date(2026, 1, 1),
            p(-1, DurationUnit::Days),
            &lt(),
            reg,
            None
        )
        .is_err());
        assert!(deadline_from(
            date(2026, 1, 1),
            p(3, DurationUnit::Hours),
            &lt(),
            reg,
            None
        )
        .is_err());
        assert!(add_period(date(2026, 1, 1), p(3, DurationUnit::WorkingDays)).is_err());
        assert!(add_period(date(9999, 1, 1), p(3, DurationUnit::Years)).is_err());
    }
}
