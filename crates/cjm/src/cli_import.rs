//! CLI verbs: `import` (event logs into a journey store) and `stats` (summary of a store).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use cjm_events::import::{ImportError, ImportOptions, ImportProgress, SourceFormat};
use cjm_events::store::{Store, StoreStats};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{Failure, user};

/// Arguments of `cjm import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Event files: CSV, JSON Lines, Parquet or XES (optionally .gz).
    #[arg(required = true, value_name = "SRC")]
    sources: Vec<PathBuf>,
    /// The store directory (created if missing; added to if it exists).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// The case column: customer, session or order id (detected when omitted).
    #[arg(long, value_name = "COLUMN")]
    case: Option<String>,
    /// The activity (event name) column (detected when omitted).
    #[arg(long, value_name = "COLUMN")]
    activity: Option<String>,
    /// The timestamp column (detected when omitted).
    #[arg(long, value_name = "COLUMN")]
    time: Option<String>,
    /// IANA time zone for timestamps without an offset (default UTC).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Fail on the first bad row instead of skipping it.
    #[arg(long)]
    strict: bool,
    /// Read every source as this format instead of guessing from its extension.
    #[arg(long, value_name = "csv|jsonl|parquet|xes", value_parser = parse_format)]
    format: Option<SourceFormat>,
}

fn parse_format(name: &str) -> Result<SourceFormat, String> {
    SourceFormat::from_name(name)
        .ok_or_else(|| format!("unknown format {name:?}; expected csv, jsonl, parquet or xes"))
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
struct Bar {
    bar: ProgressBar,
}

impl ImportProgress for Bar {
    fn source(&self, path: &Path, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_position(0);
        self.bar.set_prefix(path.display().to_string());
    }

    fn advance(&self, rows: u64, bytes: u64) {
        self.bar.set_position(bytes);
        self.bar.set_message(format!("{rows} rows"));
    }

    fn phase(&self, name: &str) {
        self.bar.set_message(name.to_owned());
    }
}

fn progress_bar() -> Option<Arc<Bar>> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{prefix} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(Arc::new(Bar { bar }))
}

/// Runs `cjm import`.
pub fn import(args: ImportArgs) -> Result<(), Failure> {
    let bar = progress_bar();
    let options = ImportOptions {
        case: args.case,
        activity: args.activity,
        time: args.time,
        tz: args.tz,
        strict: args.strict,
        format: args.format,
        max_line_bytes: None,
        progress: bar.clone().map(|b| b as Arc<dyn ImportProgress>),
    };
    let result = cjm_events::store::import(&args.sources, &options, &args.store);
    if let Some(bar) = bar {
        bar.bar.finish_and_clear();
    }
    let report = result.map_err(|e: ImportError| {
        if e.is_user_error() {
            user(e)
        } else {
            Failure::Internal(e.into())
        }
    })?;
    let mut out = std::io::stdout().lock();
    for source in &report.sources {
        writeln!(
            out,
            "{}: {} events from {} rows ({}), {} bad",
            source.path.display(),
            source.events,
            source.rows,
            source.format.name(),
            source.bad_rows
        )?;
    }
    writeln!(
        out,
        "store {}: {} events (+{}), {} cases, {} activities",
        args.store.display(),
        report.events,
        report.events_added,
        report.cases,
        report.activities
    )?;
    if report.bad_row_count > 0 {
        eprintln!(
            "{} bad rows skipped; the first {}:",
            report.bad_row_count,
            report.bad_rows.len()
        );
        for row in &report.bad_rows {
            eprintln!("  {row}");
        }
    }
    Ok(())
}

/// Output format of `cjm stats`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
    Csv,
}

/// Arguments of `cjm stats`.
#[derive(clap::Args)]
pub struct StatsArgs {
    /// The store directory.
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: StatsFormat,
    /// How many of the most frequent activities to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

/// Runs `cjm stats`.
pub fn stats(args: StatsArgs) -> Result<(), Failure> {
    let store = Store::open(&args.store)
        .and_then(|store| store.verify().map(|()| store))
        .map_err(|e| match e {
            cjm_events::store::StoreError::Io { .. } => Failure::Internal(e.into()),
            other => user(other),
        })?;
    let stats = store.stats(args.top);
    let mut out = std::io::stdout().lock();
    match args.format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &stats)
                .map_err(|e| Failure::Internal(anyhow!(e)))?;
            writeln!(out)?;
        }
        StatsFormat::Csv => write_csv(&mut out, &stats)?,
        StatsFormat::Table => write_table(&mut out, &stats)?,
    }
    Ok(())
}

fn span_text(stats: &StoreStats) -> String {
    match &stats.time_span {
        Some(span) => format!("{} .. {} ({:.0} s)", span.first, span.last, stats.span_s),
        None => "-".to_owned(),
    }
}

fn write_table(out: &mut impl Write, stats: &StoreStats) -> std::io::Result<()> {
    writeln!(out, "events      {}", stats.events)?;
    writeln!(out, "cases       {}", stats.cases)?;
    writeln!(out, "activities  {}", stats.activities)?;
    writeln!(out, "time span   {}", span_text(stats))?;
    if !stats.attributes.is_empty() {
        writeln!(out, "\nattribute{:23}scope  type   distinct  missing", "")?;
        for a in &stats.attributes {
            let distinct = a.distinct.map_or("-".to_owned(), |d| d.to_string());
            writeln!(
                out,
                "{:<32}{:<7}{:<7}{:>8}  {:>7}",
                a.name,
                a.scope,
                a.kind.name(),
                distinct,
                a.missing
            )?;
        }
    }
    writeln!(out, "\ntop activities{:18}events   share", "")?;
    for (name, count) in &stats.top_activities {
        let share = if stats.events == 0 {
            0.0
        } else {
            *count as f64 * 100.0 / stats.events as f64
        };
        writeln!(out, "{name:<32}{count:>6}  {share:>5.1}%")?;
    }
    Ok(())
}

fn write_csv(out: &mut impl Write, stats: &StoreStats) -> Result<(), Failure> {
    let mut csv = csv::Writer::from_writer(out);
    let internal = |e: csv::Error| Failure::Internal(anyhow!(e));
    csv.write_record(["section", "name", "value", "detail"])
        .map_err(internal)?;
    for (name, value) in [
        ("events", stats.events.to_string()),
        ("cases", stats.cases.to_string()),
        ("activities", stats.activities.to_string()),
        ("span_s", stats.span_s.to_string()),
    ] {
        csv.write_record(["summary", name, &value, ""])
            .map_err(internal)?;
    }
    if let Some(span) = &stats.time_span {
        csv.write_record(["summary", "first", &span.first, ""])
            .map_err(internal)?;
        csv.write_record(["summary", "last", &span.last, ""])
            .map_err(internal)?;
    }
    for a in &stats.attributes {
        let distinct = a.distinct.map_or(String::new(), |d| d.to_string());
        let detail = format!("{} {}", a.scope, distinct).trim().to_owned();
        csv.write_record(["attribute", &a.name, a.kind.name(), &detail])
            .map_err(internal)?;
    }
    for (name, count) in &stats.top_activities {
        csv.write_record(["activity", name, &count.to_string(), ""])
            .map_err(internal)?;
    }
    csv.flush()?;
    Ok(())
}
