//! Diagnostics shared by every stage that reads text: source files, spans, and
//! messages with a help line, rendered for people (with the source line and an
//! underline) or as JSON for editors and CI.
//!
//! This module knows nothing of the language: it only places messages in files.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term;
use serde::Serialize;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: clamp_u32(start),
            end: clamp_u32(end),
        }
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The files a program was compiled from, for rendering diagnostics.
#[derive(Default, Clone)]
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    count: u32,
}

impl std::fmt::Debug for SourceMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceMap({} files)", self.count)
    }
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.add(name.into(), text.into());
        let id = FileId(self.count);
        self.count += 1;
        id
    }

    pub fn name(&self, file: FileId) -> String {
        self.files.name(file.0 as usize).unwrap_or_default()
    }

    pub fn text(&self, file: FileId) -> &str {
        self.files
            .get(file.0 as usize)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: u32) -> (usize, usize) {
        let id = file.0 as usize;
        let off = offset as usize;
        match self.files.location(id, off.min(self.text(file).len())) {
            Ok(loc) => (loc.line_number, loc.column_number),
            Err(_) => (1, 1),
        }
    }

    /// `file:line:col` of the start of a span.
    pub fn position(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.file, span.start);
        format!("{}:{line}:{col}", self.name(span.file))
    }

    pub fn file_ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.count).map(FileId)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One message about the rules: what is wrong, where, and how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Short, lowercase; user input in backticks.
    pub message: String,
    pub span: Span,
    /// What the underline says, if anything beyond the message.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Other places that explain this one ("first declared here").
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Diagnostic {
        self.related.push((span, note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The JSON form of a diagnostic (`--error-format json`).
#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl SourceMap {
    /// Renders a diagnostic as text: `error: …`, `--> file:line:col`, the source
    /// line with an underline, then `= help: …`.
    pub fn render(&self, diagnostic: &Diagnostic) -> String {
        let files = Excerpts {
            files: &self.files,
            cut: Cut::around(self, diagnostic.span),
        };
        let shown = |span: Span| files.shown(span);
        let mut labels =
            vec![
                Label::primary(diagnostic.span.file.0 as usize, shown(diagnostic.span))
                    .with_message(diagnostic.label.clone().unwrap_or_default()),
            ];
        for (span, note) in &diagnostic.related {
            labels.push(
                Label::secondary(span.file.0 as usize, shown(*span)).with_message(note.clone()),
            );
        }
        let base = match diagnostic.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut cs = base
            .with_message(diagnostic.message.clone())
            .with_labels(labels);
        if let Some(help) = &diagnostic.help {
            cs = cs.with_notes(vec![format!("help: {help}")]);
        }
        let config = term::Config::default();
        match term::emit_into_string(&config, &files, &cs) {
            Ok(text) => text,
            // The span lies outside its file: still say what is wrong.
            Err(_) => format!(
                "{}: {}\n",
                self.position(diagnostic.span),
                diagnostic.message
            ),
        }
    }

    pub fn to_json(&self, diagnostic: &Diagnostic) -> JsonDiagnostic {
        let (line, column) = self.line_col(diagnostic.span.file, diagnostic.span.start);
        let (end_line, end_column) = self.line_col(diagnostic.span.file, diagnostic.span.end);
        JsonDiagnostic {
            severity: diagnostic.severity,
            file: self.name(diagnostic.span.file),
            line,
            column,
            end_line,
            end_column,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
        }
    }
}

fn range(span: Span) -> std::ops::Range<usize> {
    span.start as usize..span.end.max(span.start) as usize
}

/// A line longer than this (in bytes) is shown cut around the place a
/// diagnostic points at, so that one long line (a generated file's, say)
/// does not fill the screen: the header's line and column stay the file's.
const LONG_LINE: usize = 200;

/// How much of a long line is shown before the place a diagnostic points
/// at, and after its start (bytes, to the nearest whole character inside).
const AROUND: usize = 80;

/// The files as a rendered diagnostic shows them: the file a diagnostic
/// points into with the line it points at cut where that is long
/// ([`LONG_LINE`]), every other one as it is.
struct Excerpts<'a> {
    files: &'a SimpleFiles<String, String>,
    cut: Option<Cut>,
}

/// One file's text with one long line cut to the part around a place,
/// "…" where it is cut.
struct Cut {
    file: usize,
    text: String,
    line_starts: Vec<usize>,
    /// The line in the file (without its end), and the part of it kept.
    line: std::ops::Range<usize>,
    keep: std::ops::Range<usize>,
    /// The bytes of "…" shown before the part kept, and after it.
    before: usize,
    after: usize,
}

const CUT_MARK: &str = "…";

impl Cut {
    /// The cut for a diagnostic at `span`, where its line is long.
    fn around(map: &SourceMap, span: Span) -> Option<Cut> {
        let text = map.text(span.file);
        let at = (span.start as usize).min(text.len());
        let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
        if line_end - line_start <= LONG_LINE {
            return None;
        }
        // From a character's start forwards, to one's start backwards.
        let mut from = at.saturating_sub(AROUND).max(line_start);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = at.saturating_add(AROUND).min(line_end);
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let before = if from > line_start { CUT_MARK.len() } else { 0 };
        let after = if to < line_end { CUT_MARK.len() } else { 0 };
        let mut shown = String::with_capacity(text.len() - (line_end - line_start) + 2 * AROUND);
        shown.push_str(text.get(..line_start)?);
        if before > 0 {
            shown.push_str(CUT_MARK);
        }
        shown.push_str(text.get(from..to)?);
        if after > 0 {
            shown.push_str(CUT_MARK);
        }
        shown.push_str(text.get(line_end..)?);
        Some(Cut {
            file: span.file.0 as usize,
            line_starts: codespan_reporting::files::line_starts(&shown).collect(),
            text: shown,
            line: line_start..line_end,
            keep: from..to,
            before,
            after,
        })
    }

    /// Where the byte `at` of the file is in the text shown (a byte of
    /// the line not shown: the nearer end of the part shown).
    fn shown(&self, at: usize) -> usize {
        let kept = self.line.start + self.before;
        let kept_len = self.keep.len();
        if at < self.line.start {
            at
        } else if at < self.keep.start {
            kept
        } else if at <= self.keep.end {
            kept + (at - self.keep.start)
        } else if at <= self.line.end {
            kept + kept_len
        } else {
            at - self.line.end + kept + kept_len + self.after
        }
    }

    /// Where the byte `at` of the text shown is in the file (a byte of a
    /// "…": the end of the part shown beside it).
    fn in_file(&self, at: usize) -> usize {
        let kept = self.line.start + self.before;
        let kept_end = kept + self.keep.len();
        let line_end = kept_end + self.after;
        if at < self.line.start {
            at
        } else if at < kept {
            self.keep.start
        } else if at <= kept_end {
            self.keep.start + (at - kept)
        } else if at <= line_end {
            self.keep.end
        } else {
            at - line_end + self.line.end
        }
    }
}

impl Excerpts<'_> {
    /// A span's range in the text shown.
    fn shown(&self, span: Span) -> std::ops::Range<usize> {
        let r = range(span);
        match &self.cut {
            Some(c) if c.file == span.file.0 as usize => c.shown(r.start)..c.shown(r.end),
            _ => r,
        }
    }

    fn cut(&self, id: usize) -> Option<&Cut> {
        self.cut.as_ref().filter(|c| c.file == id)
    }
}

