//! The `lsa` command: see `lsa --help` and the README.

fn main() -> std::process::ExitCode {
    lsa::cli::main()
}
