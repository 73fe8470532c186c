//! Case records: YAML or JSON to input slots, validated against the program's
//! input declarations as they are read (one pass, no intermediate tree).
//!
//! The only module that knows `serde_yaml` (frozen upstream: swapping it touches
//! this file alone). Absent fields are unknown; `null` is the known absence of
//! a value and only allowed for optional fields (`T?`). Every error names the
//! field path and, where the format gives them, the line and column.

mod json;
mod schema;
pub(crate) mod words;

pub use words::lithuanian;

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

pub use schema::json_schema;

use crate::check::{Constraint, Program, RESERVED_KEYS};
use crate::diag::{completion, did_you_mean};
use crate::lang::Lang;
use crate::value::{parse_date, parse_datetime, parse_money, parse_period, Slot, Type, Value};

/// A case record, read and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRecord {
    /// The `case` key, if given.
    pub id: Option<String>,
    /// The `as_of` key, if given.
    pub as_of: Option<Date>,
    /// One slot per input of the program, in declaration order.
    pub inputs: Vec<Slot>,
}

impl CaseRecord {
    /// A record without id or date in which every fact is unknown, to be
    /// filled in as it is read.
    fn unknown(program: &Program) -> CaseRecord {
        CaseRecord {
            id: None,
            as_of: None,
            inputs: (0..program.inputs.len()).map(|_| Slot::Absent).collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// From a file name: `.json` and `.jsonl` are JSON, anything else YAML.
    pub fn of_path(path: &str) -> Format {
        if path.ends_with(".json") || path.ends_with(".jsonl") {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// Why a record is invalid, and where.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RecordError {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The field path, e.g. `applicant.nationality` (empty for the whole record).
    pub path: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl RecordError {
    /// A problem with the record as a whole (no field, no place in it):
    /// the file cannot be read, or is empty.
    pub fn whole(file: &str, message: String, help: Option<String>) -> RecordError {
        RecordError {
            file: file.into(),
            line: None,
            column: None,
            path: String::new(),
            message,
            help,
        }
    }

    /// The error of a record lsa failed on (a panic while it was evaluated
    /// or written: a defect in lsa, not in the record), saying what failed.
    pub fn internal(
        file: &str,
        line: Option<u32>,
        panic: &(dyn std::any::Any + Send),
    ) -> RecordError {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        RecordError {
            file: file.into(),
            line,
            column: None,
            path: String::new(),
            message: format!("lsa failed while evaluating this record: {why}"),
            help: Some(
                "a defect in lsa, not in the record: please report it with this record; \
                 every other record was evaluated"
                    .into(),
            ),
        }
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &self.message, self.help.as_deref(), "help")
    }
}

impl std::error::Error for RecordError {}

impl RecordError {
    /// The problem as people read it in `lang`: in English as
    /// [`Display`](fmt::Display) writes it; in Lithuanian with its message
    /// and help put into Lithuanian where the wording is known (`words`),
    /// else as they are.
    pub fn display_in(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Lt => {
                let lt = |text: &str| words::lithuanian(text).unwrap_or_else(|| text.to_string());
                let help = self.help.as_deref().map(lt);
                let mut out = String::new();
                let _ = self.write(&mut out, &lt(&self.message), help.as_deref(), "patarimas");
                out
            }
        }
    }

    /// `FILE:LINE:COL: `PATH`: MESSAGE`, and the help on a line of its own
    /// after `help_word`.
    fn write(
        &self,
        f: &mut dyn fmt::Write,
        message: &str,
        help: Option<&str>,
        help_word: &str,
    ) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if self.path.is_empty() {
            write!(f, ": {message}")?;
        } else {
            write!(f, ": `{}`: {message}", self.path)?;
        }
        if let Some(help) = help {
            write!(f, "\n  {help_word}: {help}")?;
        }
        Ok(())
    }
}

/// A record of a caseload that could not be read, as the reports over the
/// caseload give it: where it was read and its problems, in the report's
/// language (for people), and its error object as `lsa batch` writes it
/// (for tools).
#[derive(Clone, Debug, Default)]
pub struct Unread {
    /// Where it was read (`cases.jsonl, eilutė 3`).
    pub at: String,
    /// Every problem, each with its file, line, column and field.
    pub problems: String,
    /// The error object, one line of JSON.
    pub error: String,
}

/// Why a record is invalid: every problem found in it, in the order met.
/// (At least one; a record that is not even valid JSON or YAML has one.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub Vec<RecordError>);

impl Invalid {
    /// The first problem (every `Invalid` has one).
    pub fn first(&self) -> Option<&RecordError> {
        self.0.first()
    }
}

impl From<RecordError> for Invalid {
    fn from(e: RecordError) -> Invalid {
        Invalid(vec![e])
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

impl Invalid {
    /// Every problem as people read it in `lang` (see
    /// [`RecordError::display_in`]), one after the other.
    pub fn display_in(&self, lang: Lang) -> String {
        let each: Vec<String> = self.0.iter().map(|e| e.display_in(lang)).collect();
        each.join("\n")
    }
}

/// Problems reported per record at the most: a file with more is usually
/// not a case record at all.
const MAX_PROBLEMS: usize = 20;

/// The validation problem found while reading, kept aside because serde errors
/// carry only a string.
#[derive(Default)]
struct Found {
    detail: Option<(String, String, Option<String>)>,
}

/// Reading stops at the first problem, which is how serde gives its exact
/// line and column. To report every problem, an invalid record is read
/// again, each pass tolerating the problems found before (a wrong value is
/// taken as none, an unknown or repeated key is skipped) until the next
/// one stops it: a record is read once if it is valid, and once per
/// problem if not.
struct Ctx<'p> {
    program: &'p Program,
    found: RefCell<Found>,
    /// (path, message) of the problems found by earlier passes.
    known: Vec<(String, String)>,
}

impl Ctx<'_> {
    fn fail<E: de::Error>(&self, path: &str, message: String, help: Option<String>) -> E {
        let text = format!("`{path}`: {message}");
        self.found.borrow_mut().detail = Some((path.to_string(), message, help));
        E::custom(text)
    }

    /// Whether an earlier pass reported this problem (so this one reads on).
    fn tolerates(&self, path: &str, message: &str) -> bool {
        !self.known.is_empty() && self.known.iter().any(|(p, m)| p == path && m == message)
    }

    /// A problem: tolerated (`Ok`) if an earlier pass reported it, else the
    /// error that stops this pass.
    fn problem<E: de::Error>(
        &self,
        path: &str,
        message: String,
        help: Option<String>,
    ) -> Result<(), E> {
        if self.tolerates(path, &message) {
            return Ok(());
        }
        Err(self.fail(path, message, help))
    }
}

/// The index a key seed gives for an unknown key that an earlier pass
/// reported: its value is skipped.
const SKIP: usize = usize::MAX;

/// The text after its UTF-8 byte order mark, where it starts with one.
/// Windows editors and exports write one at the start of a file (Notepad's
/// "UTF-8 with BOM", Windows PowerShell's `Out-File` and `Set-Content`),
/// and neither the JSON nor the YAML reader takes it; every reader here
/// starts after it, so the first line's columns are counted as an editor
/// shows them.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether bytes start with a UTF-16 byte order mark: text lsa does not
/// read (it reads UTF-8), and what Windows PowerShell's `>` and `Out-File`
/// write. [`UTF16`] says so.
pub fn is_utf16(start: &[u8]) -> bool {
    start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF])
}

/// The problem with text that [`is_utf16`], in words.
pub const UTF16: &str = "the text is UTF-16, not UTF-8 (Windows PowerShell's `>` writes UTF-16); save it as UTF-8, e.g. with `Out-File -Encoding utf8`";

