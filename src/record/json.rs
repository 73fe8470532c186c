//! The quick way through a JSON case record: read straight from its bytes,
//! led by the declared types, for the records that have nothing unusual in
//! them. (`lsa batch` reads a million of these; serde's general machinery
//! took two thirds of its time.)
//!
//! It reads **only what it can read exactly as the full reader does**, and
//! otherwise gives up, and the record is read by the full reader (which
//! reports the problems): any key not declared or given twice, any value
//! of the wrong kind or against a constraint, any escape (`\n`, `\u00e9`)
//! or control character in a text, a number with an exponent, more than 15
//! digits or a leading zero, nesting past [`MAX_DEPTH`], anything after the
//! record. Every value goes through the full reader's own conversions
//! (`ValueSeed`'s visitor, the constraints' `allows`), so a record read
//! here is the record the full reader gives; the property test
//! `quick_json_reading_agrees_with_the_full_reader` and the `record` fuzz
//! target compare the two on every input they make.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Visitor};

use super::{parse_date, CaseRecord, Ctx, Names, Path, ValueSeed};
use crate::check::{Constraint, Program, RESERVED_KEYS};
use crate::value::{Slot, Type, Value};

/// Nesting deeper than this is left to the full reader (serde_json stops at
/// 128 levels with an error).
const MAX_DEPTH: usize = 64;

thread_local! {
    /// The empty list, shared (as the empty lists the full reader makes
    /// are equal to it): most lists in a record are empty.
    static EMPTY: Arc<[Value]> = Arc::new([]);
}

/// Why the quick reading stopped: the full reader takes the record.
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the full reader")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> GiveUp {
        GiveUp
    }
}

/// The record in `text`, if it can be read here; `None` leaves it to the
/// full reader.
pub(super) fn read(program: &Program, text: &str) -> Option<CaseRecord> {
    let ctx = Ctx {
        program,
        found: std::cell::RefCell::default(),
        known: Vec::new(),
    };
    let mut s = Scan {
        text,
        at: 0,
        ctx: &ctx,
        items: Vec::new(),
    };
    let mut record = CaseRecord::unknown(program);
    s.ws();
    s.map(Names::Top(&program.inputs), |s, i, names| {
        match i {
            0 => {
                s.ws();
                record.id = Some(s.plain_string()?.to_string());
            }
            1 => {
                s.ws();
                record.as_of = Some(parse_date(s.plain_string()?)?);
            }
            _ => {
                let slot = record.inputs.get_mut(i - RESERVED_KEYS.len())?;
                *slot = Slot::Value(s.field_value(names, i, 1)?);
            }
        }
        Some(())
    })?;
    s.ws();
    (s.at == s.bytes().len()).then_some(record)
}

/// The high bit of each byte of `word` (read little-endian) that ends a
/// plain string's text: a quote, a backslash or a control character. Only
/// the lowest set bit is exact (a borrow may set the ones above it), which
/// is the one wanted.
#[inline(always)]
fn stops(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    (zero_byte(quote) | zero_byte(backslash) | control) & HIGHS
}

struct Scan<'t, 'c, 'p> {
    text: &'t str,
    /// The byte read next.
    at: usize,
    ctx: &'c Ctx<'p>,
    /// The items of the lists being read.
    items: Vec<Value>,
}

impl<'t> Scan<'t, '_, '_> {
    /// The text's bytes.
    #[inline(always)]
    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    /// Skips JSON white space.
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    /// The next byte that is not white space (the reader moved to it): one
    /// test where there is none, as in most records.
    #[inline(always)]
    fn next_byte(&mut self) -> Option<u8> {
        match self.peek()? {
            b' ' | b'\n' | b'\r' | b'\t' => {
                self.ws();
                self.peek()
            }
            c => Some(c),
        }
    }

