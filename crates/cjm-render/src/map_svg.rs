//! The map drawing: header and legend, persona column, stage and step headers,
//! lanes of cards, the emotion curve, the line of visibility and the channel matrix.

use cjm_model::{Evidence, LaneKind, Map, MapType};

use crate::RenderOptions;
use crate::block::{Badge, Block, badge_rows};
use crate::cells::{card, tooltip};
use crate::channels::channel_matrix;
use crate::context::Context;
use crate::emotions::emotion_lane;
use crate::labels::{Labels, labels};
use crate::layout::{CELL_PAD, Columns, GAP, LANE_HEADER_W, MARGIN, PERSONA_W, Page};
use crate::persona::persona_card;
use crate::theme::{
    DANGER, GRID, HEADER_BG, INK, MEASURED, MUTED, STAGE_TINTS, SUCCESS, kind_style, lane_icon,
};
use crate::wrap::{Font, wrap};
use crate::xml::{Anchor, SvgWriter};

const LANE_MIN_H: f32 = 56.0;
const VISIBILITY_H: f32 = 34.0;
const CARD_GAP: f32 = 6.0;

/// Draws one page of a map. `namespace` adds the SVG namespace (omitted inside HTML).
pub fn draw(map: &Map, opts: &RenderOptions, page: &Page, namespace: bool) -> String {
    let labels = labels(opts.lang);
    let ctx = Context::new(map, labels);
    let columns = Columns::new(map, page.stages.clone());
    let with_persona = page.with_persona && !map.personas.is_empty();
    let grid_x = MARGIN + if with_persona { PERSONA_W + GAP } else { 0.0 };
    let content_x = grid_x + LANE_HEADER_W;
    let width = content_x + columns.width() + MARGIN;

    let mut svg = SvgWriter::default();
    let header = header(map, labels, width - 2.0 * MARGIN);
    header.place(&mut svg, MARGIN, MARGIN);
    let body_y = MARGIN + header.h + 14.0;

    let mut persona_bottom = body_y;
    if with_persona {
        for persona in &map.personas {
            let block = persona_card(persona, PERSONA_W, labels);
            block.place_with_title(&mut svg, MARGIN, persona_bottom, "persona", &persona.name);
            persona_bottom += block.h + GAP;
        }
    }

    let grid_bottom = grid(&mut svg, map, &ctx, &columns, grid_x, body_y);
    let mut bottom = grid_bottom.max(persona_bottom);
    if page.count > 1 {
        let text = format!(
            "{} {} / {} · {}",
            labels.page, page.number, page.count, map.title
        );
        let line = wrap(&text, Font::regular(11.0), width - 2.0 * MARGIN, 1)
            .lines
            .concat();
        bottom += 8.0;
        svg.text(
            MARGIN,
            bottom + 11.0,
            Font::regular(11.0),
            MUTED,
            Anchor::Start,
            &line,
        );
        bottom += 18.0;
    }
    let height = bottom + MARGIN;
    svg.finish(width, height, namespace, &map.title)
}

/// Title, description, map type and the legend.
fn header(map: &Map, labels: &Labels, width: f32) -> Block {
    let mut svg = SvgWriter::default();
    let title_font = Font::bold(24.0);
    let mut y = 0.0;
    for line in wrap(&map.title, title_font, width, 2).lines {
        y += title_font.line_height();
        svg.text(0.0, y - 7.0, title_font, INK, Anchor::Start, &line);
    }
    let desc = Font::regular(13.0);
    for line in wrap(&map.description, desc, width, 3).lines {
        if line.is_empty() {
            continue;
        }
        y += desc.line_height();
        svg.text(0.0, y - 4.0, desc, MUTED, Anchor::Start, &line);
    }
    let mut meta = format!(
        "{}: {}",
        labels.map_type,
        labels.map_type_name(map.map_type)
    );
    let names: Vec<&str> = map.personas.iter().map(|p| p.name.as_str()).collect();
    if !names.is_empty() {
        meta.push_str(&format!(" · {}: {}", labels.persona, names.join(", ")));
    }
    y += 16.0;
    let meta = wrap(&meta, Font::regular(12.0), width, 1).lines.concat();
    svg.text(
        0.0,
        y - 2.0,
        Font::regular(12.0),
        MUTED,
        Anchor::Start,
        &meta,
    );
    y += 8.0;
    y += legend(&mut svg, labels, 0.0, y, width);
    Block {
        markup: svg.into_markup(),
        h: y,
    }
}

