//! Cards: how one cell of a lane is drawn, by lane kind (text, thought bubble,
//! touchpoint chip, pain point, opportunity, metric), with its evidence shown.

use cjm_model::{Cell, Evidence, LaneKind, Level, Metric};

use crate::block::{Badge, Block, badge_rows};
use crate::context::Context;
use crate::theme::{DANGER, INK, MEASURED, MUTED, SUCCESS, WARNING, kind_style};
use crate::wrap::{Font, wrap};
use crate::xml::{Anchor, SvgWriter, num};

const PAD: f32 = 7.0;
const GAP: f32 = 5.0;
/// The font of cell text.
pub const BODY: Font = Font::regular(12.0);
const SMALL: Font = Font::regular(10.5);
const BODY_LINES: usize = 6;

/// The tooltip of a cell: its full text, its figures and what backs it.
pub fn tooltip(kind: LaneKind, cell: &Cell, ctx: &Context) -> String {
    let l = ctx.labels;
    let mut parts = Vec::new();
    if let Some(number) = ctx.number(cell) {
        parts.push(number.to_owned());
    }
    if let Some(metric) = &cell.metric {
        parts.push(metric_summary(metric, ctx));
    }
    if !cell.text.is_empty() {
        parts.push(cell.text.clone());
    }
    if kind == LaneKind::Emotions {
        if let Some(score) = cell.score {
            parts.push(format!("{}: {}", l.score, signed(score)));
        }
        if let Some(importance) = cell.importance {
            parts.push(format!("{}: {}", l.importance, l.level(importance)));
        }
    }
    if let Some(channel) = &cell.channel {
        parts.push(format!("{}: {channel}", l.channels));
    }
    if let Some(owner) = &cell.owner {
        parts.push(format!("{}: {owner}", l.owner));
    }
    parts.push(format!(
        "{}: {}",
        l.evidence,
        l.describe_evidence(cell.evidence.as_ref())
    ));
    parts.join("\n")
}

/// A score with its sign, as on the emotion curve: `+2`, `0`, `–1.5` (an en dash: the bundled fonts lack U+2212).
pub fn signed(score: f64) -> String {
    let text = if score.fract() == 0.0 {
        format!("{}", score.abs() as i64)
    } else {
        format!("{:.1}", score.abs())
    };
    if score > 0.0 {
        format!("+{text}")
    } else if score < 0.0 {
        format!("\u{2013}{text}")
    } else {
        text
    }
}

