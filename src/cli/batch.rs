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

use super::{case_files, file_text, today, Failure, Result};
use crate::check::Program;
use crate::explain;
use crate::record::{self, Format, Invalid, RecordError};

/// Cases evaluated together: large enough to keep every core busy, small
/// enough that memory stays flat: up to this many lines, or as many as make
/// `CHUNK_BYTES` of input (long records: their results are longer too).
pub(super) const CHUNK: usize = 8192;
const CHUNK_BYTES: usize = 2 << 20;

/// Cases explained together: an explained case's line is about 120 kB
/// (50 to 500 times its record), so a chunk of `CHUNK` short records held
/// 870 MB of output at once (20,000 records of 400 bytes); this many hold
/// some 30 MB.
const EXPLAIN_CHUNK: usize = 256;

/// One unit of input: its position (line number, or file) and its text.
pub(super) struct Item {
    line: usize,
    /// The file it came from (shared by every line of a JSON Lines file).
    name: Arc<str>,
    text: String,
    format: Format,
    /// Why the line could not even be read as text.
    unreadable: Option<String>,
    /// Its share of the progress bar (bytes of a line, or one file).
    weight: u64,
    /// A line of a JSON Lines input (named `line N` without a case id).
    in_lines: bool,
}

/// The error object of an invalid record.
fn error_line(program: &Program, item: &Item, e: &Invalid) -> String {
    error_object(program, item, "invalid", &e.0)
}

/// An error object: the record's place, its `status` and its `errors`.
fn error_object(program: &Program, item: &Item, status: &str, errors: &[RecordError]) -> String {
    let json = explain::error_json(
        program,
        record::case_id(&item.text, item.format),
        Some(item.line),
        Some(&item.name),
        status,
        errors,
    );
    serde_json::to_string(&json).unwrap_or_default()
}

impl Item {
    /// The record, or every problem in it (each placed at the item's line
    /// where the item is a line of JSON Lines; in a case file, at its own
    /// line where it has one: the file's place among the others is no line
    /// of it).
    pub(super) fn read(
        &self,
        program: &Program,
    ) -> std::result::Result<record::CaseRecord, Invalid> {
        let read = match &self.unreadable {
            Some(why) => Err(Invalid::from(RecordError::whole(
                &self.name,
                why.clone(),
                None,
            ))),
            None => record::read(program, &self.text, self.format, &self.name),
        };
        read.map_err(|mut e| {
            if self.in_lines {
                for e in &mut e.0 {
                    e.line = u32::try_from(self.line).ok();
                }
            }
            e
        })
    }

    /// The case's name: its id, else its line (or file).
    pub(super) fn case_name(&self, rec: &record::CaseRecord) -> String {
        rec.id.clone().unwrap_or_else(|| {
            if self.in_lines {
                format!("line {}", self.line)
            } else {
                self.name.to_string()
            }
        })
    }

    /// Where it was read, in `lang`'s words: the file, and the line of a
    /// JSON Lines file.
    pub(super) fn source_in(&self, lang: crate::lang::Lang) -> String {
        match (self.in_lines, lang) {
            (false, _) => self.name.to_string(),
            (true, crate::lang::Lang::En) => format!("{} line {}", self.name, self.line),
            (true, crate::lang::Lang::Lt) => format!("{}, eilutė {}", self.name, self.line),
        }
    }

    /// The error object of an invalid record (as `lsa batch` writes it).
    pub(super) fn error_json(&self, program: &Program, e: &Invalid) -> String {
        error_line(program, self, e)
    }

    /// An invalid record as a report over a caseload gives it, in `lang`.
    pub(super) fn unread(
        &self,
        program: &Program,
        e: &Invalid,
        lang: crate::lang::Lang,
    ) -> crate::record::Unread {
        crate::record::Unread {
            at: self.source_in(lang),
            problems: e.display_in(lang),
            error: self.error_json(program, e),
        }
    }
}