/// Reads one case record from text, reporting every problem in it.
///
/// A JSON record with nothing unusual in it is read the quick way
/// ([`read_quick`]); any other, and every invalid one, by the full reader
/// ([`read_full`]), which gives the same record where both read one.
pub fn read(
    program: &Program,
    text: &str,
    format: Format,
    file: &str,
) -> Result<CaseRecord, Invalid> {
    let text = without_bom(text);
    if format == Format::Json {
        if let Some(record) = json::read(program, text) {
            return Ok(record);
        }
    }
    read_unmarked(program, text, format, file)
}

/// The quick reading of a JSON record alone: the record, or `None` where it
/// leaves the record to the full reader (see [`read`]). For the tests and
/// fuzzing that compare the two readers.
pub fn read_quick(program: &Program, text: &str) -> Option<CaseRecord> {
    json::read(program, without_bom(text))
}

/// The full reader alone (see [`read`]): every record, every problem.
pub fn read_full(
    program: &Program,
    text: &str,
    format: Format,
    file: &str,
) -> Result<CaseRecord, Invalid> {
    read_unmarked(program, without_bom(text), format, file)
}

/// [`read_full`] of a text without a byte order mark.
fn read_unmarked(
    program: &Program,
    text: &str,
    format: Format,
    file: &str,
) -> Result<CaseRecord, Invalid> {
    if is_blank(text, format) {
        // An empty file is a mistake (a file not written, a lost line),
        // never a record in which every fact is unknown.
        return Err(Invalid::from(RecordError::whole(
            file,
            "the file is empty".into(),
            Some(
                "a case record is a map of fields (`applicant:`, `application:`, …); `{}` is a record with every fact unknown".into(),
            ),
        )));
    }
    if format == Format::Yaml {
        if let Some(e) = yaml_too_deep(text, file) {
            return Err(Invalid::from(e));
        }
    }
    collect(|known| read_once(program, text, format, file, known))
}

/// The deepest nesting of brackets a YAML record may have. No record nests
/// more than a few levels; the YAML reader takes time quadratic in the depth
/// (100,000 levels: over a minute, F19), so deeper is refused before it
/// reads.
pub const MAX_YAML_NESTING: usize = 128;

/// Where a YAML text nests flow collections (`[…]`, `{…}`) deeper than
/// [`MAX_YAML_NESTING`], as the error to report. A linear scan that skips
/// quoted strings and comments, and takes a bracket in plain text (`see
/// [1`) for text.
fn yaml_too_deep(text: &str, file: &str) -> Option<RecordError> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        let mut chars = line.char_indices().peekable();
        // Where a value may start: a bracket there opens a collection.
        let mut value_start = true;
        while let Some((i, c)) = chars.next() {
            match c {
                '#' if value_start || line.get(..i).is_some_and(|b| b.ends_with(' ')) => break,
                '"' | '\'' => {
                    // To the closing quote (`\"` or `''` inside).
                    let mut escaped = false;
                    for (_, q) in chars.by_ref() {
                        if escaped {
                            escaped = false;
                        } else if c == '"' && q == '\\' {
                            escaped = true;
                        } else if q == c {
                            break;
                        }
                    }
                    value_start = false;
                }
                '[' | '{' if depth > 0 || value_start => {
                    depth += 1;
                    if depth > MAX_YAML_NESTING {
                        return Some(RecordError {
                            file: file.to_string(),
                            line: to_u32(n + 1),
                            column: to_u32(line.get(..i).map_or(0, |b| b.chars().count()) + 1),
                            path: String::new(),
                            message: format!(
                                "not valid YAML: nested too deeply (more than {MAX_YAML_NESTING} levels of brackets)"
                            ),
                            help: None,
                        });
                    }
                    value_start = true;
                }
                ']' | '}' if depth > 0 => {
                    depth -= 1;
                    value_start = false;
                }
                ',' if depth > 0 => value_start = true,
                ' ' | '\t' => {}
                ':' | '-' => {
                    value_start = chars.peek().is_none_or(|(_, n)| *n == ' ' || *n == '\t');
                }
                _ => value_start = false,
            }
        }
    }
    None
}

/// Whether a text holds nothing: white space, and in YAML comments and
/// document markers.
fn is_blank(text: &str, format: Format) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || (format == Format::Yaml && (l.starts_with('#') || l == "---" || l == "..."))
    })
}

/// Reads a record in passes, each given the problems found so far, until a
/// pass finds no new one (see [`Ctx`]).
fn collect(
    mut pass: impl FnMut(Vec<(String, String)>) -> Result<CaseRecord, RecordError>,
) -> Result<CaseRecord, Invalid> {
    let mut problems: Vec<RecordError> = Vec::new();
    loop {
        let known = problems
            .iter()
            .map(|e| (e.path.clone(), e.message.clone()))
            .collect();
        match pass(known) {
            Ok(record) if problems.is_empty() => return Ok(record),
            Ok(_) => return Err(Invalid(problems)),
            Err(e) => {
                // A problem without a path (the text is not JSON or YAML, or
                // not a map) stops the reading for good.
                let last = e.path.is_empty()
                    || problems
                        .iter()
                        .any(|p| p.path == e.path && p.message == e.message)
                    || problems.len() + 1 >= MAX_PROBLEMS;
                problems.push(e);
                if last {
                    return Err(Invalid(problems));
                }
            }
        }
    }
}

/// One pass of [`read`].
fn read_once(
    program: &Program,
    text: &str,
    format: Format,
    file: &str,
    known: Vec<(String, String)>,
) -> Result<CaseRecord, RecordError> {
    let ctx = Ctx {
        program,
        found: RefCell::new(Found::default()),
        known,
    };
    deserialize_in(text, format, CaseSeed(&ctx)).map_err(|(line, column, message)| {
        let detail = ctx.found.borrow_mut().detail.take();
        match detail {
            Some((path, message, help)) => RecordError {
                file: file.to_string(),
                line,
                column,
                path,
                message,
                help,
            },
            None => RecordError {
                file: file.to_string(),
                line,
                column,
                path: String::new(),
                help: several_records_help(text, &message, format)
                    .or_else(|| syntax_help(text, line, format)),
                message: plain_format_error(&message, format),
            },
        }
    })
}

/// How serde_yaml says a text holds several YAML documents (`---`).
const SEVERAL_DOCUMENTS: &str = "more than one document";

/// What to do about a record that is not one record, where its cause is a
/// common one (`message`, the reader's): several records given as a list,
/// as several YAML documents, or one after the other with commas, where a
/// file holds one and JSON Lines one a line.
fn several_records_help(text: &str, message: &str, format: Format) -> Option<String> {
    let several = message.starts_with("invalid type: sequence")
        || message.contains(SEVERAL_DOCUMENTS)
        || (message.starts_with("trailing characters") && text.trim_end().ends_with(','));
    several.then(|| {
        match format {
            Format::Json => "several cases go to `lsa batch` as JSON Lines: one whole record on each line, without commas between them (from a JSON list: `jq -c '.[]' cases.json > cases.jsonl`)",
            Format::Yaml => "a YAML file holds one case; give several files (`lsa check a.yaml b.yaml`, `lsa batch FOLDER`), or JSON Lines to `lsa batch`",
        }
        .into()
    })
}

/// What to do about a JSON or YAML syntax error on line `line`, where its
/// cause is a common one: a tab indenting YAML (which YAML does not allow),
/// or NUL bytes, which UTF-16 text read as UTF-8 is full of (Windows
/// PowerShell's `>` writes UTF-16).
fn syntax_help(text: &str, line: Option<u32>, format: Format) -> Option<String> {
    if text.contains('\0') {
        return Some(
            "the text has NUL bytes: it looks like UTF-16 (Windows PowerShell's `>` writes it); save it as UTF-8 (`Out-File -Encoding utf8`)".into(),
        );
    }
    let at = text
        .lines()
        .nth(usize::try_from(line?).ok()?.checked_sub(1)?)?;
    let indent = at.get(..at.len() - at.trim_start().len())?;
    (format == Format::Yaml && indent.contains('\t'))
        .then(|| "YAML indents with spaces, not tabs: this line starts with a tab".to_string())
}

