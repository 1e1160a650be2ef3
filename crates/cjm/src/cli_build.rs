//! CLI verb: `cjm build MAP --store DIR -o OUT`, the data-backed map.
//!
//! Loads the map, opens the store, runs `cjm_insights::build`, writes OUT by its
//! extension (yaml/yml and json: the map with measured cells; html, png, pdf, svg, md:
//! rendered) and prints the stage measures and weak points.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use cjm_events::store::Store;
use cjm_insights::insights::Insights;
use cjm_insights::weak::{duration, percent};
use cjm_insights::{BuildOptions, Period};
use cjm_model::{Diagnostic, Severity};

use crate::{Failure, user};

/// Trend periods.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PeriodArg {
    Week,
    Month,
}

/// What `cjm build` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BuildFormat {
    /// The stages and weak points as tables.
    Table,
    /// Every measure (the insights) as JSON.
    Json,
    /// The stage measures as CSV.
    Csv,
}

/// Arguments of `cjm build`.
#[derive(clap::Args)]
pub struct BuildArgs {
    /// The map file (YAML or JSON) whose stages, steps and touchpoints carry event rules.
    map: PathBuf,
    /// The journey store directory (made by `cjm import`).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// The output: .yaml/.yml or .json (the map with measured cells), .html, .png, .pdf, .svg or .md.
    #[arg(short, long, value_name = "OUT")]
    out: PathBuf,
    /// Also give every stage measure per week or month.
    #[arg(long)]
    period: Option<PeriodArg>,
    /// A numeric attribute with each case's value: drop-offs are then ranked by value lost.
    #[arg(long, value_name = "ATTR")]
    amount: Option<String>,
    /// The attribute that names an event's channel.
    #[arg(long, value_name = "ATTR", default_value = "channel")]
    channel_attr: String,
    /// The funnel window in seconds (unlimited when absent).
    #[arg(long, value_name = "SECONDS")]
    window: Option<f64>,
    /// How many weak points to keep.
    #[arg(long, value_name = "N", default_value_t = 10)]
    weak_points: usize,
    /// Also write every measure as JSON to this file (with a .json OUT: OUT.insights.json by default).
    #[arg(long, value_name = "FILE")]
    insights: Option<PathBuf>,
    /// What to print: a table, JSON or CSV.
    #[arg(long, value_enum, default_value = "table")]
    format: BuildFormat,
}

/// Runs `cjm build`.
pub fn build(args: BuildArgs) -> Result<(), Failure> {
    let map_path = args.map.display().to_string();
    let text = fs::read(&args.map)
        .with_context(|| format!("cannot read {map_path}"))
        .map_err(user)?;
    let text = cjm_model::decode_utf8(&text, &map_path).map_err(user)?;
    let map = cjm_model::load_any(text, &map_path).map_err(user)?;
    let out_path = args.out.display().to_string();
    let ext = cjm_model::extension(&out_path).unwrap_or_default();
    let render_format = cjm_render::Format::from_extension(&ext);
    if render_format.is_none() && !matches!(ext.as_str(), "yaml" | "yml" | "json") {
        return Err(user(anyhow!(
            "cannot tell the output format of {out_path} (expected .yaml, .yml, .json, .html, .png, .pdf, .svg or .md)"
        )));
    }
    let window_us = match args.window {
        Some(w) if w.is_finite() && w > 0.0 => Some((w * 1e6) as i64),
        Some(w) => {
            return Err(user(anyhow!(
                "--window must be a positive number of seconds, not {w}"
            )));
        }
        None => None,
    };
    let store = Store::open(&args.store)
        .with_context(|| format!("cannot open the journey store {}", args.store.display()))
        .map_err(user)?;
    let journeys = store.journeys();
    let options = BuildOptions {
        channel_attr: args.channel_attr.clone(),
        amount_attr: args.amount.clone(),
        period: args.period.map(|p| match p {
            PeriodArg::Week => Period::Week,
            PeriodArg::Month => Period::Month,
        }),
        window_us,
        store: args.store.display().to_string(),
        map_file: map_path.clone(),
        weak_points: args.weak_points,
    };
    let built = cjm_insights::build(&map, &journeys, &options).map_err(user)?;
    let bytes = match render_format {
        Some(format) => {
            let opts = cjm_render::RenderOptions::for_map(&built.map);
            cjm_render::render(&built.map, format, &opts)
                .map_err(|e| Failure::Internal(e.into()))?
        }
        None if ext == "json" => cjm_model::to_json(&built.map).into_bytes(),
        None => cjm_model::to_yaml(&built.map).into_bytes(),
    };
    write_atomically(&args.out, &bytes)?;
    let insights_path = args
        .insights
        .clone()
        .or_else(|| (ext == "json").then(|| args.out.with_extension("insights.json")));
    if let Some(path) = &insights_path {
        let json =
            serde_json::to_vec_pretty(&built.insights).map_err(|e| Failure::Internal(e.into()))?;
        write_atomically(path, &json)?;
    }
    for warning in &built.insights.warnings {
        eprintln!("warning: {map_path}: {warning}");
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        BuildFormat::Table => print_table(&mut out, &built.insights)?,
        BuildFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &built.insights)
                .map_err(|e| Failure::Internal(e.into()))?;
            writeln!(out)?;
        }
        BuildFormat::Csv => print_csv(&mut out, &built.insights)?,
    }
    out.flush()?;
    eprintln!("wrote {out_path}");
    if let Some(path) = insights_path {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The findings of `cjm check MAP --store DIR`: event rules that match nothing, events no
/// rule matches (with their volume) and events claimed by two stages, as warnings.
/// Nothing without a store, or when the map does not load (`check` reports that itself).
pub fn store_findings(
    file: &Path,
    path: &str,
    store: Option<&Path>,
) -> Result<Vec<Diagnostic>, Failure> {
    let Some(store_dir) = store else {
        return Ok(Vec::new());
    };
    let Ok(bytes) = fs::read(file) else {
        return Ok(Vec::new());
    };
    let Ok(text) = cjm_model::decode_utf8(&bytes, path) else {
        return Ok(Vec::new());
    };
    let Ok((map, spans)) = cjm_model::load_any_spanned(text, path) else {
        return Ok(Vec::new());
    };
    let store = Store::open(store_dir)
        .with_context(|| format!("cannot open the journey store {}", store_dir.display()))
        .map_err(user)?;
    let warnings = cjm_insights::check_store(&map, &store.journeys()).map_err(user)?;
    Ok(warnings
        .iter()
        .map(|w| {
            let pointer = w.pointer(&map);
            Diagnostic {
                severity: Severity::Warning,
                rule: w.rule(),
                location: spans.value(&pointer),
                pointer,
                message: w.to_string(),
                hint: Some(w.hint().to_owned()),
            }
        })
        .collect())
}

fn opt_percent(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), percent)
}