impl<'a> Files<'a> for Excerpts<'a> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, codespan_reporting::files::Error> {
        self.files.name(id)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        match self.cut(id) {
            Some(c) => Ok(&c.text),
            None => self.files.source(id),
        }
    }

    fn line_index(
        &'a self,
        id: usize,
        at: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        match self.cut(id) {
            Some(c) => Ok(c
                .line_starts
                .binary_search(&at)
                .unwrap_or_else(|next| next.saturating_sub(1))),
            None => self.files.line_index(id, at),
        }
    }

    fn line_range(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        let Some(c) = self.cut(id) else {
            return self.files.line_range(id, line);
        };
        let start = |l: usize| match c.line_starts.get(l) {
            Some(s) => Ok(*s),
            None if l == c.line_starts.len() => Ok(c.text.len()),
            None => Err(codespan_reporting::files::Error::LineTooLarge {
                given: l,
                max: c.line_starts.len().saturating_sub(1),
            }),
        };
        Ok(start(line)?..start(line + 1)?)
    }

    /// The file's own line and column (the header's `file:line:col`).
    fn location(
        &'a self,
        id: usize,
        at: usize,
    ) -> Result<codespan_reporting::files::Location, codespan_reporting::files::Error> {
        match self.cut(id) {
            Some(c) => self.files.location(id, c.in_file(at)),
            None => self.files.location(id, at),
        }
    }
}

/// The nearest of `candidates` to `name`, if one is close enough to be a likely
/// misspelling (edit distance at most a third of the length, and at least 1).
/// Cheap per candidate: lengths too far apart are passed over, and a
/// distance is given up on as soon as it passes the limit.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let name: Vec<char> = name.chars().collect();
    let limit = (name.len() / 3).max(1);
    let mut buffers = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // A candidate's length in characters is at least its bytes / 4.
        if c.len() / 4 > name.len() + limit {
            continue;
        }
        let Some(d) = bounded_distance(&name, c, limit, &mut buffers) else {
            continue;
        };
        if d == 0 {
            continue;
        }
        if best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The one candidate `name` is the first words of (`border_crossing` for
/// `border_crossing_point`: `name` followed by `_`), if exactly one is: a
/// value cut short, too far from the whole for [`did_you_mean`].
pub fn completion<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut found = None;
    for c in candidates {
        if c.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('_'))
        {
            if found.is_some() {
                return None;
            }
            found = Some(c);
        }
    }
    found
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    bounded_distance(&a, b, usize::MAX, &mut Default::default()).unwrap_or(usize::MAX)
}

