//! The `lsa` command line (clap). With `record/`, the only code that touches
//! files: it loads rule trees and cases, calls the library, and prints.
//!
//! Exit codes (contract §3): 0 evaluated; 1 usage or I/O error, or a failed
//! test; 2 the rules do not compile; 3 a case record is invalid.

#[macro_use]
mod out;
mod agenda;
mod batch;
mod diff;
mod law;
mod select;
mod test;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::check::{self, Compiled, Program};
use crate::diag::SourceMap;
use crate::explain::{self, CaseReport};
use crate::record::{self, CaseRecord, Format, Invalid};
use crate::syntax;
use crate::value::parse_date;

#[derive(Parser)]
#[command(
    name = "lsa",
    version,
    about = "Rules-as-code for Lithuania's Law on the Legal Status of Aliens under the EU Pact on Migration and Asylum",
    after_help = "The rules: every command uses the rule tree found from the current folder upwards (a rules/ folder, or lsa.yaml naming it), --rules DIR overrides, and the law built into lsa serves where none is found; standard error says which.\n\nExit status: 0 done; 1 usage or I/O error, or a failed test; 2 the rules do not compile; 3 a case record was invalid (every other case is still evaluated)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    Text,
    Json,
    Yaml,
    Html,
}

/// How much of each derivation the text report shows.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ExplainDetail {
    /// The deciding rule, its facts and a time limit's steps.
    Brief,
    /// Every rule and every step.
    Full,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ErrorFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum SelectFormat {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiffFormat {
    Text,
    Json,
    Markdown,
    Html,
}

/// The help of every `--rules`.
const RULES_HELP: &str = "The rule tree to use (default: the one found from the current folder upwards, else the law built into lsa)";

#[derive(Subcommand)]
enum Command {
    /// Evaluate case records and print every determination with its explanation.
    Check {
        /// Case records (YAML or JSON), or folders of them
        #[arg(required = true)]
        cases: Vec<PathBuf>,
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// Evaluation date of the records without their own `as_of` (default: today); a record's own date wins.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<Date>,
        /// text: for people (the answer, what to ask next, why); json/yaml: the contract's objects (one per case; JSON Lines for several); html: a self-contained page for the case file.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// The language of labels, questions and the report: lt or en (default: the locale's, else en).
        #[arg(long, value_parser = lang_arg)]
        lang: Option<crate::lang::Lang>,
        /// In the text report: brief (the deciding rule and its facts) or full (every rule and step).
        #[arg(long, value_enum, default_value = "brief")]
        explain: ExplainDetail,
        /// What if: check each case with this fact set, as in `applicant.family_in_lithuania=true` or `responsibility.entries[0].on=2026-07-01` (the value read as YAML; repeatable). The report starts with the determinations that change, as the record is → with the facts.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
    },
    /// Evaluate a caseload: JSON Lines (or a folder of cases) in, JSON Lines out,
    /// in input order. Exit status 3 if any record was invalid (each is an
    /// error object in its place; every other case is evaluated), 4 if lsa
    /// itself failed on a record (a defect: an `internal_error` object in its
    /// place).
    Batch {
        /// A JSON Lines file (one case per line), a folder of YAML/JSON cases, or `-` for standard input.
        input: PathBuf,
        /// Output file (default, or `-`: standard output). A regular file is written whole or not at all (a temporary file renamed when complete); a device or FIFO is written in place.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// Evaluation date of the records without their own `as_of` (default: today); a record's own date wins.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<Date>,
        /// Include each determination's explanation.
        #[arg(long)]
        explain: bool,
        /// The longest line read; a longer one is an error object, not read into memory.
        #[arg(long, default_value_t = batch::MAX_LINE_BYTES)]
        max_line_bytes: usize,
        /// The language of the labels and questions in each line: lt or en (default: the locale's, else en).
        #[arg(long, value_parser = lang_arg)]
        lang: Option<crate::lang::Lang>,
    },
    /// Run expectation files (case + expected determinations); exit 1 if any fails.
    Test {
        /// Expectation files or folders (default: the rule tree's tests/law, or the built-in law's tests).
        paths: Vec<PathBuf>,
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// Print coverage by legal source and article.
        #[arg(long)]
        coverage: bool,
        /// Check each test's explanations against a snapshot file beside it (`.snap`).
        #[arg(long)]
        snapshot: bool,
        /// With --snapshot: write new and changed snapshots instead of failing.
        #[arg(long, requires = "snapshot")]
        accept: bool,
        /// The language of the determinations' labels in failures: lt or en (default: the locale's, else en).
        #[arg(long, value_parser = lang_arg)]
        lang: Option<crate::lang::Lang>,
    },
    /// Amendment impact over a caseload: the same cases under two rule trees
    /// or on two dates, as an impact report (how many decisions change, how,
    /// and because of which rule, def or param). Exit 3 if any record was
    /// invalid (it is counted; every other case is compared).
    Diff {
        /// The caseload: JSON Lines files (one case per line), `-` for
        /// standard input, folders of case files, or case files (`.yaml`,
        /// `.yml`, `.json`: one case each).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The old rule tree: a folder, or `git:REV` for the project's rule tree at a git revision.
        #[arg(long, requires = "new")]
        old: Option<String>,
        /// The new rule tree: a folder, or `git:REV`.
        #[arg(long, requires = "old")]
        new: Option<String>,
        /// With --old/--new or --set: the evaluation date of the records without `as_of`
        /// (as in every command; default: today). With --vs: the same as --on.
        #[arg(long, value_parser = date_arg, conflicts_with = "on")]
        as_of: Option<Date>,
        /// The first of two dates to compare the cases on (with --vs), in place
        /// of each record's own `as_of` (the output says so).
        #[arg(long, value_parser = date_arg, requires = "vs", conflicts_with = "old")]
        on: Option<Date>,
        /// The second date to compare on (after --on D1, or --as-of D1).
        #[arg(long, value_parser = date_arg, conflicts_with = "old")]
        vs: Option<Date>,
        /// With --on/--vs or --set: the rule tree (default: the one found from the current folder upwards, else the law built into lsa).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// The impact report as text (for people), json (for tools), markdown
        /// (for a review or a pull request) or html (one self-contained page,
        /// for an explanatory memorandum).
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Also list every changed case with both explanations (for review).
        #[arg(long)]
        cases: bool,
        /// With --cases: list at most this many cases.
        #[arg(long, requires = "cases")]
        limit: Option<usize>,
        /// The language of the determinations' labels: lt or en (default: the locale's, else en).
        #[arg(long, value_parser = lang_arg)]
        lang: Option<crate::lang::Lang>,
        /// The longest line read from a JSON Lines input; a longer line is an invalid record.
        #[arg(long, default_value_t = batch::MAX_LINE_BYTES)]
        max_line_bytes: usize,
        /// What if, over the caseload: each case as recorded against the same case with this fact set, as in `context.border_capacity_reached=true` (the value read as YAML; repeatable; with --rules and --as-of, not with two trees or two dates).
        #[arg(long = "set", value_name = "PATH=VALUE", conflicts_with_all = ["old", "new", "on", "vs"])]
        set: Vec<String>,
    },
    /// Run a selection the rules declare over a caseload: who is taken, in
    /// which order, and why each other case is not. Exit 3 if any record was
    /// invalid (it is listed as not selected; every other case is placed).
    Select {
        /// A JSON Lines file (one case per line), a folder of YAML/JSON cases, or `-` for standard input.
        input: PathBuf,
        /// How many to take (default: what the rules give with `take up to`).
        #[arg(long)]
        quota: Option<usize>,
        /// The selection to run, `ruleset.name` (default: the only one).
        #[arg(long)]
        selection: Option<String>,
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// Evaluation date of the records without their own `as_of` (default: today); a record's own date wins.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<Date>,
        /// text: for people; json: for tools; html: a self-contained page for the file.
        #[arg(long, value_enum, default_value = "text")]
        format: SelectFormat,
        /// The language of the text and HTML reports: lt or en (default: the locale's, else en); JSON keeps its keys and codes.
        #[arg(long, value_parser = lang_arg)]
        lang: Option<crate::lang::Lang>,
        /// The longest line read; a longer one is an invalid record.
        #[arg(long, default_value_t = batch::MAX_LINE_BYTES)]
        max_line_bytes: usize,
    },
    /// The dates the law sets for the cases of a caseload (time limits and
    /// the other dates the determinations give), in date order, within a
    /// window of days; and which of them cannot be computed yet, and why.
    /// Exit status 3 if any record was invalid (reported on standard error;
    /// every other case is in the agenda).
    Agenda {
        /// A JSON Lines file (one case per line), a folder of YAML/JSON cases, a case file, or `-` for standard input.
        input: PathBuf,
        /// The window's first day (default: --as-of, else today).
        #[arg(long, value_parser = date_arg)]
        from: Option<Date>,
        /// The window's last day (default: two weeks after its first day).
        #[arg(long, value_parser = date_arg)]
        to: Option<Date>,
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// Evaluation date of the records without their own `as_of` (default: today); a record's own date wins.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<Date>,
        /// text: for people; html: the same as a self-contained page; json: for tools (every date in the window, and every one not computed, with the facts it needs).
        #[arg(long, value_enum, default_value = "text")]
        format: agenda::AgendaFormat,
        /// The language of the text and the page: lt or en (default: the locale's, else en); JSON keeps its keys and codes.
        #[arg(long, value_parser = lang_arg)]
        lang: Option<crate::lang::Lang>,
        /// In the text and the page, list each date the records lack facts for, with the facts (else they are counted).
        #[arg(long)]
        missing: bool,
        /// Only what is still to be done: leave out the time limits whose act the record says was done.
        #[arg(long)]
        open: bool,
        /// The longest line read; a longer one is an invalid record.
        #[arg(long, default_value_t = batch::MAX_LINE_BYTES)]
        max_line_bytes: usize,
    },
    /// Serve decisions over HTTP (localhost unless told otherwise): POST
    /// /v1/check, /v1/batch, /v1/diff, /v1/agenda; GET /v1/schema, /v1/law,
    /// /v1/openapi.json, /healthz, /metrics. SIGHUP reloads the law (a law
    /// that does not compile is refused, the old one kept); SIGTERM stops
    /// after the requests in flight.
    Serve {
        /// The address to listen on (port 0: any free port, announced on standard error).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// The largest request body of /v1/check, /v1/diff and /v1/agenda (413 beyond).
        #[arg(long, default_value_t = 1 << 20)]
        max_body_bytes: usize,
        /// The longest line of /v1/batch (an error object beyond).
        #[arg(long, default_value_t = 1 << 20)]
        max_line_bytes: usize,
        /// The longest a request may take, in seconds (503 beyond).
        #[arg(long, default_value_t = 30)]
        timeout_secs: u64,
        /// Requests evaluated at once; others wait (up to the timeout).
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// Compile the rules and print every diagnostic; exit 2 on an error.
    Lint {
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// human: with the source lines; json: one diagnostic per line, for editors and CI.
        #[arg(long, value_enum, default_value = "human")]
        error_format: ErrorFormat,
        /// Also list what a caseworker sees (decisions, warnings, record fields, enum values, `applies` lines, the defs that compute a time limit) without a label in this language (`lt` or `en`).
        #[arg(long, value_parser = lang_arg)]
        labels: Option<crate::lang::Lang>,
    },
    /// Format rule files canonically (comments kept).
    Fmt {
        /// Files or folders (default: the rule tree found from the current folder upwards).
        paths: Vec<PathBuf>,
        /// Only report files that would change (exit 1 if any).
        #[arg(long)]
        check: bool,
    },
    /// Print the JSON Schema of the case record, generated from the rules.
    Schema {
        #[arg(long, help = RULES_HELP)]
        rules: Option<PathBuf>,
    },
}

fn lang_arg(s: &str) -> std::result::Result<crate::lang::Lang, String> {
    crate::lang::Lang::from_code(s)
        .ok_or_else(|| format!("`{s}` is not a language of lsa (lt or en)"))
}

fn date_arg(s: &str) -> std::result::Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date (write YYYY-MM-DD)"))
}

/// Why a command stopped, with its exit code.
pub(crate) enum Failure {
    /// 1: usage or I/O.
    Io(String),
    /// 2: the rules do not compile (diagnostics already printed).
    Rules,
    /// 3: an invalid case record (reported, if already, with `None`).
    Record(Option<Box<Invalid>>),
    /// 1: tests failed (already reported).
    Tests,
    /// 4: lsa failed on some records of a caseload (a defect in lsa; each
    /// has an error object in its place, every other record was written).
    Defect,
    /// 0, quietly: the reader of standard output closed it (`… | head`).
    Closed,
}

type Result<T> = std::result::Result<T, Failure>;

/// Writes a line to standard error (the server's log), whatever happens.
pub fn log_line(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `lsa --version`: lsa's version and the built-in law's identity.
fn version_text() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let p = crate::shipped::provenance();
        format!(
            "{}\nbuilt-in law: {}{}",
            explain::LSA_VERSION,
            p.hash,
            p.revision
                .as_deref()
                .map(|r| format!(" (git {r})"))
                .unwrap_or_default()
        )
    });
    TEXT.as_str()
}

