//! CLI verb: `render`, a map file to SVG, PNG, PDF, HTML, Markdown, CSV or Mermaid,
//! the format chosen by the output file's extension.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, anyhow};
use cjm_render::{Format, Lang, RenderOptions};

use crate::{Failure, user};

/// Arguments of `cjm render`.
#[derive(clap::Args)]
pub struct RenderArgs {
    /// The map file: .yaml, .yml, .json, .mmd (Mermaid journey) or .csv.
    file: PathBuf,
    /// The output file; its extension picks the format: svg, png, pdf, html, md, csv, mmd.
    #[arg(long, short)]
    output: PathBuf,
    /// The language of the labels the renderer adds: en, ru, zh or pl (default: the map's `lang`).
    #[arg(long)]
    lang: Option<String>,
    /// PNG pixels per drawing unit (2 for a sharper, larger image).
    #[arg(long, default_value_t = 1.0)]
    scale: f32,
}

/// What `render` writes.
enum Output {
    Drawing(Format),
    Csv,
    Mermaid,
}

fn output_kind(extension: Option<&str>) -> Option<Output> {
    match extension? {
        "csv" => Some(Output::Csv),
        "mmd" => Some(Output::Mermaid),
        other => Format::from_extension(other).map(Output::Drawing),
    }
}

/// Runs `cjm render`: loads the map and writes it in the format the output's extension names.
pub fn render(args: RenderArgs) -> Result<(), Failure> {
    let out_path = args.output.display().to_string();
    let extension = cjm_model::extension(&out_path);
    let Some(kind) = output_kind(extension.as_deref()) else {
        return Err(user(anyhow!(
            "{out_path}: cannot tell the format from the extension {}\n\
             hint: end the output name with .svg, .png, .pdf, .html, .md, .csv or .mmd",
            extension
                .map(|e| format!("`.{e}`"))
                .unwrap_or_else(|| "(none)".to_owned())
        )));
    };
    if !(args.scale.is_finite() && args.scale > 0.0 && args.scale <= 8.0) {
        return Err(user(anyhow!(
            "--scale {}: expected a number above 0 and at most 8",
            args.scale
        )));
    }
    let lang = match &args.lang {
        Some(code) => Some(
            Lang::from_code(code)
                .ok_or_else(|| user(anyhow!("--lang {code}: expected one of en, ru, zh, pl")))?,
        ),
        None => None,
    };

    let in_path = args.file.display().to_string();
    let bytes = fs::read(&args.file)
        .with_context(|| format!("cannot read {in_path}"))
        .map_err(user)?;
    let text = cjm_model::decode_utf8(&bytes, &in_path).map_err(user)?;
    let map = cjm_model::load_any(text, &in_path).map_err(user)?;

    let content = match kind {
        Output::Csv => cjm_model::to_csv(&map).into_bytes(),
        Output::Mermaid => cjm_model::to_mermaid(&map).into_bytes(),
        Output::Drawing(format) => {
            let mut opts = RenderOptions::for_map(&map);
            if let Some(lang) = lang {
                opts.lang = lang;
            }
            opts.scale = args.scale;
            cjm_render::render(&map, format, &opts).map_err(|e| match e {
                cjm_render::RenderError::ImageSize { .. } => user(e),
                other => Failure::Internal(other.into()),
            })?
        }
    };
    fs::write(&args.output, &content)
        .with_context(|| format!("cannot write {out_path}"))
        .map_err(user)?;
    eprintln!("wrote {out_path} ({} bytes)", content.len());
    Ok(())
}