/// A one-based position, if the format gave one.
/// What a reader of YAML or JSON says is wrong, and where: line, column
/// (where the format gives them) and the message without its position.
type Located = (Option<u32>, Option<u32>, String);

/// `seed` over the whole of `text`, in `format` (JSON: nothing but space
/// after it; YAML: one document).
fn deserialize_in<T>(
    text: &str,
    format: Format,
    seed: impl for<'de> DeserializeSeed<'de, Value = T>,
) -> Result<T, Located> {
    match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            seed.deserialize(&mut de)
                .and_then(|t| de.end().map(|_| t))
                .map_err(|e| {
                    let message = strip_position(&e.to_string());
                    (to_u32(e.line()), to_u32(e.column()), message)
                })
        }
        Format::Yaml => seed
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|e| {
                let loc = e.location();
                (
                    loc.as_ref().and_then(|l| to_u32(l.line())),
                    loc.as_ref().and_then(|l| to_u32(l.column())),
                    strip_position(&e.to_string()),
                )
            }),
    }
}

fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok().filter(|n| *n > 0)
}

/// serde's messages end with " at line N column M"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// What is said of a key given twice in a mapping.
const GIVEN_TWICE: &str = "given twice";

fn plain_format_error(message: &str, format: Format) -> String {
    let what = match format {
        Format::Json => "not valid JSON",
        Format::Yaml => "not valid YAML",
    };
    if message.contains(SEVERAL_DOCUMENTS) {
        return format!("{what}: the text has several documents (`---`) where one is read");
    }
    // A key given twice ([`Tree`]) is well-formed YAML or JSON: said as a
    // record says it, with the path to the mapping.
    if message.ends_with(GIVEN_TWICE) {
        return message.to_string();
    }
    if message.contains("invalid type: ") && message.contains("expected a case record") {
        return "a case record is a map of fields (`applicant:`, `application:`, …)".into();
    }
    if message.starts_with("EOF while parsing")
        || message.contains("end of stream")
        || message.is_empty()
    {
        return format!("{what}: the record ends too early");
    }
    format!("{what}: {message}")
}

struct CaseSeed<'c, 'p>(&'c Ctx<'p>);

impl<'de> DeserializeSeed<'de> for CaseSeed<'_, '_> {
    type Value = CaseRecord;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<CaseRecord, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CaseSeed<'_, '_> {
    type Value = CaseRecord;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a case record")
    }

