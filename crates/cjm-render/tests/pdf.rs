//! PDF: A3 landscape pages, a long map split across pages, the bundled fonts embedded.

use cjm_render::{Format, paginate, render};

use crate::fixtures::{load, opts};

/// A3 landscape in points.
const A3: (f64, f64) = (1190.55, 841.89);

fn pdf_of(name: &str) -> (cjm_model::Map, Vec<u8>) {
    let map = load(name);
    let pdf = render(&map, Format::Pdf, &opts(&map)).expect("renders");
    (map, pdf)
}

/// Occurrences of a byte string.
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// The numbers of every `/MediaBox[..]` in the file (krilla writes PDF names without spaces).
fn media_boxes(pdf: &[u8]) -> Vec<Vec<f64>> {
    let text = String::from_utf8_lossy(pdf).replace("/MediaBox [", "/MediaBox[");
    text.split("/MediaBox[")
        .skip(1)
        .map(|rest| {
            let inside = rest.split(']').next().unwrap_or_default();
            inside
                .split_whitespace()
                .map(|n| n.parse::<f64>().expect("a number"))
                .collect()
        })
        .collect()
}

/// Page objects (`/Type/Page`, not `/Pages`).
fn pages(pdf: &[u8]) -> usize {
    count(pdf, b"/Type/Page") - count(pdf, b"/Type/Pages")
}

#[test]
fn a_short_map_is_one_a3_landscape_page() {
    let (_, pdf) = pdf_of("small_basic.yaml");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    assert_eq!(pages(&pdf), 1);
    let boxes = media_boxes(&pdf);
    assert_eq!(boxes.len(), 1);
    let b = &boxes[0];
    assert_eq!(b.len(), 4);
    assert!(
        (b[2] - b[0] - A3.0).abs() < 0.01 && (b[3] - b[1] - A3.1).abs() < 0.01,
        "{b:?}"
    );
}

#[test]
fn a_long_map_is_split_across_a3_pages() {
    let (map, pdf) = pdf_of("bank_ru.yaml");
    let expected = paginate(&map).len();
    assert!(expected >= 2);
    assert_eq!(pages(&pdf), expected);
    let boxes = media_boxes(&pdf);
    assert_eq!(boxes.len(), expected);
    for b in boxes {
        assert!(
            (b[2] - b[0] - A3.0).abs() < 0.01 && (b[3] - b[1] - A3.1).abs() < 0.01,
            "{b:?}"
        );
    }
}

#[test]
fn bundled_fonts_are_embedded() {
    let (_, pdf) = pdf_of("bank_zh.yaml");
    let embedded = count(&pdf, b"/FontFile2") + count(&pdf, b"/FontFile3");
    assert!(embedded >= 2, "{embedded} embedded font files");
    assert!(count(&pdf, b"NotoSans-Regular") > 0);
    assert!(count(&pdf, b"NotoSans-Bold") > 0);
    assert!(count(&pdf, b"DroidSansFallback") > 0);
    let (_, pl) = pdf_of("bank_pl.yaml");
    assert!(count(&pl, b"NotoSans-Regular") > 0);
}