/// The most cases one task evaluates together, writing their lines into
/// one buffer (fewer where a chunk is small, so that every core has work).
const RUN: usize = 64;

/// What each record of a run became: how many were invalid, and how many
/// lsa failed on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    invalid: usize,
    failed: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.invalid += other.invalid;
        self.failed += other.failed;
    }
}

/// Writes the output lines of a run of cases into `out` (emptied first),
/// each with its newline.
fn evaluate_run(
    program: &Program,
    writer: &explain::CaseWriter,
    run: &[Item],
    out: &mut Vec<u8>,
    as_of: Option<Date>,
    today: Date,
    explain_all: bool,
) -> Tally {
    out.clear();
    let mut tally = Tally::default();
    for item in run {
        tally += write_line(out, program, item, |out| {
            let rec = item.read(program)?;
            let date = explain::AsOf::of(rec.as_of, as_of, || today);
            let evaluated = explain::evaluated(
                program,
                item.case_name(&rec),
                &rec.inputs,
                date,
                explain_all,
            );
            writer.write_evaluated(out, &evaluated);
            Ok(())
        });
        out.push(b'\n');
    }
    tally
}

/// Appends one record's line, which `write` writes: its error object where
/// the record is invalid, and where lsa fails on it (a panic: a defect in
/// lsa, never expected) an error object saying so in place of whatever was
/// written, so that every other record is still evaluated and written.
fn write_line(
    out: &mut Vec<u8>,
    program: &Program,
    item: &Item,
    write: impl FnOnce(&mut Vec<u8>) -> std::result::Result<(), Invalid>,
) -> Tally {
    let (status, errors, tally) = match explain::write_or_undo(out, write) {
        Ok(Ok(())) => return Tally::default(),
        Ok(Err(e)) => (
            "invalid",
            e.0,
            Tally {
                invalid: 1,
                failed: 0,
            },
        ),
        Err(panic) => {
            let line = u32::try_from(item.line).ok();
            let error = RecordError::internal(&item.name, line, &*panic);
            (
                "internal_error",
                vec![error],
                Tally {
                    invalid: 0,
                    failed: 1,
                },
            )
        }
    };
    out.extend_from_slice(error_object(program, item, status, &errors).as_bytes());
    tally
}

/// The output side. Standard output (no `-o`, or `-o -`); a device, FIFO or
/// socket (`-o /dev/null`), written in place and never replaced; or a
/// regular file (or a new path), written to a temporary file beside it and
/// renamed over it only when complete, so a reader never sees half an
/// output. A symbolic link is followed: the file it points to is written,
/// the link is kept. No temporary file outlives the run, whatever fails.
struct Sink {
    writer: Option<BufWriter<Box<dyn Write>>>,
    /// The temporary file and the file it becomes.
    temp: Option<(PathBuf, PathBuf)>,
    /// The output as the user named it, for messages.
    shown: String,
    /// Writing to standard output (where a closed pipe ends quietly).
    stdout: bool,
}

