//! The ends of time limits this thread has worked out, kept for the cases
//! that follow: a time limit's end depends only on the day it runs from,
//! its period, the calendar and the computation rule, and the cases of a
//! caseload run from the same days again and again (every application
//! lodged on a day has the same ten working days to its interview).
//!
//! A table of a fixed size, each end in one of the two places its question
//! hashes to (the newer of the two first; a third question there replaces
//! the older), each with the whole question it answers: an end is only
//! ever given for the very question it was worked out for. What it cannot put in its key (a period of more than
//! 65,535 units, more than 16 calendars at once) is worked out each time.

use std::sync::Arc;

use jiff::civil::Date;

use crate::time::{self, Calendar, Computation, DurationUnit, TimeError};
use crate::value::Period;

/// The table's places, as a power of two (32,768 places of 16 bytes in
/// pairs, 512 KiB, half a core's second level cache here: in one pass over
/// the bench's first 20,000 synthetic cases, 168,674 time limits, 95 in
/// 100 found their end there; 87 with one place a question).
const BITS: u32 = 15;

/// The most calendars whose time limits are kept at once (a key has four
/// bits for the calendar); a seventeenth empties the table.
const CALENDARS: usize = 16;

/// The two places a question may be in, newer first, in one line of the
/// processor's cache.
#[derive(Clone, Copy)]
#[repr(align(32))]
struct Pair([Entry; 2]);

#[derive(Clone, Copy)]
struct Entry {
    /// The question (see [`Limits::key`]); 0 for a place still empty (a
    /// key always has its top bit set).
    key: u64,
    end: Date,
}

const EMPTY: Entry = Entry {
    key: 0,
    end: Date::constant(1970, 1, 1),
};

const EMPTY_PAIR: Pair = Pair([EMPTY; 2]);

/// This thread's ends of time limits (made empty; the table is made at
/// the first time limit).
pub(super) struct Limits {
    /// The calendars the keys name, by their number in a key (kept
    /// alive here, so that none is freed and another made in its place
    /// while its time limits are in the table).
    calendars: Vec<Arc<Calendar>>,
    entries: Vec<Pair>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new()
    }
}

impl Limits {
    pub(super) const fn new() -> Limits {
        Limits {
            calendars: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// What `time::deadline_from` gives for the end of `period` from
    /// `event` (without its trace), from the table where the same
    /// question was asked before.
    #[inline]
    pub(super) fn deadline_from(
        &mut self,
        event: Date,
        period: Period,
        calendar: &Arc<Calendar>,
        computation: &Computation,
    ) -> Result<Date, TimeError> {
        let key = self.key(event, period, calendar, computation);
        match (key, key.and_then(|key| self.entries.get(place(key)))) {
            (Some(key), Some(Pair([a, _]))) if a.key == key => Ok(a.end),
            (Some(key), Some(Pair([_, b]))) if b.key == key => Ok(b.end),
            _ => self.work_out(key, event, period, calendar, computation),
        }
    }

    /// [`Limits::deadline_from`] not in the table: worked out, and kept
    /// there (under `key`, where the question has one).
    #[inline(never)]
    fn work_out(
        &mut self,
        key: Option<u64>,
        event: Date,
        period: Period,
        calendar: &Calendar,
        computation: &Computation,
    ) -> Result<Date, TimeError> {
        let end = time::deadline_from(event, period, calendar, computation, None)?;
        if let Some(key) = key {
            if self.entries.is_empty() {
                self.entries = vec![EMPTY_PAIR; 1 << (BITS - 1)];
            }
            // The newer first, the older after it (the one before that
            // given up).
            if let Some(Pair([a, b])) = self.entries.get_mut(place(key)) {
                *b = *a;
                *a = Entry { key, end };
            }
        }
        Ok(end)
    }

    /// The question as one number: the top bit set; the event's year,
    /// month and day (25 bits); the period's amount (16) and unit (3); the
    /// calendar's number here (4); the computation's clauses (9). `None`
    /// for a question that does not fit.
    #[inline]
    fn key(
        &mut self,
        event: Date,
        period: Period,
        calendar: &Arc<Calendar>,
        computation: &Computation,
    ) -> Option<u64> {
        let amount = u16::try_from(period.amount).ok()?;
        let calendar = self.calendar(calendar)?;
        let unit = match period.unit {
            DurationUnit::Hours => 0u64,
            DurationUnit::Days => 1,
            DurationUnit::WorkingDays => 2,
            DurationUnit::Weeks => 3,
            DurationUnit::Months => 4,
            DurationUnit::Years => 5,
        };
        // (The year as its 16 bits: -1 and 65,535 are one year to `as`,
        // but a `Date`'s year is between -9,999 and 9,999.)
        let date = (u64::from(event.year() as u16) << 9)
            | (u64::from(event.month() as u8) << 5)
            | u64::from(event.day() as u8);
        Some(
            1 << 63
                | date << 32
                | u64::from(amount) << 16
                | unit << 13
                | (calendar as u64) << 9
                | u64::from(computation.clauses() & 0x1ff),
        )
    }

    /// The calendar's number in a key (kept from now on), or `None` where
    /// a key cannot name it.
    #[inline]
    fn calendar(&mut self, calendar: &Arc<Calendar>) -> Option<usize> {
        match self.calendars.iter().position(|c| Arc::ptr_eq(c, calendar)) {
            Some(i) => Some(i),
            None => self.add_calendar(calendar),
        }
    }

    /// [`Limits::calendar`] not kept yet.
    #[cold]
    #[inline(never)]
    fn add_calendar(&mut self, calendar: &Arc<Calendar>) -> Option<usize> {
        if self.calendars.len() == CALENDARS {
            // Another set of rules (a server reloading them): the table
            // starts again.
            self.calendars.clear();
            self.entries.clear();
        }
        self.calendars.push(Arc::clone(calendar));
        Some(self.calendars.len() - 1)
    }
}

/// The pair of places of a key in the table (Fibonacci hashing: the top
/// bits of the key times 2⁶⁴ / φ).
#[inline(always)]
fn place(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - (BITS - 1))) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Clause;