/// The legend: what evidence styles and badges mean. Returns its height.
fn legend(svg: &mut SvgWriter, labels: &Labels, x: f32, y: f32, width: f32) -> f32 {
    let font = Font::regular(11.0);
    let sample = |svg: &mut SvgWriter, x: f32, style: &str, bar: bool| {
        svg.rect(
            x,
            y + 2.0,
            26.0,
            14.0,
            3.0,
            &format!(r##"fill="#ffffff" {style}"##),
        );
        if bar {
            svg.rect(x, y + 4.0, 3.0, 10.0, 1.5, &format!(r#"fill="{MEASURED}""#));
        }
    };
    let mut cx = x;
    svg.text(
        cx,
        y + 13.0,
        Font::bold(11.0),
        INK,
        Anchor::Start,
        labels.legend,
    );
    cx += Font::bold(11.0).width(labels.legend) + 12.0;
    let items: [(&str, &str, bool); 3] = [
        (
            labels.measured,
            r##"stroke="#1565c0" stroke-width="2""##,
            true,
        ),
        (
            labels.observed,
            r##"stroke="#1565c0" stroke-opacity="0.55" stroke-width="1""##,
            false,
        ),
        (
            labels.assumed,
            r##"stroke="#1565c0" stroke-width="1.4" stroke-dasharray="1.5 3" stroke-linecap="round""##,
            false,
        ),
    ];
    for (label, style, bar) in items {
        sample(svg, cx, style, bar);
        svg.text(cx + 32.0, y + 13.0, font, INK, Anchor::Start, label);
        cx += 32.0 + font.width(label) + 16.0;
    }
    let badges = [
        Badge::solid(format!("P1 {}", labels.pain_point), DANGER),
        Badge::solid(format!("O1 {}", labels.opportunity), SUCCESS),
        Badge::outline(format!("O1 {}: P1", labels.answers), SUCCESS),
        Badge::solid(format!("! {}", labels.critical_moment), "#7f0000"),
    ];
    let h = badge_rows(svg, &badges, cx, y + 1.0, (width - cx).max(200.0));
    h.max(18.0) + 4.0
}

/// A block placed in a lane: the block, its x (relative to the first column), y (relative
/// to the lane top), and its class and tooltip (`None` for the emotion curve, which titles
/// its own points).
type PlacedBlock = (Block, f32, f32, Option<(String, String)>);

/// One lane, measured: its header and its placed content.
struct LaneLayout {
    header: Block,
    content: Vec<PlacedBlock>,
    h: f32,
}

/// Draws stage headers, step headers and lanes at (x, y); returns the y below the grid.
fn grid(svg: &mut SvgWriter, map: &Map, ctx: &Context, columns: &Columns, x: f32, y: f32) -> f32 {
    let labels = ctx.labels;
    let content_x = x + LANE_HEADER_W;
    let grid_w = LANE_HEADER_W + columns.width();

    // Stage band.
    let stage_blocks: Vec<(usize, f32, f32, Block)> = columns
        .stages()
        .into_iter()
        .map(|(index, sx, sw)| (index, sx, sw, stage_header(map, index, sw, labels)))
        .collect();
    let band_h = stage_blocks.iter().map(|s| s.3.h).fold(44.0, f32::max);
    for (index, sx, sw, block) in &stage_blocks {
        let tint = STAGE_TINTS[index % STAGE_TINTS.len()];
        svg.rect(
            content_x + sx + 1.0,
            y,
            sw - 2.0,
            band_h,
            4.0,
            &format!(r#"fill="{tint}""#),
        );
        let stage = &map.stages[*index];
        let title = if stage.description.is_empty() {
            stage.name.clone()
        } else {
            format!("{}\n{}", stage.name, stage.description)
        };
        block.place_with_title(svg, content_x + sx, y, "stage", &title);
    }
    svg.text(
        x + 8.0,
        y + 20.0,
        Font::bold(11.0),
        MUTED,
        Anchor::Start,
        labels.stage,
    );

    // Step header row.
    let step_y = y + band_h + 2.0;
    let step_font = Font::bold(12.0);
    let step_blocks: Vec<(f32, Option<Block>, String)> = columns
        .columns
        .iter()
        .map(|c| match c.step {
            Some(step) => {
                let mut b = SvgWriter::default();
                let lines = wrap(&step.name, step_font, crate::layout::STEP_W - 16.0, 2).lines;
                let mut ly = 4.0;
                for line in &lines {
                    ly += step_font.line_height();
                    b.text(8.0, ly - 3.0, step_font, INK, Anchor::Start, line);
                }
                let title = if step.description.is_empty() {
                    step.name.clone()
                } else {
                    format!("{}\n{}", step.name, step.description)
                };
                (
                    c.x,
                    Some(Block {
                        markup: b.into_markup(),
                        h: ly + 6.0,
                    }),
                    title,
                )
            }
            None => (c.x, None, String::new()),
        })
        .collect();
    let step_h = step_blocks
        .iter()
        .filter_map(|(_, b, _)| b.as_ref().map(|b| b.h))
        .fold(30.0, f32::max);
    svg.rect(
        content_x,
        step_y,
        columns.width(),
        step_h,
        0.0,
        &format!(r#"fill="{HEADER_BG}""#),
    );
    for (sx, block, title) in &step_blocks {
        if let Some(block) = block {
            block.place_with_title(svg, content_x + sx, step_y, "step", title);
        }
    }
    svg.text(
        x + 8.0,
        step_y + 19.0,
        Font::bold(11.0),
        MUTED,
        Anchor::Start,
        labels.step,
    );

    // Lanes.
    let lanes_top = step_y + step_h;
    let mut lane_y = lanes_top;
    let mut separators = Vec::new();
    for (i, lane) in map.lanes.iter().enumerate() {
        let layout = lane_layout(lane, columns, ctx);
        let style = kind_style(lane.kind);
        if lane.kind == LaneKind::LineOfVisibility {
            let mid = lane_y + layout.h / 2.0;
            svg.line(
                x,
                mid,
                x + grid_w,
                mid,
                &format!(
                    r#"stroke="{}" stroke-width="2" stroke-dasharray="8 5""#,
                    style.accent
                ),
            );
            let label = lane_title(lane, labels).to_owned();
            let label_font = Font::bold(10.5);
            let lw = label_font.width(&label) + 12.0;
            svg.rect(
                content_x + 8.0,
                mid - 9.0,
                lw,
                18.0,
                9.0,
                &format!(
                    r##"fill="#ffffff" stroke="{}" stroke-width="1""##,
                    style.accent
                ),
            );
            svg.text(
                content_x + 14.0,
                mid + 4.0,
                label_font,
                INK,
                Anchor::Start,
                &label,
            );
        } else {
            let bg = if i % 2 == 0 { "#ffffff" } else { "#fafbfc" };
            svg.rect(
                content_x,
                lane_y,
                columns.width(),
                layout.h,
                0.0,
                &format!(r#"fill="{bg}""#),
            );
        }
        svg.rect(
            x,
            lane_y,
            LANE_HEADER_W,
            layout.h,
            0.0,
            &format!(r#"fill="{HEADER_BG}""#),
        );
        svg.rect(
            x,
            lane_y,
            5.0,
            layout.h,
            0.0,
            &format!(r#"fill="{}""#, style.accent),
        );
        layout.header.place(svg, x, lane_y);
        for (block, bx, by, titled) in &layout.content {
            match titled {
                Some((class, title)) => {
                    block.place_with_title(svg, content_x + bx, lane_y + by, class, title)
                }
                None => block.place(svg, content_x + bx, lane_y + by),
            }
        }
        lane_y += layout.h;
        separators.push(lane_y);
    }

    // Grid lines over the lanes.
    for y_sep in &separators {
        svg.line(
            x,
            *y_sep,
            x + grid_w,
            *y_sep,
            &format!(r#"stroke="{GRID}" stroke-width="1""#),
        );
    }
    let stage_starts: Vec<f32> = columns.stages().iter().map(|(_, sx, _)| *sx).collect();
    for column in &columns.columns {
        let is_stage_start = stage_starts.contains(&column.x);
        let style = if is_stage_start {
            r##"stroke="#8c959f" stroke-width="1.2""##
        } else {
            r##"stroke="#d0d7de" stroke-width="1" stroke-dasharray="3 3""##
        };
        let top = if is_stage_start { y } else { step_y };
        svg.line(
            content_x + column.x,
            top,
            content_x + column.x,
            lane_y,
            style,
        );
    }
    svg.line(
        content_x + columns.width(),
        y,
        content_x + columns.width(),
        lane_y,
        r##"stroke="#8c959f" stroke-width="1.2""##,
    );

    if map.map_type == MapType::Channel
        && let Some(block) = channel_matrix(map, columns, labels.channels_by_stage)
    {
        let top = lane_y + 18.0;
        block.place_with_title(svg, x, top, "channels", labels.channels_by_stage);
        lane_y = top + block.h;
    }
    lane_y
}

/// The header text of a stage: name, place and time.
fn stage_header(map: &Map, index: usize, w: f32, labels: &Labels) -> Block {
    let stage = &map.stages[index];
    let mut svg = SvgWriter::default();
    let name_font = Font::bold(14.0);
    let small = Font::regular(11.0);
    let mut y = 6.0;
    for line in wrap(&stage.name, name_font, w - 20.0, 2).lines {
        y += name_font.line_height();
        svg.text(10.0, y - 4.0, name_font, INK, Anchor::Start, &line);
    }
    for (label, value) in [(labels.place, &stage.place), (labels.time, &stage.time)] {
        if value.is_empty() {
            continue;
        }
        for line in wrap(&format!("{label}: {value}"), small, w - 20.0, 2).lines {
            y += small.line_height();
            svg.text(10.0, y - 3.0, small, "#3d444d", Anchor::Start, &line);
        }
    }
    Block {
        markup: svg.into_markup(),
        h: y + 8.0,
    }
}

/// The title of a lane: its own, or the localized default for its kind.
pub fn lane_title<'a>(lane: &'a cjm_model::Lane, labels: &'a Labels) -> &'a str {
    if lane.title.trim().is_empty() {
        labels.lane_title(lane.kind)
    } else {
        &lane.title
    }
}

/// Measures a lane: the header block and the placed cards (or the emotion curve).
fn lane_layout(lane: &cjm_model::Lane, columns: &Columns, ctx: &Context) -> LaneLayout {
    let title_font = Font::bold(12.5);
    let mut head = SvgWriter::default();
    lane_icon(&mut head, lane.kind, 14.0, 12.0);
    let title = lane_title(lane, ctx.labels);
    let lines = wrap(title, title_font, LANE_HEADER_W - 46.0, 4).lines;
    let mut hy = 8.0;
    for line in &lines {
        hy += title_font.line_height();
        head.text(38.0, hy - 3.0, title_font, INK, Anchor::Start, line);
    }
    if title != ctx.labels.lane_title(lane.kind) {
        let kind = wrap(
            ctx.labels.lane_title(lane.kind),
            Font::regular(10.5),
            LANE_HEADER_W - 46.0,
            1,
        )
        .lines
        .concat();
        hy += 14.0;
        head.text(
            38.0,
            hy - 3.0,
            Font::regular(10.5),
            MUTED,
            Anchor::Start,
            &kind,
        );
    }
    let header = Block {
        markup: head.into_markup(),
        h: hy + 10.0,
    };

    let mut content = Vec::new();
    let content_h = match lane.kind {
        LaneKind::LineOfVisibility => 0.0,
        LaneKind::Emotions => {
            let block = emotion_lane(lane, columns, ctx);
            let h = block.h;
            content.push((block, 0.0, 0.0, None));
            h
        }
        kind => {
            let mut placed: Vec<(f32, f32, f32)> = Vec::new(); // x, w, bottom
            for cell in &lane.cells {
                let Some((sx, sw)) = columns.span(cell) else {
                    continue;
                };
                let (cx, cw) = (sx + CELL_PAD, sw - 2.0 * CELL_PAD);
                let block = card(kind, cell, cw, ctx);
                let top = placed
                    .iter()
                    .filter(|(px, pw, _)| *px < cx + cw && cx < px + pw)
                    .map(|(_, _, bottom)| bottom + CARD_GAP)
                    .fold(CELL_PAD, f32::max);
                placed.push((cx, cw, top + block.h));
                let class = format!("cell {}", evidence_class(cell.evidence.as_ref()));
                content.push((block, cx, top, Some((class, tooltip(kind, cell, ctx)))));
            }
            placed.iter().map(|p| p.2 + CELL_PAD).fold(0.0, f32::max)
        }
    };
    let min = if lane.kind == LaneKind::LineOfVisibility {
        VISIBILITY_H
    } else {
        LANE_MIN_H
    };
    let h = content_h.max(header.h).max(min);
    LaneLayout { header, content, h }
}

/// The CSS class naming a cell's evidence kind.
fn evidence_class(evidence: Option<&Evidence>) -> &'static str {
    match evidence {
        Some(Evidence::Measured { .. }) => "measured",
        Some(Evidence::Observed { .. }) => "observed",
        Some(Evidence::Assumed { .. }) => "assumed",
        None => "unbacked",
    }
}
