//! Import of event logs (CSV, JSON Lines, Parquet, XES) into a journey store.
//!
//! Each source is streamed into a [`staging::Staging`] log (interned ids, raw attribute
//! values); when every source is read, the events of the existing store (if any) and the
//! new ones are sorted and typed together and written as a new store version, switched
//! to atomically (see [`crate::store`]). A failure anywhere leaves the store as it was.
//!
//! Attributes: every column or key that is not the case, activity or time becomes an
//! attribute. JSON objects are flattened with dotted paths, so a Segment track event's
//! `properties.plan` stays `properties.plan` (no prefix is stripped, so names never
//! collide). Types come from the source where it has them (XES, Parquet, JSON) and are
//! otherwise inferred from the distinct values: bool, int, float, time, else text. An
//! empty value is missing.

mod batch;
mod case_sort;
mod cases;
mod columns;
mod csv_source;
mod input;
mod interner;
mod jsonl;
mod parquet_dict;
mod parquet_rows;
mod parquet_source;
mod report;
pub(crate) mod staging;
pub mod time;
mod xes;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use input::{MAX_LINE_BYTES, SourceFormat};
pub use report::{BadRow, ImportError, ImportReport, SourceReport};

use crate::store::{self, SourceInfo, Store};
use report::BadRows;
use staging::Staging;
use time::TimeParser;

/// Receives progress while an import runs (the CLI draws a bar with it).
pub trait ImportProgress: Send + Sync {
    /// A new source begins; `bytes` is its size on disk.
    fn source(&self, path: &Path, bytes: u64);
    /// `rows` rows and `bytes` bytes of the current source have been read so far.
    fn advance(&self, rows: u64, bytes: u64);
    /// A phase after reading begins (for example "sorting", "writing").
    fn phase(&self, name: &str);
}

/// How to read the sources.
#[derive(Clone, Default)]
pub struct ImportOptions {
    /// The case column (or key, or XES trace attribute); detected when absent.
    pub case: Option<String>,
    /// The activity column; detected when absent.
    pub activity: Option<String>,
    /// The timestamp column; detected when absent.
    pub time: Option<String>,
    /// IANA time zone for timestamps without an offset (UTC when absent).
    pub tz: Option<String>,
    /// Fail on the first bad row instead of skipping it.
    pub strict: bool,
    /// Read every source as this format instead of guessing from its name.
    pub format: Option<SourceFormat>,
    /// The longest line allowed in CSV and JSON Lines sources (default [`MAX_LINE_BYTES`]);
    /// a longer one stops the import, as it means the file is not what it claims to be.
    pub max_line_bytes: Option<u64>,
    /// Where to report progress.
    pub progress: Option<Arc<dyn ImportProgress>>,
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("case", &self.case)
            .field("activity", &self.activity)
            .field("time", &self.time)
            .field("tz", &self.tz)
            .field("strict", &self.strict)
            .field("format", &self.format)
            .field("max_line_bytes", &self.max_line_bytes)
            .finish_non_exhaustive()
    }
}

/// What a source reader needs: where it reads from, how, and where it puts events.
pub(crate) struct SourceContext<'a> {
    pub(crate) path: &'a Path,
    pub(crate) options: &'a ImportOptions,
    pub(crate) time: &'a TimeParser,
    pub(crate) staging: &'a mut Staging,
    pub(crate) bad: &'a mut BadRows,
    /// Rows read from this source (good and bad).
    pub(crate) rows: u64,
}

impl SourceContext<'_> {
    /// Reports progress every 64k rows.
    pub(crate) fn tick(&mut self, bytes: u64) {
        self.rows += 1;
        if self.rows.is_multiple_of(65_536)
            && let Some(p) = &self.options.progress
        {
            p.advance(self.rows, bytes);
        }
    }

    /// Records a bad row (an error in strict mode).
    pub(crate) fn bad_row(
        &mut self,
        line: u64,
        reason: impl Into<String>,
    ) -> Result<(), ImportError> {
        self.bad.record(self.path, line, reason.into())
    }
}