/// A number as people write it: no trailing `.0`, at most two decimals.
pub fn figure(value: f64) -> String {
    let s = format!("{value:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A figure with its unit: `82%`, `3 min`, `7.4`.
pub fn with_unit(value: f64, unit: &str) -> String {
    match unit {
        "" => figure(value),
        "%" => format!("{}%", figure(value)),
        unit => format!("{} {unit}", figure(value)),
    }
}

/// `name: value (target …)` of a metric, with units attached.
pub fn metric_summary(metric: &Metric, ctx: &Context) -> String {
    let with_unit = |v: f64| with_unit(v, &metric.unit);
    let value = metric
        .value
        .map(with_unit)
        .unwrap_or_else(|| "—".to_owned());
    match metric.target {
        Some(target) => format!(
            "{}: {value} ({} {})",
            metric.name,
            ctx.labels.target,
            with_unit(target)
        ),
        None => format!("{}: {value}", metric.name),
    }
}

/// Whether a metric meets its target (`None` when value or target is missing).
pub fn metric_met(metric: &Metric) -> Option<bool> {
    let (value, target) = (metric.value?, metric.target?);
    Some(if metric.higher_is_better {
        value >= target
    } else {
        value <= target
    })
}

/// The outline of a card: colour by kind, line style by evidence.
fn border(kind: LaneKind, cell: &Cell) -> String {
    let colour = match kind {
        LaneKind::PainPoints => severity_colour(cell.severity),
        LaneKind::Opportunities => SUCCESS,
        _ => kind_style(kind).accent,
    };
    let heavy = matches!(kind, LaneKind::PainPoints | LaneKind::Opportunities);
    match &cell.evidence {
        Some(Evidence::Measured { .. }) => {
            format!(
                r#"stroke="{colour}" stroke-width="{}""#,
                if heavy { 2.6 } else { 2.0 }
            )
        }
        Some(Evidence::Assumed { .. }) => format!(
            r#"stroke="{colour}" stroke-width="{}" stroke-dasharray="1.5 3" stroke-linecap="round""#,
            if heavy { 2.0 } else { 1.4 }
        ),
        _ => format!(
            r#"stroke="{colour}" stroke-opacity="{}" stroke-width="{}""#,
            if heavy { 1.0 } else { 0.55 },
            if heavy { 2.0 } else { 1.0 }
        ),
    }
}

fn severity_colour(severity: Option<Level>) -> &'static str {
    match severity {
        Some(Level::High) => DANGER,
        Some(Level::Medium) | None => WARNING,
        Some(Level::Low) => "#7a5c00",
    }
}

/// The evidence tag shown at the foot of a card (assumed cells show a dotted border instead).
fn evidence_badge(cell: &Cell, ctx: &Context) -> Option<Badge> {
    let l = ctx.labels;
    match &cell.evidence {
        Some(Evidence::Measured { .. }) => Some(Badge::solid(l.measured, MEASURED)),
        Some(Evidence::Observed { source, .. }) => Some(Badge::outline(
            format!("{} · {}", l.observed, l.observed_source(*source)),
            MUTED,
        )),
        _ => None,
    }
}

/// The badges at the top of a card.
fn head_badges(kind: LaneKind, cell: &Cell, ctx: &Context) -> Vec<Badge> {
    let l = ctx.labels;
    let mut badges = Vec::new();
    match kind {
        LaneKind::PainPoints => {
            if let Some(n) = ctx.number(cell) {
                badges.push(Badge::solid(n.to_owned(), DANGER));
            }
            if cell.critical {
                badges.push(Badge::solid(format!("! {}", l.critical_moment), "#7f0000"));
            }
            if let Some(severity) = cell.severity {
                let colour = severity_colour(Some(severity));
                badges.push(Badge::outline(
                    format!("{}: {}", l.severity, l.level(severity)),
                    colour,
                ));
            }
        }
        LaneKind::Opportunities => {
            if let Some(n) = ctx.number(cell) {
                badges.push(Badge::solid(n.to_owned(), SUCCESS));
            }
            if let Some(impact) = cell.impact {
                badges.push(Badge::outline(
                    format!("{}: {}", l.impact, l.level(impact)),
                    SUCCESS,
                ));
            }
            if let Some(effort) = cell.effort {
                badges.push(Badge::outline(
                    format!("{}: {}", l.effort, l.level(effort)),
                    MUTED,
                ));
            }
        }
        LaneKind::Touchpoints => {
            if let Some(channel) = &cell.channel {
                let mut badge = Badge::outline(channel.clone(), kind_style(kind).accent);
                badge.channel_icon = true;
                badges.push(badge);
            }
        }
        _ => {}
    }
    badges
}

/// Lines of small text at the foot of a card: owner, links between pain points and opportunities.
fn foot_notes(kind: LaneKind, cell: &Cell, ctx: &Context) -> Vec<String> {
    let l = ctx.labels;
    let mut notes = Vec::new();
    match kind {
        LaneKind::Touchpoints => {
            if let Some(owner) = &cell.owner {
                notes.push(format!("{}: {owner}", l.owner));
            }
        }
        LaneKind::PainPoints => {
            let by = ctx.answered_by(cell);
            if !by.is_empty() {
                notes.push(format!("{}: {}", l.answered_by, by.join(", ")));
            }
        }
        LaneKind::Opportunities => {
            let answers = ctx.answers(cell);
            if !answers.is_empty() {
                notes.push(format!("{}: {}", l.answers, answers.join(", ")));
            }
        }
        _ => {}
    }
    notes
}

/// Draws the card of one cell, `w` pixels wide, at the origin.
pub fn card(kind: LaneKind, cell: &Cell, w: f32, ctx: &Context) -> Block {
    let mut body = SvgWriter::default();
    let inner = w - 2.0 * PAD;
    let mut y = PAD;
    let badges = head_badges(kind, cell, ctx);
    if !badges.is_empty() {
        y += badge_rows(&mut body, &badges, PAD, y, inner) + GAP;
    }
    if let Some(metric) = &cell.metric {
        y = metric_block(&mut body, metric, PAD, y, inner, ctx);
    }
    if !cell.text.is_empty() {
        let (text, extra) = if kind == LaneKind::Thoughts {
            let (open, close) = ctx.labels.quotes;
            (
                format!("{open}{}{close}", cell.text.trim()),
                r#"font-style="italic""#,
            )
        } else {
            (cell.text.clone(), "")
        };
        let lines = wrap(&text, BODY, inner, BODY_LINES).lines;
        for line in &lines {
            y += BODY.size;
            body.text_styled(PAD, y, BODY, INK, Anchor::Start, extra, line);
            y += BODY.line_height() - BODY.size;
        }
        y += 2.0;
    }
    for note in foot_notes(kind, cell, ctx) {
        let colour = match kind {
            LaneKind::Opportunities => SUCCESS,
            LaneKind::PainPoints => DANGER,
            _ => MUTED,
        };
        for line in wrap(&note, SMALL, inner, 2).lines {
            y += SMALL.line_height();
            body.text(PAD, y - 3.0, SMALL, colour, Anchor::Start, &line);
        }
        y += 2.0;
    }
    if let Some(badge) = evidence_badge(cell, ctx) {
        y += 2.0;
        y += badge_rows(&mut body, &[badge], PAD, y, inner);
    }
    let h = (y + PAD).max(34.0);
    let mut svg = SvgWriter::default();
    let fill = match (kind, cell.critical) {
        (LaneKind::PainPoints, true) => "#fbdcd8",
        _ => kind_style(kind).tint,
    };
    let outline = border(kind, cell);
    if kind == LaneKind::Thoughts {
        let tail = format!(
            "M{} {} L{} {} L{} {} Z",
            num(16.0),
            num(h - 1.0),
            num(12.0),
            num(h + 7.0),
            num(26.0),
            num(h - 1.0)
        );
        svg.path(&tail, &format!(r#"fill="{fill}" {outline}"#));
        svg.rect(
            0.5,
            0.5,
            w - 1.0,
            h - 1.0,
            12.0,
            &format!(r#"fill="{fill}" {outline}"#),
        );
    } else {
        svg.rect(
            0.5,
            0.5,
            w - 1.0,
            h - 1.0,
            5.0,
            &format!(r#"fill="{fill}" {outline}"#),
        );
    }
    if matches!(cell.evidence, Some(Evidence::Measured { .. })) {
        let accent = match kind {
            LaneKind::PainPoints => severity_colour(cell.severity),
            LaneKind::Opportunities => SUCCESS,
            _ => kind_style(kind).accent,
        };
        svg.rect(0.0, 6.0, 4.0, h - 12.0, 2.0, &format!(r#"fill="{accent}""#));
    }
    svg.raw(&body.into_markup());
    let extra = if kind == LaneKind::Thoughts { 8.0 } else { 0.0 };
    Block {
        markup: svg.into_markup(),
        h: h + extra,
    }
}

/// The value, target, bar, status and trend of a metric; returns the y below it.
fn metric_block(
    svg: &mut SvgWriter,
    metric: &Metric,
    x: f32,
    mut y: f32,
    w: f32,
    ctx: &Context,
) -> f32 {
    let l = ctx.labels;
    let name_font = Font::bold(12.0);
    for line in wrap(&metric.name, name_font, w, 2).lines {
        y += name_font.line_height();
        svg.text(x, y - 3.0, name_font, INK, Anchor::Start, &line);
    }
    let unit = |v: f64| with_unit(v, &metric.unit);
    let value_font = Font::bold(17.0);
    y += value_font.line_height();
    let value = metric.value.map(unit).unwrap_or_else(|| "—".to_owned());
    svg.text(x, y - 4.0, value_font, INK, Anchor::Start, &value);
    if let Some(target) = metric.target {
        let text = format!("{} {}", l.target, unit(target));
        let vw = value_font.width(&value) + 8.0;
        let line = wrap(&text, SMALL, (w - vw).max(20.0), 1).lines.concat();
        svg.text(x + vw, y - 4.0, SMALL, MUTED, Anchor::Start, &line);
    }
    let met = metric_met(metric);
    let colour = match met {
        Some(true) => SUCCESS,
        Some(false) => DANGER,
        None => MUTED,
    };
    if let (Some(value), Some(target)) = (metric.value, metric.target) {
        let fraction = if metric.higher_is_better {
            if target > 0.0 { value / target } else { 1.0 }
        } else if value > 0.0 {
            target / value
        } else {
            1.0
        };
        let fraction = fraction.clamp(0.0, 1.0) as f32;
        y += 2.0;
        svg.rect(x, y, w, 7.0, 3.5, r##"fill="#e1e4e8""##);
        svg.rect(
            x,
            y,
            (w * fraction).max(7.0),
            7.0,
            3.5,
            &format!(r#"fill="{colour}""#),
        );
        y += 9.0;
    }
    let status = match met {
        Some(true) => l.met,
        Some(false) => l.not_met,
        None => l.no_target,
    };
    let status = if metric.higher_is_better {
        status.to_owned()
    } else {
        format!("{status} · {}", l.lower_is_better)
    };
    let mark_w = if met.is_some() { 14.0 } else { 0.0 };
    for (i, line) in wrap(&status, Font::bold(10.5), w - mark_w, 2)
        .lines
        .iter()
        .enumerate()
    {
        y += SMALL.line_height();
        if i == 0 && met.is_some() {
            status_mark(svg, met == Some(true), x, y - 12.0, colour);
        }
        svg.text(
            x + mark_w,
            y - 3.0,
            Font::bold(10.5),
            colour,
            Anchor::Start,
            line,
        );
    }
    if metric.trend.len() >= 2 {
        y += 3.0;
        sparkline(svg, &metric.trend, x, y, w.min(120.0), 22.0, colour);
        y += 24.0;
    }
    if !metric.source.is_empty() {
        for line in wrap(&format!("{}: {}", l.source, metric.source), SMALL, w, 2).lines {
            y += SMALL.line_height();
            svg.text(x, y - 3.0, SMALL, MUTED, Anchor::Start, &line);
        }
    }
    y + GAP
}

/// A check mark (target met) or a cross (not met) in a 10×10 box at (x, y).
fn status_mark(svg: &mut SvgWriter, met: bool, x: f32, y: f32, colour: &str) {
    let style = format!(
        r#"fill="none" stroke="{colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round""#
    );
    let d = if met {
        format!(
            "M{} {} L{} {} L{} {}",
            num(x + 1.0),
            num(y + 5.5),
            num(x + 4.0),
            num(y + 8.5),
            num(x + 9.5),
            num(y + 1.5)
        )
    } else {
        format!(
            "M{} {} L{} {} M{} {} L{} {}",
            num(x + 1.5),
            num(y + 1.5),
            num(x + 8.5),
            num(y + 8.5),
            num(x + 8.5),
            num(y + 1.5),
            num(x + 1.5),
            num(y + 8.5)
        )
    };
    svg.path(&d, &style);
}

/// A small line chart of values, oldest first, with the last point marked.
fn sparkline(svg: &mut SvgWriter, values: &[f64], x: f32, y: f32, w: f32, h: f32, colour: &str) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.len() < 2 {
        return;
    }
    let (lo, hi) = finite
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let step = w / (finite.len() - 1) as f32;
    let points: Vec<(f32, f32)> = finite
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let t = ((v - lo) / span) as f32;
            (x + step * i as f32, y + h - 2.0 - t * (h - 4.0))
        })
        .collect();
    svg.line(
        x,
        y + h,
        x + w,
        y + h,
        r##"stroke="#d0d7de" stroke-width="1""##,
    );
    let d: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (px, py))| {
            format!(
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                num(*px),
                num(*py)
            )
        })
        .collect();
    svg.path(
        &d.join(" "),
        &format!(r#"fill="none" stroke="{colour}" stroke-width="1.5""#),
    );
    if let Some((px, py)) = points.last() {
        svg.circle(*px, *py, 2.5, &format!(r#"fill="{colour}""#));
    }
}
