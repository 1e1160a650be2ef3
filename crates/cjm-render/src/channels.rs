//! The channels × stages matrix of a channel map: how many touchpoints each channel
//! has in each stage, shaded and numbered.

use cjm_model::{LaneKind, Map};

use crate::block::Block;
use crate::layout::{Columns, LANE_HEADER_W};
use crate::theme::{GRID, INK, MUTED, channel_icon, kind_style};
use crate::wrap::{Font, wrap};
use crate::xml::{Anchor, SvgWriter};

const ROW_H: f32 = 30.0;
const TITLE_H: f32 = 34.0;

/// Touchpoint counts per channel (in order of first appearance) and per stage of the map.
pub fn channel_counts(map: &Map) -> Vec<(String, Vec<usize>)> {
    let columns = Columns::new(map, 0..map.stages.len());
    let mut rows: Vec<(String, Vec<usize>)> = Vec::new();
    for lane in map.lanes.iter().filter(|l| l.kind == LaneKind::Touchpoints) {
        for cell in &lane.cells {
            let Some(channel) = cell
                .channel
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            let Some(stage) = columns.stage_of(cell) else {
                continue;
            };
            let index = match rows.iter().position(|(name, _)| name == channel) {
                Some(i) => i,
                None => {
                    rows.push((channel.to_owned(), vec![0; map.stages.len()]));
                    rows.len() - 1
                }
            };
            rows[index].1[stage] += 1;
        }
    }
    rows
}

/// Draws the matrix for the stages on this page, the header column included, at the origin.
pub fn channel_matrix(map: &Map, columns: &Columns, title: &str) -> Option<Block> {
    let rows = channel_counts(map);
    if rows.is_empty() {
        return None;
    }
    let stages = columns.stages();
    let max = rows
        .iter()
        .flat_map(|(_, counts)| stages.iter().map(|(s, _, _)| counts[*s]))
        .max()
        .unwrap_or(0)
        .max(1);
    let accent = kind_style(LaneKind::Touchpoints).accent;
    let mut svg = SvgWriter::default();
    let title_font = Font::bold(13.0);
    let title = wrap(title, title_font, LANE_HEADER_W + columns.width() - 16.0, 1)
        .lines
        .concat();
    svg.text(8.0, 22.0, title_font, INK, Anchor::Start, &title);
    let mut y = TITLE_H;
    let width = LANE_HEADER_W + columns.width();
    for (channel, counts) in &rows {
        svg.rect(0.0, y, LANE_HEADER_W, ROW_H, 0.0, r##"fill="#f3f4f6""##);
        channel_icon(&mut svg, channel, 10.0, y + 9.0, accent);
        let name = wrap(channel, Font::regular(12.0), LANE_HEADER_W - 38.0, 1)
            .lines
            .concat();
        svg.text(
            30.0,
            y + 19.5,
            Font::regular(12.0),
            INK,
            Anchor::Start,
            &name,
        );
        for (stage, x, w) in &stages {
            let count = counts[*stage];
            let x = LANE_HEADER_W + x;
            if count == 0 {
                svg.text(
                    x + w / 2.0,
                    y + 19.5,
                    Font::regular(12.0),
                    MUTED,
                    Anchor::Middle,
                    "–",
                );
                continue;
            }
            let t = count as f32 / max as f32;
            let shade = shade(t);
            svg.rect(
                x + 3.0,
                y + 3.0,
                w - 6.0,
                ROW_H - 6.0,
                4.0,
                &format!(r#"fill="{shade}""#),
            );
            svg.text(
                x + w / 2.0,
                y + 19.5,
                Font::bold(12.0),
                INK,
                Anchor::Middle,
                &count.to_string(),
            );
        }
        svg.line(
            0.0,
            y + ROW_H,
            width,
            y + ROW_H,
            &format!(r#"stroke="{GRID}" stroke-width="1""#),
        );
        y += ROW_H;
    }
    Some(Block {
        markup: svg.into_markup(),
        h: y,
    })
}

/// A light-to-medium orange by intensity `t` in 0..=1; dark text stays readable on all of them.
fn shade(t: f32) -> String {
    let (from, to) = ([0xfd, 0xf1, 0xe7], [0xf4, 0xb0, 0x7a]);
    let mix = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t.clamp(0.0, 1.0)).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(from[0], to[0]),
        mix(from[1], to[1]),
        mix(from[2], to[2])
    )
}
