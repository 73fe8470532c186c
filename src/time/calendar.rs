//! Public-holiday calendars: named days with the rule that places them in any
//! year (fixed date, Easter-relative, n-th weekday of a month) and the period in
//! which each is a holiday.

use jiff::civil::{Date, Weekday};

/// When a holiday falls in a given year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayRule {
    /// Day and month (1-based).
    Fixed { day: u8, month: u8 },
    /// Easter Sunday (Western, Gregorian computus) plus a number of days.
    Easter { offset: i16 },
    /// The n-th (1-4, or 5 for "last") weekday (1 = Monday) of a month.
    NthWeekday { nth: u8, weekday: u8, month: u8 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Holiday {
    pub name: String,
    pub rule: DayRule,
    /// Display text of the citation, e.g. `LC Art. 123(1)`.
    pub citation: Option<String>,
    pub from: Option<Date>,
    pub until: Option<Date>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    pub name: String,
    pub title: Option<String>,
    pub citation: Option<String>,
    holidays: Vec<Holiday>,
    /// A bit per day from `CACHE_FROM`-01-01 on, for `CACHE_YEARS` years
    /// (by day number, see `day_number`): is it a Saturday, Sunday or
    /// public holiday? Computed once, so a time limit never recomputes
    /// Easter or a weekday.
    cache: Vec<u64>,
    /// The table of dates of those years, where [`Calendar::date_of`]
    /// reads it without asking whether it is made yet.
    dates: Dates,
}

/// [`DATES`], once made.
#[derive(Clone, Copy)]
struct Dates(&'static [Date]);

impl std::fmt::Debug for Dates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} dates", self.0.len())
    }
}

/// (Always the same table.)
impl PartialEq for Dates {
    fn eq(&self, _: &Dates) -> bool {
        true
    }
}

/// The years whose holidays are precomputed; others are computed when asked.
const CACHE_FROM: i16 = 1990;
const CACHE_YEARS: usize = 120;

/// The numbers of `CACHE_FROM`-01-01 and of the first day after the
/// `CACHE_YEARS` (see `day_number`).
const CACHE_START: i32 = 7_305;
#[allow(clippy::indexing_slicing)] // (At compile time: the array's last.)
const CACHE_END: i32 = YEAR_STARTS[CACHE_YEARS];

/// The numbers of the first and the last date jiff has, -9999-01-01 and
/// 9999-12-31.
pub(super) const FIRST_DAY: i32 = -4_371_587;
pub(super) const LAST_DAY: i32 = 2_932_896;

/// The number of 1 January of each of the `CACHE_YEARS` years from
/// `CACHE_FROM`, and of the year after (see `day_number`).
const YEAR_STARTS: [i32; CACHE_YEARS + 1] = year_starts();

#[allow(clippy::indexing_slicing)] // (`i` runs over the array's indices.)
const fn year_starts() -> [i32; CACHE_YEARS + 1] {
    let mut starts = [0; CACHE_YEARS + 1];
    let mut day = CACHE_START;
    let mut i = 0;
    while i < starts.len() {
        starts[i] = day;
        let y = CACHE_FROM as i32 + i as i32;
        day += if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
            366
        } else {
            365
        };
        i += 1;
    }
    starts
}

/// Days in a year before each month: in a common year, in a leap year.
const MONTH_STARTS: [[i32; 12]; 2] = [
    [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334],
    [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335],
];

/// The month and day of each day of a year, from its first (0): in a
/// common year, in a leap year (for `date_of`: a search through
/// `MONTH_STARTS` was a third of its instructions).
const MONTH_DAYS: [[(i8, i8); 366]; 2] = month_days();

#[allow(clippy::indexing_slicing)] // (At compile time: within the tables.)
const fn month_days() -> [[(i8, i8); 366]; 2] {
    let mut table = [[(0, 0); 366]; 2];
    let mut leap = 0;
    while leap < 2 {
        let mut day = 0;
        let mut month = 0;
        while day < 365 + leap {
            while month < 11 && MONTH_STARTS[leap][month + 1] <= day as i32 {
                month += 1;
            }
            let first = MONTH_STARTS[leap][month] as usize;
            table[leap][day] = (month as i8 + 1, (day - first) as i8 + 1);
            day += 1;
        }
        leap += 1;
    }
    table
}

