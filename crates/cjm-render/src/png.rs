//! PNG: the SVG drawing rasterised by resvg with the bundled fonts.

use cjm_model::Map;

use crate::{RenderError, RenderOptions, render_svg, svg_tree};

/// The largest side of a PNG, in pixels.
const MAX_SIDE: f32 = 16_000.0;

/// Renders the map as a PNG at `opts.scale` pixels per drawing unit.
pub fn render_png(map: &Map, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let pixmap = rasterise(&render_svg(map, opts), opts.scale)?;
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Png(e.to_string()))
}

/// Rasterises SVG text drawn by this crate.
pub fn rasterise(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, RenderError> {
    let tree = svg_tree(svg)?;
    let size = tree.size();
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let (w, h) = (size.width() * scale, size.height() * scale);
    let too_big = RenderError::ImageSize {
        width: w as u32,
        height: h as u32,
    };
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(too_big);
    }
    let mut pixmap = tiny_skia::Pixmap::new(w.ceil() as u32, h.ceil() as u32).ok_or(too_big)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}
