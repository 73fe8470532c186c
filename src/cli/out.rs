//! Standard output for every command: a write that fails is an error of the
//! command, never a panic (`println!` panics when standard output is closed
//! or full). A reader that closed the pipe (`lsa batch … | head`) ends the
//! command quietly.

use std::io::Write;

use super::Failure;

/// Why writing to standard output failed: a closed pipe ends quietly, any
/// other failure (a full disk…) is an I/O error that says so.
pub(crate) fn failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::Closed
    } else {
        Failure::Io(format!("standard output: {e}"))
    }
}

/// Writes formatted text to standard output.
pub(crate) fn write_fmt(args: std::fmt::Arguments<'_>) -> Result<(), Failure> {
    std::io::stdout().lock().write_fmt(args).map_err(failure)
}

/// Writes to standard error; a failure there has nowhere to be reported.
pub(crate) fn err_fmt(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `println!` that gives a `Result` instead of panicking.
macro_rules! outln {
    () => {
        $crate::cli::out::write_fmt(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that gives a `Result` instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::out::write_fmt(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::err_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` that never panics.
macro_rules! errout {
    ($($arg:tt)*) => {
        $crate::cli::out::err_fmt(format_args!($($arg)*))
    };
}
