//! lsa: the Law on the Legal Status of Aliens, as amended for the EU Pact on
//! Migration and Asylum, stated as executable rules.
//!
//! The pipeline: rule files are parsed ([`syntax`]) and checked into a
//! [`check::Program`]; case records are read against it ([`record`]); evaluation
//! ([`eval`]) gives each decision's outcome with its derivation, which
//! [`explain`] renders as text, JSON or YAML.
//!
//! Compile once, evaluate many (the program is `Send + Sync`):
//!
//! ```
//! use lsa::record::{read, Format};
//!
//! let program = lsa::shipped::compile().program.expect("the shipped law compiles");
//! let case = "as_of: 2026-07-15\napplication: { made_on: 2026-06-30, screening_ended_on: null, made_to_other_authority: false }\n\
//!             context: { crisis: none, disproportionate_numbers_for_registration: false }\n";
//! let record = read(&program, case, Format::Yaml, "case.yaml").expect("a valid record");
//! let report = lsa::explain::evaluate(&program, "example".into(), &record.inputs, record.as_of.unwrap(), true);
//! let json = lsa::explain::case_json(&program, &report);
//!
//! // Made Tue 30 June to the authority that registers it, not screened,
//! // no disproportionate number of applications: 5 days end Sun 5 July,
//! // Mon 6 July is Statehood Day → Tue 7 July (APR Art. 27(1), 73).
//! assert_eq!(json["outcomes"]["procedure.registration_deadline"]["value"], "2026-07-07");
//! // Registration is not in the record yet: the labour-market time limit waits for it.
//! assert_eq!(json["outcomes"]["reception.labour_market_access_from"]["needs"][0], "application.registered_on");
//! // Every outcome carries its explanation when asked for.
//! assert!(lsa::explain::case_text(&program, &report).contains("Statehood Day"));
//! ```

// pest without its `std` feature (no stack probe on every rule it enters:
// `syntax::parse` bounds the nesting before pest reads a file); its
// generated parser names `alloc`.
extern crate alloc;

pub mod agenda;
pub mod check;
pub mod cli;
pub mod diag;
pub mod eval;
pub mod expect;
pub mod explain;
pub mod json;
pub mod lang;
pub mod record;
pub mod select;
pub mod serve;
pub mod syntax;
pub mod time;
pub mod value;

/// A seeded generator for the unit tests (xorshift): each call gives a
/// number below its argument.
#[cfg(test)]
pub(crate) fn seeded(mut state: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n.max(1)
    }
}

/// The shipped law, compiled into the binary.
pub mod shipped {
    include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

    /// Compiles the shipped rules.
    pub fn compile() -> crate::check::Compiled {
        let mut compiled = crate::check::compile(RULES);
        if let Some(p) = &mut compiled.program {
            p.provenance = provenance();
        }
        compiled
    }

    /// The built-in law's identity: its hash, and the git revision it was
    /// built from (where the build knew it).
    pub fn provenance() -> crate::check::Provenance {
        crate::check::Provenance {
            hash: crate::check::source_hash(RULES),
            revision: REVISION.map(str::to_string),
            origin: "built in".into(),
        }
    }
}
