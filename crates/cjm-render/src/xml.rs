//! Writing SVG text: escaping of user text and a small element writer.

use std::fmt::Write;

use crate::fonts::{FONT_FAMILY, Weight};
use crate::wrap::Font;

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c as u32, 0xFFFE | 0xFFFF) => {}
            c => out.push(c),
        }
    }
    out
}

/// A number for SVG output: at most one decimal, no trailing `.0`, never `-0`.
pub fn num(value: f32) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 || !rounded.is_finite() {
        "0".to_owned()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// How a text element is anchored at its x coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
}

/// An SVG document being written, element by element.
#[derive(Debug, Default)]
pub struct SvgWriter {
    out: String,
}

impl SvgWriter {
    /// Appends markup as it is (the caller has escaped any user text in it).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Opens a group with the given attributes (already escaped).
    pub fn open_group(&mut self, attrs: &str) {
        if attrs.is_empty() {
            self.out.push_str("<g>");
        } else {
            let _ = write!(self.out, "<g {attrs}>");
        }
    }

    /// Closes the innermost group.
    pub fn close_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// A tooltip for the enclosing group: the first child of a group.
    pub fn title(&mut self, text: &str) {
        let _ = write!(self.out, "<title>{}</title>", escape(text));
    }

    /// A rectangle; `style` holds fill, stroke and other attributes (already escaped).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, rx: f32, style: &str) {
        let _ = writeln!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" {style}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            num(rx)
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, style: &str) {
        let _ = writeln!(
            self.out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {style}/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, style: &str) {
        let _ = writeln!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" {style}/>"#,
            num(cx),
            num(cy),
            num(r)
        );
    }

    /// A path with the given data.
    pub fn path(&mut self, d: &str, style: &str) {
        let _ = writeln!(self.out, r#"<path d="{d}" {style}/>"#);
    }

    /// One line of text with its baseline at `y`.
    pub fn text(&mut self, x: f32, y: f32, font: Font, fill: &str, anchor: Anchor, text: &str) {
        self.text_styled(x, y, font, fill, anchor, "", text);
    }

    /// One line of text with extra attributes (such as `font-style="italic"`).
    #[allow(clippy::too_many_arguments)]
    pub fn text_styled(
        &mut self,
        x: f32,
        y: f32,
        font: Font,
        fill: &str,
        anchor: Anchor,
        extra: &str,
        text: &str,
    ) {
        let weight = match font.weight {
            Weight::Regular => "",
            Weight::Bold => r#" font-weight="bold""#,
        };
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
        };
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" {extra}")
        };
        let _ = writeln!(
            self.out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{fill}"{weight}{anchor}{extra}>{}</text>"#,
            num(x),
            num(y),
            num(font.size),
            escape(text)
        );
    }

    /// The markup written so far, for placing it inside another drawing.
    pub fn into_markup(self) -> String {
        self.out
    }

    /// Wraps the body in an `<svg>` root of the given size, with a title and a white background.
    pub fn finish(self, width: f32, height: f32, with_namespace: bool, title: &str) -> String {
        let ns = if with_namespace {
            r#" xmlns="http://www.w3.org/2000/svg""#
        } else {
            ""
        };
        format!(
            "<svg{ns} width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" role=\"img\">\n<title>{title}</title>\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{body}</svg>\n",
            w = num(width),
            h = num(height),
            body = self.out,
            title = escape(title)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("<script>&\"']]>\u{0}\u{1b}ok\n"),
            "&lt;script&gt;&amp;&quot;&apos;]]&gt;ok\n"
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.01), "0");
    }
}