    fn visit_unit<E: de::Error>(self) -> Result<CaseRecord, E> {
        Err(self.0.fail(
            "",
            "the record is empty".into(),
            Some("a case record is a map of fields (`applicant:`, `application:`, …)".into()),
        ))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CaseRecord, A::Error> {
        let ctx = self.0;
        let program = ctx.program;
        let mut record = CaseRecord::unknown(program);
        let names = Names::Top(&program.inputs);
        let mut seen: SmallVec<[bool; 32]> = smallvec::smallvec![false; names.len()];
        let mut next = 0;
        while let Some(key) = map.next_key_seed(&mut KeySeed {
            ctx,
            parent: None,
            names,
            next,
            seen: &seen,
        })? {
            if key == SKIP {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            next = key + 1;
            if let Some(seen) = seen.get_mut(key) {
                *seen = true;
            }
            match key {
                0 => record.id = Some(map.next_value::<IdString>()?.0),
                1 => {
                    // Read as a date field is (and so a mistake is placed at
                    // the value, not at the start of the record).
                    let mut slot = Slot::Absent;
                    read_declared(
                        &mut map,
                        ctx,
                        Some(&Type::Date),
                        &[],
                        &Path::Top("as_of"),
                        Some(&mut slot),
                    )?;
                    if let Slot::Value(Value::Date(d)) = slot {
                        record.as_of = Some(d);
                    }
                }
                _ => {
                    let path = Path::Top(names.name(key).unwrap_or("?"));
                    let slot = record.inputs.get_mut(key - RESERVED_KEYS.len());
                    read_declared(&mut map, ctx, names.ty(key), &[], &path, slot)?;
                }
            }
        }
        Ok(record)
    }
}

/// Reads the value of a declared input or field into its slot, checked
/// against its type and the field's constraints.
fn read_declared<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &Ctx<'_>,
    ty: Option<&Type>,
    constraints: &[Constraint],
    path: &Path<'_>,
    slot: Option<&mut Slot>,
) -> Result<(), A::Error> {
    let ty = ty.unwrap_or(&Type::Error);
    let mut unused = Slot::Absent;
    let out = slot.unwrap_or(&mut unused);
    map.next_value_seed(&mut IntoSlot {
        seed: ValueSeed { ctx, ty, path },
        out: &mut *out,
    })?;
    if constraints.is_empty() {
        return Ok(());
    }
    let Slot::Value(v) = &*out else {
        return Ok(());
    };
    match constraints.iter().find(|c| !c.allows(v)) {
        None => Ok(()),
        Some(c) => {
            let shown = match v {
                Value::Text(t) => format!("\"{t}\""),
                other => crate::eval::why::show(ctx.program, other),
            };
            let (message, help) = match c {
                Constraint::Between(low, high) => (
                    format!(
                        "{shown} is not between {} and {}",
                        crate::eval::why::show(ctx.program, low),
                        crate::eval::why::show(ctx.program, high)
                    ),
                    "the rules allow values within these limits, both included".to_string(),
                ),
                Constraint::Matching { pattern, .. } => (
                    format!("{shown} does not match `{pattern}`"),
                    "the rules allow a text matching this pattern (a regular expression), whole"
                        .to_string(),
                ),
            };
            ctx.problem(&path.to_string(), message, Some(help))
        }
    }
}

/// A value read straight into its slot, the reader handed on by reference.
/// (A value handed back up through serde's layers, or a reader or a path
/// handed down them by value, is copied whole at each, right after it was
/// written field by field, which stalls the processor: with all of these,
/// reading a record took 40 % longer. `KeySeed`s and `Path`s go by
/// reference for the same reason.)
struct IntoSlot<'s, 'c, 'p, 't> {
    seed: ValueSeed<'c, 'p, 't>,
    out: &'s mut Slot,
}

impl<'de> DeserializeSeed<'de> for &mut IntoSlot<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl IntoSlot<'_, '_, '_, '_> {
    #[inline(always)]
    fn put<E>(&mut self, read: impl FnOnce(ValueSeed) -> Result<Value, E>) -> Result<(), E> {
        *self.out = Slot::Value(read(self.seed)?);
        Ok(())
    }
}

impl<'de> Visitor<'de> for &mut IntoSlot<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.seed.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.put(|s| s.visit_bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.put(|s| s.visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.put(|s| s.visit_u64(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.put(|s| s.visit_i128(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.put(|s| s.visit_u128(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.put(|s| s.visit_f64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.put(|s| s.visit_str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.put(|s| s.visit_unit())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.put(|s| s.visit_none())
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.put(|s| s.visit_seq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.put(|s| s.visit_map(map))
    }
}

/// The names allowed as keys at one place of a record.
#[derive(Clone, Copy)]
enum Names<'n> {
    /// The top level: `case`, `as_of`, then the inputs.
    Top(&'n [crate::check::InputDef]),
    Fields(&'n [crate::check::FieldDef]),
}

impl<'n> Names<'n> {
    /// The name at an index of this place's key space.
    fn name(self, i: usize) -> Option<&'n str> {
        match self {
            Names::Top(inputs) => match RESERVED_KEYS.get(i) {
                Some(k) => Some(k),
                None => inputs.get(i - RESERVED_KEYS.len()).map(|d| d.name.as_str()),
            },
            Names::Fields(fields) => fields.get(i).map(|f| f.name.as_str()),
        }
    }

    /// The declared type at an index (none for `case` and `as_of`).
    fn ty(self, i: usize) -> Option<&'n Type> {
        match self {
            Names::Top(inputs) => i
                .checked_sub(RESERVED_KEYS.len())
                .and_then(|i| inputs.get(i))
                .map(|d| &d.ty),
            Names::Fields(fields) => fields.get(i).map(|f| &f.ty),
        }
    }

    fn len(self) -> usize {
        match self {
            Names::Top(inputs) => RESERVED_KEYS.len() + inputs.len(),
            Names::Fields(fields) => fields.len(),
        }
    }

    /// The index of a key: `guess` if it is that one (records usually list
    /// fields in declaration order, so the guess usually saves the search).
    #[inline]
    fn position(self, key: &str, guess: usize) -> Option<usize> {
        if self.name(guess) == Some(key) {
            return Some(guess);
        }
        match self {
            Names::Top(inputs) => RESERVED_KEYS.iter().position(|k| *k == key).or_else(|| {
                inputs
                    .iter()
                    .position(|i| i.name == key)
                    .map(|i| i + RESERVED_KEYS.len())
            }),
            Names::Fields(fields) => fields.iter().position(|f| f.name == key),
        }
    }

    /// The constraints at an index (fields only).
    fn constraints(self, i: usize) -> &'n [Constraint] {
        match self {
            Names::Top(_) => &[],
            Names::Fields(fields) => fields
                .get(i)
                .map(|f| f.constraints.as_slice())
                .unwrap_or(&[]),
        }
    }
}

/// A map key, checked against the names allowed at this place while the
/// reader is at the key (so that an error points at the key, not the value
/// before it). Gives the key's index among the names.
struct KeySeed<'c, 'p, 'n> {
    ctx: &'c Ctx<'p>,
    /// The path of the map the key is in (`None` at the top level).
    parent: Option<&'n Path<'n>>,
    names: Names<'n>,
    /// The index expected next: records usually list fields in declaration
    /// order, so that guess usually saves the search.
    next: usize,
    /// The keys of the map read so far, by index: one given again is
    /// refused here, so that the error carries the second one's position
    /// (refused after the key was read, a YAML error named the map's).
    seen: &'n [bool],
}

impl<'de> DeserializeSeed<'de> for &mut KeySeed<'_, '_, '_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        // Checked inside the visitor, so the error carries the key's own position.
        d.deserialize_any(self)
    }
}

impl KeySeed<'_, '_, '_> {
    fn name_list(&self) -> Vec<&str> {
        match self.names {
            Names::Top(inputs) => RESERVED_KEYS
                .iter()
                .copied()
                .chain(inputs.iter().map(|i| i.name.as_str()))
                .collect(),
            Names::Fields(fields) => fields.iter().map(|f| f.name.as_str()).collect(),
        }
    }

    fn check<E: de::Error>(&self, key: &str) -> Result<usize, E> {
        // A key of a megabyte is not echoed whole (F22).
        let path = |shown: &str| match &self.parent {
            None => shown.to_string(),
            Some(p) => format!("{p}.{shown}"),
        };
        if let Some(i) = self.names.position(key, self.next) {
            if self.seen.get(i).copied().unwrap_or(false) {
                return self
                    .ctx
                    .problem(&path(key), GIVEN_TWICE.into(), None)
                    .map(|()| SKIP);
            }
            return Ok(i);
        }
        let path = path(&short(key));
        let names = self.name_list();
        let help = match (did_you_mean(key, names.iter().copied()), &self.parent) {
            (Some(s), _) => format!("did you mean `{s}`?"),
            (None, None) => format!("the record's keys are: {}", names.join(", ")),
            (None, Some(p)) => format!("the fields of `{p}` are: {}", names.join(", ")),
        };
        self.ctx
            .problem(&path, "unknown field".into(), Some(help))
            .map(|()| SKIP)
    }
}

impl Visitor<'_> for &mut KeySeed<'_, '_, '_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.check(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<usize, E> {
        self.check(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        self.check(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<usize, E> {
        self.check(&v.to_string())
    }
}

/// The case id: a string or a number.
struct IdString(String);

impl<'de> de::Deserialize<'de> for IdString {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IdVisitor).map(IdString)
    }
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// Where a value is in the record, built without allocating: rendered
/// (`applicant.family[2].born`) only for an error message.
#[derive(Clone, Copy)]
enum Path<'a> {
    Top(&'a str),
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

/// The truth a text says in words, English or Lithuanian (`yes`, `"true"`,
/// `taip`, `ne`), for the help of a record that writes it so.
fn truth_in_words(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "on" | "taip" | "tiesa" => Some(true),
        "false" | "no" | "n" | "off" | "ne" | "netiesa" => Some(false),
        _ => None,
    }
}

/// A text as messages show it: whole up to 80 characters, else its start
/// and how long it is.
fn short(text: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 60;
    match text.char_indices().nth(80) {
        None => text.into(),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(SHOWN)
                .map_or(text.len(), |(i, _)| i);
            format!(
                "{}… ({} characters)",
                text.get(..end).unwrap_or_default(),
                text.chars().count()
            )
            .into()
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Top(name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{}", short(name)),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

#[derive(Clone, Copy)]
struct ValueSeed<'c, 'p, 't> {
    ctx: &'c Ctx<'p>,
    ty: &'t Type,
    path: &'t Path<'t>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl ValueSeed<'_, '_, '_> {
    fn expected(&self) -> String {
        let p = self.ctx.program;
        match self.ty.base() {
            Type::Bool => "true or false".into(),
            Type::Integer => "a whole number".into(),
            Type::Decimal => "a number".into(),
            Type::Percent => "a percentage (a number like 12.5)".into(),
            Type::Money => "an amount like \"1153.00 EUR\"".into(),
            Type::Text => "a text".into(),
            Type::Date => "a date like 2026-07-15".into(),
            Type::DateTime => "a date and time like 2026-08-03T14:20".into(),
            Type::Duration => "a period like \"3 years\"".into(),
            Type::Enum(e) => {
                let variants = p
                    .enums
                    .get(e.0 as usize)
                    .map(|e| e.variants.join(" | "))
                    .unwrap_or_default();
                format!("one of {variants}")
            }
            Type::Record(r) => {
                format!(
                    "a record of type `{}` (a map of fields)",
                    p.record(*r).map(|r| r.name.as_str()).unwrap_or("?")
                )
            }
            Type::List(_) => "a list".into(),
            Type::Optional(_) | Type::Error => "a value".into(),
        }
    }

    /// A value of the wrong kind: the problem, or (tolerated) none.
    fn wrong<E: de::Error>(&self, found: &str) -> Result<Value, E> {
        self.wrong_with(found, None)
    }

    fn wrong_with<E: de::Error>(&self, found: &str, help: Option<String>) -> Result<Value, E> {
        self.reject(format!("expected {}, found {found}", self.expected()), help)
    }

    /// A problem with this value: the error that stops this pass, or (where
    /// an earlier pass reported it) none, so the reading goes on.
    #[cold]
    fn reject<E: de::Error>(&self, message: String, help: Option<String>) -> Result<Value, E> {
        self.ctx
            .problem(&self.path.to_string(), message, help)
            .map(|()| Value::None)
    }

    #[inline(always)]
    fn value_from_str<E: de::Error>(&self, v: &str) -> Result<Value, E> {
        let p = self.ctx.program;
        let bad = |help: &str| -> Result<Value, E> {
            self.reject(
                format!("`{}` is not {}", short(v), self.expected()),
                Some(help.to_string()),
            )
        };
        match self.ty.base() {
            Type::Text => Ok(Value::Text(Arc::from(v))),
            Type::Date => parse_date(v)
                .map(Value::Date)
                .map_or_else(|| bad("dates are written YYYY-MM-DD and must exist"), Ok),
            Type::DateTime => parse_datetime(v)
                .map(Value::DateTime)
                .map_or_else(|| bad("write YYYY-MM-DDTHH:MM"), Ok),
            Type::Money => parse_money(v).map(Value::Money).map_or_else(
                || bad("write the amount and the currency code: \"1153.00 EUR\""),
                Ok,
            ),
            Type::Duration => parse_period(v).map(Value::Duration).map_or_else(
                || bad("write a number and a unit: \"12 weeks\", \"10 working days\""),
                Ok,
            ),
            Type::Enum(e) => {
                let variants: &[String] = p
                    .enums
                    .get(e.0 as usize)
                    .map(|e| e.variants.as_slice())
                    .unwrap_or_default();
                match variants.iter().position(|x| x == v) {
                    Some(i) => Ok(Value::Enum(*e, i as u32)),
                    None => {
                        let names = || variants.iter().map(String::as_str);
                        let help = match did_you_mean(v, names()).or_else(|| completion(v, names()))
                        {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("the values are: {}", variants.join(", ")),
                        };
                        self.reject(
                            format!("`{}` is not one of {}", short(v), variants.join(" | ")),
                            Some(help),
                        )
                    }
                }
            }
            _ => self.wrong_with(&format!("the text \"{}\"", short(v)), self.text_help(v)),
        }
    }

    /// How to write a value of this type that was written as the text `v`:
    /// a number as a number (the schema's `number`), a truth as true or
    /// false (`"true"`, `yes`, `taip`), without quotes.
    fn text_help(&self, v: &str) -> Option<String> {
        Some(match self.ty.base() {
            Type::Percent | Type::Decimal => {
                match crate::value::parse_decimal(v.trim_end_matches('%').trim_end()) {
                    Some(d) => format!("write the number without quotes: {d}"),
                    None => "write a number like 12.5, without quotes".into(),
                }
            }
            Type::Bool => match truth_in_words(v) {
                Some(b) if v.trim() == b.to_string() => format!("write {b} without quotes"),
                Some(b) => format!(
                    "write `{b}` for \"{}\" (true or false, without quotes)",
                    short(v)
                ),
                // YAML read the next line, indented deeper, into the value.
                None if v.split_whitespace().next().and_then(truth_in_words).is_some() => {
                    "if the next line is a field of its own, indent it as this one (indented deeper, YAML reads it as part of this value)".into()
                }
                None => "write true or false, without quotes".into(),
            },
            _ => return None,
        })
    }

    /// A number as read: its shortest decimal text, and its value if it is whole.
    fn number<E: de::Error>(&self, text: &str, integer: Option<i64>) -> Result<Value, E> {
        let wrong = || self.wrong(&format!("the number {text}"));
        let whole = text
            .strip_prefix('-')
            .unwrap_or(text)
            .bytes()
            .all(|b| b.is_ascii_digit());
        match self.ty.base() {
            Type::Integer if integer.is_none() && whole => self.reject(
                format!(
                    "the number {text} is too large: an integer is at most {}",
                    i64::MAX
                ),
                None,
            ),
            Type::Integer => integer.map(Value::Integer).map_or_else(wrong, Ok),
            Type::Decimal | Type::Percent => match decimal(text) {
                Some(d) if self.ty.base() == &Type::Percent => Ok(Value::Percent(d)),
                Some(d) => Ok(Value::Decimal(d)),
                None => self.reject(
                    format!(
                        "the number {text} has more digits than lsa keeps exactly ({})",
                        crate::value::MAX_DIGITS
                    ),
                    None,
                ),
            },
            // A text is read as the schema publishes it (a string), as a
            // number is: a code of digits is written in quotes.
            Type::Text => self.wrong_with(
                &format!("the number {text}"),
                Some(format!("a text is written in quotes: \"{text}\"")),
            ),
            _ => wrong(),
        }
    }
}

/// A number's text as a decimal (`1e-7`, as `ryu` writes very small or large
/// numbers, included), or `None` where it has more digits than a decimal
/// keeps exactly (it would be rounded).
fn decimal(text: &str) -> Option<Decimal> {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    if mantissa.bytes().filter(u8::is_ascii_digit).count() > crate::value::MAX_DIGITS {
        return None;
    }
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expected())
    }

    #[inline(always)]
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        match self.ty.base() {
            Type::Bool => Ok(Value::Bool(v)),
            _ => self.wrong(&v.to_string()),
        }
    }

    #[inline(always)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if matches!(self.ty.base(), Type::Integer) {
            return Ok(Value::Integer(v));
        }
        self.number(itoa::Buffer::new().format(v), Some(v))
    }

    #[inline(always)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.number(itoa::Buffer::new().format(v), i64::try_from(v).ok())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.number(&v.to_string(), i64::try_from(v).ok())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.number(&v.to_string(), i64::try_from(v).ok())
    }

    #[inline(always)]
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        if !v.is_finite() {
            return self.wrong(&v.to_string());
        }
        // A number with a fraction is read as a double, and taken as the
        // shortest decimal that reads back as the same double: what
        // JavaScript, Python and serde write (0.1 + 0.2 is
        // 0.30000000000000004). A whole number is read as a double only past
        // 64 bits; past 2^53 it has lost digits on the way: refused, not
        // rounded (F20).
        if v.fract() == 0.0 && v.abs() >= 9_007_199_254_740_992.0 {
            return self.reject(
                format!(
                    "the number {} is too large to have been read exactly",
                    ryu::Buffer::new().format_finite(v)
                ),
                Some(
                    "a whole number past 9007199254740992 loses digits in JSON; no field takes one"
                        .into(),
                ),
            );
        }
        // Through the shortest decimal text, so 12.5 stays 12.5 (never a binary
        // fraction); `ryu` writes it without allocating (45.0 is "45.0").
        self.number(ryu::Buffer::new().format_finite(v), None)
    }

    #[inline(always)]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.value_from_str(v)
    }

