//! PNG renders: Russian, Polish and Chinese text is drawn with real glyphs of the
//! bundled font the renderer selects (no boxes), and the pixels are really there.

use cjm_render::fonts::{FontChoice, Weight, font_for_char};
use cjm_render::{Format, Lang, render, render_svg, svg_tree};

use crate::fixtures::{load, opts_in};

const SAMPLES: [(Lang, &str); 3] = [
    (Lang::Ru, "Съешь же ещё этих мягких французских булок"),
    (Lang::Pl, "Zażółć gęślą jaźń ąęłńóśźż ĄĘŁŃÓŚŹŻ"),
    (Lang::Zh, "我能吞下玻璃而不伤身体，开户需要身份证。"),
];

/// A one-step map whose only action card holds `text`.
fn map_with(text: &str, lang: Lang) -> cjm_model::Map {
    let yaml = format!(
        "cjm: 1\nid: glyphs\ntitle: T\nlang: {}\nstages:\n  - id: s\n    name: S\n    steps:\n      - {{id: st, name: St}}\nlanes:\n  - id: a\n    kind: actions\n    cells:\n      - {{id: c, step: st, text: \"{text}\"}}\n",
        lang.code()
    );
    cjm_model::parse_map(&yaml, "glyphs.yaml").expect("valid map")
}

fn family(choice: FontChoice) -> &'static str {
    match choice {
        FontChoice::NotoSans(_) => "Noto Sans",
        FontChoice::DroidSansFallback => "Droid Sans Fallback",
        FontChoice::Missing => "none",
    }
}

/// The text nodes of a tree with their text and absolute bounding boxes.
fn text_nodes(group: &usvg::Group, out: &mut Vec<(String, usvg::Text)>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => text_nodes(g, out),
            usvg::Node::Text(t) => {
                let text: String = t.chunks().iter().map(|c| c.text()).collect();
                out.push((text, (**t).clone()));
            }
            _ => {}
        }
    }
}

#[test]
fn every_character_has_a_glyph_in_the_selected_font() {
    for (lang, text) in SAMPLES {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            let choice = font_for_char(c, Weight::Regular);
            let data = choice.data().unwrap_or_else(|| panic!("{c:?} has no font"));
            let face = ttf_parser::Face::parse(data, 0).expect("bundled font parses");
            assert!(face.glyph_index(c).is_some(), "{lang:?} {c:?}");
            let expected = if lang == Lang::Zh {
                "Droid Sans Fallback"
            } else {
                "Noto Sans"
            };
            if c.is_alphabetic() {
                assert_eq!(family(choice), expected, "{c:?}");
            }
        }
    }
}

#[test]
fn rendered_text_uses_real_glyphs_of_the_selected_font_and_shows_pixels() {
    for (lang, text) in SAMPLES {
        let map = map_with(text, lang);
        let opts = opts_in(lang);
        let tree = svg_tree(&render_svg(&map, &opts)).expect("valid SVG");
        let mut nodes = Vec::new();
        text_nodes(tree.root(), &mut nodes);
        // The card wraps the sample over several text lines; together they hold all of it.
        let lines: Vec<&(String, usvg::Text)> = nodes
            .iter()
            .filter(|(t, _)| !t.trim().is_empty() && text.contains(t.trim()))
            .filter(|(t, _)| t.chars().count() > 3)
            .collect();
        let joined: String = lines.iter().map(|(t, _)| t.as_str()).collect();
        let non_space = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(non_space(&joined), non_space(text), "{lang:?}");

        let png = render(&map, cjm_render::Format::Png, &opts).expect("png renders");
        let pixmap = tiny_skia::Pixmap::decode_png(&png).expect("decodes");
        for (line, node) in lines {
            for span in node.layouted() {
                for glyph in &span.positioned_glyphs {
                    assert_ne!(
                        glyph.id.0, 0,
                        "{lang:?}: .notdef (a box) for {:?}",
                        glyph.text
                    );
                    let face = tree.fontdb().face(glyph.font).expect("font of glyph");
                    let c = glyph.text.chars().next().unwrap_or(' ');
                    let want = family(font_for_char(c, Weight::Regular));
                    assert!(
                        face.families.iter().any(|(name, _)| name == want),
                        "{lang:?} {c:?}: drawn with {:?}, selected {want}",
                        face.families
                    );
                }
            }
            let bbox = node.abs_bounding_box();
            let dark = dark_pixels(
                &pixmap,
                bbox.left(),
                bbox.top(),
                bbox.right(),
                bbox.bottom(),
            );
            let area = (bbox.width() * bbox.height()).max(1.0);
            assert!(
                dark as f32 > area * 0.03,
                "{lang:?} {line:?}: {dark} dark pixels in {area} px²"
            );
        }
    }
}

/// Pixels darker than mid-grey inside a rectangle of the image.
fn dark_pixels(pixmap: &tiny_skia::Pixmap, left: f32, top: f32, right: f32, bottom: f32) -> usize {
    let (x0, y0) = (left.floor().max(0.0) as u32, top.floor().max(0.0) as u32);
    let x1 = (right.ceil() as u32).min(pixmap.width());
    let y1 = (bottom.ceil() as u32).min(pixmap.height());
    let mut count = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            if let Some(p) = pixmap.pixel(x, y) {
                let luma =
                    0.299 * p.red() as f32 + 0.587 * p.green() as f32 + 0.114 * p.blue() as f32;
                if p.alpha() > 0 && luma < 128.0 {
                    count += 1;
                }
            }
        }
    }
    count
}

#[test]
fn a_realistic_map_renders_in_each_language() {
    for name in ["bank_ru.yaml", "bank_zh.yaml", "bank_pl.yaml"] {
        let map = load(name);
        let png = render(&map, Format::Png, &crate::fixtures::opts(&map)).expect("png renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let pixmap = tiny_skia::Pixmap::decode_png(&png).expect("decodes");
        assert!(pixmap.width() > 2500 && pixmap.height() > 1200, "{name}");
    }
}

#[test]
fn scale_sets_the_pixel_ratio() {
    let map = map_with("x", Lang::En);
    let one =
        tiny_skia::Pixmap::decode_png(&render(&map, Format::Png, &opts_in(Lang::En)).expect("png"))
            .expect("decodes");
    let opts = cjm_render::RenderOptions {
        scale: 2.0,
        ..opts_in(Lang::En)
    };
    let two = tiny_skia::Pixmap::decode_png(&render(&map, Format::Png, &opts).expect("png"))
        .expect("decodes");
    assert_eq!(two.width(), one.width() * 2);
}
