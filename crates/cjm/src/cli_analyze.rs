//! CLI verbs over a journey store: funnel, paths, dfg, variants, durations.
//!
//! Each verb opens the store (memory-mapped), binds the filter flags, runs one kernel of
//! `cjm_events::kernels` and prints a table, JSON or CSV (the DFG also as Graphviz dot).

mod output;

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::anyhow;
use cjm_events::Journeys;
use cjm_events::filter::{Filter, Selection};
use cjm_events::import::time::TimeParser;
use cjm_events::kernels::dfg::{Dfg, DfgReport};
use cjm_events::kernels::durations::Durations;
use cjm_events::kernels::funnel::{Funnel, FunnelReport, FunnelSpec, FunnelStepReport};
use cjm_events::kernels::paths::{Direction, Paths};
use cjm_events::kernels::variants::Variants;
use cjm_events::store::Store;
use output::{Table, csv_row, human, human_opt, number_opt, percent};

use crate::{Failure, user};

/// Output formats of the analytic verbs.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Output formats of `cjm dfg`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DfgFormat {
    Table,
    Json,
    Csv,
    Dot,
}

/// The store and the filters every analytic verb takes.
#[derive(clap::Args)]
pub struct Source {
    /// The journey store directory (made by `cjm import`).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// Keep events at or after this time (ISO 8601, date, or epoch seconds/ms/µs).
    #[arg(long, value_name = "TIME")]
    from_time: Option<String>,
    /// Keep events before this time.
    #[arg(long, value_name = "TIME")]
    to_time: Option<String>,
    /// Keep cases (case attribute) or events (event attribute) where ATTR equals VALUE.
    #[arg(long = "where", value_name = "ATTR=VALUE")]
    where_equals: Vec<String>,
    /// Keep only these activities (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    activities: Vec<String>,
    /// Drop these activities (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    exclude_activities: Vec<String>,
    /// Keep only cases that contain this activity (repeatable: all must occur).
    #[arg(long, value_name = "A")]
    containing: Vec<String>,
}

impl Source {
    fn open(&self) -> Result<Store, Failure> {
        Store::open(&self.store).map_err(|e| {
            user(anyhow!(
                "cannot open the store {}: {e} (hint: make one with `cjm import FILE --store {}`)",
                self.store.display(),
                self.store.display()
            ))
        })
    }

    fn filter(&self, journeys: &Journeys<'_>) -> Result<Filter, Failure> {
        let parser = TimeParser::utc();
        let time = |flag: &str, text: &Option<String>| -> Result<Option<i64>, Failure> {
            text.as_deref()
                .map(|t| {
                    parser.parse(t, true).map_err(|e| {
                        user(anyhow!(
                            "{flag} {t:?}: {e} (expected e.g. 2024-05-01 or 2024-05-01T12:00:00Z)"
                        ))
                    })
                })
                .transpose()
        };
        let mut attribute_equals = Vec::new();
        for pair in &self.where_equals {
            let (name, value) = pair.split_once('=').ok_or_else(|| {
                user(anyhow!(
                    "--where {pair:?}: expected ATTR=VALUE, for example --where channel=web"
                ))
            })?;
            attribute_equals.push((name.trim().to_owned(), value.to_owned()));
        }
        let filter = Filter {
            from_us: time("--from-time", &self.from_time)?,
            to_us: time("--to-time", &self.to_time)?,
            attribute_equals,
            activities: self.activities.clone(),
            exclude_activities: self.exclude_activities.clone(),
            containing: self.containing.clone(),
        };
        let names: Vec<String> = filter
            .activities
            .iter()
            .chain(&filter.exclude_activities)
            .chain(&filter.containing)
            .cloned()
            .collect();
        known_activities(journeys, &names)?;
        Ok(filter)
    }

    /// Opens the store, binds the filter and hands both to `work`.
    fn with_selection<T>(
        &self,
        work: impl FnOnce(&Journeys<'_>, &Selection<'_>) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let store = self.open()?;
        let journeys = store.journeys();
        let filter = self.filter(&journeys)?;
        let selection = filter.select(&journeys).map_err(user)?;
        work(&journeys, &selection)
    }
}