fn opt_duration(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), duration)
}

fn print_table(out: &mut impl Write, insights: &Insights) -> std::io::Result<()> {
    writeln!(
        out,
        "{} cases, {} events, {}",
        insights.cases, insights.events, insights.range
    )?;
    let rows: Vec<[String; 8]> = insights
        .stages
        .iter()
        .map(|s| {
            [
                if s.outcome {
                    format!("({})", s.stage)
                } else {
                    s.stage.clone()
                },
                s.reached.to_string(),
                opt_percent(s.conversion_from_previous),
                opt_percent(s.conversion_from_first),
                if s.dropped_share.is_some() {
                    s.dropped.to_string()
                } else {
                    "-".to_owned()
                },
                opt_percent(s.dropped_share),
                opt_duration(s.wait_median_s),
                opt_duration(s.wait_p90_s),
            ]
        })
        .collect();
    let header = [
        "stage",
        "cases",
        "from prev",
        "from first",
        "dropped",
        "share",
        "median wait",
        "p90 wait",
    ];
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", line(&header))?;
    for r in &rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    if let Some(share) = insights.conformance.follows_share {
        writeln!(
            out,
            "\n{} of {} cases follow the designed stage order ({})",
            insights.conformance.follows_designed,
            insights.conformance.cases,
            percent(share)
        )?;
    }
    if !insights.weak_points.is_empty() {
        writeln!(out, "\nweak points")?;
        for w in &insights.weak_points {
            writeln!(out, "{:>3}. {}", w.rank, w.title)?;
        }
    }
    Ok(())
}

fn print_csv(out: &mut impl Write, insights: &Insights) -> std::io::Result<()> {
    let num = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    writeln!(
        out,
        "stage,outcome,reached,touched,conversion_from_previous,conversion_from_first,dropped,dropped_share,wait_median_s,wait_p90_s"
    )?;
    for s in &insights.stages {
        let id = if s.stage.contains([',', '"', '\n']) {
            format!("\"{}\"", s.stage.replace('"', "\"\""))
        } else {
            s.stage.clone()
        };
        writeln!(
            out,
            "{id},{},{},{},{},{},{},{},{},{}",
            s.outcome,
            s.reached,
            s.touched,
            num(s.conversion_from_previous),
            num(s.conversion_from_first),
            s.dropped,
            num(s.dropped_share),
            num(s.wait_median_s),
            num(s.wait_p90_s)
        )?;
    }
    Ok(())
}

fn write_atomically(file: &Path, content: &[u8]) -> Result<(), Failure> {
    let name = file
        .file_name()
        .ok_or_else(|| user(anyhow!("{} is not a file name", file.display())))?;
    let temp = file.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = fs::File::create(&temp).and_then(|mut f| {
        f.write_all(content)?;
        f.sync_all()
    });
    if let Err(error) = written.and_then(|()| fs::rename(&temp, file)) {
        let _ = fs::remove_file(&temp);
        return Err(user(
            anyhow!(error).context(format!("cannot write {}", file.display())),
        ));
    }
    Ok(())
}