/// The stack of every thread that evaluates: the deepest program the checker
/// lets through (`check::MAX_NESTING` levels, each a few frames of the
/// evaluator and of the explanations) needs a few megabytes in a release
/// build and several times that in a debug build; the rest is never touched
/// (the memory is reserved, not used). `lsa serve`'s threads have it too.
pub(crate) const STACK_BYTES: usize = 256 << 20;

/// Runs `f` on a thread with [`STACK_BYTES`] of stack, and sets the threads
/// of `lsa batch` up the same way.
fn on_a_big_stack(f: impl FnOnce() -> Result<()> + Send + 'static) -> Result<()> {
    // Fails only if a pool was already set up, which nothing else does.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build_global();
    match std::thread::Builder::new()
        .name("lsa".into())
        .stack_size(STACK_BYTES)
        .spawn(f)
    {
        Ok(thread) => thread
            .join()
            .unwrap_or_else(|_| Err(Failure::Io("lsa stopped on an internal error".into()))),
        Err(e) => Err(Failure::Io(format!("cannot start: {e}"))),
    }
}

pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .version(version_text())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let lang = cli.command.lang();
    match on_a_big_stack(move || run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(message)) => {
            errln!("{}: {}", lang.error(), failure_words(lang, &message));
            ExitCode::from(1)
        }
        Err(Failure::Rules) => ExitCode::from(2),
        Err(Failure::Record(e)) => {
            if let Some(e) = e {
                errln!("{}: {}", lang.error(), e.display_in(lang));
            }
            ExitCode::from(3)
        }
        Err(Failure::Tests) => ExitCode::from(1),
        Err(Failure::Defect) => ExitCode::from(4),
        Err(Failure::Closed) => ExitCode::SUCCESS,
    }
}

