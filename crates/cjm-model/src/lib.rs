//! The journey-map model: types, the YAML/JSON file format, validation and the JSON Schema.
//!
//! Invariant: this crate does no I/O beyond parsing and serialising text it is given.

mod map;

pub use map::*;
