//! The properties the fuzz targets check. The same file is compiled into
//! lsa's test suite (`tests/lsa/fuzz.rs`), which runs them on the seed
//! corpus and on generated inputs, so they keep compiling and keep holding.

pub mod checks;