    #[inline(always)]
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        if self.ty.is_optional() {
            Ok(Value::None)
        } else {
            // (Words true of `as_of` too, which lsa declares, not the rules.)
            self.reject(
                "null is allowed only for optional fields".into(),
                Some(format!(
                    "leave the field out if it is not known yet; it takes {}, not null",
                    self.expected()
                )),
            )
        }
    }

    #[inline(always)]
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Type::List(elem) = self.ty.base() else {
            let none = self.wrong("a list")?;
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            return Ok(none);
        };
        let mut items = Vec::new();
        loop {
            let path = Path::Index(self.path, items.len());
            let seed = ValueSeed {
                ctx: self.ctx,
                ty: elem,
                path: &path,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::List(items.into()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let program = self.ctx.program;
        let record = match self.ty.base() {
            Type::Record(rid) => program.record(*rid),
            _ => None,
        };
        let Some(record) = record else {
            let none = self.wrong("a map")?;
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            return Ok(none);
        };
        let mut fields: Vec<Slot> = (0..record.fields.len()).map(|_| Slot::Absent).collect();
        let mut seen: SmallVec<[bool; 32]> = smallvec::smallvec![false; record.fields.len()];
        let names = Names::Fields(&record.fields);
        let mut next = 0;
        while let Some(index) = map.next_key_seed(&mut KeySeed {
            ctx: self.ctx,
            parent: Some(self.path),
            names,
            next,
            seen: &seen,
        })? {
            if index == SKIP {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            next = index + 1;
            if let Some(seen) = seen.get_mut(index) {
                *seen = true;
            }
            let path = Path::Field(self.path, names.name(index).unwrap_or("?"));
            read_declared(
                &mut map,
                self.ctx,
                names.ty(index),
                names.constraints(index),
                &path,
                fields.get_mut(index),
            )?;
        }
        Ok(Value::Record(fields.into()))
    }
}

/// The `case` id a record gives, as its output names it (a text; a number
/// or true/false as its text), if it can be read at all, else `null`: for
/// error objects, so that an integrator can match an error to its case. A
/// JSON record is read only as far as its `case`: what follows it may be
/// broken (a line cut short, a value nested too deeply) and the id is still
/// found.
pub fn case_id(text: &str, format: Format) -> serde_json::Value {
    let text = without_bom(text);
    let id = match format {
        Format::Json => {
            use serde::Deserializer as _;
            let mut id = None;
            // What follows the id is not read: an error here is no matter.
            let _ = serde_json::Deserializer::from_str(text).deserialize_map(CaseId(&mut id));
            id
        }
        Format::Yaml => read_document(text, format, "")
            .ok()
            .and_then(|mut d| d.get_mut("case").map(serde_json::Value::take))
            .and_then(|v| <IdString as de::Deserialize>::deserialize(v).ok())
            .map(|id| id.0),
    };
    id.map_or(serde_json::Value::Null, serde_json::Value::String)
}

/// Reads a JSON object's `case` into its place and stops there (see
/// [`case_id`], which ignores the error of a map left unfinished).
struct CaseId<'c>(&'c mut Option<String>);

impl<'de> Visitor<'de> for CaseId<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a case record")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "case" {
                *self.0 = Some(map.next_value::<IdString>()?.0);
                return Ok(());
            }
            map.next_value::<de::IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A document read as a JSON tree, a key given twice in a mapping refused