impl Command {
    /// The language the command speaks to people in: its `--lang`, else the
    /// locale's (English for the commands without one).
    fn lang(&self) -> crate::lang::Lang {
        match self {
            Command::Check { lang, .. }
            | Command::Batch { lang, .. }
            | Command::Test { lang, .. }
            | Command::Diff { lang, .. }
            | Command::Select { lang, .. }
            | Command::Agenda { lang, .. } => lang.unwrap_or_else(crate::lang::Lang::from_env),
            _ => crate::lang::Lang::En,
        }
    }
}

/// A failure's message in `lang`: in Lithuanian the one a caseworker meets
/// most (a case file that is not there) is put into Lithuanian, any other
/// stays as lsa says it in English.
fn failure_words(lang: crate::lang::Lang, message: &str) -> String {
    match (lang, message.strip_suffix(NOT_THERE)) {
        (crate::lang::Lang::Lt, Some(path)) => format!("{path}: tokio failo ar aplanko nėra"),
        _ => message.to_string(),
    }
}

/// The invalid records of a caseload a report leaves out (`lsa select`,
/// `lsa agenda`): each named on a line of the report, its error object on
/// standard error.
fn invalid_records(lang: crate::lang::Lang, invalid: &[record::Unread]) -> Result<()> {
    let say = crate::explain::report::Say(lang);
    for u in invalid {
        outln!(
            "  {}: {}",
            u.at,
            say.pick(
                "invalid record (see the error on standard error)",
                "netinkamas įrašas (klaida parašyta į standartinį klaidų srautą)"
            )
        )?;
    }
    unread_errors(lang, invalid);
    Ok(())
}

