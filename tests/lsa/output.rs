//! Where output goes: standard input and output, pipes closed early, full
//! devices, FIFOs, symlinks and folders named by `-o` (reliability findings
//! F10–F13).

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use crate::common::{exits_with, json_lines, lsa, repo, scratch, stderr, stdout};

/// `n` valid cases as JSON Lines.
fn caseload(n: usize) -> String {
    let line = r#"{"case":"C","as_of":"2026-07-15","applicant":{"security_threat":false,"protection_status":"none"}}"#;
    (0..n)
        .map(|i| line.replace("\"C\"", &format!("\"C{i}\"")) + "\n")
        .collect()
}

fn lsa_command(args: &[&str]) -> Command {
    crate::common::lsa_command(&repo(), args)
}

#[test]
fn batch_reads_standard_input_for_a_dash() {
    let mut child = lsa_command(&["batch", "-", "--as-of", "2026-07-15"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = caseload(3) + "{\"case\":\"bad\",\"applicant\":{\"nationality\":\"Pakistani\"}}\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    exits_with(&out, 3, "4 cases, 1 invalid");
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[2]["case"], "C2");
    assert_eq!(lines[3]["status"], "invalid");
    assert_eq!(lines[3]["case"], "bad");
    assert_eq!(lines[3]["errors"][0]["path"], "applicant.nationality");
}

/// A reader that stops reading (`lsa batch … | head -1`) ends the run quietly:
/// exit 0, no panic, nothing on standard error but the rule tree's line.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = scratch("closed-pipe");
    // Far more than a pipe's buffer, so lsa is still writing when it closes.
    std::fs::write(dir.join("in.jsonl"), caseload(20_000)).unwrap();
    let input = dir.join("in.jsonl");
    for args in [
        vec!["batch", input.to_str().unwrap()],
        vec!["check", "tests/examples/border-low-recognition.yaml"],
        vec!["schema"],
        vec!["test"],
    ] {
        let mut child = lsa_command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("error"), "{args:?}: {err}");
    }
}

/// A full device is an error that says so, exit 1, in every command.
#[test]
fn a_full_device_is_an_error_not_a_panic() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        vec!["schema"],
        vec!["test"],
        vec!["check", "tests/examples/border-low-recognition.yaml"],
        vec![
            "diff",
            "--on",
            "2026-07-01",
            "--vs",
            "2030-01-01",
            "tests/examples",
        ],
        vec!["lint", "--error-format", "json"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = lsa_command(&args).stdout(full).output().unwrap();
        let err = stderr(&out);
        if args[0] == "lint" && out.status.success() {
            // Nothing to print: nothing failed.
            continue;
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("standard output: No space left"),
            "{args:?}: {err}"
        );
    }
}

/// `-o` through a symlink writes the file it points to and keeps the link.
#[cfg(unix)]
#[test]
fn batch_output_through_a_symlink_keeps_the_link() {
    let dir = scratch("batch-symlink");
    std::fs::write(dir.join("in.jsonl"), caseload(2)).unwrap();
    std::fs::write(dir.join("target.jsonl"), "old\n").unwrap();
    std::os::unix::fs::symlink("target.jsonl", dir.join("link.jsonl")).unwrap();
    let out = lsa(&[
        "batch",
        dir.join("in.jsonl").to_str().unwrap(),
        "-o",
        dir.join("link.jsonl").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let meta = std::fs::symlink_metadata(dir.join("link.jsonl")).unwrap();
    assert!(meta.file_type().is_symlink());
    let written = std::fs::read_to_string(dir.join("target.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(written.contains("\"case\":\"C1\""));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("partial") || n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// `-o` naming a FIFO writes into it (a reader gets the lines), and the FIFO
/// is still a FIFO afterwards: nothing is renamed over it (F10).
#[cfg(unix)]
#[test]
fn batch_output_to_a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("batch-fifo");
    std::fs::write(dir.join("in.jsonl"), caseload(3)).unwrap();
    let fifo = dir.join("out.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to test
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = lsa(&[
        "batch",
        dir.join("in.jsonl").to_str().unwrap(),
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = reader.join().unwrap();
    assert_eq!(read.lines().count(), 3, "{read}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// `-o` naming a folder is an error naming it, and leaves nothing behind (F11).
#[test]
fn batch_output_to_a_folder_is_an_error_and_leaves_nothing() {
    let dir = scratch("batch-folder");
    std::fs::write(dir.join("in.jsonl"), caseload(2)).unwrap();
    std::fs::create_dir_all(dir.join("outdir")).unwrap();
    let given = dir.join("outdir");
    for target in [
        given.to_str().unwrap().to_string(),
        format!("{}/", given.display()),
    ] {
        let out = lsa(&[
            "batch",
            dir.join("in.jsonl").to_str().unwrap(),
            "-o",
            &target,
        ]);
        exits_with(&out, 1, &target);
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .chain(std::fs::read_dir(&given).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n != "in.jsonl" && n != "outdir")
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

/// An endless line stops being read: an error object names its line, and
/// nothing is held in memory beyond the bound (F13).
#[test]
fn an_overlong_line_is_an_error_object_and_the_rest_go_on() {
    let dir = scratch("batch-long-line");
    let mut input = caseload(1);
    input.push_str(&format!("{{\"case\":\"{}\"}}\n", "x".repeat(5000)));
    input.push_str(&caseload(1).replace("C0", "after"));
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    let out = lsa(&[
        "batch",
        dir.join("in.jsonl").to_str().unwrap(),
        "--max-line-bytes",
        "1000",
    ]);
    exits_with(&out, 3, "3 cases, 1 invalid");
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["status"], "invalid");
    assert_eq!(lines[1]["line"], 2);
    let message = lines[1]["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("1000"), "{message}");
    assert_eq!(lines[2]["case"], "after");
}

/// Across chunks of the input (8,192 lines each), with the memory of one
/// chunk's texts and outputs serving the next: every line is answered once,
/// in order, with its own case, whether the line before it in that memory
/// was longer, shorter or invalid.
#[test]
fn batch_answers_every_line_once_across_chunks() {
    let dir = scratch("chunks");
    let n = 9_000;
    let input: String = caseload(n)
        .lines()
        .enumerate()
        .map(|(i, line)| match i % 7 {
            // An invalid line now and then, and lines of other lengths.
            3 => format!("{{\"case\":\"C{i}\",\"applicant\":{{\"nationality\":\"x\"}}}}\n"),
            5 => format!("{{\"case\":\"C{i}\"}}\n"),
            _ => format!("{line}\n"),
        })
        .collect();
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    let out = lsa(&["batch", dir.join("in.jsonl").to_str().unwrap()]);
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["case"], format!("C{i}"), "line {}", i + 1);
        let invalid = line["status"] == "invalid";
        assert_eq!(invalid, i % 7 == 3, "line {}: {line}", i + 1);
    }
}
