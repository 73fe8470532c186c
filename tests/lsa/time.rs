//! Legal time: every worked example of shared/legal/eu-pact.md §8 with the
//! shipped Lithuanian calendar, the 2026 holiday list of lithuania.md §5, and a
//! comparison of `deadline` with a deliberately simple, independent
//! implementation for every start date of 2026-2030.

use jiff::civil::{date, Date};
use lsa::time::{
    deadline_before, deadline_from, deadline_hours, Calendar, Computation, DurationUnit,
};
use lsa::value::{parse_datetime, Period};
use proptest::prelude::*;

use crate::common::shipped;

fn lt() -> Calendar {
    shipped()
        .calendars
        .iter()
        .find(|c| c.name == "LT")
        .map(|c| Calendar::clone(c))
        .expect("the LT calendar")
}

fn p(amount: i64, unit: DurationUnit) -> Period {
    Period { amount, unit }
}

/// Reg. 1182/71 Art. 3, as the language builds it in.
fn reg() -> &'static Computation {
    Computation::reg_1182_71()
}

/// A shipped computation rule, by name.
fn shipped_rule(name: &str) -> Computation {
    shipped()
        .computations
        .iter()
        .find(|c| c.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("the shipped computation {name}"))
}

fn from(y: i16, m: i8, d: i8, amount: i64, unit: DurationUnit) -> Date {
    deadline_from(date(y, m, d), p(amount, unit), &lt(), reg(), None).unwrap()
}

use DurationUnit::*;

#[test]
fn example_1_border_procedure_12_16_18_weeks() {
    assert_eq!(from(2026, 6, 15, 12, Weeks), date(2026, 9, 7));
    assert_eq!(from(2026, 6, 15, 16, Weeks), date(2026, 10, 5));
    assert_eq!(from(2026, 6, 15, 18, Weeks), date(2026, 10, 19));
}

#[test]
fn example_2_border_procedure_ending_on_christmas_eve() {
    let mut trace = Vec::new();
    let end = deadline_from(
        date(2026, 10, 1),
        p(12, Weeks),
        &lt(),
        reg(),
        Some(&mut trace),
    )
    .unwrap();
    assert_eq!(end, date(2026, 12, 28));
    let words: Vec<String> = trace.iter().map(|s| s.render(Some(&lt()), reg())).collect();
    insta::assert_snapshot!("time__christmas_steps", words.join("\n"));
}

#[test]
fn example_3_six_months_from_31_august() {
    assert_eq!(from(2026, 8, 31, 6, Months), date(2027, 3, 1));
    assert_eq!(from(2026, 8, 31, 12, Months), date(2027, 8, 31));
}

#[test]
fn example_4_registration_5_days_and_4_weeks() {
    assert_eq!(from(2026, 6, 30, 5, Days), date(2026, 7, 7));
    assert_eq!(from(2026, 6, 30, 4, Weeks), date(2026, 7, 28));
}

#[test]
fn example_5_take_charge_two_months_and_one_month() {
    assert_eq!(from(2026, 7, 31, 2, Months), date(2026, 9, 30));
    assert_eq!(from(2026, 7, 31, 1, Months), date(2026, 8, 31));
}

#[test]
fn example_6_reply_within_one_month_month_end_and_leap_year() {
    assert_eq!(from(2028, 1, 31, 1, Months), date(2028, 2, 29));
    assert_eq!(from(2027, 1, 29, 1, Months), date(2027, 3, 1));
}

#[test]
fn example_7_two_weeks_ending_on_new_year() {
    assert_eq!(from(2026, 12, 18, 2, Weeks), date(2027, 1, 4));
}

#[test]
fn example_8_ten_working_days_over_christmas() {
    assert_eq!(from(2026, 12, 23, 10, WorkingDays), date(2027, 1, 11));
}

#[test]
fn example_9_six_months_ending_on_a_saturday() {
    assert_eq!(from(2026, 4, 24, 6, Months), date(2026, 10, 26));
}

