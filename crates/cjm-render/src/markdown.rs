//! Markdown: the persona, a table per stage (lanes × steps), then the pain points,
//! opportunities and metrics as lists a report can quote.

use std::fmt::Write;

use cjm_model::{LaneKind, Map, Persona};

use crate::RenderOptions;
use crate::cells::{figure, metric_met, signed, with_unit};
use crate::context::Context;
use crate::labels::{Labels, labels};
use crate::listing::{Placed, cells};
use crate::map_svg::lane_title;

/// Escapes text for a Markdown table cell: no raw HTML, no table breaks, one line.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders the map as Markdown.
pub fn render_markdown(map: &Map, opts: &RenderOptions) -> String {
    let l = labels(opts.lang);
    let ctx = Context::new(map, l);
    let all = cells(map);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&map.title));
    if !map.description.is_empty() {
        let _ = writeln!(out, "{}\n", md(&map.description));
    }
    let _ = writeln!(
        out,
        "**{}:** {}\n",
        l.map_type,
        l.map_type_name(map.map_type)
    );
    for persona in &map.personas {
        persona_section(&mut out, persona, l);
    }
    for si in 0..map.stages.len() {
        stage_table(&mut out, map, si, &all, &ctx);
    }
    pain_section(&mut out, map, &all, &ctx);
    opportunity_section(&mut out, map, &all, &ctx);
    metric_section(&mut out, map, &all, l);
    out
}