/// The problems of the records a report for people could not read, on
/// standard error in its language (as `lsa check` gives them).
fn unread_errors(lang: crate::lang::Lang, invalid: &[record::Unread]) {
    for u in invalid {
        errln!("{}: {}", lang.error(), u.problems);
    }
}

/// The end of the message for a path that is not there.
const NOT_THERE: &str = ": no such file or folder";

/// The failure of a path that is not there.
fn not_there(path: &Path) -> Failure {
    Failure::Io(format!("{}{NOT_THERE}", path.display()))
}

/// The facts of `--set PATH=VALUE`, each as its path and its value's text.
fn facts_set(set: &[String], lang: crate::lang::Lang) -> Result<Vec<(String, String)>> {
    set.iter()
        .map(|s| {
            record::set_of(s).ok_or_else(|| {
                Failure::Io(match lang {
                    crate::lang::Lang::Lt => format!(
                        "--set {s}: nurodykite lauko kelią ir reikšmę, pvz. `applicant.family_in_lithuania=true`"
                    ),
                    _ => format!(
                        "--set {s}: give a field's path and its value, as `applicant.family_in_lithuania=true`"
                    ),
                })
            })
        })
        .collect()
}

fn run(command: Command) -> Result<()> {
    // The language of what is said on standard error as the law loads.
    let said = command.lang();
    match command {
        Command::Check {
            cases,
            rules,
            as_of,
            format,
            lang,
            explain,
            set,
        } => {
            let lang = lang.unwrap_or_else(crate::lang::Lang::from_env);
            let sets = facts_set(&set, lang)?;
            check_cases(
                &cases,
                rules.as_deref(),
                as_of,
                format,
                lang,
                explain,
                &sets,
            )
        }
        Command::Batch {
            input,
            output,
            rules,
            as_of,
            explain,
            max_line_bytes,
            lang,
        } => {
            let program = load_program(rules.as_deref(), said)?;
            batch::run(
                &program,
                lang.unwrap_or_else(crate::lang::Lang::from_env),
                &input,
                output.as_deref(),
                as_of,
                explain,
                max_line_bytes,
            )
        }
        Command::Test {
            paths,
            rules,
            coverage,
            snapshot,
            accept,
            lang,
        } => {
            let tree = law::find(rules.as_deref())?;
            let program = law::load_from(tree.as_ref(), said)?;
            // Without paths: the tree's own expectation files (the built-in
            // law's, with no tree).
            let paths = match (paths.is_empty(), &tree) {
                (false, _) | (true, None) => paths,
                (true, Some(t)) => match &t.tests {
                    Some(dir) => vec![dir.clone()],
                    None => {
                        return Err(Failure::Io(format!(
                            "the rules in {} have no expectation files beside them (tests/law, or `tests:` in {}): name the files to run",
                            law::shown(&t.rules),
                            law::PROJECT_FILE
                        )))
                    }
                },
            };
            let lang = lang.unwrap_or_else(crate::lang::Lang::from_env);
            test::run(&program, &paths, coverage, snapshot, accept, lang)
        }
        Command::Diff {
            inputs,
            old,
            new,
            as_of,
            on,
            vs,
            rules,
            format,
            cases,
            limit,
            lang,
            max_line_bytes,
            set,
        } => {
            let lang = lang.unwrap_or_else(crate::lang::Lang::from_env);
            let sets = facts_set(&set, lang)?;
            for p in &inputs {
                if p.as_os_str() != "-" && !p.exists() {
                    return Err(not_there(p));
                }
            }
            // `--as-of D1 --vs D2` reads as `--on D1 --vs D2`: with a second
            // date, the first is one to compare on too.
            let on = on.or(as_of.filter(|_| vs.is_some()));
            let plan = match (old, new, on, vs) {
                (None, None, None, None) if !sets.is_empty() => {
                    let program = load_program(rules.as_deref(), said)?;
                    let facts = record::FactsSet::new(&program, &sets, lang).map_err(Failure::Io)?;
                    diff::Plan::Facts {
                        program,
                        sets,
                        facts,
                        as_of,
                    }
                }
                (Some(old), Some(new), _, _) => diff::Plan::Trees {
                    old: tree_or_revision(&old, said)?,
                    new: tree_or_revision(&new, said)?,
                    old_name: old,
                    new_name: new,
                    as_of,
                },
                (None, None, Some(a), Some(b)) => diff::Plan::Dates {
                    program: load_program(rules.as_deref(), said)?,
                    old: a,
                    new: b,
                },
                _ => return Err(Failure::Io(
                    "name two rule trees (`--old DIR --new DIR`), two dates (`--on D1 --vs D2`, or `--as-of D1 --vs D2`), or facts to set (`--set PATH=VALUE`)"
                        .into(),
                )),
            };
            diff::run(
                &plan,
                &inputs,
                &diff::Options {
                    format,
                    lang,
                    cases: cases.then_some(limit.unwrap_or(usize::MAX)),
                    max_line: max_line_bytes,
                },
            )
        }
        Command::Agenda {
            input,
            from,
            to,
            rules,
            as_of,
            format,
            lang,
            missing,
            open,
            max_line_bytes,
        } => {
            let program = load_program(rules.as_deref(), said)?;
            agenda::run(
                &program,
                &agenda::Options {
                    input: &input,
                    as_of,
                    from,
                    to,
                    format,
                    lang: lang.unwrap_or_else(crate::lang::Lang::from_env),
                    missing,
                    open,
                    max_line: max_line_bytes,
                },
            )
        }
        Command::Select {
            input,
            quota,
            selection,
            rules,
            as_of,
            format,
            lang,
            max_line_bytes,
        } => {
            let program = load_program(rules.as_deref(), said)?;
            select::run(
                &program,
                &select::Options {
                    input: &input,
                    name: selection.as_deref(),
                    quota,
                    as_of,
                    format,
                    lang: lang.unwrap_or_else(crate::lang::Lang::from_env),
                    max_line: max_line_bytes,
                },
            )
        }
        Command::Serve {
            addr,
            rules,
            max_body_bytes,
            max_line_bytes,
            timeout_secs,
            concurrency,
        } => {
            let tree = law::find(rules.as_deref())?;
            let program = law::load_from(tree.as_ref(), said)?;
            let origin = tree.as_ref().map(|t| t.rules.clone());
            let loader: crate::serve::Loader = match tree {
                Some(t) => std::sync::Arc::new(move || law::reload_tree(&t)),
                None => std::sync::Arc::new(|| {
                    crate::shipped::compile()
                        .program
                        .ok_or_else(|| "the built-in law does not compile".to_string())
                }),
            };
            let limits = crate::serve::Limits {
                max_body: max_body_bytes,
                max_line: max_line_bytes,
                timeout: std::time::Duration::from_secs(timeout_secs.max(1)),
                concurrency,
            };
            crate::serve::run(&addr, program, loader, limits, origin).map_err(Failure::Io)
        }
        Command::Lint {
            rules,
            error_format,
            labels,
        } => lint(rules.as_deref(), error_format, labels),
        Command::Fmt { paths, check } => fmt(&paths, check),
        Command::Schema { rules } => {
            let program = load_program(rules.as_deref(), said)?;
            let schema = record::json_schema(&program);
            outln!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            )?;
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- loading

fn io_error(path: &Path, e: &std::io::Error) -> Failure {
    Failure::Io(format!("{}: {}", path.display(), e))
}

/// The error for text that starts with a UTF-16 byte order mark (see
/// [`record::is_utf16`]), naming the file.
pub(crate) fn utf16(start: &[u8], name: &dyn std::fmt::Display) -> Option<Failure> {
    record::is_utf16(start).then(|| Failure::Io(format!("{name}: {}", record::UTF16)))
}

/// Reads a file as UTF-8, naming the file and the byte where it is not.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    file_text(path).map_err(|why| Failure::Io(format!("{}: {why}", path.display())))
}

/// A file's text (UTF-8), or why it cannot be read, without the file's name
/// (for a case file among others, an invalid record in its place).
pub(crate) fn file_text(path: &Path) -> std::result::Result<String, String> {
    if path.is_dir() {
        return Err("is a folder, not a file".into());
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, &e))?;
    if record::is_utf16(&bytes) {
        return Err(record::UTF16.to_string());
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()))
}

