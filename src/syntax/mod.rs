//! Syntax: rule text to AST ([`parse_file`]) and AST back to canonical text
//! ([`print`](mod@print)). The only stage that sees pest; it resolves no names and knows
//! nothing about types or evaluation.

pub mod ast;
mod parse;
pub mod print;

pub(crate) use parse::grow_stack;
pub use parse::{comments, parse_all, parse_file, parse_recovering, Parsed, MAX_NESTING};