/// The number of the first day of each month of the `CACHE_YEARS` years
/// from `CACHE_FROM` (January of the first year first), and of the day
/// after them (see `day_number`): a month's length is the next month's
/// first minus its own.
const MONTH_FIRSTS: [i32; CACHE_YEARS * 12 + 1] = month_firsts();

#[allow(clippy::indexing_slicing)] // (At compile time: within the tables.)
const fn month_firsts() -> [i32; CACHE_YEARS * 12 + 1] {
    let mut firsts = [0; CACHE_YEARS * 12 + 1];
    let mut y = 0;
    while y < CACHE_YEARS {
        let leap = (YEAR_STARTS[y + 1] - YEAR_STARTS[y] == 366) as usize;
        let mut m = 0;
        while m < 12 {
            firsts[y * 12 + m] = YEAR_STARTS[y] + MONTH_STARTS[leap][m];
            m += 1;
        }
        y += 1;
    }
    firsts[CACHE_YEARS * 12] = YEAR_STARTS[CACHE_YEARS];
    firsts
}

/// Every date of the `CACHE_YEARS` years from `CACHE_FROM`, by day number
/// from `CACHE_START`, made at first use from the month and day tables
/// (for `date_of`, which took 55 instructions a date without it, at each
/// of the 8.5 time limits of a case; made at compile time, the table took
/// the crate's build 6 s longer).
static DATES: std::sync::LazyLock<Box<[Date]>> = std::sync::LazyLock::new(|| {
    let mut dates = Vec::with_capacity(usize::try_from(CACHE_END - CACHE_START).unwrap_or(0));
    for (y, start) in YEAR_STARTS.windows(2).enumerate() {
        let [start, next] = *start else { break };
        let Some(days) = MONTH_DAYS.get(usize::from(next - start == 366)) else {
            break;
        };
        let year = CACHE_FROM + i16::try_from(y).unwrap_or(0);
        for &(m, d) in days.iter().take(usize::try_from(next - start).unwrap_or(0)) {
            // (Every month and day of the tables is a date.)
            dates.push(Date::new(year, m, d).unwrap_or(Date::MIN));
        }
    }
    dates.into_boxed_slice()
});

/// The index in `MONTH_FIRSTS` of the month `months` after the month of
/// `date`, where it is tabled.
#[inline(always)]
fn month_index(date: Date, months: i64) -> Option<usize> {
    let k = (i64::from(date.year()) - i64::from(CACHE_FROM)) * 12 + i64::from(date.month()) - 1;
    usize::try_from(k.checked_add(months)?)
        .ok()
        .filter(|k| *k < CACHE_YEARS * 12)
}

/// The number of a day: days since 1970-01-01 (civil, proleptic
/// Gregorian). Time limits are counted on these numbers. From tables for
/// the years the calendars precompute, else by Howard Hinnant's
/// `days_from_civil` (the tests compare the two on every day).
#[inline]
pub fn day_number(date: Date) -> i32 {
    match month_index(date, 0).and_then(|k| MONTH_FIRSTS.get(k)) {
        Some(first) => first + i32::from(date.day()) - 1,
        None => days_from_civil(date),
    }
}

/// The number of the day `months` months after `date`: the same day of
/// the month, or the last day of a month without it (as jiff adds
/// months); `None` where the month is not tabled (the caller then asks
/// jiff).
#[inline]
pub(super) fn months_later(date: Date, months: i64) -> Option<i32> {
    let k = month_index(date, months)?;
    let (first, next) = (*MONTH_FIRSTS.get(k)?, *MONTH_FIRSTS.get(k + 1)?);
    Some(first + (i32::from(date.day()) - 1).min(next - first - 1))
}

