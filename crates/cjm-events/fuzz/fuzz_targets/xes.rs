//! Fuzzes the XES reader: arbitrary bytes (gzip included) never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod source;

fuzz_target!(|data: &[u8]| source::read(data, cjm_events::import::SourceFormat::Xes, "f.xes"));
