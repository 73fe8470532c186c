//! The data model shared by the checker (literals), the record reader and the
//! evaluator: types and runtime values. Pure data; no stage logic.

use std::fmt;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::syntax::ast::DurationUnit;

/// Index of an enum declaration in a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub u32);

/// Index of a record declaration in a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub u32);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Integer,
    Decimal,
    Money,
    Percent,
    Text,
    Date,
    DateTime,
    Duration,
    Enum(EnumId),
    Record(RecordId),
    List(Box<Type>),
    Optional(Box<Type>),
    /// The type of an expression that already has an error: fits anywhere, so
    /// one mistake is reported once.
    Error,
}

impl Type {
    /// The type without its optional marker.
    pub fn base(&self) -> &Type {
        match self {
            Type::Optional(t) => t.base(),
            t => t,
        }
    }

    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self.base(),
            Type::Integer | Type::Decimal | Type::Money | Type::Percent | Type::Error
        )
    }

    pub fn is_ordered(&self) -> bool {
        matches!(
            self.base(),
            Type::Integer
                | Type::Decimal
                | Type::Money
                | Type::Percent
                | Type::Date
                | Type::DateTime
                | Type::Text
                | Type::Error
        )
    }
}

/// A period of time as the law states it: an amount of one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    pub amount: i64,
    pub unit: DurationUnit,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.unit.word(self.amount != 1))
    }
}

/// An amount of money in one currency. Never a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: [u8; 3],
}

impl Money {
    pub fn currency_str(&self) -> &str {
        std::str::from_utf8(&self.currency).unwrap_or("???")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        if amount.scale() < 2 {
            amount.rescale(2);
        }
        write!(f, "{} {}", amount, self.currency_str())
    }
}

/// A runtime value. `None` is the known absence of a value of an optional field
/// (`null` in a record); an unknown value is not a `Value` at all.
#[derive(Clone, Debug, PartialEq, Hash)]
pub enum Value {
    Bool(bool),
    Integer(i64),
    Decimal(Decimal),
    Money(Money),
    /// A percentage, stored as the number before `%` (12.5 for 12.5 %).
    Percent(Decimal),
    Text(Arc<str>),
    Date(Date),
    DateTime(DateTime),
    Duration(Period),
    Enum(EnumId, u32),
    List(Arc<[Value]>),
    /// The fields of a record, in declaration order.
    Record(Arc<[Slot]>),
    None,
}

/// One field of a record as read: absent (unknown) or a value (possibly `None`).
#[derive(Clone, Debug, PartialEq, Default, Hash)]
pub enum Slot {
    #[default]
    Absent,
    Value(Value),
}

impl Value {
    pub fn type_word(&self) -> &'static str {
        match self {
            Value::Bool(_) => "bool",
            Value::Integer(_) => "integer",
            Value::Decimal(_) => "decimal",
            Value::Money(_) => "money",
            Value::Percent(_) => "percent",
            Value::Text(_) => "text",
            Value::Date(_) => "date",
            Value::DateTime(_) => "datetime",
            Value::Duration(_) => "duration",
            Value::Enum(..) => "enum",
            Value::List(_) => "list",
            Value::Record(_) => "record",
            Value::None => "none",
        }
    }
}

/// Date formatting used everywhere: `2026-07-15`.
/// The order of two values of an ordered type (integers and decimals
/// together; money of one currency); `None` where they have none.
pub fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => Some(x.cmp(y)),
        (Value::Integer(x), Value::Decimal(y)) => Some(Decimal::from(*x).cmp(y)),
        (Value::Decimal(x), Value::Integer(y)) => Some(x.cmp(&Decimal::from(*y))),
        (Value::Decimal(x), Value::Decimal(y)) | (Value::Percent(x), Value::Percent(y)) => {
            Some(x.cmp(y))
        }
        (Value::Money(x), Value::Money(y)) if x.currency == y.currency => {
            Some(x.amount.cmp(&y.amount))
        }
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.cmp(y)),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

pub fn date_str(d: Date) -> String {
    let mut s = String::with_capacity(10);
    push_date(&mut s, d);
    s
}