/// (as a case record refuses it): `serde_json::Value` keeps the last one
/// silently, so a test's case written with `context:` twice was checked
/// with the second alone.
struct Tree(serde_json::Value);

impl<'de> de::Deserialize<'de> for Tree {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(NewKey(&m))? {
            let Tree(value) = map.next_value()?;
            m.insert(key, value);
        }
        Ok(serde_json::Value::Object(m))
    }
}

/// A key of a [`Tree`]'s mapping, refused where the mapping has it already:
/// inside the key's reading, so that the error carries the position of the
/// second one (refused after it, a YAML error named the mapping's first
/// key).
struct NewKey<'m>(&'m serde_json::Map<String, serde_json::Value>);

impl<'de> DeserializeSeed<'de> for NewKey<'_> {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_string(self)
    }
}

impl Visitor<'_> for NewKey<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<String, E> {
        if self.0.contains_key(key) {
            return Err(E::custom(format_args!("`{key}`: {GIVEN_TWICE}")));
        }
        Ok(key.to_string())
    }
}

/// Any YAML or JSON document as a JSON tree (expectation files, which hold
/// case records and expected values).
pub fn read_document(
    text: &str,
    format: Format,
    file: &str,
) -> Result<serde_json::Value, RecordError> {
    let text = without_bom(text);
    if format == Format::Yaml {
        if let Some(e) = yaml_too_deep(text, file) {
            return Err(e);
        }
    }
    let parsed = deserialize_in(text, format, std::marker::PhantomData::<Tree>).map(|t| t.0);
    parsed.map_err(|(line, column, message)| RecordError {
        file: file.to_string(),
        line,
        column,
        path: String::new(),
        help: syntax_help(text, line, format),
        message: plain_format_error(&message, format),
    })
}

/// Reads a case record from a JSON tree (e.g. one given inline in an
/// expectation file), reporting every problem. `path` prefixes the field
/// paths in errors.
pub fn read_value(
    program: &Program,
    value: &serde_json::Value,
    file: &str,
    path: &str,
) -> Result<CaseRecord, Invalid> {
    let prefix = |p: String| match (path.is_empty(), p.is_empty()) {
        (true, _) => p,
        (false, true) => path.to_string(),
        (false, false) => format!("{path}.{p}"),
    };
    let read = collect(|known| {
        // Problems are found again under their own paths, without the prefix.
        let known = known
            .into_iter()
            .map(|(p, m)| {
                let own = p
                    .strip_prefix(path)
                    .map(|rest| rest.trim_start_matches('.').to_string())
                    .unwrap_or(p);
                (own, m)
            })
            .collect();
        let ctx = Ctx {
            program,
            found: RefCell::new(Found::default()),
            known,
        };
        CaseSeed(&ctx)
            .deserialize(value)
            .map_err(|e: serde_json::Error| {
                let detail = ctx.found.borrow_mut().detail.take();
                let (p, message, help) =
                    detail.unwrap_or_else(|| (String::new(), strip_position(&e.to_string()), None));
                RecordError {
                    file: file.to_string(),
                    line: None,
                    column: None,
                    path: prefix(p),
                    message,
                    help,
                }
            })
    });
    read
}

/// A fact to set as `lsa check --set` and `POST /v1/check?set=` take it:
/// `PATH=VALUE`, split at the first `=`; `None` without one or a path.
pub fn set_of(s: &str) -> Option<(String, String)> {
    match s.split_once('=') {
        Some((path, value)) if !path.trim().is_empty() => {
            Some((path.trim().to_string(), value.to_string()))
        }
        _ => None,
    }
}

/// Where `path` (of `--set PATH=VALUE`) is in the case record the rules
/// read: `case`, `as_of`, or an input and the places down to a field of it,
/// through records and lists (`responsibility.entries[0].on`). Where it is
/// none of these, what is wrong, in `lang`, with the nearest name where one
/// is close (so a caseload is not read to say the same of every case).
fn set_path(program: &Program, path: &str, lang: Lang) -> Result<SetPath, String> {
    use crate::value::Type;
    let said = |en: String, lt: String| {
        Err(match lang {
            Lang::En => format!("--set {path}=…: {en}"),
            Lang::Lt => format!("--set {path}=…: {lt}"),
        })
    };
    let Some(steps) = steps(path) else {
        return said(
            "not a field's path (as `applicant.family_in_lithuania` or `responsibility.entries[0].on`)".into(),
            "tai ne lauko kelias (pvz. `applicant.family_in_lithuania` arba `responsibility.entries[0].on`)".into(),
        );
    };
    let Some((Step::Key(top), rest)) = steps.split_first() else {
        return said(
            "a field's path starts with its name".into(),
            "lauko kelias prasideda jo pavadinimu".into(),
        );
    };
    let Some(input) = program.inputs.iter().position(|i| i.name == *top) else {
        return match (top.as_str(), rest.is_empty()) {
            ("case", true) => Ok(SetPath::Id),
            ("as_of", true) => Ok(SetPath::AsOf),
            ("case" | "as_of", false) => said(
                format!("`{top}` has no fields"),
                format!("`{top}` neturi laukų"),
            ),
            _ => {
                let names = program.inputs.iter().map(|i| i.name.as_str());
                let near = crate::diag::did_you_mean(top, names)
                    .map(|n| format!(" (`{n}`?)"))
                    .unwrap_or_default();
                said(
                    format!("the record has no `{top}`{near}"),
                    format!("įraše nėra `{top}`{near}"),
                )
            }
        };
    };
    let mut walked = top.clone();
    let mut ty = program.inputs.get(input).map(|i| &i.ty);
    let mut at = Vec::with_capacity(rest.len());
    for step in rest {
        let base = ty.map(Type::base);
        match (step, base) {
            (Step::Key(k), Some(Type::Record(rid))) => {
                let fields = program
                    .record(*rid)
                    .map(|r| &r.fields[..])
                    .unwrap_or_default();
                let Some(j) = fields.iter().position(|f| f.name == *k) else {
                    let near = crate::diag::did_you_mean(k, fields.iter().map(|f| f.name.as_str()))
                        .map(|n| format!(" (`{n}`?)"))
                        .unwrap_or_default();
                    return said(
                        format!("`{walked}` has no field `{k}`{near}"),
                        format!("`{walked}` neturi lauko `{k}`{near}"),
                    );
                };
                at.push(SetAt::Field(j, fields.len()));
                ty = fields.get(j).map(|f| &f.ty);
                walked = format!("{walked}.{k}");
            }
            (Step::Key(k), Some(Type::List(_))) => {
                return said(
                    format!("`{walked}` is a list: name one of its items, as `{walked}[0].{k}`"),
                    format!(
                        "`{walked}` yra sąrašas: nurodykite jo elementą, pvz. `{walked}[0].{k}`"
                    ),
                );
            }
            (Step::Key(_), _) => {
                return said(
                    format!("`{walked}` is not a record"),
                    format!("`{walked}` nėra įrašas su laukais"),
                );
            }
            (Step::Item(n), Some(Type::List(item))) => {
                at.push(SetAt::Item(*n));
                ty = Some(item);
                walked = format!("{walked}[{n}]");
            }
            (Step::Item(_), _) => {
                return said(
                    format!("`{walked}` is not a list"),
                    format!("`{walked}` nėra sąrašas"),
                );
            }
        }
    }
    Ok(SetPath::Input(input, at))
}

