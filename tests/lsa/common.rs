//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lsa::check::{compile, Compiled, Program};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files directly in `dir` (relative to the repository) with extension `ext`, sorted.
pub fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Every file below `dir` with extension `ext`, sorted.
pub fn files_below(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

pub fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().to_string()
}

/// Compiles one rule text named `name`.
pub fn compile_one(name: &str, text: &str) -> Compiled {
    compile(&[(name, text)])
}

/// Compiles rule text that must have no errors.
pub fn program(text: &str) -> Program {
    let c = compile_one("test.rules", text);
    let rendered: Vec<String> = c.diagnostics.iter().map(|d| c.files.render(d)).collect();
    c.program
        .unwrap_or_else(|| panic!("rules do not compile:\n{}", rendered.join("\n")))
}

/// All diagnostics rendered as text, as a user sees them.
pub fn rendered(c: &Compiled) -> String {
    c.diagnostics
        .iter()
        .map(|d| c.files.render(d))
        .collect::<Vec<_>>()
        .join("")
}

/// The shipped law, compiled once for the whole test binary (compiling it
/// takes a fifth of a second in a debug build; tests that change it clone
/// it).
pub fn shipped() -> &'static Program {
    static SHIPPED: std::sync::OnceLock<Program> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(|| {
        lsa::shipped::compile()
            .program
            .expect("the shipped rules compile")
    })
}

/// The shipped rule files (name, text), owned, to compile with one edited,
/// and the text of the one whose name ends with `suffix`.
pub fn shipped_files_with(suffix: &str) -> (Vec<(String, String)>, usize) {
    let files: Vec<(String, String)> = lsa::shipped::RULES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let at = files
        .iter()
        .position(|(n, _)| n.ends_with(suffix))
        .expect("a shipped rule file of that name");
    (files, at)
}

/// Runs the `lsa` binary in the repository folder.
pub fn lsa(args: &[&str]) -> Output {
    lsa_in(&repo(), args)
}

/// Runs the `lsa` binary in folder `dir`.
pub fn lsa_in(dir: &Path, args: &[&str]) -> Output {
    lsa_command(dir, args).output().unwrap()
}

/// The `lsa` binary set to run in `dir`, in English whatever the locale of
/// the machine (tests that want Lithuanian say `--lang lt`).
pub fn lsa_command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lsa"));
    c.args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// A fresh empty folder outside the repository (so that no rule tree is
/// found from it).
pub fn outside(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("lsa-test-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// The standard output of a command that must have succeeded (else the
/// test fails with its standard error).
pub fn succeeded(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o)
}

/// Fails the test unless `text` has each of `parts`, naming the first it
/// lacks.
pub fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "lacks {part:?}:\n{text}");
    }
}

/// The JSON a command that must have succeeded wrote.
pub fn json_out(o: &Output) -> serde_json::Value {
    let text = succeeded(o);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Asserts that a run ended with exit code `code` and said `says` on stderr.
pub fn exits_with(o: &Output, code: i32, says: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(err.contains(says), "expected {says:?} in:\n{err}");
}

/// A fresh empty folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One file `file` with `text` in a fresh scratch folder `name`: its path.
pub fn scratch_file(name: &str, file: &str, text: &str) -> PathBuf {
    let path = scratch(name).join(file);
    std::fs::write(&path, text).unwrap();
    path
}

/// A rule tree in scratch folder `name`: `rules` as `rules/FILE`, and
/// beside it each of `files` (a path and its text: a case, a caseload, an
/// expectation file).
pub fn rule_tree(name: &str, file: &str, rules: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules").join(file), rules).unwrap();
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Copies a folder tree.
/// The shipped rules copied to a scratch folder, with `from` replaced by
/// `to` (its first place) in the file `file` of the tree: an amendment. The
/// text must be there.
pub fn amended_rules(name: &str, file: &str, from: &str, to: &str) -> PathBuf {
    let dir = scratch(name);
    copy_tree(&repo().join("rules"), &dir);
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let amended = text.replacen(from, to, 1);
    assert_ne!(text, amended, "`{from}` is in {file}");
    std::fs::write(&path, amended).unwrap();
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// An output with the law's identity (hash, git revision) replaced by
/// `…`, so that a snapshot does not change with every edit of the rules.
pub fn without_law_identity(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("sha256:") {
        out.push_str(&rest[..i + 7]);
        rest = rest[i + 7..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        out.push('…');
    }
    out.push_str(rest);
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("git ") {
        cleaned.push_str(&rest[..i + 4]);
        let tail = &rest[i + 4..];
        let end = tail
            .find(|c: char| !(c.is_ascii_hexdigit() || c == '+'))
            .unwrap_or(tail.len());
        if end > 0 {
            cleaned.push('…');
        }
        rest = &tail[end..];
    }
    cleaned.push_str(rest);
    cleaned
}

/// Each line of `text` as JSON (JSON Lines).
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}
