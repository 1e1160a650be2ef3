//! The journey-map model: types, the YAML/JSON file format, validation and the JSON Schema.
//!
//! Invariant: this crate does no I/O beyond parsing and serialising text it is given.
//!
//! - Load: [`parse_map`] (YAML 1.2 or JSON), [`load_any`] (by extension: also `.mmd`
//!   Mermaid journeys and `.csv` tables); the `_spanned` forms also return [`Spans`], the
//!   source location of every element. Errors are [`LoadError`]s: `path:line:col: message`
//!   and a hint. Input over [`MAX_INPUT_BYTES`] (20 MiB), nesting deeper than [`MAX_DEPTH`]
//!   and aliases that expand past [`MAX_ALIAS_NODES`] are refused, never half-read.
//! - Check: [`normalize`] gives cells without an id a stable one; [`validate`] returns
//!   [`Diagnostic`]s (errors, and warnings for rules of the method); [`check_source`] does
//!   load, normalize and validate in one call, as `cjm check` does.
//! - Write: [`to_yaml`] (the canonical form `cjm fmt` writes), [`to_json`], [`to_csv`],
//!   [`to_mermaid`]; [`json_schema`] describes the file format.

mod error;
mod format;
mod interchange_csv;
mod map;
mod mermaid;
mod node;
mod normalize;
mod schema;
mod spans;
pub mod templates;
mod validate;
mod yaml_read;
mod yaml_write;

pub use error::{Diagnostic, LoadError, Location, Severity};
pub use format::{
    decode_utf8, extension, load_any, load_any_spanned, parse_map, parse_map_spanned, to_canonical,
    to_json, to_yaml,
};
pub use interchange_csv::{CSV_COLUMNS, from_csv, from_csv_spanned, to_csv};
pub use map::*;
pub use mermaid::{from_mermaid, from_mermaid_spanned, to_mermaid};
pub use normalize::normalize;
pub use schema::json_schema;
pub use spans::Spans;
pub use validate::{check_source, kind_name, validate};
pub use yaml_read::{MAX_ALIAS_NODES, MAX_DEPTH, MAX_INPUT_BYTES};
