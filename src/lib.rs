//! lsa: the Law on the Legal Status of Aliens, as amended for the EU Pact on
//! Migration and Asylum, stated as executable rules.
//!
//! The pipeline: rule files are parsed ([`syntax`]) and checked into a
//! [`check::Program`]; case records are read against it ([`record`]); evaluation
//! ([`eval`]) gives each decision's outcome with its derivation, which
//! [`explain`] renders as text, JSON or YAML.

pub mod check;
pub mod cli;
pub mod diag;
pub mod eval;
pub mod expect;
pub mod explain;
pub mod record;
pub mod syntax;
pub mod time;
pub mod value;

/// The shipped law, compiled into the binary.
pub mod shipped {
    include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

    /// Compiles the shipped rules.
    pub fn compile() -> crate::check::Compiled {
        crate::check::compile(RULES)
    }
}