/// The time parser the options ask for.
fn time_parser(options: &ImportOptions) -> Result<TimeParser, ImportError> {
    match &options.tz {
        Some(zone) => TimeParser::with_zone(zone).map_err(|e| ImportError::TimeZone(e.0)),
        None => Ok(TimeParser::utc()),
    }
}

/// Reads one source into `staging`, in the given format or the one its name tells.
fn read_source(
    path: &Path,
    options: &ImportOptions,
    time: &TimeParser,
    staging: &mut Staging,
    bad: &mut BadRows,
) -> Result<SourceReport, ImportError> {
    let format = match options.format {
        Some(f) => f,
        None => SourceFormat::from_path(path)?,
    };
    if let Some(p) = &options.progress {
        p.source(path, std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    }
    let before_events = staging.len();
    let before_bad = bad.count;
    let mut cx = SourceContext {
        path,
        options,
        time,
        staging,
        bad,
        rows: 0,
    };
    match format {
        SourceFormat::Csv => csv_source::read(&mut cx)?,
        SourceFormat::Jsonl => jsonl::read(&mut cx)?,
        SourceFormat::Parquet => parquet_source::read(&mut cx)?,
        SourceFormat::Xes => xes::read(&mut cx)?,
    }
    let rows = cx.rows;
    if rows == 0 {
        return Err(ImportError::Empty(path.to_owned()));
    }
    Ok(SourceReport {
        path: path.to_owned(),
        format,
        rows,
        events: (staging.len() - before_events) as u64,
        bad_rows: bad.count - before_bad,
    })
}

/// Reads one source exactly as [`import`] would, sorting and typing its events, but
/// writes nothing: a dry run that says whether (and how well) the file would import.
pub fn check_source(path: &Path, options: &ImportOptions) -> Result<SourceReport, ImportError> {
    let time = time_parser(options)?;
    let mut staging = Staging::default();
    let mut bad = BadRows::new(options.strict);
    let report = read_source(path, options, &time, &mut staging, &mut bad)?;
    if staging.len() > u32::MAX as usize {
        return Err(ImportError::TooManyEvents(staging.len() as u64));
    }
    staging.finish(&time);
    Ok(report)
}

/// Imports `sources` into the store in `dir`, adding to what it holds, and switches the
/// store to the result atomically.
pub fn import(
    sources: &[PathBuf],
    options: &ImportOptions,
    dir: &Path,
) -> Result<ImportReport, ImportError> {
    let time = time_parser(options)?;
    let mut staging = Staging::default();
    let mut previous = Vec::new();
    let mut events_before = 0;
    if store::current_version(dir)?.is_some() {
        let existing = Store::open(dir)?;
        staging.load_store(&existing);
        previous = existing.manifest().sources.clone();
        events_before = existing.manifest().events;
    }
    let mut bad = BadRows::new(options.strict);
    let mut reports = Vec::with_capacity(sources.len());
    for path in sources {
        reports.push(read_source(path, options, &time, &mut staging, &mut bad)?);
    }
    let added = staging.len() as u64 - events_before;
    if added == 0 {
        return Err(ImportError::NoEvents {
            bad_rows: bad.count,
            first: bad.shown.first().cloned(),
        });
    }
    if staging.len() > u32::MAX as usize {
        return Err(ImportError::TooManyEvents(staging.len() as u64));
    }
    if let Some(p) = &options.progress {
        p.phase("sorting");
    }
    let data = staging.finish(&time);
    if let Some(p) = &options.progress {
        p.phase("writing");
    }
    let mut all_sources = previous;
    all_sources.extend(reports.iter().map(|r| SourceInfo {
        path: r.path.display().to_string(),
        format: r.format.name().to_owned(),
        events: r.events,
        bad_rows: r.bad_rows,
    }));
    let manifest = store::write_version(dir, &data, all_sources)?;
    Ok(ImportReport {
        sources: reports,
        events_added: added,
        events: manifest.events,
        cases: manifest.cases,
        activities: manifest.activities,
        bad_row_count: bad.count,
        bad_rows: bad.shown,
    })
}