/// Where a fact is set (see [`set_path`]).
enum SetPath {
    Id,
    AsOf,
    Input(usize, Vec<SetAt>),
}

/// Facts to set in every case of a caseload (`lsa diff --set`): each path
/// checked against the record's fields and each value read for its field's
/// type once, before any case is; then put into each case as read, with
/// the meaning [`read_with`] gives them (a record on the way made where the
/// case has none or `null`, a list's item only where the case has one).
/// Unlike `read_with`, which reads a file with the facts in it (so a fact
/// set can mend the file, as a caseworker's what-if may), the case is read
/// first: it is compared as recorded, so it must be valid as it is. A test
/// holds the two to the same records.
#[derive(Clone, Debug)]
pub struct FactsSet {
    facts: Vec<SetFact>,
}

#[derive(Clone, Debug)]
enum SetFact {
    Id(Option<String>),
    AsOf(Option<Date>),
    /// An input, the way down to the field, and the value read for it.
    Input {
        path: String,
        input: usize,
        at: Vec<SetAt>,
        slot: Slot,
    },
}

/// A step down to a fact set: a record's field (its place, and how many
/// fields the record has), or a list's item.
#[derive(Clone, Copy, Debug)]
enum SetAt {
    Field(usize, usize),
    Item(usize),
}

impl FactsSet {
    /// Reads `sets` (`PATH`, `VALUE` as YAML) for `program`: what is wrong
    /// said in `lang`, naming the `--set`.
    pub fn new(
        program: &Program,
        sets: &[(String, String)],
        lang: Lang,
    ) -> Result<FactsSet, String> {
        use serde_json::Value as Json;
        let mut facts = Vec::with_capacity(sets.len());
        for (path, value) in sets {
            let place = set_path(program, path, lang)?;
            let said = |m: &str| format!("--set {path}={value}: {m}");
            let v = read_document(value, Format::Yaml, "--set").map_err(|e| match lang {
                Lang::En => said(&e.message),
                Lang::Lt => said(&words::lithuanian(&e.message).unwrap_or(e.message)),
            })?;
            // The value alone in a record otherwise unknown, read as any is:
            // so it is read for its field's type, with the field's limits.
            let mut tree = v;
            for step in steps(path).unwrap_or_default().iter().rev() {
                tree = match step {
                    Step::Key(k) => Json::Object(std::iter::once((k.clone(), tree)).collect()),
                    Step::Item(_) => Json::Array(vec![tree]),
                };
            }
            let read = read_value(program, &tree, "--set", "").map_err(|e| {
                let e = e.0.first().map(|e| e.display_in(lang)).unwrap_or_default();
                said(e.strip_prefix("--set: ").unwrap_or(&e))
            })?;
            facts.push(match place {
                SetPath::Id => SetFact::Id(read.id),
                SetPath::AsOf => SetFact::AsOf(read.as_of),
                SetPath::Input(input, at) => {
                    // The value read, down the same places (a list's item
                    // is the tree's first).
                    let mut slot = read.inputs.get(input).cloned().unwrap_or_default();
                    for step in &at {
                        slot = match (step, slot) {
                            (SetAt::Field(j, _), Slot::Value(Value::Record(f))) => {
                                f.get(*j).cloned().unwrap_or_default()
                            }
                            (SetAt::Item(_), Slot::Value(Value::List(items))) => {
                                items.first().cloned().map(Slot::Value).unwrap_or_default()
                            }
                            _ => Slot::Absent,
                        };
                    }
                    SetFact::Input {
                        path: path.clone(),
                        input,
                        at,
                        slot,
                    }
                }
            });
        }
        Ok(FactsSet { facts })
    }

    /// `record` with the facts set; where a list lacks the item a path
    /// names, what is wrong, in `lang`.
    pub fn apply(&self, record: &CaseRecord, lang: Lang) -> Result<CaseRecord, String> {
        let mut out = record.clone();
        for fact in &self.facts {
            match fact {
                SetFact::Id(id) => out.id.clone_from(id),
                SetFact::AsOf(d) => out.as_of = *d,
                SetFact::Input {
                    path,
                    input,
                    at,
                    slot,
                } => {
                    let Some(old) = out.inputs.get_mut(*input) else {
                        continue;
                    };
                    *old = put_slot(old, at, slot).map_err(|(after, n, len)| {
                        // The list: the path's steps before its missing item
                        // (the input's name, then one for each place).
                        let upto = 1 + at.len().saturating_sub(after + 1);
                        let mut walked = String::new();
                        for step in steps(path).unwrap_or_default().iter().take(upto) {
                            match step {
                                Step::Key(k) if walked.is_empty() => walked.push_str(k),
                                Step::Key(k) => walked.push_str(&format!(".{k}")),
                                Step::Item(i) => walked.push_str(&format!("[{i}]")),
                            }
                        }
                        match lang {
                            Lang::En => format!(
                                "--set {path}: `{walked}` has {len} {}: no item {n} (they count from 0)",
                                if len == 1 { "item" } else { "items" }
                            ),
                            Lang::Lt => format!(
                                "--set {path}: sąraše `{walked}` elementų: {len}; elemento {n} nėra (skaičiuojama nuo 0)"
                            ),
                        }
                    })?;
                }
            }
        }
        Ok(out)
    }
}

/// `slot` with `value` put at `at`; for a list's missing item, how many
/// places come after it, its place and the list's length.
fn put_slot(slot: &Slot, at: &[SetAt], value: &Slot) -> Result<Slot, (usize, usize, usize)> {
    let Some((step, rest)) = at.split_first() else {
        return Ok(value.clone());
    };
    match *step {
        SetAt::Field(j, n) => {
            let mut fields: Vec<Slot> = match slot {
                Slot::Value(Value::Record(f)) => f.to_vec(),
                _ => vec![Slot::Absent; n],
            };
            if let Some(f) = fields.get_mut(j) {
                *f = put_slot(f, rest, value)?;
            }
            Ok(Slot::Value(Value::Record(fields.into())))
        }
        SetAt::Item(n) => {
            let Slot::Value(Value::List(items)) = slot else {
                return Err((rest.len(), n, 0));
            };
            let mut items = items.to_vec();
            let len = items.len();
            let item = items.get_mut(n).ok_or((rest.len(), n, len))?;
            if let Slot::Value(v) = put_slot(&Slot::Value(item.clone()), rest, value)? {
                *item = v;
            }
            Ok(Slot::Value(Value::List(items.into())))
        }
    }
}

