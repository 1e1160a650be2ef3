//! A block: a piece of drawing in its own coordinates, with its measured height,
//! placed later with a translation. Also the badges (pills) that cards share.

use crate::theme::channel_icon;
use crate::wrap::Font;
use crate::xml::{Anchor, SvgWriter, escape, num};

/// Markup drawn at the origin, `h` pixels tall.
#[derive(Debug, Default)]
pub struct Block {
    pub markup: String,
    pub h: f32,
}

impl Block {
    /// Writes the block with its top-left corner at (x, y).
    pub fn place(&self, svg: &mut SvgWriter, x: f32, y: f32) {
        svg.raw(&format!(
            "<g transform=\"translate({} {})\">\n{}</g>\n",
            num(x),
            num(y),
            self.markup
        ));
    }

    /// Writes the block at (x, y) inside a group with a tooltip and a class.
    pub fn place_with_title(&self, svg: &mut SvgWriter, x: f32, y: f32, class: &str, title: &str) {
        svg.raw(&format!(
            "<g class=\"{}\" transform=\"translate({} {})\"><title>{}</title>\n{}</g>\n",
            escape(class),
            num(x),
            num(y),
            escape(title),
            self.markup
        ));
    }
}

/// A small rounded label: a number, a level, a channel, an evidence tag.
#[derive(Debug, Clone)]
pub struct Badge {
    pub text: String,
    /// Background colour, or `None` for an outlined badge.
    pub fill: Option<&'static str>,
    /// Text and outline colour.
    pub ink: &'static str,
    /// A channel whose glyph is drawn before the text.
    pub channel_icon: bool,
}

/// The font of badge text.
pub const BADGE_FONT: Font = Font::bold(10.0);
/// The height of a badge.
pub const BADGE_H: f32 = 16.0;
const BADGE_GAP: f32 = 4.0;

impl Badge {
    /// A filled badge with white text.
    pub fn solid(text: impl Into<String>, fill: &'static str) -> Self {
        Badge {
            text: text.into(),
            fill: Some(fill),
            ink: "#ffffff",
            channel_icon: false,
        }
    }

    /// An outlined badge in a colour.
    pub fn outline(text: impl Into<String>, ink: &'static str) -> Self {
        Badge {
            text: text.into(),
            fill: None,
            ink,
            channel_icon: false,
        }
    }

    fn width(&self, max: f32) -> f32 {
        let icon = if self.channel_icon { 14.0 } else { 0.0 };
        (BADGE_FONT.width(&self.text) + 11.0 + icon).min(max)
    }

    fn draw(&self, svg: &mut SvgWriter, x: f32, y: f32, w: f32) {
        match self.fill {
            Some(fill) => svg.rect(x, y, w, BADGE_H, 8.0, &format!(r#"fill="{fill}""#)),
            None => svg.rect(
                x + 0.5,
                y + 0.5,
                w - 1.0,
                BADGE_H - 1.0,
                7.5,
                &format!(r##"fill="#ffffff" stroke="{}" stroke-width="1""##, self.ink),
            ),
        }
        let mut tx = x + 5.0;
        if self.channel_icon {
            channel_icon(svg, &self.text, tx, y + 2.0, self.ink);
            tx += 14.0;
        }
        let room = x + w - 5.0 - tx;
        let text = crate::wrap::wrap(&self.text, BADGE_FONT, room, 1);
        let line = text.lines.first().cloned().unwrap_or_default();
        svg.text(tx, y + 11.5, BADGE_FONT, self.ink, Anchor::Start, &line);
    }
}

/// Draws badges left to right from (x, y), wrapping within `width`; returns the height used.
pub fn badge_rows(svg: &mut SvgWriter, badges: &[Badge], x: f32, y: f32, width: f32) -> f32 {
    if badges.is_empty() {
        return 0.0;
    }
    let (mut cx, mut cy) = (x, y);
    for badge in badges {
        let w = badge.width(width);
        if cx > x && cx + w > x + width {
            cx = x;
            cy += BADGE_H + BADGE_GAP;
        }
        badge.draw(svg, cx, cy, w);
        cx += w + BADGE_GAP;
    }
    cy + BADGE_H - y
}
