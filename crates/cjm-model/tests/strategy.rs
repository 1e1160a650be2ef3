//! Proptest strategies: valid maps with hostile text (Cyrillic, Chinese, Polish, quotes,
//! colons, newlines, leading spaces, `#`, numbers and keywords written as strings).

use cjm_model::*;
use proptest::prelude::*;
use proptest::sample::select;

/// Pieces of text that are hard for YAML, CSV and Mermaid writers.
const PIECES: &[&str] = &[
    "Привет, мир",
    "Zażółć gęślą jaźń",
    "你好：世界",
    "网上购物",
    "\"quoted\"",
    "it's",
    "a: b",
    "# not a comment",
    " leading",
    "trailing ",
    "line1\nline2",
    "end\n",
    "\n\nblank lines\n\n",
    "123",
    "-1.5",
    "0x1F",
    "1e5",
    ".inf",
    "true",
    "No",
    "null",
    "~",
    "- dash",
    "{x}",
    "[a, b]",
    "@at",
    "%% pct",
    "key:",
    "tab\there",
    "a #b",
    "...",
    "---",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "back\\slash",
    "semi; colon",
    "\u{2028}",
    "\r\n",
    "\u{7}bell",
    "😀",
    "plain words",
];

/// Text built from zero to three hostile pieces.
pub fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(PIECES), 0..3).prop_map(|parts| parts.concat())
}

/// Text that is never empty.
fn label() -> impl Strategy<Value = String> {
    (text(), select(&["Stage", "Шаг", "步骤", "Krok", "7"][..]))
        .prop_map(|(t, base)| format!("{base}{t}"))
}

/// An id prefix; ids are `prefix + number`, so `""` gives numbers-as-strings.
fn id_prefix() -> impl Strategy<Value = &'static str> {
    select(&["", "id-", "ш", "标", "x:", "true"][..])
}

fn level() -> impl Strategy<Value = Level> {
    select(&[Level::Low, Level::Medium, Level::High][..])
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i32..1000).prop_map(f64::from),
        prop::num::f64::NORMAL | prop::num::f64::ZERO,
    ]
}

fn evidence() -> impl Strategy<Value = Option<Evidence>> {
    let source = select(
        &[
            ObservedSource::Interview,
            ObservedSource::Survey,
            ObservedSource::Analytics,
            ObservedSource::SupportTickets,
            ObservedSource::Review,
            ObservedSource::Other,
        ][..],
    );
    prop_oneof![
        Just(None),
        text().prop_map(|note| Some(Evidence::Assumed { note })),
        (source, text(), text()).prop_map(|(source, name, note)| Some(Evidence::Observed {
            source,
            name,
            note
        })),
        (text(), prop::option::of(0u64..100_000), text()).prop_map(|(query, cases, range)| Some(
            Evidence::Measured {
                query,
                cases,
                range,
                store: String::new()
            }
        )),
    ]
}

const KINDS: &[LaneKind] = &[
    LaneKind::Actions,
    LaneKind::Goals,
    LaneKind::Thoughts,
    LaneKind::Emotions,
    LaneKind::Touchpoints,
    LaneKind::PainPoints,
    LaneKind::Opportunities,
    LaneKind::Metrics,
    LaneKind::FrontStage,
    LaneKind::BackStage,
    LaneKind::SupportProcesses,
    LaneKind::LineOfVisibility,
    LaneKind::Text,
];

/// The parts of a cell before its references are resolved against the map.
#[derive(Debug, Clone)]
struct CellDraft {
    has_id: bool,
    target: usize,
    whole_stage: bool,
    text: String,
    evidence: Option<Evidence>,
    persona_picks: Vec<usize>,
    score_step: u8,
    level: Level,
    other_level: Level,
    channel: String,
    critical: bool,
    metric: (String, Option<f64>, Option<f64>, String),
}

fn cell_draft() -> impl Strategy<Value = CellDraft> {
    (
        (
            any::<bool>(),
            any::<usize>(),
            any::<bool>(),
            text(),
            evidence(),
        ),
        (
            prop::collection::vec(any::<usize>(), 0..3),
            0u8..=8,
            level(),
            level(),
            label(),
            any::<bool>(),
        ),
        (
            label(),
            prop::option::of(number()),
            prop::option::of(number()),
            text(),
        ),
    )
        .prop_map(|(a, b, metric)| CellDraft {
            has_id: a.0,
            target: a.1,
            whole_stage: a.2,
            text: a.3,
            evidence: a.4,
            persona_picks: b.0,
            score_step: b.1,
            level: b.2,
            other_level: b.3,
            channel: b.4,
            critical: b.5,
            metric,
        })
}

