#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lsa_fuzz::checks::compile(data));