/// Why a file cannot be read, in plain words where the reason is a common
/// one (and so in Lithuanian too, `record::words`); else as the system says.
fn unreadable(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound if path.is_symlink() => {
            "it is a link to a file that does not exist".into()
        }
        std::io::ErrorKind::NotFound => "there is no such file".into(),
        std::io::ErrorKind::PermissionDenied => "lsa is not allowed to read it".into(),
        _ => e.to_string(),
    }
}

/// The files below `dir` that `keep` keeps, in sorted order, into `out`.
/// Symlinks are followed, but every folder and every file is visited once
/// (by its real path), so a link to a folder above it ends, and a file
/// reached by two paths is read once (reliability finding F07). Iterative:
/// a deep hierarchy does not deepen the stack.
fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    let first = out.len();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let real = std::fs::canonicalize(&folder).map_err(|e| io_error(&folder, &e))?;
        if !seen.insert(real) {
            continue;
        }
        let entries = std::fs::read_dir(&folder).map_err(|e| io_error(&folder, &e))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut folders = Vec::new();
        for p in paths {
            if p.is_dir() {
                folders.push(p);
            } else if keep(&p) {
                // A file reached by a second path (a link) is the same file.
                let real = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                if seen.insert(real) {
                    out.push(p);
                }
            }
        }
        stack.extend(folders);
    }
    // In the order of a walk down sorted folders (paths compare component
    // by component).
    if let Some(found) = out.get_mut(first..) {
        found.sort();
    }
    Ok(())
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.contains(&e))
}