fn persona() -> impl Strategy<Value = Persona> {
    (
        label(),
        prop::option::of(0u32..120),
        text(),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(|(name, age, quote, goals)| Persona {
            name,
            age,
            quote,
            goals,
            ..Persona::default()
        })
}

fn stage() -> impl Strategy<Value = Stage> {
    (
        label(),
        text(),
        text(),
        prop::collection::vec((label(), text()), 0..4),
    )
        .prop_map(|(name, description, place, steps)| Stage {
            name,
            description,
            place,
            steps: steps
                .into_iter()
                .map(|(name, description)| Step {
                    name,
                    description,
                    ..Step::default()
                })
                .collect(),
            ..Stage::default()
        })
}

/// A valid map: every reference resolves, scores are on the scale, fields fit their lanes.
pub fn map() -> impl Strategy<Value = Map> {
    (
        (
            id_prefix(),
            label(),
            text(),
            select(&[MapType::Basic, MapType::Emotion, MapType::ServiceBlueprint][..]),
        ),
        select(&[(-2.0, 2.0), (1.0, 5.0), (0.0, 10.0), (-3.0, 3.0)][..]),
        prop::collection::vec(persona(), 0..3),
        prop::collection::vec(stage(), 1..4),
        prop::collection::vec(
            (
                select(KINDS),
                text(),
                prop::collection::vec(cell_draft(), 0..5),
            ),
            0..5,
        ),
    )
        .prop_map(
            |((prefix, title, description, map_type), (min, max), personas, stages, lanes)| {
                build(
                    prefix,
                    title,
                    description,
                    map_type,
                    EmotionScale { min, max },
                    personas,
                    stages,
                    lanes,
                )
            },
        )
}

#[allow(clippy::too_many_arguments)]
fn build(
    prefix: &str,
    title: String,
    description: String,
    map_type: MapType,
    scale: EmotionScale,
    mut personas: Vec<Persona>,
    mut stages: Vec<Stage>,
    lanes: Vec<(LaneKind, String, Vec<CellDraft>)>,
) -> Map {
    for (i, p) in personas.iter_mut().enumerate() {
        p.id = format!("{prefix}p{i}");
    }
    for (s, stage) in stages.iter_mut().enumerate() {
        stage.id = format!("{prefix}{s}");
        for (t, step) in stage.steps.iter_mut().enumerate() {
            step.id = format!("{prefix}{s}.{t}");
        }
    }
    let steps: Vec<String> = stages
        .iter()
        .flat_map(|s| s.steps.iter().map(|t| t.id.clone()))
        .collect();
    let mut pain_ids: Vec<String> = Vec::new();
    let mut built = Vec::new();
    for (l, (kind, title, drafts)) in lanes.into_iter().enumerate() {
        let cells = if kind == LaneKind::LineOfVisibility {
            Vec::new()
        } else {
            drafts
        };
        let mut lane = Lane {
            id: format!("{prefix}lane{l}"),
            kind,
            title,
            cells: Vec::new(),
        };
        for (c, d) in cells.into_iter().enumerate() {
            let mut cell = Cell {
                id: if d.has_id || kind == LaneKind::PainPoints {
                    format!("{prefix}c{l}.{c}")
                } else {
                    String::new()
                },
                text: d.text,
                evidence: d.evidence,
                ..Cell::default()
            };
            if d.whole_stage || steps.is_empty() {
                cell.stage = Some(stages[d.target % stages.len()].id.clone());
            } else {
                cell.step = Some(steps[d.target % steps.len()].clone());
            }
            if !personas.is_empty() {
                cell.personas = d
                    .persona_picks
                    .iter()
                    .map(|i| personas[i % personas.len()].id.clone())
                    .collect();
            }
            match kind {
                LaneKind::Emotions => {
                    cell.score =
                        Some(scale.min + f64::from(d.score_step) * (scale.max - scale.min) / 8.0);
                    cell.importance = Some(d.level);
                }
                LaneKind::Touchpoints => {
                    cell.channel = Some(d.channel.clone());
                    cell.owner = Some(d.channel);
                }
                LaneKind::PainPoints => {
                    cell.severity = Some(d.level);
                    cell.critical = d.critical;
                    pain_ids.push(cell.id.clone());
                }
                LaneKind::Opportunities => {
                    cell.impact = Some(d.level);
                    cell.effort = Some(d.other_level);
                    if !pain_ids.is_empty() {
                        cell.answers = d
                            .persona_picks
                            .iter()
                            .map(|i| pain_ids[i % pain_ids.len()].clone())
                            .collect();
                    }
                }
                LaneKind::Metrics => {
                    let (name, value, target, unit) = d.metric;
                    cell.metric = Some(Metric {
                        name,
                        value,
                        target,
                        unit,
                        ..Metric::default()
                    });
                }
                _ => {}
            }
            lane.cells.push(cell);
        }
        built.push(lane);
    }
    Map {
        cjm: 1,
        id: format!("{prefix}map"),
        title,
        description,
        map_type,
        lang: "en".into(),
        scale,
        personas,
        stages,
        lanes: built,
    }
}