impl Sink {
    fn open(output: Option<&Path>) -> Result<Sink> {
        let stdout = |shown: &str| Sink {
            writer: Some(BufWriter::with_capacity(
                1 << 16,
                Box::new(std::io::stdout()),
            )),
            temp: None,
            shown: shown.into(),
            stdout: true,
        };
        let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
            return Ok(stdout("standard output"));
        };
        let shown = path.display().to_string();
        let fail =
            |e: std::io::Error| Failure::Io(format!("{shown}: cannot write the output: {e}"));
        let target = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(Failure::Io(format!(
                    "{shown}: is a folder; name a file for the output"
                )))
            }
            // A device, FIFO or socket: written in place, never replaced.
            Ok(m) if !m.is_file() => {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(fail)?;
                return Ok(Sink {
                    writer: Some(BufWriter::with_capacity(1 << 16, Box::new(f))),
                    temp: None,
                    shown,
                    stdout: false,
                });
            }
            // A regular file (a link to one is followed, and kept).
            Ok(_) => std::fs::canonicalize(path).map_err(fail)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
            Err(e) => return Err(fail(e)),
        };
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".into());
        let temp = target.with_file_name(format!(".{file_name}.{}.partial", std::process::id()));
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(fail)?;
        Ok(Sink {
            writer: Some(BufWriter::with_capacity(1 << 16, Box::new(f))),
            temp: Some((temp, target)),
            shown,
            stdout: false,
        })
    }

    /// A failure to write, naming the output as the user named it.
    fn failure(&self, e: std::io::Error) -> Failure {
        if self.stdout {
            super::out::failure(e)
        } else {
            Failure::Io(format!("{}: cannot write the output: {e}", self.shown))
        }
    }

    /// Writes lines, each with its newline.
    fn write_lines(&mut self, lines: &[u8]) -> Result<()> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(Failure::Io("output already closed".into()));
        };
        writer.write_all(lines).map_err(|e| self.failure(e))
    }

    fn finish(mut self) -> Result<()> {
        if let Some(mut writer) = self.writer.take() {
            let flushed = writer.flush();
            drop(writer);
            flushed.map_err(|e| self.failure(e))?;
        }
        if let Some((temp, target)) = self.temp.take() {
            if let Err(e) = std::fs::rename(&temp, &target) {
                let _ = std::fs::remove_file(&temp);
                return Err(Failure::Io(format!(
                    "{}: cannot write the output: {e}",
                    self.shown
                )));
            }
        }
        Ok(())
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // An interrupted run leaves no file that looks complete, and no
        // temporary file.
        drop(self.writer.take());
        if let Some((temp, _)) = &self.temp {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Reads one line (through its newline) into `buf`, keeping at most `limit`
/// bytes of it: a longer line is read to its end and not kept. Gives the
/// bytes read (0 at the end of the input) and whether the line was too long.
fn read_line_bounded(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    let mut read = 0usize;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((read, too_long));
        }
        let (part, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            if buf.len() + part > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(available.get(..part).unwrap_or_default());
            }
        }
        reader.consume(part);
        read += part;
        if done {
            return Ok((read, too_long));
        }
        // A line without end (`/dev/zero`, a stream without newlines) is
        // not read on for ever: past 16 times the limit, the input stops.
        if too_long && read > limit.saturating_mul(16) {
            return Err(std::io::Error::other(format!(
                "a line runs on for more than {read} bytes without ending; the input was read no further"
            )));
        }
    }
}

/// The longest line `lsa batch` reads by default (`--max-line-bytes`): far
/// above any case record, far below what would exhaust memory.
pub(super) const MAX_LINE_BYTES: usize = 16 << 20;

