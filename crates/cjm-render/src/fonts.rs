//! The bundled fonts: the only fonts a render uses, and text measurement with their metrics.
//!
//! Latin, Polish and Cyrillic text is set in Noto Sans; characters Noto Sans lacks
//! (Chinese, Japanese, Korean) fall back to Droid Sans Fallback. The same choice is
//! made when measuring text for wrapping and when usvg draws it, so lines fit.

use std::sync::{Arc, OnceLock};

use ttf_parser::Face;

/// The `font-family` written into SVG text: the bundled fonts, in order of preference.
pub const FONT_FAMILY: &str = "Noto Sans, Droid Sans Fallback, sans-serif";

const NOTO_SANS_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
const NOTO_SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");
const DROID_SANS_FALLBACK: &[u8] = include_bytes!("../assets/fonts/DroidSansFallbackFull.ttf");

/// The weight of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// Which bundled font draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontChoice {
    /// Noto Sans (Latin, Polish, Cyrillic, Greek), in the requested weight.
    NotoSans(Weight),
    /// Droid Sans Fallback (CJK).
    DroidSansFallback,
    /// No bundled font has the character; it would render as a box.
    Missing,
}

impl FontChoice {
    /// The bytes of the font file this choice stands for (`None` for `Missing`).
    pub fn data(self) -> Option<&'static [u8]> {
        match self {
            FontChoice::NotoSans(Weight::Regular) => Some(NOTO_SANS_REGULAR),
            FontChoice::NotoSans(Weight::Bold) => Some(NOTO_SANS_BOLD),
            FontChoice::DroidSansFallback => Some(DROID_SANS_FALLBACK),
            FontChoice::Missing => None,
        }
    }
}

struct Faces {
    regular: Face<'static>,
    bold: Face<'static>,
    cjk: Face<'static>,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        regular: parse_bundled(NOTO_SANS_REGULAR),
        bold: parse_bundled(NOTO_SANS_BOLD),
        cjk: parse_bundled(DROID_SANS_FALLBACK),
    })
}

fn parse_bundled(data: &'static [u8]) -> Face<'static> {
    // The fonts are compiled into the binary and checked by the tests.
    Face::parse(data, 0).expect("a bundled font is a valid TrueType file")
}

/// The bundled font that draws `c` in the given weight.
pub fn font_for_char(c: char, weight: Weight) -> FontChoice {
    let f = faces();
    let latin = match weight {
        Weight::Regular => &f.regular,
        Weight::Bold => &f.bold,
    };
    if c.is_whitespace() || latin.glyph_index(c).is_some() {
        FontChoice::NotoSans(weight)
    } else if f.cjk.glyph_index(c).is_some() {
        FontChoice::DroidSansFallback
    } else {
        FontChoice::Missing
    }
}

/// The advance width of `text` at `size` pixels, with the font each character falls to.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let f = faces();
    let latin = match weight {
        Weight::Regular => &f.regular,
        Weight::Bold => &f.bold,
    };
    let mut units = 0.0f32;
    for c in text.chars() {
        let (face, glyph) = match latin.glyph_index(c) {
            Some(g) => (latin, g),
            None => match f.cjk.glyph_index(c) {
                Some(g) => (&f.cjk, g),
                None => (latin, ttf_parser::GlyphId(0)),
            },
        };
        let advance = face.glyph_hor_advance(glyph).unwrap_or(0);
        units += f32::from(advance) / f32::from(face.units_per_em());
    }
    units * size
}

/// A font database holding only the bundled fonts, shared by the PNG and PDF back ends.
pub fn font_database() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for data in [NOTO_SANS_REGULAR, NOTO_SANS_BOLD, DROID_SANS_FALLBACK] {
            db.load_font_data(data.to_vec());
        }
        db.set_sans_serif_family("Noto Sans");
        Arc::new(db)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every symbol the renderer adds to a drawing has a glyph in a bundled font.
    #[test]
    fn symbols_the_renderer_adds_are_covered() {
        let missing: Vec<char> = "×·—…«»„“”–"
            .chars()
            .filter(|c| font_for_char(*c, Weight::Bold) == FontChoice::Missing)
            .collect();
        assert_eq!(missing, Vec::<char>::new());
    }
}
