//! PDF: the map on A3 landscape pages, split by stage when it is long, with the
//! lane and stage headers repeated on every page and the fonts embedded (subset).
//!
//! krilla writes one document with many pages and embeds each font once for all of
//! them; krilla-svg draws the same usvg tree the PNG back end rasterises.

use cjm_model::Map;
use krilla::Document;
use krilla::geom::{Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::layout::paginate;
use crate::map_svg::draw;
use crate::{RenderError, RenderOptions, svg_tree};

/// A3 landscape, in points.
pub const A3_LANDSCAPE: (f32, f32) = (1190.55, 841.89);
/// Space around the drawing on a page, in points.
const PAGE_MARGIN: f32 = 20.0;

/// Renders the map as a PDF document of A3 landscape pages.
pub fn render_pdf(map: &Map, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let (page_w, page_h) = A3_LANDSCAPE;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(map.title.clone())
            .language(opts.lang.code().to_owned())
            .creator("cjm".to_owned()),
    );
    for page in paginate(map) {
        let drawing = draw(map, opts, &page, true);
        let tree = svg_tree(&drawing)?;
        let size = tree.size();
        let scale = ((page_w - 2.0 * PAGE_MARGIN) / size.width())
            .min((page_h - 2.0 * PAGE_MARGIN) / size.height());
        let settings = PageSettings::from_wh(page_w, page_h)
            .ok_or_else(|| RenderError::Pdf("invalid page size".to_owned()))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        surface.push_transform(&Transform::from_translate(PAGE_MARGIN, PAGE_MARGIN));
        let drawn_size = Size::from_wh(size.width() * scale, size.height() * scale)
            .ok_or_else(|| RenderError::Pdf("the drawing has no size".to_owned()))?;
        surface
            .draw_svg(&tree, drawn_size, SvgSettings::default())
            .ok_or_else(|| RenderError::Pdf("cannot draw the map on a page".to_owned()))?;
        surface.pop();
        surface.finish();
        pdf_page.finish();
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}
