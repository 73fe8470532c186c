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
        let mut labels =
            vec![
                Label::primary(diagnostic.span.file.0 as usize, range(diagnostic.span))
                    .with_message(diagnostic.label.clone().unwrap_or_default()),
            ];
        for (span, note) in &diagnostic.related {
            labels.push(
                Label::secondary(span.file.0 as usize, range(*span)).with_message(note.clone()),
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
        match term::emit_into_string(&config, &self.files, &cs) {
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

    #[test]
    fn suggests_close_names_only() {
        let names = ["registered_on", "lodged_on", "made_on"];
        assert_eq!(did_you_mean("registred_on", names), Some("registered_on"));
        assert_eq!(did_you_mean("made", names), None);
        assert_eq!(did_you_mean("xyz", names), None);
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ą", "a"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