    /// Takes `word` (`true`, `false`, `null`) where it starts.
    #[inline(always)]
    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A string without escapes or control characters, the reader at its
    /// opening quote; its text.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'t str> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        let mut end = start;
        // Eight bytes at a time while eight are left, then byte by byte.
        while let Some(chunk) = self.bytes().get(end..end + 8) {
            let word = u64::from_le_bytes(chunk.try_into().ok()?);
            let stops = stops(word);
            if stops != 0 {
                end += (stops.trailing_zeros() / 8) as usize;
                break;
            }
            end += 8;
        }
        loop {
            match *self.bytes().get(end)? {
                b'"' => break,
                b'\\' | 0..0x20 => return None,
                _ => end += 1,
            }
        }
        self.at = end + 1;
        // Both ends are ASCII quotes, so both are character boundaries.
        self.text.get(start..end)
    }

    /// Whether the key here is `name` (the one expected next), taken if so:
    /// usually it is, and one comparison saves the search.
    #[inline(always)]
    fn expected_key(&mut self, name: Option<&str>) -> bool {
        let Some(name) = name.map(str::as_bytes) else {
            return false;
        };
        let end = self.at + 1 + name.len();
        let found = self.bytes().get(self.at) == Some(&b'"')
            && self.bytes().get(self.at + 1..end) == Some(name)
            && self.bytes().get(end) == Some(&b'"');
        if found {
            self.at = end + 1;
        }
        found
    }

    /// After an item of a map or list: whether `close` ends it here (taken),
    /// or a comma says another item follows (taken; the white space after
    /// it is left to what reads the item); `None` for anything else.
    #[inline(always)]
    fn ended(&mut self, close: u8) -> Option<bool> {
        let c = self.next_byte()?;
        self.at += 1;
        if c == b',' {
            return Some(false);
        }
        (c == close).then_some(true)
    }

    /// A map of the fields `names`, the reader at its `{`: `field` reads
    /// each value (given the field's index and the reader after the colon,
    /// before any white space).
    fn map(
        &mut self,
        names: Names<'_>,
        mut field: impl FnMut(&mut Self, usize, Names<'_>) -> Option<()>,
    ) -> Option<()> {
        if self.peek()? != b'{' || names.len() > 64 {
            return None;
        }
        self.at += 1;
        if self.next_byte()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let mut seen = 0u64;
        let mut next = 0;
        loop {
            // White space before a key (after `{` or a comma), found by
            // testing for the quote a key starts with: one comparison, where
            // `next_byte`'s four cost a record 350 more instructions.
            if self.peek()? != b'"' {
                self.ws();
            }
            let i = match self.expected_key(names.name(next)) {
                true => next,
                false => names.position(self.plain_string()?, next)?,
            };
            let bit = 1u64 << i;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            next = i + 1;
            if self.next_byte()? != b':' {
                return None;
            }
            self.at += 1;
            field(self, i, names)?;
            if self.ended(b'}')? {
                return Some(());
            }
        }
    }

    /// The value of field `i` of `names`, the reader at it, held to the
    /// field's type and constraints.
    #[inline(always)]
    fn field_value(&mut self, names: Names<'_>, i: usize, depth: usize) -> Option<Value> {
        self.value(names.ty(i)?, names.constraints(i), depth)
    }

    /// A value of type `ty`, the reader at it or at white space before it,
    /// converted as the full reader converts it. (Inline, and so a plain
    /// value too, where a record's field is read: made in the field's
    /// place, not handed back through memory and copied there.)
    #[inline(always)]
    fn value(&mut self, ty: &Type, constraints: &[Constraint], depth: usize) -> Option<Value> {
        // (Each kind's value is handed back as it is made, `None` included,
        // and looked at only where the field has constraints: with a `?` in
        // each kind's arm and the constraints' check made on every value, a
        // value was made in one place and moved whole into another, and the
        // move read it across the narrower writes just made, waiting for
        // them to reach the cache (a store-forwarding stall, as in
        // `eval::fast::V`): 35.6 k → 35.0 k instructions a record, and
        // 10–14 % less time in interleaved runs of the reading loop.)
        let v = match self.next_byte()? {
            b'{' | b'[' => self.compound(ty, depth),
            _ => self.plain(ty),
        };
        if constraints.is_empty() {
            return v;
        }
        v.filter(|v| constraints.iter().all(|c| c.allows(v)))
    }

    /// A value that is not a record or a list, the reader at it.
    #[inline(always)]
    fn plain(&mut self, ty: &Type) -> Option<Value> {
        // (The path names a value in the full reader's errors; here an
        // error only gives up, so every value has the same, made once.)
        static NOWHERE: Path<'static> = Path::Top("");
        let seed = ValueSeed {
            ctx: self.ctx,
            ty,
            path: &NOWHERE,
        };
        match self.peek()? {
            b'"' => {
                let text = self.plain_string()?;
                seed.visit_str::<GiveUp>(text).ok()
            }
            b't' => {
                self.word(b"true")?;
                seed.visit_bool::<GiveUp>(true).ok()
            }
            b'f' => {
                self.word(b"false")?;
                seed.visit_bool::<GiveUp>(false).ok()
            }
            b'n' => {
                self.word(b"null")?;
                seed.visit_unit::<GiveUp>().ok()
            }
            b'-' | b'0'..=b'9' => self.number(seed),
            _ => None,
        }
    }

    /// A record or a list, the reader at its `{` or `[`.
    #[inline(never)]
    fn compound(&mut self, ty: &Type, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => {
                let Type::Record(rid) = ty.base() else {
                    return None;
                };
                let def = self.ctx.program.record(*rid)?;
                let mut fields: Arc<[Slot]> = (0..def.fields.len()).map(|_| Slot::Absent).collect();
                let out = Arc::get_mut(&mut fields)?;
                self.map(Names::Fields(&def.fields), |s, i, names| {
                    *out.get_mut(i)? = Slot::Value(s.field_value(names, i, depth + 1)?);
                    Some(())
                })?;
                Some(Value::Record(fields))
            }
            b'[' => {
                let Type::List(elem) = ty.base() else {
                    return None;
                };
                self.at += 1;
                if self.next_byte()? == b']' {
                    self.at += 1;
                    Some(Value::List(EMPTY.with(Arc::clone)))
                } else {
                    // The items go on the stack of items read (above those of
                    // the lists this one is in), and from there into the list.
                    let base = self.items.len();
                    loop {
                        let item = self.value(elem, &[], depth + 1)?;
                        self.items.push(item);
                        if self.ended(b']')? {
                            break;
                        }
                    }
                    Some(Value::List(self.items.drain(base..).collect()))
                }
            }
            _ => None,
        }
    }

    /// A number, read as serde_json reads it (a whole number as an
    /// integer, a fraction as a double), where both readings are exact: at
    /// most 18 digits whole, 15 with a fraction, no exponent, no `-0`.
    fn number(&mut self, seed: ValueSeed<'_, '_, '_>) -> Option<Value> {
        let start = self.at;
        let negative = self.peek()? == b'-';
        if negative {
            self.at += 1;
        }
        let digits = |s: &mut Self| {
            let from = s.at;
            while let Some(b'0'..=b'9') = s.bytes().get(s.at) {
                s.at += 1;
            }
            s.at - from
        };
        let int_start = self.at;
        let whole = digits(self);
        if whole == 0 || (whole > 1 && self.bytes().get(int_start) == Some(&b'0')) {
            return None;
        }
        let fraction = if self.peek() == Some(b'.') {
            self.at += 1;
            match digits(self) {
                0 => return None,
                n => n,
            }
        } else {
            0
        };
        if matches!(self.peek(), Some(b'e' | b'E')) {
            return None;
        }
        let text = self.text.get(start..self.at)?;
        if fraction > 0 {
            if whole + fraction > 15 {
                return None;
            }
            // The full reader takes the double serde_json reads and then
            // its shortest text (`visit_f64`); for at most 15 digits that is
            // the text itself, trimmed (see `shortest`), taken here as it is.
            if let Some(text) = shortest(text) {
                return seed.number::<GiveUp>(text, None).ok();
            }
            // At most 15 digits: serde_json's double (the digits divided
            // by a power of ten, both exact) is the correctly rounded one,
            // which is what `parse` gives.
            return seed.visit_f64::<GiveUp>(text.parse().ok()?).ok();
        }
        if whole > 18 {
            return None;
        }
        let n: u64 = self.text.get(int_start..self.at)?.parse().ok()?;
        match (negative, i64::try_from(n).ok()?) {
            (false, _) => seed.visit_u64::<GiveUp>(n).ok(),
            // serde_json reads `-0` as the double -0.0.
            (true, 0) => None,
            (true, n) => seed.visit_i64::<GiveUp>(-n).ok(),
        }
    }
}

