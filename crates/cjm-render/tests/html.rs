//! The HTML page: self-contained, with the inline SVG, evidence on hover and in a
//! table, a print stylesheet, and user text escaped.

use cjm_render::{Format, render};

use crate::fixtures::{load, opts};

fn html_of(name: &str) -> String {
    let map = load(name);
    String::from_utf8(render(&map, Format::Html, &opts(&map)).expect("renders")).expect("UTF-8")
}

#[test]
fn page_is_self_contained() {
    for name in ["small_basic.yaml", "bank_zh.yaml", "payload.yaml"] {
        let html = html_of(name);
        // The only web address is the one the payload map's own text holds.
        let without_user_text = html.replace("https://example.org/help", "");
        assert!(!without_user_text.contains("http://"), "{name}");
        assert!(!without_user_text.contains("https://"), "{name}");
        // Attribute values from user text are escaped, so a real `src="` is ours.
        for external in ["<link", "<script", "src=\"", "href=\"", "@import", "url("] {
            assert!(!without_user_text.contains(external), "{name}: {external}");
        }
    }
}

#[test]
fn page_holds_the_svg_styles_and_print_rules() {
    let html = html_of("bank_zh.yaml");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<svg width="));
    assert!(html.contains("</svg>"));
    assert!(html.contains("<style>"));
    assert!(html.contains("@media print"));
    assert!(html.contains("size: A3 landscape"));
}

#[test]
fn evidence_of_each_cell_is_on_hover_and_in_the_table() {
    let html = html_of("small_basic.yaml");
    assert!(html.contains("<g class=\"cell measured\""));
    assert!(html.contains("<g class=\"cell observed\""));
    assert!(html.contains("<g class=\"cell assumed\""));
    assert!(html.contains("Evidence: measured: query: cjm funnel --steps pay; 1200 cases</title>"));
    assert!(html.contains(
        "<td class=\"kind-measured\">measured: query: cjm funnel --steps pay; 1200 cases</td>"
    ));
    assert!(html.contains("<td>Order / Pays</td><td>Actions</td><td>Pays with a saved card</td>"));
}

#[test]
fn user_text_is_escaped() {
    let html = html_of("payload.yaml");
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("]]>"));
    assert!(html.contains("<title>&lt;script&gt;alert(&apos;t&apos;)&lt;/script&gt; &amp; &quot;quotes&quot; ]]&gt;</title>"));
}
