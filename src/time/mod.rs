//! Legal time: units of time, plain calendar arithmetic, public-holiday
//! calendars, computation rules (APR Art. 73, AMMR Art. 75, Council
//! Regulation (EEC, Euratom) No 1182/71 Art. 3) and the end of time limits
//! under them, each step explained with the provision that states it.
//!
//! Pure functions over `jiff` civil dates; nothing here knows about rules or
//! records. Holiday calendars are data, declared in rule files (`calendar`).

mod calendar;
mod computation;
mod period;

pub(crate) use calendar::day_number;
pub use calendar::{easter_sunday, Calendar, DayRule, Holiday};
pub use computation::{Clause, Computation};
pub use period::{
    add_period, age, day_words, days_between, deadline_before, deadline_from, deadline_hours,
    period_words, English, PeriodStep, TimeError, Tongue,
};
pub(crate) use period::{plain_end, PlainRule};

/// The unit of a period of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DurationUnit {
    Hours,
    Days,
    WorkingDays,
    Weeks,
    Months,
    Years,
}

impl DurationUnit {
    pub fn word(self, plural: bool) -> &'static str {
        match (self, plural) {
            (DurationUnit::Hours, false) => "hour",
            (DurationUnit::Hours, true) => "hours",
            (DurationUnit::Days, false) => "day",
            (DurationUnit::Days, true) => "days",
            (DurationUnit::WorkingDays, false) => "working day",
            (DurationUnit::WorkingDays, true) => "working days",
            (DurationUnit::Weeks, false) => "week",
            (DurationUnit::Weeks, true) => "weeks",
            (DurationUnit::Months, false) => "month",
            (DurationUnit::Months, true) => "months",
            (DurationUnit::Years, false) => "year",
            (DurationUnit::Years, true) => "years",
        }
    }

    pub fn parse(word: &str) -> Option<DurationUnit> {
        let mut parts = word.split_whitespace();
        let unit = match parts.next()? {
            "hour" | "hours" => DurationUnit::Hours,
            "day" | "days" => DurationUnit::Days,
            "week" | "weeks" => DurationUnit::Weeks,
            "month" | "months" => DurationUnit::Months,
            "year" | "years" => DurationUnit::Years,
            "working" => match parts.next()? {
                "day" | "days" => DurationUnit::WorkingDays,
                _ => return None,
            },
            _ => return None,
        };
        match parts.next() {
            Some(_) => None,
            None => Some(unit),
        }
    }
}
