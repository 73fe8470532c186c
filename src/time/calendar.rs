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
    /// For each year from `CACHE_FROM`, a bit per day of the year: is it a
    /// Saturday, Sunday or public holiday? Computed once, so a time limit never
    /// recomputes Easter or a weekday.
    cache: Vec<[u64; 6]>,
}

/// The years whose holidays are precomputed; others are computed when asked.
const CACHE_FROM: i16 = 1990;
const CACHE_YEARS: usize = 120;

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
        };
        let cache = (0..CACHE_YEARS)
            .map(|i| {
                let mut bits = [0u64; 6];
                let year = CACHE_FROM + i as i16;
                let mut set = |d: Date| {
                    let day = d.day_of_year() as usize - 1;
                    if let Some(word) = bits.get_mut(day / 64) {
                        *word |= 1 << (day % 64);
                    }
                };
                for (d, _) in cal.holidays_in(year) {
                    set(d);
                }
                // Weekends too, so one lookup answers "is it a working day?".
                if let Ok(first) = Date::new(year, 1, 1) {
                    let monday_based = first.weekday().to_monday_zero_offset() as usize;
                    let days = if first.in_leap_year() { 366 } else { 365 };
                    for day in (0..days).filter(|d| (monday_based + d) % 7 >= 5) {
                        if let Some(word) = bits.get_mut(day / 64) {
                            *word |= 1 << (day % 64);
                        }
                    }
                }
                bits
            })
            .collect();
        cal.cache = cache;
        cal
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
        let index = usize::try_from(date.year() - CACHE_FROM).ok();
        match index.and_then(|i| self.cache.get(i)) {
            Some(bits) => {
                let day = date.day_of_year() as usize - 1;
                bits.get(day / 64)
                    .is_none_or(|w| w & (1 << (day % 64)) == 0)
            }
            None => {
                !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
                    && self.holiday(date).is_none()
            }
        }
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
            (Weekday::Saturday, true) => Some("šeštadienis"),
            (Weekday::Sunday, true) => Some("sekmadienis"),
            _ => None,
        };
        let holiday = self.holiday(date).map(|h| {
            let (what, name) = if lt {
                ("šventinė diena", t.holiday(&h.name))
            } else {
                ("a public holiday", h.name.clone())
            };
            match &h.citation {
                Some(c) => format!("{what} ({name}, {})", t.cite(c)),
                None => format!("{what} ({name})"),
            }
        });
        let and = if lt { "ir" } else { "and" };
        match (weekend, holiday) {
            (None, None) => None,
            (Some(w), None) => Some(w.to_string()),
            (None, Some(h)) => Some(h),
            (Some(w), Some(h)) => Some(format!("{w} {and} {h}")),
        }
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
