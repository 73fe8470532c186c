//! `lsa batch`: a caseload in, one JSON line per case out, in input order.
//!
//! Streaming in chunks (memory is bounded by the chunk, never the input),
//! evaluated on all cores with rayon; a bad record becomes an error line and the
//! rest go on. Output goes to a temporary file renamed into place when complete.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use rayon::prelude::*;

use super::{case_files, read_text, today, Failure, Result};
use crate::check::Program;
use crate::explain;
use crate::record::{self, Format, Invalid, RecordError};

/// Cases evaluated together: large enough to keep every core busy, small
/// enough that memory stays flat.
const CHUNK: usize = 8192;

/// One unit of input: its position (line number, or file) and its text.
struct Item {
    line: usize,
    /// The file it came from (shared by every line of a JSON Lines file).
    name: Arc<str>,
    text: String,
    format: Format,
    /// Why the line could not even be read as text.
    unreadable: Option<String>,
    /// Its share of the progress bar (bytes of a line, or one file).
    weight: u64,
}

fn error_line(program: &Program, item: &Item, e: &Invalid) -> String {
    let json = serde_json::json!({
        "format": explain::FORMAT,
        "case": case_id(&item.text, item.format),
        "law": explain::law_json(&program.provenance),
        "line": item.line,
        "source": &*item.name,
        "status": "invalid",
        "errors": e.0,
    });
    serde_json::to_string(&json).unwrap_or_default()
}

/// The `case` id an invalid record gives, if it can be read at all, so an
/// integrator can match the error to its case.
fn case_id(text: &str, format: Format) -> serde_json::Value {
    let doc = record::read_document(text, format, "");
    match doc.ok().as_ref().and_then(|d| d.get("case")) {
        Some(id @ (serde_json::Value::String(_) | serde_json::Value::Number(_))) => id.clone(),
        _ => serde_json::Value::Null,
    }
}

/// One case's output line (without the newline) and whether it was evaluated.
fn evaluate(
    program: &Program,
    writer: &explain::CaseWriter,
    item: &Item,
    as_of: Date,
    explain_all: bool,
) -> (Vec<u8>, bool) {
    let read = match &item.unreadable {
        Some(why) => Err(Invalid::from(RecordError {
            file: item.name.to_string(),
            line: u32::try_from(item.line).ok(),
            column: None,
            path: String::new(),
            message: why.clone(),
            help: None,
        })),
        None => record::read(program, &item.text, item.format, &item.name),
    };
    match read {
        Ok(rec) => {
            let name = rec.id.clone().unwrap_or_else(|| {
                if item.format == Format::Json && item.name.ends_with(".jsonl") {
                    format!("line {}", item.line)
                } else {
                    item.name.to_string()
                }
            });
            let date = rec.as_of.unwrap_or(as_of);
            let report = explain::evaluate(program, name, &rec.inputs, date, explain_all);
            // About the size of a line without explanations, so most need one allocation.
            let mut line = Vec::with_capacity(2048);
            writer.write(&mut line, &report);
            (line, true)
        }
        Err(mut e) => {
            for e in &mut e.0 {
                if e.line.is_none() || item.format == Format::Json && item.name.ends_with(".jsonl")
                {
                    e.line = u32::try_from(item.line).ok();
                }
            }
            (error_line(program, item, &e).into_bytes(), false)
        }
    }
}

/// The output side: standard output, or a temporary file renamed at the end.
struct Sink {
    writer: Option<BufWriter<Box<dyn Write>>>,
    temp: Option<(PathBuf, PathBuf)>,
}

impl Sink {
    fn open(output: Option<&Path>) -> Result<Sink> {
        match output {
            None => Ok(Sink {
                writer: Some(BufWriter::with_capacity(
                    1 << 16,
                    Box::new(std::io::stdout()),
                )),
                temp: None,
            }),
            Some(path) => {
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_else(|| "out".into());
                let temp =
                    path.with_file_name(format!(".{file_name}.{}.partial", std::process::id()));
                let f = File::create(&temp)
                    .map_err(|e| Failure::Io(format!("{}: {e}", temp.display())))?;
                Ok(Sink {
                    writer: Some(BufWriter::with_capacity(1 << 16, Box::new(f))),
                    temp: Some((temp, path.to_path_buf())),
                })
            }
        }
    }

