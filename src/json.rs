//! JSON text written by hand where a caseload's output is made (the lines of
//! `lsa batch`, with or without explanations): strings escaped exactly as
//! `serde_json` escapes them (a test compares the two on every character
//! that is escaped and on random texts), objects and lists written as they
//! go. An explanation is mostly text (about 100 kB per case for the shipped
//! law), so how fast a string is scanned for characters to escape is most
//! of what writing one costs.

/// Appends `text` as a JSON string: `"` and `\` escaped, the control
/// characters as `\b \t \n \f \r` or `\u00xx`, as `serde_json` writes them.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    escape_into(out, text);
    out.push(b'"');
}

/// `text` as a JSON string.
pub fn quoted(text: &str) -> String {
    let mut out = Vec::new();
    write_str(&mut out, text);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `v` displayed, as a JSON string (written as it is displayed, in
/// pieces, with no text made in between).
pub fn write_display(out: &mut Vec<u8>, v: &dyn std::fmt::Display) {
    struct Escaping<'o>(&'o mut Vec<u8>);
    impl std::fmt::Write for Escaping<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            escape_into(self.0, s);
            Ok(())
        }

        fn write_char(&mut self, c: char) -> std::fmt::Result {
            match u8::try_from(c) {
                Ok(b) if b.is_ascii() => escape_short(self.0, &[b]),
                _ => escape_into(self.0, c.encode_utf8(&mut [0; 4])),
            }
            Ok(())
        }
    }
    out.push(b'"');
    // Writing to memory does not fail.
    let _ = std::fmt::write(&mut Escaping(out), format_args!("{v}"));
    out.push(b'"');
}

/// Appends `text` escaped, without the quotes.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if bytes.len() < 8 {
        // (Most pieces a value is displayed in are this short: `, `, `{`,
        // a field's name; byte by byte costs less than finding the word.)
        escape_short(out, bytes);
        return;
    }
    let mut from = 0;
    while let Some(at) = next_escape(bytes, from) {
        out.extend_from_slice(bytes.get(from..at).unwrap_or_default());
        escape_byte(out, bytes.get(at).copied().unwrap_or_default());
        from = at + 1;
    }
    out.extend_from_slice(bytes.get(from..).unwrap_or_default());
}

/// [`escape_into`] byte by byte.
#[inline]
fn escape_short(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        if escaped(b) {
            escape_byte(out, b);
        } else {
            out.push(b);
        }
    }
}

/// Appends a byte JSON escapes, escaped.
fn escape_byte(out: &mut Vec<u8>, b: u8) {
    let short: &[u8] = match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0c => b"\\f",
        _ => b"",
    };
    if short.is_empty() {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.extend_from_slice(b"\\u00");
        out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
        out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
    } else {
        out.extend_from_slice(short);
    }
}

/// Whether JSON escapes this byte.
#[inline(always)]
fn escaped(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `x` is one JSON escapes: a byte below
/// 0x20, or one equal to `"` or `\` (a byte equal to `c` is a zero byte of
/// `x ^ c…c`). A byte below `n` (at most 0x80) borrows in `x - n…n` and
/// sets its high bit where `x`'s is clear; the test is exact for "any".
#[inline(always)]
fn any_escaped(x: u64) -> bool {
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    (below(x, 0x20) | below(x ^ (ONES * 0x22), 1) | below(x ^ (ONES * 0x5c), 1)) & HIGH != 0
}

/// The place of the first byte from `from` on that JSON escapes: eight bytes
/// tested at a time as one word, then byte by byte in the word that holds
/// one, and in the last seven or fewer.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    let mut word = [0; 8];
    for w in &mut words {
        word.copy_from_slice(w);
        if any_escaped(u64::from_le_bytes(word)) {
            return w.iter().position(|&b| escaped(b)).map(|i| at + i);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| escaped(b))
        .map(|i| at + i)
}

/// A JSON object being written: keys are plain words (written as they are),
/// values are written by the caller after [`Obj::key`].
pub struct Obj<'o> {
    pub out: &'o mut Vec<u8>,
    empty: bool,
}