/// The rule files of a tree (or one file), with names relative to it.
pub(crate) fn read_rule_tree(root: &Path) -> Result<Vec<(String, String)>> {
    if !root.exists() {
        return Err(not_there(root));
    }
    if root.is_file() {
        return Ok(vec![(root.display().to_string(), read_text(root)?)]);
    }
    let mut files = Vec::new();
    walk(root, &|p| has_ext(p, &["rules"]), &mut files)?;
    if files.is_empty() {
        return Err(Failure::Io(format!(
            "{}: no `.rules` files in this folder",
            root.display()
        )));
    }
    files
        .into_iter()
        .map(|f| {
            let text = read_text(&f)?;
            Ok((f.display().to_string(), text))
        })
        .collect()
}

fn print_diagnostics(compiled: &Compiled, format: ErrorFormat) {
    print_diagnostics_of(&compiled.files, &compiled.diagnostics, format);
}

fn print_diagnostics_of(
    files: &SourceMap,
    diagnostics: &[crate::diag::Diagnostic],
    format: ErrorFormat,
) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        match format {
            ErrorFormat::Human => {
                let _ = write!(err, "{}", files.render(d));
            }
            ErrorFormat::Json => {
                let _ = writeln!(
                    err,
                    "{}",
                    serde_json::to_string(&files.to_json(d)).unwrap_or_default()
                );
            }
        }
    }
}

fn compile_or_report(files: &[(String, String)], name: &str) -> Result<Program> {
    let compiled = check::compile(files);
    match compiled.program {
        Some(p) => Ok(p),
        None => {
            let errors: Vec<_> = compiled
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            print_diagnostics_of(&compiled.files, &errors, ErrorFormat::Human);
            errln!(
                "error: the rules in {name} do not compile ({} error{}); `lsa lint --rules {name}` prints every diagnostic",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            Err(Failure::Rules)
        }
    }
}

/// The law a command uses: `--rules`, else the tree found from the current
/// folder, else the built-in law (see [`law`]).
pub(crate) fn load_program(rules: Option<&Path>, lang: crate::lang::Lang) -> Result<Program> {
    law::load(rules, lang)
}

/// A rule tree named on the command line: a folder, or `git:REV` (the
/// project's rule tree as it was at that revision).
fn tree_or_revision(name: &str, lang: crate::lang::Lang) -> Result<Program> {
    match name.strip_prefix("git:") {
        Some(rev) => {
            let here = law::find(None)?
                .map(|t| t.rules)
                .unwrap_or_else(|| PathBuf::from("rules"));
            let (files, commit) = diff::rules_at_revision(rev, &here)?;
            let mut program = compile_or_report(&files, name)?;
            let relative: Vec<(String, String)> = files
                .iter()
                .map(|(n, t)| {
                    (
                        n.split_once(':').map_or(n.as_str(), |x| x.1).to_string(),
                        t.clone(),
                    )
                })
                .collect();
            program.provenance = crate::check::Provenance {
                hash: crate::check::source_hash(&relative),
                revision: Some(commit),
                origin: format!("{} at {rev}", law::shown(&here)),
            };
            Ok(program)
        }
        None => {
            let tree = law::Tree {
                rules: PathBuf::from(name),
                tests: None,
                how: law::How::Named,
            };
            law::load_tree(&tree, lang)
        }
    }
}

/// Case files named on the command line, folders expanded to their YAML/JSON files.
pub(crate) fn case_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &|f| has_ext(f, &["yaml", "yml", "json"]), &mut out)?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(not_there(p));
        }
    }
    Ok(out)
}

/// Reads and validates one case file: a file that cannot be read (gone,
/// UTF-16, not UTF-8) is an invalid record too, so that in a folder it is
/// reported in its place and the other cases go on.
pub(crate) fn read_case(program: &Program, path: &Path) -> Result<CaseRecord> {
    let name = path.display().to_string();
    let read = match file_text(path) {
        Ok(text) => record::read(program, &text, Format::of_path(&name), &name),
        Err(why) => Err(record::Invalid::from(record::RecordError::whole(
            &name, why, None,
        ))),
    };
    read.map_err(|e| Failure::Record(Some(Box::new(e))))
}

pub fn today() -> Date {
    // UTC: the calendar day at the moment of the run.
    let days = jiff::Timestamp::now().as_second().div_euclid(86_400);
    jiff::civil::Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(jiff::civil::Date::constant(1970, 1, 1))
}

pub(crate) fn case_name(record: &CaseRecord, path: &Path) -> String {
    record.id.clone().unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    })
}

