//! The emotion lane: a curve through the scores of the steps, with labelled points,
//! a dashed neutral line and the scale's bounds.

use cjm_model::{Lane, Level};

use crate::block::Block;
use crate::cells::{signed, tooltip};
use crate::context::Context;
use crate::layout::Columns;
use crate::theme::{INK, MUTED, emotion_colour, kind_style};
use crate::wrap::{Font, wrap};
use crate::xml::{Anchor, SvgWriter, num};

/// The height of an emotion lane.
const LANE_H: f32 = 176.0;
/// The height of the emotion lane of an emotion-focused map, where the curve is the centre.
const EMPHASIZED_LANE_H: f32 = 260.0;
/// Room above and below the curve for point labels.
const LABEL_ROOM: f32 = 40.0;
const LABEL: Font = Font::regular(11.0);
const SCORE: Font = Font::bold(11.0);
/// A white outline behind text, so labels stay readable where the curve crosses them.
const HALO: &str =
    r##"stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##;

/// A point of the curve.
struct Point<'a> {
    x: f32,
    y: f32,
    t: f32,
    cell: &'a cjm_model::Cell,
    span_w: f32,
}

/// Draws the emotion lane's content, `width` wide, at the origin.
pub fn emotion_lane(lane: &Lane, columns: &Columns, ctx: &Context) -> Block {
    let mut svg = SvgWriter::default();
    let width = columns.width();
    let (min, max) = (ctx.scale.min as f32, ctx.scale.max as f32);
    let range = if max > min { max - min } else { 1.0 };
    let lane_h = if ctx.map_type == cjm_model::MapType::Emotion {
        EMPHASIZED_LANE_H
    } else {
        LANE_H
    };
    let top = LABEL_ROOM;
    let bottom = lane_h - LABEL_ROOM;
    let y_of = |score: f32| bottom - (score.clamp(min, max) - min) / range * (bottom - top);

    // Scale: bounds, and the neutral line at 0 (or the middle when 0 is off the scale).
    let neutral = if min <= 0.0 && max >= 0.0 {
        0.0
    } else {
        min + range / 2.0
    };
    for (value, y) in [(max, y_of(max)), (min, y_of(min))] {
        svg.line(0.0, y, width, y, r##"stroke="#e1e4e8" stroke-width="1""##);
        svg.text(
            4.0,
            y - 3.0,
            Font::regular(9.5),
            MUTED,
            Anchor::Start,
            &signed(value as f64),
        );
    }
    let ny = y_of(neutral);
    svg.line(
        0.0,
        ny,
        width,
        ny,
        r##"stroke="#8c959f" stroke-width="1" stroke-dasharray="5 4""##,
    );
    svg.text_styled(
        4.0,
        ny - 3.0,
        Font::regular(9.5),
        MUTED,
        Anchor::Start,
        HALO,
        &format!("{} ({})", ctx.labels.neutral, signed(neutral as f64)),
    );

    let mut points: Vec<Point> = lane
        .cells
        .iter()
        .filter_map(|cell| {
            let score = cell.score?;
            let (x, w) = columns.span(cell)?;
            let score = score as f32;
            Some(Point {
                x: x + w / 2.0,
                y: y_of(score),
                t: ((score.clamp(min, max) - min) / range),
                cell,
                span_w: w,
            })
        })
        .collect();
    points.sort_by(|a, b| a.x.total_cmp(&b.x));

    if points.len() >= 2 {
        let mut d = format!("M{} {}", num(points[0].x), num(points[0].y));
        for pair in points.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let mid = (a.x + b.x) / 2.0;
            d.push_str(&format!(
                " C{} {} {} {} {} {}",
                num(mid),
                num(a.y),
                num(mid),
                num(b.y),
                num(b.x),
                num(b.y)
            ));
        }
        let accent = kind_style(cjm_model::LaneKind::Emotions).accent;
        svg.path(
            &d,
            &format!(r#"fill="none" stroke="{accent}" stroke-width="2.5" stroke-linecap="round""#),
        );
    }

    for p in &points {
        let colour = emotion_colour(p.t);
        let r = match p.cell.importance {
            Some(Level::High) => 9.0,
            Some(Level::Medium) => 7.5,
            _ => 6.5,
        };
        svg.open_group(r#"class="cell emotion""#);
        svg.title(&tooltip(cjm_model::LaneKind::Emotions, p.cell, ctx));
        if p.cell.importance == Some(Level::High) {
            svg.circle(
                p.x,
                p.y,
                r + 3.5,
                &format!(r#"fill="none" stroke="{colour}" stroke-width="1.5""#),
            );
        }
        svg.circle(
            p.x,
            p.y,
            r,
            &format!(r##"fill="{colour}" stroke="#ffffff" stroke-width="1.5""##),
        );
        let below = p.t >= 0.5;
        let score = p.cell.score.map(signed).unwrap_or_default();
        svg.text_styled(
            p.x + r + 3.0,
            if below { p.y - r + 1.0 } else { p.y + r + 9.0 },
            SCORE,
            INK,
            Anchor::Start,
            HALO,
            &score,
        );
        let label = wrap(&p.cell.text, LABEL, p.span_w - 12.0, 2).lines;

        let lh = LABEL.line_height();
        let first = if below {
            p.y + r + 4.0 + LABEL.size
        } else {
            p.y - r - 6.0 - lh * (label.len().saturating_sub(1)) as f32
        };
        for (i, line) in label.iter().enumerate() {
            svg.text_styled(
                p.x,
                first + lh * i as f32,
                LABEL,
                INK,
                Anchor::Middle,
                HALO,
                line,
            );
        }
        svg.close_group();
    }
    Block {
        markup: svg.into_markup(),
        h: lane_h,
    }
}