impl<'o> Obj<'o> {
    pub fn new(out: &'o mut Vec<u8>) -> Obj<'o> {
        out.push(b'{');
        Obj { out, empty: true }
    }

    /// Writes `"key":` (after a comma if it is not the first), for the
    /// value to follow. (Inlined: keys are constants, copied as such.)
    #[inline(always)]
    pub fn key(&mut self, key: &str) -> &mut Vec<u8> {
        self.next_member();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// `"key":"text"`.
    #[inline(always)]
    pub fn str(&mut self, key: &str, text: &str) {
        write_str(self.key(key), text);
    }

    /// `"key":"text"` for a text JSON never escapes (a constant word, digits,
    /// a date): written as it is, not scanned. (Checked in debug builds.)
    #[inline(always)]
    pub fn word(&mut self, key: &str, text: &str) {
        debug_assert!(!text.bytes().any(escaped), "{text:?} needs escaping");
        let out = self.key(key);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }

    /// `"key":"text"` where the text is `v` displayed.
    #[inline(always)]
    pub fn display(&mut self, key: &str, v: &dyn std::fmt::Display) {
        write_display(self.key(key), v);
    }

    /// `"key":[…]`, each item written by `item`.
    pub fn list<T>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = T>,
        item: impl FnMut(&mut Vec<u8>, T),
    ) {
        list(self.key(key), items, item);
    }

    /// Writes members already made as JSON (`"a":…,"b":…`).
    pub fn members(&mut self, json: &str) {
        if json.is_empty() {
            return;
        }
        self.next_member();
        self.out.extend_from_slice(json.as_bytes());
    }

    /// The comma before a member that is not the first.
    #[inline(always)]
    fn next_member(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    /// Writes `"key":` and a value already made as JSON.
    #[inline(always)]
    pub fn json(&mut self, key: &str, json: &str) {
        self.key(key).extend_from_slice(json.as_bytes());
    }

    pub fn end(self) {
        self.out.push(b'}');
    }
}

/// `[…]`, each item written by `item`. (An inlining hint: where the
/// crate's code falls into its four units decides otherwise, and out of
/// line it cost writing a line 3 %.)
#[inline]
pub fn list<T>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(b'[');
    for (k, v) in items.into_iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        item(out, v);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Displays a text one character at a time (`write_char`).
    struct ByChars<'t>(&'t str);

    impl std::fmt::Display for ByChars<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            use std::fmt::Write;
            self.0.chars().try_for_each(|c| f.write_char(c))
        }
    }

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, text);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character, alone, at every place of a 40-byte text
        // (before, in and after a 16-byte block), and twice in a row.
        for c in 0u8..=0x7f {
            let c = char::from(c);
            for at in 0..40 {
                let mut text: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".into();
                text.insert(at, c);
                assert_eq!(
                    written(&text),
                    serde_json::to_string(&text).unwrap_or_default()
                );
            }
            let twice = format!("{c}{c}");
            assert_eq!(
                written(&twice),
                serde_json::to_string(&twice).unwrap_or_default()
            );
        }
        // Texts of letters, Lithuanian ones and other non-ASCII characters
        // included (never escaped), with quotes, backslashes and line ends.
        let alphabet: Vec<char> = "aąčęėįšųūž \"\\\n\t\r\u{1}\u{1f}\u{7f}€𝄞ž/<>'"
            .chars()
            .collect();
        let mut next = crate::seeded(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let len = next(70);
            let text: String = (0..len)
                .map(|_| {
                    let k = next(alphabet.len() as u64) as usize;
                    alphabet.get(k).copied().unwrap_or('a')
                })
                .collect();
            assert_eq!(
                written(&text),
                serde_json::to_string(&text).unwrap_or_default()
            );
            // The same text displayed a character at a time.
            let mut out = Vec::new();
            write_display(&mut out, &ByChars(&text));
            assert_eq!(out, serde_json::to_vec(&text).unwrap_or_default());
        }
        assert_eq!(written(""), "\"\"");
        // Displayed values, written in pieces.
        for text in ["", "plain", "a \"quoted\" \\ word\n", "ąžuolas\t€"] {
            let mut out = Vec::new();
            write_display(&mut out, &format_args!("{text}{}", text.len()));
            let whole = format!("{text}{}", text.len());
            assert_eq!(out, serde_json::to_vec(&whole).unwrap_or_default());
        }
    }

    #[test]
    fn objects_and_lists_are_written_as_json() {
        let mut out = Vec::new();
        let mut m = Obj::new(&mut out);
        m.str("a", "x\"y");
        m.list("b", [1, 2, 3], |out, i| {
            out.extend_from_slice(format!("{i}").as_bytes())
        });
        m.list("c", Vec::<u8>::new(), |_, _| {});
        m.display("d", &4.5);
        m.end();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"a": "x\"y", "b": [1, 2, 3], "c": [], "d": "4.5"})
        );
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            r#"{"a":"x\"y","b":[1,2,3],"c":[],"d":"4.5"}"#
        );
    }
}