#[test]
fn example_10_hours_and_the_two_working_day_rule() {
    let at = parse_datetime("2026-08-03T14:20").unwrap();
    let end = deadline_hours(at, p(72, Hours), None).unwrap();
    assert_eq!(lsa::value::datetime_str(end), "2026-08-06T15:00");
    assert_eq!(from(2026, 7, 31, 7, Days), date(2026, 8, 7));
    assert_eq!(from(2026, 12, 23, 2, Days), date(2026, 12, 29));
}

#[test]
fn additional_checks_of_section_8() {
    assert_eq!(from(2026, 10, 31, 20, Months), date(2028, 6, 30));
    assert_eq!(from(2026, 11, 30, 12, Months), date(2027, 11, 30));
    assert_eq!(from(2026, 11, 30, 3, Months), date(2027, 3, 1));
    assert_eq!(from(2027, 3, 31, 6, Months), date(2027, 9, 30));
    assert_eq!(
        deadline_before(date(2026, 12, 8), p(3, Years), None).unwrap(),
        date(2023, 12, 8)
    );
}

#[test]
fn the_2026_holidays_of_lithuania_md() {
    let days: Vec<String> = lt()
        .holidays_in(2026)
        .iter()
        .map(|(d, _)| lsa::value::date_with_weekday(*d))
        .collect();
    assert_eq!(
        days,
        [
            "Thu 2026-01-01",
            "Mon 2026-02-16",
            "Wed 2026-03-11",
            "Sun 2026-04-05",
            "Mon 2026-04-06",
            "Fri 2026-05-01",
            "Sun 2026-05-03",
            "Sun 2026-06-07",
            "Wed 2026-06-24",
            "Mon 2026-07-06",
            "Sat 2026-08-15",
            "Sun 2026-11-01",
            "Mon 2026-11-02",
            "Thu 2026-12-24",
            "Fri 2026-12-25",
            "Sat 2026-12-26",
        ]
    );
    // All Souls' Day only from 2020.
    assert!(lt().holiday(date(2019, 11, 2)).is_none());
    assert!(lt().holiday(date(2020, 11, 2)).is_some());
}

// ------------------------------------------------------------ the naive model

/// A date as three numbers, stepped one day at a time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct D(i32, i32, i32);

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in(y: i32, m: i32) -> i32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn next(D(y, m, d): D) -> D {
    if d < days_in(y, m) {
        D(y, m, d + 1)
    } else if m < 12 {
        D(y, m + 1, 1)
    } else {
        D(y + 1, 1, 1)
    }
}

/// 0 = Monday … 6 = Sunday (Zeller's congruence).
fn weekday(D(y, m, d): D) -> i32 {
    let (y, m) = if m < 3 { (y - 1, m + 12) } else { (y, m) };
    let h = (d + (13 * (m + 1)) / 5 + y + y / 4 - y / 100 + y / 400) % 7; // 0 = Saturday
    (h + 5) % 7
}

/// Easter Sunday by Gauss's algorithm (a different method from the library's).
fn easter(y: i32) -> D {
    let a = y % 19;
    let b = y % 4;
    let c = y % 7;
    let k = y / 100;
    let p = (13 + 8 * k) / 25;
    let q = k / 4;
    let m = (15 - p + k - q) % 30;
    let n = (4 + k - q) % 7;
    let d = (19 * a + m) % 30;
    let e = (2 * b + 4 * c + 6 * d + n) % 7;
    let mut day = 22 + d + e;
    let mut month = 3;
    if day > 31 {
        day -= 31;
        month = 4;
    }
    // Gauss's exceptions.
    if month == 4 && day == 26 {
        day = 19;
    }
    if month == 4 && day == 25 && d == 28 && e == 6 && a > 10 {
        day = 18;
    }
    D(y, month, day)
}

fn holiday(x: D) -> bool {
    let D(y, m, d) = x;
    let fixed = [
        (1, 1),
        (2, 16),
        (3, 11),
        (5, 1),
        (6, 24),
        (7, 6),
        (8, 15),
        (11, 1),
        (12, 24),
        (12, 25),
        (12, 26),
    ];
    if fixed.contains(&(m, d)) || (m == 11 && d == 2 && y >= 2020) {
        return true;
    }
    let e = easter(y);
    if x == e || x == next(e) {
        return true;
    }
    // First Sundays of May and June.
    (m == 5 || m == 6) && d <= 7 && weekday(x) == 6
}

