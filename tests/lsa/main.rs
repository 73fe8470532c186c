//! The integration tests of lsa: one binary; cases are files in folders under
//! `tests/cases/`, the shipped law's tests under `tests/law/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

mod agenda;
mod check;
mod cli;
mod docs;
mod eval;
mod fmt;
mod fuzz;
mod generated;
mod law;
mod limits;
mod oracles;
mod output;
mod record;
mod report;
mod robustness;
mod select;
mod serve;
mod syntax;
mod time;
