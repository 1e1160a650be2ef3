//! Integration tests of cjm-render: SVG snapshots, glyph coverage of PNG renders,
//! PDF pages and fonts, the self-contained HTML page and the Markdown report.

mod fixtures;
mod html;
mod markdown;
mod pdf;
mod png;
mod svg;