fn working(x: D) -> bool {
    weekday(x) < 5 && !holiday(x)
}

/// The end of a time limit, counted day by day; `two_working_days` adds
/// Reg. 1182/71 Art. 3(5), which APR Art. 73 and AMMR Art. 75 do not have.
fn naive(event: D, amount: i32, unit: DurationUnit, two_working_days: bool) -> D {
    let mut end = match unit {
        Days | Weeks => {
            let mut x = event;
            for _ in 0..amount * if unit == Weeks { 7 } else { 1 } {
                x = next(x);
            }
            x
        }
        Months | Years => {
            let months = if unit == Years { amount * 12 } else { amount };
            let total = event.0 * 12 + (event.1 - 1) + months;
            let (y, m) = (total / 12, total % 12 + 1);
            D(y, m, event.2.min(days_in(y, m)))
        }
        WorkingDays => {
            let (mut x, mut n) = (event, 0);
            while n < amount {
                x = next(x);
                if working(x) {
                    n += 1;
                }
            }
            x
        }
        Hours => unreachable!(),
    };
    while !working(end) {
        end = next(end);
    }
    let two_or_more = match unit {
        Days | WorkingDays => amount >= 2,
        _ => amount >= 1,
    };
    if two_or_more && two_working_days {
        let count = |end: D| {
            let (mut x, mut n) = (event, 0);
            while x < end {
                x = next(x);
                if working(x) {
                    n += 1;
                }
            }
            n
        };
        while count(end) < 2 {
            end = next(end);
        }
    }
    end
}

fn to_date(D(y, m, d): D) -> Date {
    date(y as i16, m as i8, d as i8)
}

#[test]
fn the_naive_calendar_agrees_on_easter() {
    for y in 2000..2100 {
        assert_eq!(
            to_date(easter(y)),
            lsa::time::easter_sunday(y as i16).unwrap(),
            "{y}"
        );
    }
}

#[test]
fn deadline_agrees_with_the_naive_model_for_every_start_date_2026_2030() {
    let cal = lt();
    let periods = [
        (1, Days),
        (2, Days),
        (3, Days),
        (5, Days),
        (10, Days),
        (21, Days),
        (30, Days),
        (1, WorkingDays),
        (2, WorkingDays),
        (10, WorkingDays),
        (1, Weeks),
        (2, Weeks),
        (4, Weeks),
        (12, Weeks),
        (16, Weeks),
        (18, Weeks),
        (1, Months),
        (2, Months),
        (3, Months),
        (6, Months),
        (12, Months),
        (20, Months),
        (1, Years),
        (3, Years),
    ];
    let rules = [
        (reg().clone(), true),
        (shipped_rule("APR_73"), false),
        (shipped_rule("AMMR_75"), false),
    ];
    let mut x = D(2026, 1, 1);
    let mut checked = 0;
    while x < D(2031, 1, 1) {
        for (n, unit) in periods {
            for (rule, two) in &rules {
                let got = deadline_from(to_date(x), p(n, unit), &cal, rule, None).unwrap();
                let want = to_date(naive(x, n as i32, unit, *two));
                assert_eq!(got, want, "{x:?} + {n} {unit:?} under {}", rule.name);
                checked += 1;
            }
        }
        x = next(x);
    }
    assert_eq!(checked, 1826 * periods.len() * rules.len());
}

proptest! {
    #[test]
    fn deadline_agrees_with_the_naive_model_for_any_period(
        y in 2026i32..2031, m in 1i32..13, d in 1i32..29, n in 0i64..400, unit in 0usize..5
    ) {
        let unit = [Days, WorkingDays, Weeks, Months, Years][unit];
        let got = deadline_from(to_date(D(y, m, d)), p(n, unit), &lt(), reg(), None).unwrap();
        prop_assert_eq!(got, to_date(naive(D(y, m, d), n as i32, unit, true)));
        let apr = shipped_rule("APR_73");
        let got = deadline_from(to_date(D(y, m, d)), p(n, unit), &lt(), &apr, None).unwrap();
        prop_assert_eq!(got, to_date(naive(D(y, m, d), n as i32, unit, false)));
    }
}
