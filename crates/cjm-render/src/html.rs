//! HTML: one self-contained page (inline SVG and CSS, no external requests) with
//! each cell's evidence on hover, an evidence table, and a print stylesheet for A3.

use std::fmt::Write;

use crate::RenderOptions;
use crate::cells::tooltip;
use crate::context::Context;
use crate::labels::labels;
use crate::layout::Page;
use crate::listing::cells;
use crate::map_svg::{draw, lane_title};
use crate::xml::escape;
use cjm_model::Map;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { margin: 0; font-family: "Noto Sans", "Droid Sans Fallback", system-ui, sans-serif; color: #1f2328; background: #f6f8fa; }
main { padding: 16px; }
.map { overflow-x: auto; background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; }
.map svg { display: block; }
.map g.cell { cursor: help; }
.map g.cell:hover > rect:first-of-type, .map g.cell:focus > rect:first-of-type { stroke-width: 3; filter: drop-shadow(0 1px 3px rgba(0,0,0,.25)); }
.evidence { margin-top: 24px; }
.evidence h2 { font-size: 18px; }
.evidence table { border-collapse: collapse; font-size: 13px; background: #ffffff; }
.evidence th, .evidence td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
.evidence th { background: #f3f4f6; }
.evidence td.kind-measured { color: #0b5394; font-weight: bold; }
.evidence td.kind-assumed { font-style: italic; }
@page { size: A3 landscape; margin: 10mm; }
@media print {
  body { background: #ffffff; }
  main { padding: 0; }
  .map { border: none; overflow: visible; }
  .map svg { width: 100%; height: auto; }
  .evidence { break-before: page; }
  .evidence tr { break-inside: avoid; }
}
"#;

/// Renders the map as a self-contained HTML page.
pub fn render_html(map: &Map, opts: &RenderOptions) -> String {
    let l = labels(opts.lang);
    let ctx = Context::new(map, l);
    let drawing = draw(map, opts, &Page::whole(map), false);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        opts.lang.code(),
        escape(&map.title)
    );
    let _ = write!(out, "<div class=\"map\">\n{}</div>\n", drawing);
    let _ = write!(
        out,
        "<section class=\"evidence\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{} / {}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        escape(l.evidence),
        escape(l.stage),
        escape(l.step),
        escape(l.lane),
        escape(l.value),
        escape(l.evidence)
    );
    for placed in cells(map) {
        let class = match &placed.cell.evidence {
            Some(cjm_model::Evidence::Measured { .. }) => "kind-measured",
            Some(cjm_model::Evidence::Observed { .. }) => "kind-observed",
            Some(cjm_model::Evidence::Assumed { .. }) => "kind-assumed",
            None => "kind-none",
        };
        let content = tooltip(placed.lane.kind, placed.cell, &ctx);
        let lines: Vec<&str> = content.lines().collect();
        let content = lines[..lines.len().saturating_sub(1)].join(" · ");
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td></tr>",
            escape(&placed.location(map, l.whole_stage)),
            escape(lane_title(placed.lane, l)),
            escape(&content),
            escape(&l.describe_evidence(placed.cell.evidence.as_ref()))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n</main>\n</body>\n</html>\n");
    out
}
