//! What an import reports: per-source counts, bad rows, and the errors that stop it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::SourceFormat;
use crate::store::StoreError;

/// How many bad rows an import keeps to show.
pub const BAD_ROWS_SHOWN: usize = 20;

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// The source file.
    pub path: PathBuf,
    /// 1-based line number in the (decompressed) file; for Parquet, the 1-based row number.
    pub line: u64,
    /// What was wrong.
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.reason)
    }
}

/// Counts bad rows and keeps the first [`BAD_ROWS_SHOWN`].
#[derive(Debug)]
pub(crate) struct BadRows {
    strict: bool,
    pub(crate) count: u64,
    pub(crate) shown: Vec<BadRow>,
}

impl BadRows {
    pub(crate) fn new(strict: bool) -> Self {
        BadRows {
            strict,
            count: 0,
            shown: Vec::new(),
        }
    }

    pub(crate) fn record(
        &mut self,
        path: &Path,
        line: u64,
        reason: String,
    ) -> Result<(), ImportError> {
        let row = BadRow {
            path: path.to_owned(),
            line,
            reason,
        };
        if self.strict {
            return Err(ImportError::BadRow(row));
        }
        self.count += 1;
        if self.shown.len() < BAD_ROWS_SHOWN {
            self.shown.push(row);
        }
        Ok(())
    }
}

/// What one source gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The file.
    pub path: PathBuf,
    /// The format it was read as.
    pub format: SourceFormat,
    /// Rows (lines, records, XES events) read, good and bad.
    pub rows: u64,
    /// Events taken.
    pub events: u64,
    /// Rows skipped as bad.
    pub bad_rows: u64,
}

/// The outcome of a successful import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// Each source, in the order given.
    pub sources: Vec<SourceReport>,
    /// Events added by this import.
    pub events_added: u64,
    /// Events in the store now.
    pub events: u64,
    /// Cases in the store now.
    pub cases: u64,
    /// Distinct activities in the store now.
    pub activities: u64,
    /// Bad rows skipped, over all sources.
    pub bad_row_count: u64,
    /// The first [`BAD_ROWS_SHOWN`] bad rows.
    pub bad_rows: Vec<BadRow>,
}

/// Why an import failed (the store is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A source could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A source is not well-formed where it must be (header, XML structure, compression).
    #[error("{}:{line}: {message}", path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// A source holds no rows at all.
    #[error("{} is empty: no header and no rows", .0.display())]
    Empty(PathBuf),
    /// The format could not be told from the file name.
    #[error("cannot tell the format of {} from its name; pass --format csv|jsonl|parquet|xes", .0.display())]
    UnknownFormat(PathBuf),
    /// A case, activity or time column is missing or was not found.
    #[error("{}: {message}", path.display())]
    Column { path: PathBuf, message: String },
    /// A bad row under `--strict`.
    #[error(
        "{0} (--strict stops at the first bad row; without it bad rows are skipped and counted)"
    )]
    BadRow(BadRow),
    /// The `--tz` zone is unknown.
    #[error("{0}; use an IANA name such as Europe/Warsaw or America/New_York")]
    TimeZone(String),
    /// Nothing could be imported.
    #[error("no events imported: {bad_rows} rows were bad{}", first.as_ref().map(|r| format!(", the first: {r}")).unwrap_or_default())]
    NoEvents {
        bad_rows: u64,
        first: Option<BadRow>,
    },
    /// More events than a store version holds (2^32 - 1).
    #[error("{0} events is more than one store holds (4294967295)")]
    TooManyEvents(u64),
    /// The store could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// Whether the error lies in the input or the options (as opposed to the system).
    pub fn is_user_error(&self) -> bool {
        match self {
            ImportError::Io { source, .. } => source.kind() != std::io::ErrorKind::Other,
            ImportError::Store(StoreError::Io { .. }) => false,
            _ => true,
        }
    }
}