/// The text `ryu` writes for the double that `text`, a number with a
/// fraction and at most 15 digits, reads as: `text` with the fraction's
/// trailing zeros dropped (one digit kept). Any decimal of at most 15
/// significant digits reads back from its double (10^15 < 2^53), so no
/// other text as short reads as the same double, and `ryu` writes the
/// shortest. `None` where `ryu` would write it otherwise: with an exponent
/// (below 0.00001) or as a negative zero.
fn shortest(text: &str) -> Option<&str> {
    let (whole, fraction) = text.split_once('.')?;
    let fraction = fraction.trim_end_matches('0');
    let whole_zero = whole.trim_start_matches('-').bytes().all(|b| b == b'0');
    let zero = whole_zero && fraction.is_empty();
    if (zero && whole.starts_with('-'))
        || (whole_zero && !zero && fraction.bytes().take(5).all(|b| b == b'0'))
    {
        return None;
    }
    text.get(..whole.len() + 1 + fraction.len().max(1))
}

#[cfg(test)]
mod tests {
    use super::shortest;

    /// `shortest` is what `ryu` writes for the double, for numbers of every
    /// size and number of digits up to 15 (from a seeded generator), and
    /// for the edges: zeros, trailing zeros, 0.00001 and below.
    #[test]
    fn shortest_is_ryus_text() {
        let mut texts: Vec<String> = [
            "0.0",
            "0.000",
            "-0.0",
            "12.50",
            "12.0",
            "12.000",
            "-12.50",
            "0.1",
            "0.00001",
            "0.000010",
            "0.000001",
            "0.0000123",
            "0.0001",
            "999999999999.999",
            "100000000000000.0",
            "123456789012.345",
            "0.30000000000000",
            "1.5",
            "-0.00001",
            "-0.000001",
        ]
        .map(String::from)
        .to_vec();
        let mut next = crate::seeded(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let whole_len = 1 + next(14) as usize;
            let fraction_len = 1 + next((15 - whole_len) as u64) as usize;
            let digit = |n: &mut dyn FnMut(u64) -> u64| char::from(b'0' + n(10) as u8);
            let mut t = String::new();
            if next(4) == 0 {
                t.push('-');
            }
            if next(3) == 0 {
                t.push('0');
            } else {
                t.push(char::from(b'1' + next(9) as u8));
                for _ in 1..whole_len {
                    t.push(digit(&mut next));
                }
            }
            t.push('.');
            for _ in 0..fraction_len {
                t.push(match next(3) {
                    0 => '0',
                    _ => digit(&mut next),
                });
            }
            texts.push(t);
        }
        for t in &texts {
            let v: f64 = t.parse().unwrap_or(f64::NAN);
            let ryu = ryu::Buffer::new().format_finite(v).to_string();
            match shortest(t) {
                Some(s) => assert_eq!(s, ryu, "{t}"),
                // (With an exponent, or a negative zero.)
                None => assert!(ryu.contains('e') || ryu == "-0.0", "{t}: {ryu}"),
            }
        }
    }
}