/// Howard Hinnant's `days_from_civil`: `day_number` of any date.
fn days_from_civil(date: Date) -> i32 {
    let y = i32::from(date.year()) - i32::from(date.month() <= 2);
    let m = i32::from(date.month());
    let d = i32::from(date.day());
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day numbered `n` (see `day_number`); `None` outside jiff's range
/// of dates (years -9999 to 9999). From the table of dates for the years
/// the calendars precompute, else by Howard Hinnant's `civil_from_days`.
#[inline]
pub fn date_of(n: i32) -> Option<Date> {
    date_in(&DATES, n)
}

/// [`date_of`] from `dates`, the table of dates.
#[inline(always)]
fn date_in(dates: &[Date], n: i32) -> Option<Date> {
    let tabled = n
        .checked_sub(CACHE_START)
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| dates.get(i));
    match tabled {
        Some(date) => Some(*date),
        None => civil_from_days(n),
    }
}

/// Howard Hinnant's `civil_from_days`: `date_of` any day number.
fn civil_from_days(n: i32) -> Option<Date> {
    let z = n.checked_add(719_468)?;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    // Day and month are within 1..=31 and 1..=12 by construction.
    Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()
}

impl DayRule {
    /// The date of this day in `year`, if it exists.
    pub fn in_year(self, year: i16) -> Option<Date> {
        match self {
            DayRule::Fixed { day, month } => Date::new(year, month as i8, day as i8).ok(),
            DayRule::Easter { offset } => {
                let easter = easter_sunday(year)?;
                easter
                    .checked_add(jiff::Span::new().days(i64::from(offset)))
                    .ok()
            }
            DayRule::NthWeekday {
                nth,
                weekday,
                month,
            } => {
                let wd = Weekday::from_monday_one_offset(weekday as i8).ok()?;
                let first = Date::new(year, month as i8, 1).ok()?;
                if nth >= 5 {
                    first.last_of_month().nth_weekday_of_month(-1, wd).ok()
                } else {
                    first.nth_weekday_of_month(nth as i8, wd).ok()
                }
            }
        }
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm,
/// Meeus/Jones/Butcher).
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

impl Calendar {
    pub fn new(
        name: String,
        title: Option<String>,
        citation: Option<String>,
        holidays: Vec<Holiday>,
    ) -> Calendar {
        let mut cal = Calendar {
            name,
            title,
            citation,
            holidays,
            cache: Vec::new(),
            dates: Dates(&DATES),
        };
        let mut cache = vec![0u64; (CACHE_END - CACHE_START).unsigned_abs().div_ceil(64) as usize];
        let mut set = |n: i32| {
            if let Ok(i) = usize::try_from(n - CACHE_START) {
                if let Some(word) = cache.get_mut(i / 64) {
                    *word |= 1 << (i % 64);
                }
            }
        };
        for i in 0..CACHE_YEARS {
            for (d, _) in cal.holidays_in(CACHE_FROM + i as i16) {
                set(day_number(d));
            }
        }
        // Weekends too, so one lookup answers "is it a working day?"
        // (1970-01-01, day 0, was a Thursday: Saturdays are day 2 mod 7).
        for n in (CACHE_START..CACHE_END).filter(|n| (n + 3).rem_euclid(7) >= 5) {
            set(n);
        }
        cal.cache = cache;
        cal
    }

    /// The date of day `n`, as `date_of` has it, from the table the
    /// calendar holds (what a time limit ends with).
    #[inline]
    pub fn date_of(&self, n: i32) -> Option<Date> {
        date_in(self.dates.0, n)
    }

    /// The holiday declared with this name, if any.
    pub fn holiday_named(&self, name: &str) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.name == name)
    }

    /// The holiday on `date`, if any (the first declared, where two coincide).
    pub fn holiday(&self, date: Date) -> Option<&Holiday> {
        self.holidays.iter().find(|h| {
            h.rule.in_year(date.year()) == Some(date)
                && h.from.is_none_or(|f| f <= date)
                && h.until.is_none_or(|u| date <= u)
        })
    }

    /// Not a Saturday, Sunday or public holiday (Reg. 1182/71 Art. 2(2)).
    pub fn is_working_day(&self, date: Date) -> bool {
        self.is_working_day_number(day_number(date))
    }

