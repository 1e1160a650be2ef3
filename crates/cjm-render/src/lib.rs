//! Renders journey maps to SVG, PNG, PDF, HTML and Markdown.
//!
//! The SVG drawing is the base of every format: PNG rasterises it with resvg, PDF
//! places it on A3 landscape pages with krilla, HTML inlines it. Text is measured and
//! drawn with the bundled fonts only, so output is the same on every machine.
//!
//! Invariant: this crate computes no analytics; it draws what the map holds.

mod block;
mod cells;
mod channels;
mod context;
mod emotions;
pub mod fonts;
mod html;
mod labels;
mod layout;
mod listing;
mod map_svg;
mod markdown;
mod pdf;
mod persona;
mod png;
mod theme;
pub mod wrap;
mod xml;

use cjm_model::Map;

pub use labels::{Labels, Lang, labels};
pub use layout::{Page, paginate};
pub use xml::escape;

/// An output format of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Svg,
    Png,
    Pdf,
    Html,
    Markdown,
}

impl Format {
    /// The format for a file extension (`svg`, `png`, `pdf`, `html`/`htm`, `md`/`markdown`), any case.
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            "pdf" => Some(Format::Pdf),
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// How to render.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// The language of the labels the renderer adds (content is shown as written).
    pub lang: Lang,
    /// PNG pixels per drawing unit (1.0 draws a 200-pixel-wide step column).
    pub scale: f32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            lang: Lang::En,
            scale: 1.0,
        }
    }
}

impl RenderOptions {
    /// Options with the map's own label language (English when it names none we ship).
    pub fn for_map(map: &Map) -> Self {
        RenderOptions {
            lang: Lang::from_code(&map.lang).unwrap_or_default(),
            ..RenderOptions::default()
        }
    }
}

/// Why a render failed. Every map can be drawn; these are failures of the back ends.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The drawing could not be read back as SVG (a bug in the drawing code).
    #[error("the map drawing is not valid SVG: {0}")]
    Svg(String),
    /// The PNG would be empty or too large to allocate.
    #[error("cannot allocate a {width}×{height} pixel image; lower the scale")]
    ImageSize { width: u32, height: u32 },
    /// PNG encoding failed.
    #[error("cannot encode the PNG: {0}")]
    Png(String),
    /// PDF writing failed.
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}

/// Renders a map in a format.
pub fn render(map: &Map, format: Format, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Svg => Ok(render_svg(map, opts).into_bytes()),
        Format::Png => png::render_png(map, opts),
        Format::Pdf => pdf::render_pdf(map, opts),
        Format::Html => Ok(html::render_html(map, opts).into_bytes()),
        Format::Markdown => Ok(markdown::render_markdown(map, opts).into_bytes()),
    }
}

/// The whole map as one standalone SVG document.
pub fn render_svg(map: &Map, opts: &RenderOptions) -> String {
    map_svg::draw(map, opts, &Page::whole(map), true)
}

/// One page of the map (as the PDF splits it) as a standalone SVG document.
pub fn render_svg_page(map: &Map, opts: &RenderOptions, page: &Page) -> String {
    map_svg::draw(map, opts, page, true)
}

/// Parses SVG text drawn by this crate into a usvg tree, laying out its text with the
/// bundled fonts only (what the PNG and PDF back ends draw, and what tests inspect).
pub fn svg_tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    let options = usvg::Options {
        fontdb: fonts::font_database(),
        font_family: "Noto Sans".to_owned(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| RenderError::Svg(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(Format::from_extension("SVG"), Some(Format::Svg));
        assert_eq!(Format::from_extension("png"), Some(Format::Png));
        assert_eq!(Format::from_extension("pdf"), Some(Format::Pdf));
        assert_eq!(Format::from_extension("htm"), Some(Format::Html));
        assert_eq!(Format::from_extension("md"), Some(Format::Markdown));
        assert_eq!(Format::from_extension("csv"), None);
    }

    #[test]
    fn languages_come_from_codes() {
        assert_eq!(Lang::from_code("pl-PL"), Some(Lang::Pl));
        assert_eq!(Lang::from_code("zh_CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_code("de"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}
