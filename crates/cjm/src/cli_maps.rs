//! CLI verbs on map files: `new`, `check`, `fmt` and `schema`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use cjm_model::{Diagnostic, Location, Severity, templates};

use crate::{Failure, user};

/// Arguments of `cjm new`.
#[derive(clap::Args)]
pub struct NewArgs {
    /// The map file to write (`.yaml`, or `.json` for JSON).
    file: PathBuf,
    /// The template: saas, agency, machinery, shop, restaurant, bank, blueprint.
    #[arg(long, short)]
    template: String,
    /// The language of the map's text: en, ru, zh or pl.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Overwrite the file if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `cjm new`: writes a template map to a file.
pub fn new(args: NewArgs) -> Result<(), Failure> {
    let text = templates::template(&args.template, &args.lang).map_err(user)?;
    if args.file.exists() && !args.force {
        return Err(user(anyhow!(
            "{} already exists; pass --force to overwrite it",
            args.file.display()
        )));
    }
    let path = args.file.display().to_string();
    let content = if cjm_model::extension(&path).as_deref() == Some("json") {
        let map =
            cjm_model::parse_map(text, &args.template).map_err(|e| Failure::Internal(e.into()))?;
        cjm_model::to_json(&map)
    } else {
        text.to_owned()
    };
    write_atomically(&args.file, &content)?;
    eprintln!(
        "wrote {path} from template {} ({})",
        args.template, args.lang
    );
    Ok(())
}

/// How `cjm check` prints its findings.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CheckFormat {
    /// `file:line:col: error: message` lines with hints, then a summary.
    Text,
    /// One JSON array of findings.
    Json,
}

/// Arguments of `cjm check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Map files: .yaml, .yml, .json, .mmd (Mermaid journey) or .csv.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Treat warnings (rules of the method) as errors.
    #[arg(long)]
    strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// Also hold the maps' event rules against this journey store: rules that match
    /// nothing, events no rule matches, events claimed by two stages.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

/// Runs `cjm check`: validates each file; exits 1 when any has an error.
pub fn check(args: CheckArgs) -> Result<(), Failure> {
    let mut findings: Vec<(String, Diagnostic)> = Vec::new();
    for file in &args.files {
        let path = file.display().to_string();
        let store_findings = crate::cli_build::store_findings(file, &path, args.store.as_deref())?;
        for mut diagnostic in check_file(file, &path).into_iter().chain(store_findings) {
            if args.strict {
                diagnostic.severity = Severity::Error;
            }
            findings.push((path.clone(), diagnostic));
        }
    }
    let errors = findings
        .iter()
        .filter(|(_, d)| d.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let mut out = std::io::stdout().lock();
    match args.format {
        CheckFormat::Text => {
            for (path, diagnostic) in &findings {
                writeln!(out, "{}", diagnostic.display(path))?;
            }
            writeln!(
                out,
                "{} file{} checked: {errors} error{}, {warnings} warning{}",
                args.files.len(),
                plural(args.files.len()),
                plural(errors),
                plural(warnings)
            )?;
        }
        CheckFormat::Json => {
            let json: Vec<serde_json::Value> = findings
                .iter()
                .map(|(path, d)| finding_json(path, d))
                .collect();
            let text = serde_json::to_string_pretty(&json).context("writing findings as JSON")?;
            writeln!(out, "{text}")?;
        }
    }
    out.flush()?;
    if errors > 0 {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

fn check_file(file: &Path, path: &str) -> Vec<Diagnostic> {
    let bytes = match fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            return vec![
                cjm_model::LoadError::new(
                    path,
                    Location::File,
                    format!("cannot read the file: {error}"),
                )
                .into(),
            ];
        }
    };
    match cjm_model::decode_utf8(&bytes, path) {
        Ok(text) => cjm_model::check_source(text, path),
        Err(error) => vec![error.into()],
    }
}

fn finding_json(path: &str, d: &Diagnostic) -> serde_json::Value {
    let (line, column, byte) = match d.location {
        Location::At { line, column } => (Some(line), Some(column), None),
        Location::Byte(byte) => (None, None, Some(byte)),
        Location::File => (None, None, None),
    };
    serde_json::json!({
        "file": path,
        "line": line,
        "column": column,
        "byte": byte,
        "severity": d.severity.to_string(),
        "rule": d.rule,
        "pointer": d.pointer,
        "message": d.message,
        "hint": d.hint,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Arguments of `cjm fmt`.
#[derive(clap::Args)]
pub struct FmtArgs {
    /// Map files to rewrite (.yaml, .yml or .json).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Change nothing; exit 1 if a file is not in canonical form.
    #[arg(long)]
    check: bool,
}

/// Runs `cjm fmt`: rewrites each file in canonical form (YAML stays YAML, JSON stays JSON).
pub fn fmt(args: FmtArgs) -> Result<(), Failure> {
    let mut failed = false;
    for file in &args.files {
        let path = file.display().to_string();
        match canonical_form(file, &path) {
            Err(message) => {
                eprintln!("{message}");
                failed = true;
            }
            Ok((old, new)) if old == new => {}
            Ok(_) if args.check => {
                println!("{path}: not in canonical form");
                failed = true;
            }
            Ok((_, new)) => {
                write_atomically(file, &new)?;
                eprintln!("formatted {path}");
            }
        }
    }
    if failed {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

/// The file's text and its canonical form, or why it cannot be formatted.
fn canonical_form(file: &Path, path: &str) -> Result<(String, String), String> {
    if matches!(
        cjm_model::extension(path).as_deref(),
        Some("mmd" | "mermaid" | "csv")
    ) {
        return Err(format!(
            "{path}: fmt rewrites YAML and JSON map files only\n  hint: Mermaid and CSV files can be validated with `cjm check`"
        ));
    }
    let bytes = fs::read(file).map_err(|e| format!("{path}: cannot read the file: {e}"))?;
    let text = cjm_model::decode_utf8(&bytes, path).map_err(|e| e.to_string())?;
    let mut map = cjm_model::parse_map(text, path).map_err(|e| e.to_string())?;
    cjm_model::normalize(&mut map);
    Ok((text.to_owned(), cjm_model::to_canonical(&map, path)))
}

/// Writes a file through a temporary file in the same directory and a rename, so a
/// crash leaves either the old content or the new, never half of it.
fn write_atomically(file: &Path, content: &str) -> Result<(), Failure> {
    let name = file
        .file_name()
        .ok_or_else(|| user(anyhow!("{} is not a file name", file.display())))?;
    let temp = file.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = fs::File::create(&temp).and_then(|mut f| {
        f.write_all(content.as_bytes())?;
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

/// Arguments of `cjm schema`.
#[derive(clap::Args)]
pub struct SchemaArgs {}

/// Runs `cjm schema`: prints the JSON Schema of the map file format.
pub fn schema(_args: SchemaArgs) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(cjm_model::json_schema().as_bytes())?;
    out.flush()?;
    Ok(())
}