/// Evaluates one case file: the record's `as_of`, else `--as-of`, else today.
pub(crate) fn evaluate_file<'p>(
    program: &'p Program,
    path: &Path,
    as_of: Option<Date>,
    explain: bool,
) -> Result<(CaseReport<'p>, Acts)> {
    let record = read_case(program, path)?;
    let report = explain::evaluate(
        program,
        case_name(&record, path),
        &record.inputs,
        explain::AsOf::of(record.as_of, as_of, today),
        explain,
    );
    let acts = crate::agenda::acts(program, &record.inputs, report.as_of, &report.outcomes);
    Ok((report, acts))
}

/// Whether a case's time limits' acts were done, as its record says.
pub(crate) type Acts = Vec<(crate::check::ir::DecisionId, crate::agenda::Act)>;

// ---------------------------------------------------------------- commands

/// A case checked with facts set (`--set`): the case as the facts make it
/// (explained, and its time limits' acts), and what they change from the
/// record as the file gives it.
fn evaluate_with<'p>(
    program: &'p Program,
    path: &Path,
    as_of: Option<Date>,
    sets: &[(String, String)],
    lang: crate::lang::Lang,
) -> Result<(CaseReport<'p>, Acts, explain::report::WhatIf)> {
    // The record as given first: its problems are reported as always.
    let record = read_case(program, path)?;
    let file = path.display().to_string();
    let text = file_text(path).map_err(|why| Failure::Io(format!("{file}: {why}")))?;
    let (changed, set) =
        record::read_with(program, &text, Format::of_path(&file), &file, sets, lang)
            .map_err(Failure::Io)?;
    let (report, what_if) = explain::evaluate_what_if(
        program,
        case_name(&record, path),
        (&record.inputs, record.as_of),
        (&changed.inputs, changed.as_of),
        set,
        as_of,
        today,
        true,
    );
    let acts = crate::agenda::acts(program, &changed.inputs, report.as_of, &report.outcomes);
    Ok((report, acts, what_if))
}

fn check_cases(
    cases: &[PathBuf],
    rules: Option<&Path>,
    as_of: Option<Date>,
    format: OutputFormat,
    lang: crate::lang::Lang,
    detail: ExplainDetail,
    sets: &[(String, String)],
) -> Result<()> {
    let detail = match detail {
        ExplainDetail::Brief => explain::report::Detail::Brief,
        ExplainDetail::Full => explain::report::Detail::Full,
    };
    // A folder stands for the case files in it (as in `lsa batch`).
    let cases = case_files(cases)?;
    if cases.is_empty() {
        return Err(Failure::Io(
            "no case files (.yaml, .yml, .json) in the folders named".into(),
        ));
    }
    let program = load_program(rules, lang)?;
    let mut out = std::io::stdout().lock();
    let many = cases.len() > 1;
    let mut invalid = 0usize;
    let mut written = 0usize;
    for path in &cases {
        // Every case is evaluated or reported: one invalid record does not
        // stop the others (exit 3 at the end if any was invalid).
        let evaluated = match sets {
            [] => evaluate_file(&program, path, as_of, true).map(|(r, a)| (r, a, None)),
            _ => evaluate_with(&program, path, as_of, sets, lang).map(|(r, a, w)| (r, a, Some(w))),
        };
        let (mut report, acts, what_if) = match evaluated {
            Ok(report) => report,
            Err(Failure::Record(Some(e))) => {
                invalid += 1;
                match format {
                    // For people: in their language (the error objects of
                    // the JSON contract keep the reader's English).
                    OutputFormat::Text | OutputFormat::Html => {
                        errln!("{}: {}", lang.error(), e.display_in(lang))
                    }
                    OutputFormat::Json | OutputFormat::Yaml => {
                        let json = invalid_json(&program, path, &e);
                        let text = match format {
                            OutputFormat::Json if many => serde_json::to_string(&json),
                            OutputFormat::Json => serde_json::to_string_pretty(&json),
                            _ => Ok(record::to_yaml(&json)),
                        };
                        let sep = if format == OutputFormat::Yaml && written > 0 {
                            "---\n"
                        } else {
                            ""
                        };
                        let text = text.unwrap_or_default();
                        let nl = if format == OutputFormat::Json {
                            "\n"
                        } else {
                            ""
                        };
                        write!(out, "{sep}{text}{nl}").map_err(stdout_error)?;
                        written += 1;
                    }
                }
                continue;
            }
            Err(other) => return Err(other),
        };
        // For people, a case with facts set is named so wherever it is
        // named (its report, its page), not to be taken for the case as it
        // is (the JSON keeps the record's id and says so in `what_if`).
        if what_if.is_some() && matches!(format, OutputFormat::Text | OutputFormat::Html) {
            let said = explain::report::Say(lang).pick(
                "what if: facts set with --set",
                "kas, jei: faktai nurodyti su --set",
            );
            report.case = format!("{} ({said})", report.case);
        }
        let result = match format {
            OutputFormat::Text => {
                // The law first, once: which rules these explanations rest on.
                let head = if written == 0 {
                    format!("{}\n\n", law::describe(&program.provenance, lang))
                } else {
                    "\n".into()
                };
                let what_if = what_if
                    .as_ref()
                    .map(|w| w.text(&program, lang))
                    .unwrap_or_default();
                let text = explain::report::report_text(&program, &report, lang, detail, &acts);
                write!(out, "{head}{what_if}{text}")
            }
            OutputFormat::Html => {
                let page =
                    explain::html::case_page_with(&program, &report, lang, what_if.as_ref(), &acts);
                write!(out, "{page}")
            }
            OutputFormat::Json => {
                let json = explain::CaseJson {
                    program: &program,
                    report: &report,
                    lang,
                };
                let text = match &what_if {
                    None if many => serde_json::to_string(&json),
                    None => serde_json::to_string_pretty(&json),
                    Some(w) => {
                        let mut j = serde_json::to_value(&json).unwrap_or_default();
                        w.add_to(&mut j, &program, lang);
                        match many {
                            true => serde_json::to_string(&j),
                            false => serde_json::to_string_pretty(&j),
                        }
                    }
                };
                // Never an empty line in a case's place.
                let text = text.map_err(|e| {
                    Failure::Io(format!(
                        "{}: the case's JSON could not be written: {e}",
                        path.display()
                    ))
                })?;
                writeln!(out, "{text}")
            }
            OutputFormat::Yaml => {
                let mut json = explain::case_json_in(&program, &report, lang);
                if let Some(w) = &what_if {
                    w.add_to(&mut json, &program, lang);
                }
                let sep = if written > 0 { "---\n" } else { "" };
                write!(out, "{sep}{}", record::to_yaml(&json))
            }
        };
        result.map_err(stdout_error)?;
        written += 1;
    }
    if invalid > 0 {
        if many {
            let (all, evaluated) = (cases.len(), cases.len() - invalid);
            match lang {
                crate::lang::Lang::En => {
                    errln!("{invalid} of {all} case records invalid, {evaluated} evaluated")
                }
                crate::lang::Lang::Lt => {
                    errln!("neteisingi bylų įrašai: {invalid} iš {all}; įvertinta: {evaluated}")
                }
            }
        }
        return Err(Failure::Record(None));
    }
    Ok(())
}