fn persona_section(out: &mut String, p: &Persona, l: &Labels) {
    let _ = writeln!(out, "## {}: {}\n", l.persona, md(&p.name));
    let mut facts = Vec::new();
    if let Some(age) = p.age {
        facts.push(format!("{age} {}", l.age));
    }
    if !p.occupation.is_empty() {
        facts.push(md(&p.occupation));
    }
    if !p.segment.is_empty() {
        facts.push(format!("{}: {}", l.segment, md(&p.segment)));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if !p.quote.is_empty() {
        let _ = writeln!(out, "> {}\n", md(&p.quote));
    }
    for (heading, items) in [
        (l.goals, &p.goals),
        (l.frustrations, &p.frustrations),
        (l.needs, &p.needs),
        (l.channels, &p.channels),
        (l.sources_of_information, &p.sources),
        (l.objections, &p.objections),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{heading}**\n");
        for item in items {
            let _ = writeln!(out, "- {}", md(item));
        }
        out.push('\n');
    }
}

/// The text of a cell in a table: its text plus the figures of its lane kind.
fn cell_text(placed: &Placed, ctx: &Context) -> String {
    let cell = placed.cell;
    let l = ctx.labels;
    let mut parts = Vec::new();
    if let Some(n) = ctx.number(cell) {
        parts.push(format!("**{n}**"));
    }
    if let Some(metric) = &cell.metric {
        parts.push(md(&crate::cells::metric_summary(metric, ctx)));
    }
    if let Some(score) = cell.score {
        parts.push(format!("({})", signed(score)));
    }
    if let Some(channel) = &cell.channel {
        parts.push(format!("[{}]", md(channel)));
    }
    if !cell.text.is_empty() {
        parts.push(md(&cell.text));
    }
    if cell.critical {
        parts.push(format!("({})", l.critical_moment));
    }
    parts.push(format!("_({})_", l.evidence_kind(cell.evidence.as_ref())));
    parts.join(" ")
}

fn stage_table(out: &mut String, map: &Map, si: usize, all: &[Placed], ctx: &Context) {
    let l = ctx.labels;
    let stage = &map.stages[si];
    let _ = writeln!(out, "## {} {}: {}\n", l.stage, si + 1, md(&stage.name));
    let mut facts = Vec::new();
    if !stage.place.is_empty() {
        facts.push(format!("{}: {}", l.place, md(&stage.place)));
    }
    if !stage.time.is_empty() {
        facts.push(format!("{}: {}", l.time, md(&stage.time)));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if !stage.description.is_empty() {
        let _ = writeln!(out, "{}\n", md(&stage.description));
    }
    let steps: Vec<String> = if stage.steps.is_empty() {
        vec![l.whole_stage.to_owned()]
    } else {
        stage.steps.iter().map(|s| md(&s.name)).collect()
    };
    let _ = writeln!(out, "| | {} |", steps.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(steps.len()));
    for lane in &map.lanes {
        if lane.kind == LaneKind::LineOfVisibility {
            continue;
        }
        let mut columns = vec![Vec::new(); steps.len()];
        let mut whole = Vec::new();
        for placed in all
            .iter()
            .filter(|p| std::ptr::eq(p.lane, lane) && p.stage == Some(si))
        {
            let text = cell_text(placed, ctx);
            match placed.step {
                Some(i) if i < columns.len() => columns[i].push(text),
                _ => whole.push(text),
            }
        }
        if whole.is_empty() && columns.iter().all(Vec::is_empty) {
            continue;
        }
        let row: Vec<String> = columns
            .iter()
            .map(|texts| {
                let mut all: Vec<String> = whole
                    .iter()
                    .map(|t| format!("{t} ({})", l.whole_stage))
                    .collect();
                all.extend(texts.iter().cloned());
                all.join("<br>")
            })
            .collect();
        let _ = writeln!(
            out,
            "| **{}** | {} |",
            md(lane_title(lane, l)),
            row.join(" | ")
        );
    }
    out.push('\n');
}

fn pain_section(out: &mut String, map: &Map, all: &[Placed], ctx: &Context) {
    let l = ctx.labels;
    let pains: Vec<&Placed> = all
        .iter()
        .filter(|p| p.lane.kind == LaneKind::PainPoints)
        .collect();
    if pains.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", l.lane_title(LaneKind::PainPoints));
    let _ = writeln!(
        out,
        "| # | {} / {} | {} | {} | {} | {} |",
        l.stage, l.step, l.pain_point, l.severity, l.answered_by, l.evidence
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for p in pains {
        let severity = p.cell.severity.map(|s| l.level(s)).unwrap_or("—");
        let severity = if p.cell.critical {
            format!("{severity}, {}", l.critical_moment)
        } else {
            severity.to_owned()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            ctx.number(p.cell).unwrap_or("—"),
            md(&p.location(map, l.whole_stage)),
            md(&p.cell.text),
            severity,
            ctx.answered_by(p.cell).join(", "),
            md(&l.describe_evidence(p.cell.evidence.as_ref()))
        );
    }
    out.push('\n');
}

fn opportunity_section(out: &mut String, map: &Map, all: &[Placed], ctx: &Context) {
    let l = ctx.labels;
    let items: Vec<&Placed> = all
        .iter()
        .filter(|p| p.lane.kind == LaneKind::Opportunities)
        .collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", l.lane_title(LaneKind::Opportunities));
    let _ = writeln!(
        out,
        "| # | {} / {} | {} | {} | {} | {} | {} |",
        l.stage, l.step, l.opportunity, l.impact, l.effort, l.answers, l.evidence
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for p in items {
        let level = |v: Option<cjm_model::Level>| v.map(|v| l.level(v)).unwrap_or("—");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            ctx.number(p.cell).unwrap_or("—"),
            md(&p.location(map, l.whole_stage)),
            md(&p.cell.text),
            level(p.cell.impact),
            level(p.cell.effort),
            ctx.answers(p.cell).join(", "),
            md(&l.describe_evidence(p.cell.evidence.as_ref()))
        );
    }
    out.push('\n');
}

fn metric_section(out: &mut String, map: &Map, all: &[Placed], l: &Labels) {
    let items: Vec<&Placed> = all.iter().filter(|p| p.cell.metric.is_some()).collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", l.lane_title(LaneKind::Metrics));
    let _ = writeln!(
        out,
        "| {} / {} | {} | {} | {} | {} | {} | {} |",
        l.stage,
        l.step,
        l.lane_title(LaneKind::Metrics),
        l.value,
        l.target,
        l.status,
        l.trend,
        l.source
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for p in items {
        let Some(m) = &p.cell.metric else { continue };
        let unit = |v: f64| md(&with_unit(v, &m.unit));
        let status = match metric_met(m) {
            Some(true) => l.met,
            Some(false) => l.not_met,
            None => l.no_target,
        };
        let trend: Vec<String> = m.trend.iter().map(|v| figure(*v)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md(&p.location(map, l.whole_stage)),
            md(&m.name),
            m.value.map(unit).unwrap_or_else(|| "—".to_owned()),
            m.target.map(unit).unwrap_or_else(|| "—".to_owned()),
            status,
            trend.join(" → "),
            md(&m.source)
        );
    }
    out.push('\n');
}