pub(super) fn run(
    program: &Program,
    lang: crate::lang::Lang,
    input: &Path,
    output: Option<&Path>,
    as_of: Option<Date>,
    explain_all: bool,
    max_line: usize,
) -> Result<()> {
    let started = Instant::now();
    // One today for the whole caseload, even across midnight.
    let today = today();
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
    let writer = explain::CaseWriter::in_lang(program, lang);
    let (mut cases, mut errors) = (0usize, Tally::default());
    // Each run's output buffer, kept from chunk to chunk: a buffer allocated
    // for each run and freed after it was written went back to the system
    // and was faulted in again, page by page (1.7 page faults per case,
    // most of `lsa batch`'s time spent in the kernel).
    let mut buffers: Vec<Vec<u8>> = Vec::new();
    let mut flush = |chunk: &mut Vec<Item>, sink: &mut Sink| -> Result<()> {
        let run = (chunk.len() / (4 * rayon::current_num_threads())).clamp(1, RUN);
        let runs = chunk.len().div_ceil(run);
        if buffers.len() < runs {
            buffers.resize_with(runs, Vec::new);
        }
        let tallies: Vec<Tally> = chunk
            .par_chunks(run)
            .zip(buffers.par_iter_mut())
            .map(|(run, out)| evaluate_run(program, &writer, run, out, as_of, today, explain_all))
            .collect();
        for (lines, tally) in buffers.iter().zip(&tallies) {
            sink.write_lines(lines)?;
            errors += *tally;
        }
        cases += chunk.len();
        bar.inc(chunk.iter().map(|item| item.weight).sum());
        let rate = cases as f64 / started.elapsed().as_secs_f64().max(1e-9);
        let bad = errors.invalid + errors.failed;
        bar.set_message(format!("{cases} cases, {bad} errors, {rate:.0} cases/s"));
        Ok(())
    };
    stream(
        std::slice::from_ref(&input.to_path_buf()),
        max_line,
        if explain_all { EXPLAIN_CHUNK } else { CHUNK },
        &bar,
        |chunk| flush(chunk, &mut sink),
    )?;
    sink.finish()?;
    bar.finish_and_clear();
    let failed = match errors.failed {
        0 => String::new(),
        n => format!(", lsa failed on {n} (a defect in lsa: please report them)"),
    };
    errln!(
        "{cases} cases, {} invalid{failed}, {:.2} s",
        errors.invalid,
        started.elapsed().as_secs_f64()
    );
    // Every case was written; the status says whether lsa failed on any
    // record, else whether any record was invalid.
    if errors.failed > 0 {
        Err(Failure::Defect)
    } else if errors.invalid > 0 {
        Err(Failure::Record(None))
    } else {
        Ok(())
    }
}

/// The streaming core of `lsa batch` and `lsa diff`: reads `inputs` (each a
/// JSON Lines file, `-` for standard input, a folder of case files, or one
/// case file) and hands them on in chunks of up to `max_items` items or
/// `CHUNK_BYTES` of text, in input order; `each` processes a chunk (in
/// parallel, as it likes). Memory is bounded by three chunks (one read,
/// one waiting, one processed).
pub(super) fn stream(
    inputs: &[PathBuf],
    max_line: usize,
    max_items: usize,
    bar: &ProgressBar,
    mut each: impl FnMut(&mut Vec<Item>) -> Result<()>,
) -> Result<()> {
    // The lines are read, checked as UTF-8 and cut into chunks on a thread
    // of their own, while the chunk before is evaluated and written: done
    // one after the other, reading was a quarter of `lsa batch`'s time, with
    // the other cores idle. At most one chunk waits between the two.
    let (chunks, received) = std::sync::mpsc::sync_channel::<Result<Vec<Item>>>(1);
    let (done, returned) = std::sync::mpsc::channel::<Vec<Item>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let read = || -> Result<()> {
                let mut chunk: Vec<Item> = Vec::with_capacity(max_items);
                let mut bytes = 0usize;
                for input in inputs {
                    read_items(input, max_line, bar, |item, spare| {
                        bytes += item.text.len();
                        chunk.push(item);
                        if chunk.len() >= max_items || bytes >= CHUNK_BYTES {
                            // A chunk done with gives its memory to the next
                            // one, and its texts' memory to the lines after.
                            let next = match returned.try_recv() {
                                Ok(mut used) => {
                                    spare.extend(used.drain(..).map(|item| item.text));
                                    used
                                }
                                Err(_) => Vec::with_capacity(max_items),
                            };
                            let full = std::mem::replace(&mut chunk, next);
                            // (Sending fails only once the receiver stopped.)
                            chunks.send(Ok(full)).map_err(|_| Failure::Closed)?;
                            bytes = 0;
                        }
                        Ok(())
                    })?;
                }
                chunks.send(Ok(chunk)).map_err(|_| Failure::Closed)
            };
            if let Err(e) = read() {
                let _ = chunks.send(Err(e));
            }
        });
        for chunk in received {
            let mut chunk = chunk?;
            each(&mut chunk)?;
            let _ = done.send(chunk);
        }
        Ok(())
    })
}

