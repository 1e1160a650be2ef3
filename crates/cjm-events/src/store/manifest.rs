//! The store manifest: what a version holds, written as `manifest.json`.

use serde::{Deserialize, Serialize};

/// The `format` field of every manifest.
pub const FORMAT_NAME: &str = "cjm-journey-store";
/// The store format version this code reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The type of an attribute column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeKind {
    Int,
    Float,
    Bool,
    /// Microseconds since the Unix epoch, UTC.
    Time,
    Text,
}

impl AttributeKind {
    /// The type that holds values of both: itself if equal, float for int and float, else text.
    pub fn unify(self, other: AttributeKind) -> AttributeKind {
        use AttributeKind::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Int, Float) | (Float, Int) => Float,
            _ => Text,
        }
    }

    /// Its lowercase name, as in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            AttributeKind::Int => "int",
            AttributeKind::Float => "float",
            AttributeKind::Bool => "bool",
            AttributeKind::Time => "time",
            AttributeKind::Text => "text",
        }
    }

    /// File extension (element type) of its values file.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            AttributeKind::Int | AttributeKind::Time => "i64",
            AttributeKind::Float => "f64",
            AttributeKind::Bool => "u8",
            AttributeKind::Text => "u32",
        }
    }

    /// Bytes per value.
    pub(crate) fn width(self) -> u64 {
        match self {
            AttributeKind::Int | AttributeKind::Time | AttributeKind::Float => 8,
            AttributeKind::Bool => 1,
            AttributeKind::Text => 4,
        }
    }
}

/// One attribute column as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeInfo {
    /// The attribute's name (the source column or key).
    pub name: String,
    /// Its type.
    pub kind: AttributeKind,
    /// File stem of its files inside the version directory.
    pub file: String,
    /// Number of distinct values (text attributes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<u64>,
}

/// The first and last timestamps in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeSpan {
    /// Earliest event, microseconds since the Unix epoch.
    pub first_us: i64,
    /// Latest event, microseconds since the Unix epoch.
    pub last_us: i64,
    /// Earliest event, RFC 3339 UTC.
    pub first: String,
    /// Latest event, RFC 3339 UTC.
    pub last: String,
}

/// A file imported into the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The path as given to `cjm import`.
    pub path: String,
    /// The format it was read as (`csv`, `jsonl`, `parquet`, `xes`).
    pub format: String,
    /// Events taken from it.
    pub events: u64,
    /// Rows that could not be read and were skipped.
    pub bad_rows: u64,
}

/// What a store version holds (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The format version, [`FORMAT_VERSION`] for stores this code writes.
    pub version: u32,
    /// Number of events.
    pub events: u64,
    /// Number of cases.
    pub cases: u64,
    /// Number of distinct activities.
    pub activities: u64,
    /// Bytes of case id text.
    pub case_id_bytes: u64,
    /// Bytes of activity name text.
    pub activity_name_bytes: u64,
    /// First and last event time (absent when the store holds no events).
    pub time_span: Option<TimeSpan>,
    /// Per-event attribute columns.
    pub event_attributes: Vec<AttributeInfo>,
    /// Per-case attribute columns.
    pub case_attributes: Vec<AttributeInfo>,
    /// Every file imported, oldest first.
    pub sources: Vec<SourceInfo>,
}
