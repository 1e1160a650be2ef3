//! The journey-map model: types, the YAML/JSON file format, validation and the JSON Schema.
//!
//! Invariant: this crate does no I/O beyond parsing and serialising text it is given.

mod error;
mod format;
mod interchange_csv;
mod map;
mod mermaid;
mod node;
mod normalize;
mod schema;
mod spans;
mod validate;
pub mod templates;
mod yaml_read;
mod yaml_write;

pub use error::{Diagnostic, LoadError, Location, Severity};
pub use format::{
    decode_utf8, extension, load_any, load_any_spanned, parse_map, parse_map_spanned,
    to_canonical, to_json, to_yaml,
};
pub use interchange_csv::{CSV_COLUMNS, from_csv, from_csv_spanned, to_csv};
pub use map::*;
pub use mermaid::{from_mermaid, from_mermaid_spanned, to_mermaid};
pub use normalize::normalize;
pub use schema::json_schema;
pub use spans::Spans;
pub use validate::{check_source, kind_name, validate};
pub use yaml_read::{MAX_ALIAS_NODES, MAX_DEPTH, MAX_INPUT_BYTES};