/// An invalid record as the error object `lsa batch` writes for it, with the
/// case the file names where it can be read at all.
fn invalid_json(program: &Program, path: &Path, e: &Invalid) -> serde_json::Value {
    let source = path.display().to_string();
    let case = std::fs::read_to_string(path)
        .map(|text| record::case_id(&text, Format::of_path(&source)))
        .unwrap_or_default();
    explain::error_json(program, case, None, Some(&source), "invalid", &e.0)
}

/// Writing to standard output failed (a closed pipe ends quietly).
pub(crate) fn stdout_error(e: std::io::Error) -> Failure {
    out::failure(e)
}

fn lint(
    rules: Option<&Path>,
    format: ErrorFormat,
    labels: Option<crate::lang::Lang>,
) -> Result<()> {
    let compiled = match law::find(rules)? {
        Some(tree) => {
            let files = read_rule_tree(&tree.rules)?;
            // (With JSON diagnostics, standard error holds JSON only.)
            if format == ErrorFormat::Human {
                law::announce(&tree, crate::lang::Lang::En);
            }
            check::compile(&files)
        }
        None => crate::shipped::compile(),
    };
    print_diagnostics(&compiled, format);
    let (errors, warnings) = (compiled.error_count(), compiled.warning_count());
    let files = compiled.files.file_ids().count();
    if format == ErrorFormat::Human {
        errln!(
            "{files} rule files: {errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
    }
    if errors > 0 {
        return Err(Failure::Rules);
    }
    if let (Some(lang), Some(program)) = (labels, &compiled.program) {
        let missing = program.missing_labels(lang);
        for m in &missing {
            errln!("no `{}` label: {m}", lang.code());
        }
        errln!("{} without a `{}` label", missing.len(), lang.code());
    }
    Ok(())
}

fn fmt(paths: &[PathBuf], check_only: bool) -> Result<()> {
    let roots = if paths.is_empty() {
        match law::find(None)? {
            Some(tree) => {
                law::announce(&tree, crate::lang::Lang::En);
                vec![tree.rules]
            }
            None => {
                return Err(Failure::Io(
                    "no rule tree here (a `rules/` folder or `lsa.yaml` in this folder or above): name the files to format".into(),
                ))
            }
        }
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for root in &roots {
        if root.is_dir() {
            walk(root, &|p| has_ext(p, &["rules"]), &mut files)?;
        } else if root.exists() {
            files.push(root.clone());
        } else {
            return Err(not_there(root));
        }
    }
    let mut changed = 0usize;
    let mut failed = false;
    for f in &files {
        let text = read_text(f)?;
        let mut map = SourceMap::default();
        let id = map.add(f.display().to_string(), text.clone());
        let ast = match syntax::parse_file(id, &text) {
            Ok(ast) => ast,
            Err(d) => {
                errout!("{}", map.render(&d));
                failed = true;
                continue;
            }
        };
        let formatted = syntax::print::file(&ast, &text);
        if formatted != text {
            changed += 1;
            if check_only {
                outln!("would reformat {}", f.display())?;
            } else {
                std::fs::write(f, formatted).map_err(|e| io_error(f, &e))?;
                outln!("formatted {}", f.display())?;
            }
        }
    }
    if failed {
        return Err(Failure::Rules);
    }
    if check_only && changed > 0 {
        return Err(Failure::Io(format!(
            "{changed} file(s) would be reformatted; run `lsa fmt`"
        )));
    }
    Ok(())
}

/// Whether progress bars may be drawn (standard error is a terminal).
pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