/// The Levenshtein distance of `a` and `b`, or `None` once it is sure to
/// pass `limit`. `buffers` are reused from call to call.
fn bounded_distance(
    a: &[char],
    b: &str,
    limit: usize,
    buffers: &mut (Vec<char>, Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let (b_chars, prev, cur) = buffers;
    b_chars.clear();
    b_chars.extend(b.chars());
    if b_chars.len().abs_diff(a.len()) > limit {
        return None;
    }
    prev.clear();
    prev.extend(0..=b_chars.len());
    cur.clear();
    cur.resize(b_chars.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b_chars.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(cost);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(prev, cur);
        // Every way on passes through this row: its least is a lower bound.
        if prev.iter().min().is_some_and(|m| *m > limit) {
            return None;
        }
    }
    prev.last().copied().filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A diagnostic on a long line shows the part around the place it
    /// points at, "…" where it is cut (on whole characters), the caret
    /// under the place, and the file's own line and column in its header.
    #[test]
    fn a_long_line_is_shown_cut_around_the_place() {
        let line = format!("{}nope{}", "ą ".repeat(300), "ė ".repeat(300));
        let mut map = SourceMap::default();
        let file = map.add("t.rules", format!("first\n{line}\nlast"));
        let start = "first\n".len() + "ą ".repeat(300).len();
        let span = Span::new(file, start, start + 4);
        let out = map.render(&Diagnostic::error(span, "unknown name `nope`"));
        assert!(out.contains("t.rules:2:601"), "{out}");
        assert_eq!(map.line_col(file, span.start), (2, 601));
        assert!(
            out.lines().all(|l| l.chars().count() < 2 * AROUND + 20),
            "{out}"
        );
        let shown = out
            .lines()
            .find(|l| l.contains("nope") && l.contains("│"))
            .unwrap_or_default();
        assert!(shown.contains("│ … ą ą") && shown.ends_with("ė …"), "{out}");
        let at = shown.chars().position(|c| c == 'n').unwrap_or_default();
        let carets = out.lines().find(|l| l.contains('^')).unwrap_or_default();
        assert_eq!(carets.chars().position(|c| c == '^'), Some(at), "{out}");
        assert_eq!(carets.matches('^').count(), 4, "{out}");
        // A line not long, and a place at a long line's very start or end
        // (no "…" on that side), are shown as they are.
        let short = map.add("s.rules", "def d = nope\n");
        let plain = map.render(&Diagnostic::error(Span::new(short, 8, 12), "x"));
        assert!(
            plain.contains("def d = nope") && !plain.contains('…'),
            "{plain}"
        );
        for (at, mark_before, mark_after) in [(6, false, true), (6 + line.len(), true, false)] {
            let out = map.render(&Diagnostic::error(Span::new(file, at, at), "x"));
            let shown = out
                .lines()
                .find(|l| l.contains("ą") || l.contains("ė"))
                .unwrap_or_default();
            assert_eq!(shown.contains("│ …"), mark_before, "{out}");
            assert_eq!(shown.ends_with('…'), mark_after, "{out}");
        }
    }

    /// Every byte of the part of a long line shown comes back to its place
    /// in the file; bytes beside it come to the nearer end of the part.
    #[test]
    fn a_cut_maps_places_both_ways() {
        let text = format!("a\n{}\nb\n", "x".repeat(1000));
        let mut map = SourceMap::default();
        let file = map.add("t", text.clone());
        let cut = Cut::around(&map, Span::new(file, 500, 501));
        assert!(cut.is_some(), "a 1000-byte line is cut");
        let Some(cut) = cut else { return };
        assert_eq!(cut.keep, 420..580);
        for at in cut.keep.clone() {
            assert_eq!(cut.in_file(cut.shown(at)), at);
        }
        assert_eq!(cut.shown(2), 2 + cut.before);
        assert_eq!(cut.in_file(cut.shown(100)), cut.keep.start);
        assert_eq!(cut.in_file(cut.shown(900)), cut.keep.end);
        // The lines after it keep their places, moved by what was cut.
        let b = text.len() - 2;
        assert_eq!(cut.text.get(cut.shown(b)..), Some("b\n"));
        assert_eq!(cut.in_file(cut.shown(b)), b);
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["registered_on", "lodged_on", "made_on"];
        assert_eq!(did_you_mean("registred_on", names), Some("registered_on"));
        assert_eq!(did_you_mean("made", names), None);
        assert_eq!(did_you_mean("xyz", names), None);
    }

    #[test]
    fn completes_a_value_cut_short_only_where_one_value_begins_so() {
        let values = [
            "border_crossing_point",
            "transit_zone",
            "sar_disembarkation",
            "sar_other",
        ];
        assert_eq!(
            completion("border_crossing", values),
            Some("border_crossing_point")
        );
        assert_eq!(completion("border", values), Some("border_crossing_point"));
        // Two values begin with `sar`: neither is suggested.
        assert_eq!(completion("sar", values), None);
        // Not cut at a word's end.
        assert_eq!(completion("transit_zo", values), None);
        assert_eq!(completion("transit_zone", values), None);
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ą", "a"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