    fn write_line(&mut self, line: &[u8]) -> Result<()> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(Failure::Io("output already closed".into()));
        };
        writer
            .write_all(line)
            .and_then(|_| writer.write_all(b"\n"))
            .map_err(|e| Failure::Io(format!("writing the output: {e}")))
    }

    fn finish(mut self) -> Result<()> {
        if let Some(mut writer) = self.writer.take() {
            writer
                .flush()
                .map_err(|e| Failure::Io(format!("writing the output: {e}")))?;
        }
        if let Some((temp, path)) = self.temp.take() {
            std::fs::rename(&temp, &path)
                .map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
        }
        Ok(())
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // An interrupted run leaves no file that looks complete.
        if let Some((temp, _)) = &self.temp {
            let _ = std::fs::remove_file(temp);
        }
    }
}

pub(super) fn run(
    program: &Program,
    input: &Path,
    output: Option<&Path>,
    as_of: Option<Date>,
    explain_all: bool,
) -> Result<()> {
    let started = Instant::now();
    let as_of = as_of.unwrap_or_else(today);
    let bar = if super::stderr_is_terminal() {
        let bar = ProgressBar::new(0);
        // Progress is counted in bytes read (files: in files), so the ETA holds
        // however long the lines are; the message counts cases.
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {percent:>3}%  {msg}  eta {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut sink = Sink::open(output)?;
    let writer = explain::CaseWriter::new(program);
    let (mut cases, mut errors) = (0usize, 0usize);
    let mut flush = |chunk: &mut Vec<Item>, sink: &mut Sink| -> Result<()> {
        let results: Vec<(Vec<u8>, bool)> = chunk
            .par_iter()
            .map(|item| evaluate(program, &writer, item, as_of, explain_all))
            .collect();
        for (line, ok) in &results {
            sink.write_line(line)?;
            cases += 1;
            if !ok {
                errors += 1;
            }
        }
        bar.inc(chunk.iter().map(|item| item.weight).sum());
        let rate = cases as f64 / started.elapsed().as_secs_f64().max(1e-9);
        bar.set_message(format!("{cases} cases, {errors} errors, {rate:.0} cases/s"));
        chunk.clear();
        Ok(())
    };
    let mut chunk: Vec<Item> = Vec::with_capacity(CHUNK);
    if input.is_dir() {
        let files = case_files(&[input.to_path_buf()])?;
        bar.set_length(files.len() as u64);
        for (i, f) in files.iter().enumerate() {
            let name: Arc<str> = f.display().to_string().into();
            let text = read_text(f)?;
            chunk.push(Item {
                line: i + 1,
                format: Format::of_path(&name),
                name,
                text,
                unreadable: None,
                weight: 1,
            });
            if chunk.len() == CHUNK {
                flush(&mut chunk, &mut sink)?;
            }
        }
    } else {
        let file =
            File::open(input).map_err(|e| Failure::Io(format!("{}: {e}", input.display())))?;
        if let Ok(meta) = file.metadata() {
            bar.set_length(meta.len());
        }
        let name = input.display().to_string();
        let name: Arc<str> = if name.ends_with(".jsonl") {
            name.into()
        } else {
            format!("{name}.jsonl").into()
        };
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut line_no = 0usize;
        let mut buf = Vec::with_capacity(4096);
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| Failure::Io(format!("{}: {e}", input.display())))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            // An unreadable line becomes an error line: one bad record never loses the others.
            // The buffer is kept for the next line; the text gets an exact-size copy.
            let (text, unreadable) = match std::str::from_utf8(&buf) {
                Ok(t) => (t.to_owned(), None),
                Err(e) => (
                    String::from("-"),
                    Some(format!("not valid UTF-8 (at byte {})", e.valid_up_to())),
                ),
            };
            if text.trim().is_empty() {
                continue;
            }
            chunk.push(Item {
                line: line_no,
                name: name.clone(),
                text,
                format: Format::Json,
                unreadable,
                weight: n as u64,
            });
            if chunk.len() == CHUNK {
                flush(&mut chunk, &mut sink)?;
            }
        }
    }
    flush(&mut chunk, &mut sink)?;
    sink.finish()?;
    bar.finish_and_clear();
    eprintln!(
        "{cases} cases, {errors} errors, {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