/// Fails on activity names the store does not hold, listing some that it does.
fn known_activities(journeys: &Journeys<'_>, names: &[String]) -> Result<(), Failure> {
    for name in names {
        if journeys.activity_code(name).is_none() {
            let known: Vec<&str> = journeys.activity_names.iter().take(20).collect();
            let more = if journeys.activity_names.len() > 20 {
                ", ..."
            } else {
                ""
            };
            return Err(user(anyhow!(
                "no activity named {name:?} in the store (it has: {}{more})",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn stdout() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Failure> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| Failure::Internal(e.into()))?;
    writeln!(out)?;
    Ok(())
}

/// Arguments of `cjm funnel`.
#[derive(clap::Args)]
pub struct FunnelArgs {
    #[command(flatten)]
    source: Source,
    /// The steps in order, comma-separated; a step may be a set of activities `a|b`.
    #[arg(long, value_delimiter = ',', required = true, value_name = "A,B|C,D")]
    steps: Vec<String>,
    /// How long after step 1 the later steps may happen: 90s, 30m, 12h, 7d, 2w.
    #[arg(long, default_value = "7d")]
    window: String,
    /// default, strict_order, strict_deduplication, strict_increase (comma-separated to combine).
    #[arg(long, default_value = "default")]
    mode: String,
    /// Activities that break a chain in progress (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    exclude: Vec<String>,
    /// Break down by this attribute, taken at the case's first step-1 event.
    #[arg(long, value_name = "ATTR")]
    by: Option<String>,
    /// Print the ids of the cases that reached step K but not K + 1 (0: never started).
    #[arg(long, value_name = "K")]
    dropped_at: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Parses `90s`, `30m`, `12h`, `7d`, `2w` or plain seconds into microseconds.
fn parse_window(text: &str) -> Result<i64, Failure> {
    let t = text.trim();
    let (number, unit) = t.split_at(
        t.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(t.len()),
    );
    let seconds_per_unit = match unit {
        "" | "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        _ => f64::NAN,
    };
    let value: f64 = number.parse().unwrap_or(f64::NAN);
    let us = value * seconds_per_unit * 1e6;
    if !us.is_finite() || us < 0.0 || us > i64::MAX as f64 {
        return Err(user(anyhow!(
            "--window {text:?}: expected a duration such as 90s, 30m, 12h, 7d or 2w"
        )));
    }
    Ok(us.round() as i64)
}

/// Runs `cjm funnel`.
pub fn funnel(args: FunnelArgs) -> Result<(), Failure> {
    let steps: Vec<Vec<String>> = args
        .steps
        .iter()
        .map(|s| s.split('|').map(|a| a.trim().to_owned()).collect())
        .collect();
    let spec = FunnelSpec {
        steps,
        window_us: parse_window(&args.window)?,
        mode: args.mode.parse().map_err(user)?,
        exclude: args.exclude.clone(),
        by: args.by.clone(),
        dropped_at: args.dropped_at,
    };
    let report = args.source.with_selection(|journeys, selection| {
        let names: Vec<String> = spec
            .steps
            .iter()
            .flatten()
            .chain(&spec.exclude)
            .cloned()
            .collect();
        known_activities(journeys, &names)?;
        let funnel = Funnel::new(&spec, journeys).map_err(user)?;
        Ok(funnel.report(selection))
    })?;
    let mut out = stdout();
    match (args.format, &report.dropped_cases) {
        (Format::Json, _) => json(&mut out, &report)?,
        (Format::Table, Some(cases)) => {
            for case in cases {
                writeln!(out, "{case}")?;
            }
        }
        (Format::Csv, Some(cases)) => {
            csv_row(&mut out, &["case_id".to_owned()])?;
            for case in cases {
                csv_row(&mut out, std::slice::from_ref(case))?;
            }
        }
        (Format::Table, None) => funnel_table(&mut out, &report)?,
        (Format::Csv, None) => funnel_csv(&report).write_csv(&mut out)?,
    }
    out.flush()?;
    Ok(())
}

fn step_table(steps: &[FunnelStepReport]) -> Table {
    let mut table = Table::new(&[
        "step",
        "name",
        "customers",
        "from previous",
        "from first",
        "dropped",
        "dropped %",
        "median",
        "p90",
    ]);
    for (k, s) in steps.iter().enumerate() {
        table.row(vec![
            (k + 1).to_string(),
            s.name.clone(),
            s.customers.to_string(),
            percent(s.conversion_from_previous),
            percent(s.conversion_from_first),
            s.dropped.to_string(),
            percent(s.dropped_share),
            human_opt(s.median_s),
            human_opt(s.p90_s),
        ]);
    }
    table
}

fn levels_line(levels: &[u64]) -> String {
    let parts: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect();
    format!("highest level reached: {}", parts.join(", "))
}

fn funnel_table(out: &mut dyn Write, report: &FunnelReport) -> Result<(), Failure> {
    writeln!(out, "{} cases", report.cases)?;
    step_table(&report.steps).write(out)?;
    writeln!(out, "{}", levels_line(&report.levels))?;
    for group in &report.groups {
        writeln!(
            out,
            "\n{} = {} ({} cases)",
            report.by.as_deref().unwrap_or(""),
            group.value,
            group.cases
        )?;
        step_table(&group.steps).write(out)?;
        writeln!(out, "{}", levels_line(&group.levels))?;
    }
    Ok(())
}

fn funnel_csv(report: &FunnelReport) -> Table {
    let mut table = Table::new(&[
        "group",
        "step",
        "name",
        "customers",
        "conversion_from_previous",
        "conversion_from_first",
        "dropped",
        "dropped_share",
        "median_s",
        "p90_s",
    ]);
    let all = std::iter::once(("", &report.steps))
        .chain(report.groups.iter().map(|g| (g.value.as_str(), &g.steps)));
    for (group, steps) in all {
        for (k, s) in steps.iter().enumerate() {
            table.row(vec![
                group.to_owned(),
                (k + 1).to_string(),
                s.name.clone(),
                s.customers.to_string(),
                s.conversion_from_previous.to_string(),
                s.conversion_from_first.to_string(),
                s.dropped.to_string(),
                s.dropped_share.to_string(),
                number_opt(s.median_s),
                number_opt(s.p90_s),
            ]);
        }
    }
    table
}

/// Arguments of `cjm paths`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("anchor").required(true).args(["from", "to"])))]
pub struct PathsArgs {
    #[command(flatten)]
    source: Source,
    /// Paths that follow the first occurrence of this activity.
    #[arg(long, value_name = "A")]
    from: Option<String>,
    /// Paths that lead to the first occurrence of this activity.
    #[arg(long, value_name = "A")]
    to: Option<String>,
    /// Activities taken after (or before) the anchor.
    #[arg(long, default_value_t = 3)]
    depth: usize,
    /// How many of the most frequent paths to show.
    #[arg(long, default_value_t = 10)]
    top: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Runs `cjm paths`.
pub fn paths(args: PathsArgs) -> Result<(), Failure> {
    let (anchor, direction) = match (&args.from, &args.to) {
        (Some(a), _) => (a.clone(), Direction::After),
        (None, Some(a)) => (a.clone(), Direction::Before),
        (None, None) => return Err(user(anyhow!("give --from A or --to A"))),
    };
    let report = args.source.with_selection(|journeys, selection| {
        known_activities(journeys, std::slice::from_ref(&anchor))?;
        let kernel = Paths {
            anchor: journeys.activity_code(&anchor),
            direction,
            depth: args.depth,
            top: Some(args.top),
        };
        Ok(kernel.report(selection))
    })?;
    let mut out = stdout();
    let mut table = Table::new(&["cases", "share", "path"]);
    for p in &report.paths {
        let share = if args.format == Format::Csv {
            p.share.to_string()
        } else {
            percent(p.share)
        };
        table.row(vec![p.cases.to_string(), share, p.activities.join(" > ")]);
    }
    match args.format {
        Format::Json => json(&mut out, &report)?,
        Format::Csv => table.write_csv(&mut out)?,
        Format::Table => {
            writeln!(
                out,
                "{} of {} cases contain {anchor:?}",
                report.cases_with_anchor, report.cases
            )?;
            table.write(&mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Arguments of `cjm dfg`.
#[derive(clap::Args)]
pub struct DfgArgs {
    #[command(flatten)]
    source: Source,
    #[arg(long, value_enum, default_value = "table")]
    format: DfgFormat,
}

/// Runs `cjm dfg`.
pub fn dfg(args: DfgArgs) -> Result<(), Failure> {
    let report = args
        .source
        .with_selection(|_, selection| Ok(Dfg { performance: true }.report(selection)))?;
    let mut out = stdout();
    match args.format {
        DfgFormat::Json => json(&mut out, &report)?,
        DfgFormat::Dot => dfg_dot(&mut out, &report)?,
        DfgFormat::Csv => dfg_table(&report, true).write_csv(&mut out)?,
        DfgFormat::Table => {
            writeln!(
                out,
                "{} cases, {} events, {} edges",
                report.cases,
                report.events,
                report.edges.len()
            )?;
            dfg_table(&report, false).write(&mut out)?;
            let counts = |m: &std::collections::BTreeMap<String, u64>| {
                m.iter()
                    .map(|(a, n)| format!("{a} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(out, "start: {}", counts(&report.start))?;
            writeln!(out, "end: {}", counts(&report.end))?;
        }
    }
    out.flush()?;
    Ok(())
}

fn dfg_table(report: &DfgReport, raw: bool) -> Table {
    let mut table = Table::new(&[
        "from", "to", "count", "mean_s", "median_s", "min_s", "max_s",
    ]);
    let show = |v: Option<f64>| if raw { number_opt(v) } else { human_opt(v) };
    for e in &report.edges {
        table.row(vec![
            e.from.clone(),
            e.to.clone(),
            e.count.to_string(),
            show(e.mean_s),
            show(e.median_s),
            show(e.min_s),
            show(e.max_s),
        ]);
    }
    table
}

fn dfg_dot(out: &mut dyn Write, report: &DfgReport) -> Result<(), Failure> {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    writeln!(
        out,
        "digraph dfg {{\n  rankdir=LR;\n  node [shape=box, style=rounded];"
    )?;
    writeln!(
        out,
        "  \"●\" [shape=circle, label=\"\"];\n  \"■\" [shape=doublecircle, label=\"\"];"
    )?;
    for (a, n) in &report.start {
        writeln!(
            out,
            "  \"●\" -> {} [label=\"{n}\", style=dashed];",
            quote(a)
        )?;
    }
    for e in &report.edges {
        let label = format!("{} ({})", e.count, human_opt(e.mean_s));
        writeln!(
            out,
            "  {} -> {} [label={}];",
            quote(&e.from),
            quote(&e.to),
            quote(&label)
        )?;
    }
    for (a, n) in &report.end {
        writeln!(
            out,
            "  {} -> \"■\" [label=\"{n}\", style=dashed];",
            quote(a)
        )?;
    }
    writeln!(out, "}}")?;
    Ok(())
}

/// Arguments of `cjm variants`.
#[derive(clap::Args)]
pub struct VariantsArgs {
    #[command(flatten)]
    source: Source,
    /// How many of the most frequent variants to show.
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Runs `cjm variants`.
pub fn variants(args: VariantsArgs) -> Result<(), Failure> {
    let report = args.source.with_selection(|_, selection| {
        Ok(Variants {
            top: Some(args.top),
        }
        .report(selection))
    })?;
    let mut out = stdout();
    let csv = args.format == Format::Csv;
    let mut table = Table::new(&["cases", "share", "median_duration", "variant"]);
    for v in &report.variants {
        table.row(vec![
            v.cases.to_string(),
            if csv {
                v.share.to_string()
            } else {
                percent(v.share)
            },
            if csv {
                v.median_duration_s.to_string()
            } else {
                human(v.median_duration_s)
            },
            v.activities.join(" > "),
        ]);
    }
    match args.format {
        Format::Json => json(&mut out, &report)?,
        Format::Csv => table.write_csv(&mut out)?,
        Format::Table => {
            writeln!(out, "{} cases, {} variants", report.cases, report.distinct)?;
            table.write(&mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Arguments of `cjm durations`.
#[derive(clap::Args)]
pub struct DurationsArgs {
    #[command(flatten)]
    source: Source,
    /// Number of histogram bins.
    #[arg(long, default_value_t = 10)]
    bins: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Runs `cjm durations`.
pub fn durations(args: DurationsArgs) -> Result<(), Failure> {
    let report = args
        .source
        .with_selection(|_, selection| Ok(Durations { bins: args.bins }.report(selection)))?;
    let mut out = stdout();
    match args.format {
        Format::Json => json(&mut out, &report)?,
        Format::Csv => {
            let mut table = Table::new(&["from_s", "to_s", "cases"]);
            for b in &report.histogram {
                table.row(vec![
                    b.from_s.to_string(),
                    b.to_s.to_string(),
                    b.cases.to_string(),
                ]);
            }
            table.write_csv(&mut out)?;
        }
        Format::Table => {
            writeln!(out, "{} cases", report.cases)?;
            if let Some(s) = &report.summary {
                let mut table = Table::new(&["min", "p25", "median", "p75", "p90", "max", "mean"]);
                table.row(
                    [
                        s.min_s, s.p25_s, s.median_s, s.p75_s, s.p90_s, s.max_s, s.mean_s,
                    ]
                    .map(human)
                    .to_vec(),
                );
                table.write(&mut out)?;
                let widest = report
                    .histogram
                    .iter()
                    .map(|b| b.cases)
                    .max()
                    .unwrap_or(1)
                    .max(1);
                let mut bins = Table::new(&["from", "to", "cases", ""]);
                for b in &report.histogram {
                    let bar = "#".repeat((b.cases * 40).div_ceil(widest) as usize);
                    bins.row(vec![
                        human(b.from_s),
                        human(b.to_s),
                        b.cases.to_string(),
                        bar,
                    ]);
                }
                writeln!(out)?;
                bins.write(&mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
