//! The journey store: a directory of columnar, memory-mapped files behind a manifest.
//!
//! # Layout (format version 1)
//!
//! ```text
//! DIR/
//!   CURRENT                      name of the live version directory, e.g. "v000003\n"
//!   v000003/
//!     manifest.json              format, version, counts, time span, attributes, sources
//!     checked.json               identity of the event columns when the import checked them
//!     case_offsets.u64           cases + 1 event offsets (first 0, last = events, non-decreasing)
//!     case_ids.offsets.u64       dictionary of case ids: cases + 1 byte offsets ...
//!     case_ids.utf8              ... into this UTF-8 text (ids sorted in byte order)
//!     activity.u32               per event: code into activity_names
//!     timestamp_us.i64           per event: microseconds since 1970-01-01 UTC
//!     activity_names.offsets.u64 / activity_names.utf8
//!     event_attr_N.<ext>         per event attribute N: i64 (int, time), f64 (float),
//!     case_attr_N.<ext>          u8 (bool: 0, 1, 2 = missing) or u32 (text code);
//!     *_attr_N.dict.offsets.u64 / *_attr_N.dict.utf8   the dictionary of a text attribute
//! ```
//!
//! Every number is little-endian and every column is its own file, so a page-aligned
//! mapping casts soundly to `&[u64]`, `&[i64]`, `&[u32]`, `&[f64]` (with `bytemuck`).
//! Events are sorted by (case id, timestamp, input order); activities are numbered in
//! order of first appearance in that order. Missing values: `i64::MIN` (int, time),
//! NaN (float), 2 (bool), `u32::MAX` (text).
//!
//! # Updates
//! An import never changes a live version. It writes a new version directory beside it,
//! fsyncs every file and the directory, writes `CURRENT.tmp`, fsyncs it, renames it over
//! `CURRENT` (atomic on POSIX file systems), fsyncs `DIR`, and only then deletes the old
//! version. A killed import leaves at most an unreferenced directory, removed by the next
//! import. Writers are not locked against each other: run one import at a time per store.
//!
//! # Opening
//! [`Store::open`] maps the files and checks them against the manifest (sizes, monotonic
//! offsets, activity and text codes in range, UTF-8 dictionaries, time order within each
//! case), so a damaged store is a [`StoreError`], never a panic. The import checks each
//! version it writes before switching to it and stamps the event columns it checked
//! (`checked.json`, see [`checked`]); an open skips the per-event part while the files
//! are provably the ones stamped.

mod checked;
mod manifest;
mod open;
mod stats;
mod write;

use std::path::PathBuf;

pub use crate::import::{ImportError, ImportOptions, ImportProgress, ImportReport, import};
pub use manifest::{AttributeInfo, AttributeKind, Manifest, SourceInfo, TimeSpan};
pub use open::Store;
pub use stats::{AttributeStats, StoreStats};
pub(crate) use write::{current_version, write_version};

#[cfg(target_endian = "big")]
compile_error!("the journey store format is little-endian; big-endian targets are not supported");

use crate::journeys::OwnedStrDict;

/// Why a store cannot be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file of the store could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The directory holds no store.
    #[error(
        "{0} is not a journey store (no CURRENT file); create one with `cjm import FILE --store DIR`"
    )]
    NotAStore(PathBuf),
    /// A file contradicts the manifest or the store's invariants.
    #[error("{path}: corrupt store: {message}; re-import the sources to rebuild it")]
    Corrupt { path: PathBuf, message: String },
    /// The store was written by an incompatible version of cjm.
    #[error(
        "{path}: store format version {found} is not supported (this cjm reads version {supported})"
    )]
    Version {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
}

/// Values of one attribute, owned (what an import writes).
#[derive(Debug, Clone)]
pub(crate) enum OwnedValues {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<u8>),
    Time(Vec<i64>),
    Text { codes: Vec<u32>, dict: OwnedStrDict },
}

/// A named attribute column, owned.
#[derive(Debug, Clone)]
pub(crate) struct OwnedAttribute {
    pub(crate) name: String,
    pub(crate) values: OwnedValues,
}

/// A sorted, encoded log ready to be written as a store version.
#[derive(Debug, Clone)]
pub(crate) struct StoreData {
    pub(crate) case_offsets: Vec<u64>,
    pub(crate) case_ids: OwnedStrDict,
    pub(crate) activity: Vec<u32>,
    pub(crate) timestamp_us: Vec<i64>,
    pub(crate) activity_names: OwnedStrDict,
    pub(crate) event_attributes: Vec<OwnedAttribute>,
    pub(crate) case_attributes: Vec<OwnedAttribute>,
}