    /// [`Calendar::is_working_day`] of the day numbered `n` (see
    /// `day_number`).
    pub fn is_working_day_number(&self, n: i32) -> bool {
        let cached = usize::try_from(n - CACHE_START)
            .ok()
            .filter(|_| n < CACHE_END)
            .and_then(|i| self.cache.get(i / 64).map(|w| w & (1 << (i % 64)) == 0));
        match cached {
            Some(working) => working,
            None => match date_of(n) {
                Some(date) => {
                    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
                        && self.holiday(date).is_none()
                }
                None => false,
            },
        }
    }

    /// The first working day from the day numbered `n` on (`n` itself if
    /// it is one), read off the precomputed days a word at a time; `None`
    /// where the answer lies outside them (the caller then asks
    /// [`Calendar::is_working_day_number`] day by day).
    pub fn first_working_day_number(&self, n: i32) -> Option<i32> {
        let i = usize::try_from(n.checked_sub(CACHE_START)?).ok()?;
        let mut word = i / 64;
        // A set bit is a day off: the working days are the zeros, from `i` on.
        let mut working = !self.cache.get(word)? & (!0u64 << (i % 64));
        while working == 0 {
            word += 1;
            working = !*self.cache.get(word)?;
        }
        let found = i32::try_from(word * 64 + working.trailing_zeros() as usize).ok()?;
        // (The last word's bits after the precomputed days are zeros.)
        Some(found + CACHE_START).filter(|d| *d < CACHE_END)
    }

    /// Why `date` is not a working day, in words, or `None` if it is one.
    pub fn why_not_working(&self, date: Date) -> Option<String> {
        self.why_not_working_in(date, &super::English)
    }

    /// [`Calendar::why_not_working`] in the words of `t`'s language.
    pub fn why_not_working_in(&self, date: Date, t: &dyn super::Tongue) -> Option<String> {
        let lt = t.lang() == crate::lang::Lang::Lt;
        let weekend = match (date.weekday(), lt) {
            (Weekday::Saturday, false) => Some("a Saturday"),
            (Weekday::Sunday, false) => Some("a Sunday"),
            // The Lithuanian date names its weekday already ("2026-12-12
            // (šeštadienis)"): the reason says what that makes it.
            (Weekday::Saturday | Weekday::Sunday, true) => Some("savaitgalio diena"),
            _ => None,
        };
        let holiday = self.holiday_words_in(date, t);
        let and = if lt { "ir" } else { "and" };
        match (weekend, holiday) {
            (None, None) => None,
            (Some(w), None) => Some(w.to_string()),
            (None, Some(h)) => Some(h),
            (Some(w), Some(h)) => Some(format!("{w} {and} {h}")),
        }
    }

    /// The public holiday `date` is, in the words of `t`'s language (its
    /// name and citation), or `None` if it is none.
    pub fn holiday_words_in(&self, date: Date, t: &dyn super::Tongue) -> Option<String> {
        self.holiday(date).map(|h| {
            let (what, name) = if t.lang() == crate::lang::Lang::Lt {
                ("šventinė diena", t.holiday(&h.name))
            } else {
                ("a public holiday", h.name.clone())
            };
            match &h.citation {
                Some(c) => format!("{what} ({name}, {})", t.cite(c)),
                None => format!("{what} ({name})"),
            }
        })
    }