/// A case record with facts set, as `lsa check --set PATH=VALUE` asks:
/// the record's tree with each value (read as YAML: `true`, `2026-07-01`,
/// `LTU`, `[a, b]`, `null`) put at its path (`applicant.family_in_lithuania`,
/// `responsibility.entries[0].on`; a record on the way made where the file
/// has none or `null`, a list's item only where it has one), then read as
/// any record is; with each path and the value read from it. An error says
/// which `--set`, or what the record read with them lacks, in `lang`.
pub fn read_with(
    program: &Program,
    text: &str,
    format: Format,
    file: &str,
    sets: &[(String, String)],
    lang: Lang,
) -> Result<(CaseRecord, Vec<(String, serde_json::Value)>), String> {
    let mut tree = read_document(text, format, file).map_err(|e| e.display_in(lang))?;
    let mut given = Vec::with_capacity(sets.len());
    for (path, value) in sets {
        let said = |m: &str| format!("--set {path}={value}: {m}");
        let v = read_document(value, Format::Yaml, "--set").map_err(|e| match lang {
            Lang::En => said(&e.message),
            Lang::Lt => said(&words::lithuanian(&e.message).unwrap_or(e.message)),
        })?;
        let steps = steps(path).filter(|s| matches!(s.first(), Some(Step::Key(_))));
        let Some(steps) = steps else {
            return Err(said(match lang {
                Lang::En => "not a field's path (as `applicant.family_in_lithuania` or `responsibility.entries[0].on`)",
                Lang::Lt => "tai ne lauko kelias (pvz. `applicant.family_in_lithuania` arba `responsibility.entries[0].on`)",
            }));
        };
        given.push((path.clone(), v.clone()));
        put(&mut tree, &steps, v, lang).map_err(|m| said(&m))?;
    }
    let read = read_value(program, &tree, file, "");
    read.map(|r| (r, given)).map_err(|e| {
        let e = Invalid(
            e.0.into_iter()
                .map(|mut e| {
                    // The tree has no positions: the field's path says where.
                    (e.line, e.column) = (None, None);
                    e
                })
                .collect(),
        );
        format!("--set: {}", e.display_in(lang))
    })
}

/// Puts `v` at `steps` in a document's tree (see [`read_with`]).
fn put(
    tree: &mut serde_json::Value,
    steps: &[Step],
    v: serde_json::Value,
    lang: Lang,
) -> Result<(), String> {
    use serde_json::Value as Json;
    let mut at = tree;
    let mut walked = String::new();
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        match step {
            Step::Key(k) => {
                if at.is_null() {
                    *at = Json::Object(serde_json::Map::new());
                }
                let Json::Object(m) = at else {
                    return Err(match lang {
                        Lang::En => format!("`{walked}` is not a record"),
                        Lang::Lt => format!("`{walked}` nėra įrašas su laukais"),
                    });
                };
                if !walked.is_empty() {
                    walked.push('.');
                }
                walked.push_str(k);
                if last {
                    m.insert(k.clone(), v);
                    return Ok(());
                }
                at = m.entry(k.clone()).or_insert(Json::Null);
            }
            Step::Item(n) => {
                let Json::Array(items) = at else {
                    return Err(match lang {
                        Lang::En => format!("`{walked}` is not a list"),
                        Lang::Lt => format!("`{walked}` nėra sąrašas"),
                    });
                };
                let len = items.len();
                let Some(item) = items.get_mut(*n) else {
                    return Err(match lang {
                        Lang::En => format!(
                            "`{walked}` has {len} {}: no item {n} (they count from 0)",
                            if len == 1 { "item" } else { "items" }
                        ),
                        Lang::Lt => format!(
                            "sąraše `{walked}` elementų: {len}; elemento {n} nėra (skaičiuojama nuo 0)"
                        ),
                    });
                };
                walked.push_str(&format!("[{n}]"));
                if last {
                    *item = v;
                    return Ok(());
                }
                at = item;
            }
        }
    }
    Err("no field named".into())
}

/// Reads one value of type `ty` from a JSON tree (a param's value given in
/// an expectation file), as a record field of that type is read; `path`
/// names it in errors.
pub fn read_typed(
    program: &Program,
    ty: &Type,
    value: &serde_json::Value,
    path: &str,
) -> Result<Value, String> {
    let ctx = Ctx {
        program,
        found: RefCell::new(Found::default()),
        known: Vec::new(),
    };
    let top = Path::Top(path);
    ValueSeed {
        ctx: &ctx,
        ty,
        path: &top,
    }
    .deserialize(value)
    .map_err(
        |e: serde_json::Error| match ctx.found.borrow_mut().detail.take() {
            Some((p, message, _)) => format!("`{p}`: {message}"),
            None => strip_position(&e.to_string()),
        },
    )
}

/// YAML text of a JSON tree (`lsa check --format yaml`).
pub fn to_yaml(value: &serde_json::Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// One step of a path into a document: a key, or an item of a list.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Item(usize),
}

/// The steps of a path as errors write it (`[2].case.responsibility.entries[0].on`).
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        while let Some(after) = rest.strip_prefix('[') {
            let (n, more) = after.split_once(']')?;
            out.push(Step::Item(n.parse().ok()?));
            rest = more;
        }
        if !rest.is_empty() || (key.is_empty() && part.is_empty()) {
            return None;
        }
    }
    Some(out)
}

/// What the locator raises where it stands on the place sought.
const FOUND: &str = "\u{1}found";

/// Where, in an expectation file's text, the field at `path` is (a record
/// given inline, read from the file's tree, has no positions of its own):
/// its key's line and column, or its item's. The path is a test's (`[2].case.…`,
/// whether the file is a list of tests, a map with `tests:`, or one test).
pub fn locate(text: &str, format: Format, path: &str) -> Option<(u32, u32)> {
    let steps = steps(path)?;
    match deserialize_in(
        without_bom(text),
        format,
        Locate {
            steps: &steps,
            top: true,
        },
    ) {
        // (YAML puts the path before the message.)
        Err((Some(line), Some(column), message)) if message.ends_with(FOUND) => {
            Some((line, column))
        }
        _ => None,
    }
}

/// Walks a document down `steps`, skipping everything else, and fails
/// with [`FOUND`] on the last one (the reader then says where it stands).
struct Locate<'s> {
    steps: &'s [Step],
    /// At the document itself: a map there is a test file's `tests:` map,
    /// or its one test (item 0).
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Locate<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.steps.is_empty() {
            return Err(de::Error::custom(FOUND));
        }
        d.deserialize_any(self)
    }
}

/// A key, and whether it is the next step's.
struct KeyIs<'s> {
    want: Option<&'s str>,
    last: bool,
}

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = (bool, bool);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(bool, bool), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    /// (the key sought, the key `tests`)
    type Value = (bool, bool);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<(bool, bool), E> {
        let sought = self.want == Some(key);
        if sought && self.last {
            return Err(E::custom(FOUND));
        }
        Ok((sought, key == "tests"))
    }
    fn visit_string<E: de::Error>(self, key: String) -> Result<(bool, bool), E> {
        self.visit_str(&key)
    }
    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<(bool, bool), E> {
        self.visit_str(key)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(bool, bool), E> {
        Ok((false, false))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(bool, bool), E> {
        Ok((false, false))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(bool, bool), E> {
        Ok((false, false))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(bool, bool), E> {
        Ok((false, false))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(bool, bool), E> {
        Ok((false, false))
    }
}

impl<'de> Visitor<'de> for Locate<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // At the top, the test sought is item `n` of `tests:`, or (item 0)
        // this map itself.
        let (in_tests, here) = match (self.top, self.steps) {
            (true, [Step::Item(n), rest @ ..]) => (Some(*n), (*n == 0).then_some(rest)),
            (_, steps) => (None, Some(steps)),
        };
        let (want, last) = match here {
            Some([Step::Key(k), rest @ ..]) => (Some(k.as_str()), rest.is_empty()),
            _ => (None, false),
        };
        while let Some((sought, tests)) = map.next_key_seed(KeyIs { want, last })? {
            match (sought, tests, in_tests, here) {
                (_, true, Some(_), _) => {
                    return map.next_value_seed(Locate {
                        steps: self.steps,
                        top: false,
                    })
                }
                (true, _, _, Some([_, rest @ ..])) => {
                    return map.next_value_seed(Locate {
                        steps: rest,
                        top: false,
                    })
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Item(n), rest)) = self.steps.split_first() else {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        for _ in 0..*n {
            if seq.next_element::<de::IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Locate {
            steps: rest,
            top: false,
        })?;
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}