    /// Every answer from the table is the one worked out: over more
    /// questions than the table has places (so that places are shared and
    /// answers replaced), asked twice, with two calendars and two rules.
    #[test]
    fn the_table_answers_as_the_computation_does() {
        // Two calendars that differ in one day (3 August a holiday in one).
        let cal = |name: &str, extra: bool| {
            let holiday = |name: &str, day, month| crate::time::Holiday {
                name: name.into(),
                rule: crate::time::DayRule::Fixed { day, month },
                citation: None,
                from: None,
                until: None,
            };
            let mut holidays = vec![holiday("New Year", 1, 1), holiday("Easter", 6, 4)];
            if extra {
                holidays.push(holiday("Extra", 3, 8));
            }
            Arc::new(Calendar::new(name.into(), None, None, holidays))
        };
        let calendars = [cal("a", false), cal("b", true)];
        let cite: Arc<str> = Arc::from("x");
        let rules = [
            Computation::reg_1182_71().clone(),
            Computation::new(
                "plain",
                None,
                [
                    (Clause::EventDay, Arc::clone(&cite)),
                    (Clause::NextWorkingDay, Arc::clone(&cite)),
                ],
            ),
        ];
        let mut limits = Limits::new();
        let units = [
            DurationUnit::Days,
            DurationUnit::WorkingDays,
            DurationUnit::Weeks,
            DurationUnit::Months,
            DurationUnit::Years,
            DurationUnit::Hours,
        ];
        // Every question of a day that differs from another in one part
        // only (unit, amount, calendar or rule), for 500 days: 36,000.
        let mut asked = 0;
        for _pass in 0..2 {
            let mut day = Date::constant(2026, 1, 1);
            for _ in 0..500 {
                day = day.tomorrow().unwrap_or(day);
                for unit in units {
                    for amount in [1, 2, 10] {
                        let period = Period { amount, unit };
                        for calendar in &calendars {
                            for rule in &rules {
                                let want = time::deadline_from(day, period, calendar, rule, None);
                                let got = limits.deadline_from(day, period, calendar, rule);
                                assert_eq!(got.ok(), want.ok(), "{day} {period:?}");
                                asked += 1;
                            }
                        }
                    }
                }
            }
        }
        // More questions than places (each asked twice).
        assert!(asked / 2 > 1 << BITS);
        // The last question's answer is in the table: answers are kept.
        let (day, period) = (
            Date::constant(2042, 6, 5),
            Period {
                amount: 9,
                unit: DurationUnit::Months,
            },
        );
        let got = limits.deadline_from(day, period, &calendars[0], &rules[0]);
        let key = limits.key(day, period, &calendars[0], &rules[0]);
        let kept = key.and_then(|key| limits.entries.get(place(key)));
        assert_eq!(
            kept.map(|Pair([e, _])| (Some(e.key), Ok(e.end))),
            Some((key, got))
        );
    }
}