    /// The holidays of a year in date order, for review (`lsa` explanations and tests).
    pub fn holidays_in(&self, year: i16) -> Vec<(Date, &Holiday)> {
        let mut days: Vec<(Date, &Holiday)> = self
            .holidays
            .iter()
            .filter_map(|h| h.rule.in_year(year).map(|d| (d, h)))
            .filter(|(d, h)| h.from.is_none_or(|f| f <= *d) && h.until.is_none_or(|u| *d <= u))
            .collect();
        days.sort_by_key(|(d, _)| *d);
        days
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_dates_match_the_legal_brief() {
        assert_eq!(easter_sunday(2025), Some(date(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(date(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(date(2027, 3, 28)));
        assert_eq!(easter_sunday(2038), Some(date(2038, 4, 25)));
    }

    /// The precomputed bits say, for every day of the years they cover,
    /// what the weekday and the holidays say (a holiday in force only part
    /// of the time included), and the days before and after them are
    /// computed the same way.
    #[test]
    fn working_days_precomputed_are_the_calendars() {
        let holiday = |name: &str, rule, from, until| Holiday {
            name: name.into(),
            rule,
            citation: None,
            from,
            until,
        };
        let cal = Calendar::new(
            "T".into(),
            None,
            None,
            vec![
                holiday("Fixed", DayRule::Fixed { day: 6, month: 7 }, None, None),
                holiday("Easter", DayRule::Easter { offset: 1 }, None, None),
                holiday(
                    "Later",
                    DayRule::NthWeekday {
                        nth: 1,
                        weekday: 1,
                        month: 3,
                    },
                    Some(date(2000, 1, 1)),
                    Some(date(2030, 12, 31)),
                ),
            ],
        );
        let mut d = date(1985, 1, 1);
        while d < date(2115, 1, 1) {
            let working = !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
                && cal.holiday(d).is_none();
            assert_eq!(cal.is_working_day(d), working, "{d}");
            d = d.tomorrow().unwrap_or(Date::MAX);
        }
        assert_eq!(day_number(date(CACHE_FROM, 1, 1)), CACHE_START);
        let after = CACHE_FROM + CACHE_YEARS as i16;
        assert_eq!(day_number(date(after, 1, 1)), CACHE_END);
    }

    /// The first working day read a word at a time is the first that
    /// `is_working_day_number` finds day by day, from every day of the
    /// precomputed years (and a year either side, where it answers only
    /// inside them), in a calendar whose summer is 80 days off in a row
    /// (longer than a word) besides its weekends.
    #[test]
    fn first_working_day_is_the_day_by_day_search() {
        let summer = (0..80).filter_map(|k| {
            let d = date(2001, 7, 1)
                .checked_add(jiff::Span::new().days(k))
                .ok()?;
            Some(Holiday {
                name: format!("Summer {k}"),
                rule: DayRule::Fixed {
                    day: u8::try_from(d.day()).ok()?,
                    month: u8::try_from(d.month()).ok()?,
                },
                citation: None,
                from: None,
                until: None,
            })
        });
        for cal in [
            Calendar::new("T".into(), None, None, summer.collect()),
            Calendar::new("W".into(), None, None, Vec::new()),
        ] {
            let mut next = None;
            for n in (CACHE_START - 366..CACHE_END + 366).rev() {
                if cal.is_working_day_number(n) {
                    next = Some(n);
                }
                let inside =
                    (CACHE_START..CACHE_END).contains(&n) && next.is_some_and(|d| d < CACHE_END);
                let expected = next.filter(|_| inside);
                assert_eq!(
                    cal.first_working_day_number(n),
                    expected,
                    "{} day {n}",
                    cal.name
                );
            }
        }
    }

    /// The tables give the day numbers Hinnant's algorithms give, both
    /// ways (the calendar's table of dates too), for every day of the
    /// years they cover and a few years around.
    #[test]
    fn day_number_tables_are_the_algorithms() {
        let cal = Calendar::new("W".into(), None, None, Vec::new());
        let mut d = date(1985, 1, 1);
        while d < date(2115, 1, 1) {
            let n = days_from_civil(d);
            assert_eq!(day_number(d), n, "{d}");
            assert_eq!(date_of(n), Some(d), "{d}");
            assert_eq!(cal.date_of(n), Some(d), "{d}");
            assert_eq!(civil_from_days(n), Some(d), "{d}");
            d = d.tomorrow().unwrap_or(Date::MAX);
        }
    }

    #[test]
    fn nth_weekday_rules() {
        let mothers_day = DayRule::NthWeekday {
            nth: 1,
            weekday: 7,
            month: 5,
        };
        assert_eq!(mothers_day.in_year(2026), Some(date(2026, 5, 3)));
        let fathers_day = DayRule::NthWeekday {
            nth: 1,
            weekday: 7,
            month: 6,
        };
        assert_eq!(fathers_day.in_year(2026), Some(date(2026, 6, 7)));
        let last_monday_may = DayRule::NthWeekday {
            nth: 5,
            weekday: 1,
            month: 5,
        };
        assert_eq!(last_monday_may.in_year(2026), Some(date(2026, 5, 25)));
    }
}