/// Whether a file holds one case (`.yaml`, `.yml`, `.json`) rather than JSON
/// Lines (`.jsonl`, `.ndjson`, any other name).
fn one_case(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads the input of `lsa batch` (and `lsa select`) item by item: one case
/// file, the files of a folder, or the lines of a JSON Lines file or
/// standard input (`-`), each line bounded by `max_line` bytes; `bar`
/// counts progress. `each` takes each item, and may hand texts no longer
/// needed back for the lines that follow (`spare`): memory freed and
/// allocated again for every line of a caseload went back to the system
/// and was faulted in again, page by page.
pub(super) fn read_items(
    input: &Path,
    max_line: usize,
    bar: &ProgressBar,
    mut each: impl FnMut(Item, &mut Vec<String>) -> Result<()>,
) -> Result<()> {
    let mut spare: Vec<String> = Vec::new();
    let files = if input.is_file() && one_case(input) {
        Some(vec![input.to_path_buf()])
    } else if input.is_dir() {
        Some(case_files(&[input.to_path_buf()])?)
    } else {
        None
    };
    if let Some(files) = files {
        // Case files: one case each, numbered in their order.
        bar.set_length(files.len() as u64);
        for (i, f) in files.iter().enumerate() {
            let name: Arc<str> = f.display().to_string().into();
            // A file that cannot be read is an error object in its place:
            // one bad record never loses the others.
            let (text, unreadable) = match file_text(f) {
                Ok(text) => (text, None),
                Err(why) => (String::from("-"), Some(why)),
            };
            each(
                Item {
                    line: i + 1,
                    format: Format::of_path(&name),
                    name,
                    text,
                    unreadable,
                    weight: 1,
                    in_lines: false,
                },
                &mut spare,
            )?;
        }
    } else {
        let stdin = input.as_os_str() == "-";
        let source: Box<dyn std::io::Read> = if stdin {
            Box::new(std::io::stdin().lock())
        } else {
            let file =
                File::open(input).map_err(|e| Failure::Io(format!("{}: {e}", input.display())))?;
            if let Ok(meta) = file.metadata() {
                bar.set_length(meta.len());
            }
            Box::new(file)
        };
        let name = if stdin {
            "standard input".to_string()
        } else {
            input.display().to_string()
        };
        let name: Arc<str> = name.into();
        let mut reader = BufReader::with_capacity(1 << 16, source);
        let start = reader
            .fill_buf()
            .map_err(|e| Failure::Io(format!("{name}: {e}")))?;
        if let Some(e) = super::utf16(start, &name) {
            return Err(e);
        }
        let mut line_no = 0usize;
        let mut buf = Vec::with_capacity(4096);
        loop {
            buf.clear();
            let (n, too_long) = read_line_bounded(&mut reader, &mut buf, max_line)
                .map_err(|e| Failure::Io(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            // An unreadable line becomes an error line: one bad record never loses the others.
            // The buffer is kept for the next line; the text goes into a spare
            // text's memory.
            // (Checked with SIMD: std's check was 1.7 % of a line's work.)
            let (text, unreadable) = match simdutf8::basic::from_utf8(&buf) {
                _ if too_long => (
                    String::from("-"),
                    Some(format!(
                        "the line is longer than {max_line} bytes (--max-line-bytes); it was not read"
                    )),
                ),
                // Without its line end: a record cut short is "ends too
                // early", not a control character in a string.
                Ok(t) => {
                    let mut text = spare.pop().unwrap_or_default();
                    text.clear();
                    text.push_str(t.trim_end_matches(['\r', '\n']));
                    (text, None)
                }
                // Where it fails, std's check says at which byte.
                Err(_) => (
                    String::from("-"),
                    Some(format!(
                        "not valid UTF-8 (at byte {})",
                        std::str::from_utf8(&buf).err().map_or(0, |e| e.valid_up_to())
                    )),
                ),
            };
            if record::without_bom(&text).trim().is_empty() {
                spare.push(text);
                continue;
            }
            each(
                Item {
                    line: line_no,
                    name: name.clone(),
                    text,
                    format: Format::Json,
                    unreadable,
                    weight: n as u64,
                    in_lines: true,
                },
                &mut spare,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test: it makes a panic, and reads JSON by key"
)]
mod tests {
    use super::*;

    fn item(line: usize, text: &str) -> Item {
        Item {
            line,
            name: Arc::from("cases.jsonl"),
            text: text.into(),
            format: Format::Json,
            unreadable: None,
            weight: 1,
            in_lines: true,
        }
    }

    /// A panic while a record is written (a defect in lsa; none is known,
    /// so one is made here) leaves an error object in its place, drops
    /// what was written of it, and the records around it are written.
    #[test]
    fn a_record_lsa_fails_on_is_an_error_line_and_the_others_go_on() {
        let Some(program) = crate::shipped::compile().program else {
            panic!("the shipped rules compile");
        };
        let items = [
            item(1, r#"{"case":"A"}"#),
            item(2, r#"{"case":"B"}"#),
            item(3, r#"{"case":"C"}"#),
        ];
        let mut out = Vec::new();
        let mut tally = Tally::default();
        for it in &items {
            tally += write_line(&mut out, &program, it, |out| {
                out.extend_from_slice(b"{\"case\":");
                if it.line == 2 {
                    std::panic::panic_any("an index out of bounds");
                }
                out.extend_from_slice(format!("\"{}\"}}", it.line).as_bytes());
                Ok(())
            });
            out.push(b'\n');
        }
        assert_eq!(
            tally,
            Tally {
                invalid: 0,
                failed: 1
            }
        );
        let lines: Vec<serde_json::Value> = out
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap_or_default())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines.first(), Some(&serde_json::json!({"case": "1"})));
        assert_eq!(lines.get(2), Some(&serde_json::json!({"case": "3"})));
        let failed = lines.get(1).cloned().unwrap_or_default();
        assert_eq!(failed["status"], "internal_error");
        assert_eq!(failed["case"], "B");
        assert_eq!(failed["line"], 2);
        assert_eq!(
            failed["errors"][0]["message"],
            "lsa failed while evaluating this record: an index out of bounds"
        );
        // An invalid record is still reported as invalid.
        let mut out = Vec::new();
        let tally = write_line(&mut out, &program, &items[0], |_| {
            Err(Invalid::from(RecordError {
                file: "cases.jsonl".into(),
                line: Some(1),
                column: None,
                path: "applicant".into(),
                message: "missing".into(),
                help: None,
            }))
        });
        assert_eq!(tally.invalid, 1);
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(line["status"], "invalid");
    }

    /// The chunks `stream` hands on hold at most `max_items` records each
    /// (what bounds `lsa batch --explain`'s memory), every record once, in
    /// input order.
    #[test]
    fn chunks_are_bounded_by_the_items_asked_for() {
        let path = std::env::temp_dir().join(format!("lsa-chunks-{}.jsonl", std::process::id()));
        let text: String = (1..=1000)
            .map(|i| format!("{{\"case\":\"{i}\"}}\n"))
            .collect();
        assert!(std::fs::write(&path, text).is_ok());
        for max_items in [EXPLAIN_CHUNK, CHUNK] {
            let mut sizes = Vec::new();
            let mut lines = Vec::new();
            let r = stream(
                std::slice::from_ref(&path),
                1 << 20,
                max_items,
                &ProgressBar::hidden(),
                |chunk| {
                    sizes.push(chunk.len());
                    lines.extend(chunk.iter().map(|item| item.line));
                    Ok(())
                },
            );
            assert!(r.is_ok());
            assert!(sizes.iter().all(|n| *n <= max_items), "{sizes:?}");
            assert_eq!(lines, (1..=1000).collect::<Vec<_>>());
            assert_eq!(sizes.len(), 1000usize.div_ceil(max_items));
        }
        let _ = std::fs::remove_file(&path);
    }
}