/// The ten bytes of `YYYY-MM-DD`, digit by digit (dates are formatted often
/// enough, in outputs and explanations, for `fmt` to show in profiles).
/// `None` for years outside 0..=9999.
pub(crate) fn date_digits(d: Date) -> Option<[u8; 10]> {
    let y = u16::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let digit = |n: u16| b'0' + (n % 10) as u8;
    let (m, day) = (d.month() as u16, d.day() as u16);
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

fn push_date(s: &mut String, d: Date) {
    match date_digits(d)
        .as_ref()
        .and_then(|b| std::str::from_utf8(b).ok())
    {
        Some(text) => s.push_str(text),
        None => s.push_str(&format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
    }
}

/// Displays a date as `2026-07-15` without allocating.
pub struct Ymd(pub Date);

impl Serialize for Ymd {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match date_digits(self.0)
            .as_ref()
            .and_then(|b| std::str::from_utf8(b).ok())
        {
            Some(text) => s.serialize_str(text),
            None => s.collect_str(self),
        }
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match date_digits(self.0)
            .as_ref()
            .and_then(|b| std::str::from_utf8(b).ok())
        {
            Some(text) => f.write_str(text),
            None => write!(
                f,
                "{:04}-{:02}-{:02}",
                self.0.year(),
                self.0.month(),
                self.0.day()
            ),
        }
    }
}

/// `Thu 2026-10-01`: the weekday matters when reading a time limit.
pub fn date_with_weekday(d: Date) -> String {
    let mut s = String::with_capacity(14);
    s.push_str(weekday_abbrev(d));
    s.push(' ');
    push_date(&mut s, d);
    s
}

pub fn weekday_abbrev(d: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match d.weekday() {
        Monday => "Mon",
        Tuesday => "Tue",
        Wednesday => "Wed",
        Thursday => "Thu",
        Friday => "Fri",
        Saturday => "Sat",
        Sunday => "Sun",
    }
}

pub fn datetime_str(d: DateTime) -> String {
    format!("{}T{:02}:{:02}", date_str(d.date()), d.hour(), d.minute())
}

/// Whether `s` is one or more ASCII digits, and nothing else (no sign, no
/// `_`, no exponent, no white space).
fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A number of `n` digits exactly.
fn fixed<T: std::str::FromStr>(s: Option<&str>, n: usize) -> Option<T> {
    s.filter(|s| s.len() == n && digits(s))?.parse().ok()
}

/// Parses `YYYY-MM-DD`, exactly as the schema publishes it (four, two and
/// two digits: no sign, no missing zero).
pub fn parse_date(s: &str) -> Option<Date> {
    // (Read off the bytes: every record has dates, and `str::parse` for
    // each part cost three times as much.)
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *<&[u8; 10]>::try_from(s.as_bytes()).ok()?
    else {
        return None;
    };
    let digit = |c: u8| c.is_ascii_digit().then(|| i16::from(c - b'0'));
    let y = ((digit(y0)? * 10 + digit(y1)?) * 10 + digit(y2)?) * 10 + digit(y3)?;
    let m = digit(m0)? * 10 + digit(m1)?;
    let d = digit(d0)? * 10 + digit(d1)?;
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Parses `YYYY-MM-DDTHH:MM`.
pub fn parse_datetime(s: &str) -> Option<DateTime> {
    let (date, time) = s.split_once('T')?;
    let date = parse_date(date)?;
    let (h, m) = time.split_once(':')?;
    let h: i8 = fixed(Some(h), 2)?;
    let m: i8 = fixed(Some(m), 2)?;
    jiff::civil::DateTime::new(date.year(), date.month(), date.day(), h, m, 0, 0).ok()
}

/// The most digits a number may have: what a decimal holds exactly.
pub const MAX_DIGITS: usize = 28;

/// Parses a decimal number `-?DIGITS(.DIGITS)?` of at most 28 digits (a
/// longer one would be rounded, so it is refused): no `+`, `_`, exponent or
/// white space.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    if !digits(whole)
        || fraction.is_some_and(|f| !digits(f))
        || whole.len() + fraction.map_or(0, str::len) > MAX_DIGITS
    {
        return None;
    }
    s.parse().ok()
}

/// Parses a money amount like `1153.00 EUR`: a decimal number (as
/// [`parse_decimal`]), one space, a three-letter currency code.
pub fn parse_money(s: &str) -> Option<Money> {
    let (amount, currency) = s.split_once(' ')?;
    let amount = parse_decimal(amount)?;
    let cur = currency.as_bytes();
    if cur.len() != 3 || !cur.iter().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut code = [0u8; 3];
    code.copy_from_slice(cur);
    Some(Money {
        amount,
        currency: code,
    })
}

/// Parses a duration like `3 years` or `10 working days`: digits (no sign),
/// one space, a unit.
pub fn parse_period(s: &str) -> Option<Period> {
    let (amount, unit) = s.split_once(' ')?;
    if !digits(amount) {
        return None;
    }
    Some(Period {
        amount: amount.parse().ok()?,
        unit: DurationUnit::parse(unit)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strict_dates() {
        assert_eq!(
            parse_date("2026-07-15").map(date_str).as_deref(),
            Some("2026-07-15")
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-7-15"), None);
        assert_eq!(parse_date("15.07.2026"), None);
        // F08: signs where digits belong.
        for bad in [
            "2026-+7-15",
            "+999-01-01",
            "-001-01-01",
            "2026-07-+1",
            "2026-07-1 ",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_datetime("2026-07-15T+1:+5"), None);
        assert!(parse_datetime("2026-07-15T01:05").is_some());
        // Every change of one character of a date, and every date of
        // 1999-2001 and around the years' ends, read as `YYYY-MM-DD` read
        // part by part with `str::parse` (how it was read before).
        let by_parts = |s: &str| -> Option<Date> {
            let part = |r: std::ops::Range<usize>| {
                s.get(r).filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            };
            if s.len() != 10 || s.get(4..5) != Some("-") || s.get(7..8) != Some("-") {
                return None;
            }
            Date::new(
                part(0..4)?.parse().ok()?,
                part(5..7)?.parse().ok()?,
                part(8..10)?.parse().ok()?,
            )
            .ok()
        };
        let mut texts: Vec<String> = Vec::new();
        let mut d = Date::constant(1999, 1, 1);
        while d < Date::constant(2002, 1, 1) {
            texts.push(date_str(d));
            d = d.tomorrow().unwrap_or(Date::MAX);
        }
        texts.extend(["0000-01-01", "9999-12-31", "2024-02-29", "2023-02-29"].map(String::from));
        let base = texts.clone();
        for t in base.iter().take(40) {
            for i in 0..t.len() {
                for c in ["0", "9", "-", "+", " ", "a", "ā", "", "12"] {
                    let mut e = t.clone();
                    e.replace_range(i..i + 1, c);
                    texts.push(e);
                }
            }
        }
        for t in &texts {
            assert_eq!(parse_date(t), by_parts(t), "{t:?}");
        }
    }

    #[test]
    fn money_keeps_two_decimals() {
        let m = parse_money("1153 EUR");
        assert_eq!(m.map(|m| m.to_string()).as_deref(), Some("1153.00 EUR"));
        assert_eq!(parse_money("12.5 eur"), None);
        // F22: only what the schema allows.
        for bad in [
            "1_000 EUR",
            "1e3 EUR",
            " 12 EUR",
            "12  EUR",
            "+12 EUR",
            "12. EUR",
            ".5 EUR",
        ] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
        assert!(parse_money("-12.50 EUR").is_some());
        // More digits than a decimal holds: refused, not rounded.
        assert_eq!(parse_money("0.00000000000000000000000000001 EUR"), None);
    }

    #[test]
    fn parses_periods() {
        assert_eq!(
            parse_period("10 working days")
                .map(|p| p.to_string())
                .as_deref(),
            Some("10 working days")
        );
        assert_eq!(
            parse_period("1 months").map(|p| p.to_string()).as_deref(),
            Some("1 month")
        );
        assert_eq!(parse_period("three days"), None);
        // F09: no sign, and an amount that fits.
        assert_eq!(parse_period("-9223372036854775808 days"), None);
        assert_eq!(parse_period("+3 days"), None);
        assert_eq!(parse_period("99999999999999999999 days"), None);
    }
}
