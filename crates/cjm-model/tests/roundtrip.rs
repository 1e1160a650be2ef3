//! Property tests: a map survives YAML, JSON, CSV and Mermaid round trips (for what each
//! format holds), and the canonical form is a fixed point.

use cjm_model::*;
use proptest::prelude::*;

use crate::strategy;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yaml_round_trip(map in strategy::map()) {
        let yaml = to_yaml(&map);
        let back = parse_map(&yaml, "map.yaml").map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        prop_assert_eq!(&back, &map, "{}", yaml);
        prop_assert_eq!(to_yaml(&back), yaml);
    }

    #[test]
    fn json_round_trip(map in strategy::map()) {
        let json = to_json(&map);
        let back = parse_map(&json, "map.json").map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(&back, &map);
        prop_assert_eq!(to_json(&back), json);
    }

    #[test]
    fn generated_maps_are_valid(map in strategy::map()) {
        let errors: Vec<_> = validate(&map, &Spans::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn csv_round_trip(mut map in strategy::map()) {
        normalize(&mut map);
        let csv = to_csv(&map);
        let back = from_csv(&csv, "dir/journey.csv").map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))?;
        prop_assert_eq!(back, csv_view(&map), "{}", csv);
    }

    #[test]
    fn mermaid_round_trip(map in strategy::map()) {
        let text = to_mermaid(&map);
        let back = from_mermaid(&text, "map.mmd").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(mermaid_view(&back), mermaid_view_expected(&map), "{}", text);
    }
}

/// What the CSV form holds of a map (see `cjm_model::to_csv`).
pub fn csv_view(map: &Map) -> Map {
    let mut personas: Vec<String> = Vec::new();
    let lanes = map
        .lanes
        .iter()
        .map(|lane| Lane {
            cells: lane
                .cells
                .iter()
                .map(|cell| {
                    for p in &cell.personas {
                        if !personas.contains(p) {
                            personas.push(p.clone());
                        }
                    }
                    Cell {
                        events: None,
                        metric: cell.metric.as_ref().map(|m| Metric {
                            higher_is_better: true,
                            trend: Vec::new(),
                            ..m.clone()
                        }),
                        ..cell.clone()
                    }
                })
                .collect(),
            ..lane.clone()
        })
        .collect();
    Map {
        cjm: 1,
        id: "journey".into(),
        title: "journey".into(),
        description: String::new(),
        map_type: MapType::Basic,
        lang: "en".into(),
        scale: EmotionScale::default(),
        personas: personas
            .into_iter()
            .map(|id| Persona {
                name: id.clone(),
                id,
                ..Persona::default()
            })
            .collect(),
        stages: map
            .stages
            .iter()
            .map(|s| Stage {
                id: s.id.clone(),
                name: s.name.clone(),
                steps: s
                    .steps
                    .iter()
                    .map(|t| Step {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        ..Step::default()
                    })
                    .collect(),
                ..Stage::default()
            })
            .collect(),
        lanes,
    }
}

/// A journey as Mermaid sees it: title, description, and per section the tasks with their
/// score (1..5, two decimals) and actor names.
type MermaidView = (
    String,
    String,
    Vec<(String, Vec<(String, String, Vec<String>)>)>,
);

/// Mermaid's reading of a text: delimiters become full-width, one line, trimmed.
fn mermaid_text(text: &str, colon: bool, comma: bool) -> String {
    text.chars()
        .map(|c| match c {
            '#' => '＃',
            ';' => '；',
            '%' => '％',
            ':' if colon => '：',
            ',' if comma => '，',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn score_text(mermaid_score: f64) -> String {
    format!("{:.2}", mermaid_score)
}

/// What a map should look like in Mermaid, computed from the map directly.
fn mermaid_view_expected(map: &Map) -> MermaidView {
    let title = mermaid_text(&map.title, false, false);
    let emotions = map.lanes.iter().find(|l| l.kind == LaneKind::Emotions);
    let name_of = |id: &str| {
        map.personas
            .iter()
            .find(|p| p.id == id)
            .map_or(id.to_owned(), |p| p.name.clone())
    };
    let stages = map
        .stages
        .iter()
        .map(|stage| {
            let name = Some(mermaid_text(&stage.name, true, false))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| mermaid_text(&stage.id, true, false));
            let tasks = stage
                .steps
                .iter()
                .map(|step| {
                    let cell = emotions.and_then(|l| {
                        l.cells.iter().find(|c| {
                            c.score.is_some() && c.step.as_deref() == Some(step.id.as_str())
                        })
                    });
                    let score = cell.and_then(|c| c.score).map_or(3.0, |s| {
                        1.0 + 4.0 * (s - map.scale.min) / (map.scale.max - map.scale.min)
                    });
                    let actors: Vec<String> = match cell {
                        Some(c) if !c.personas.is_empty() => {
                            c.personas.iter().map(|p| name_of(p)).collect()
                        }
                        _ => map.personas.iter().map(|p| p.name.clone()).collect(),
                    };
                    let actors = actors
                        .iter()
                        .map(|a| mermaid_text(a, true, true))
                        .filter(|a| !a.is_empty())
                        .collect();
                    let name = Some(mermaid_text(&step.name, true, false))
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| mermaid_text(&step.id, true, false));
                    (name, score_text(score), actors)
                })
                .collect();
            (name, tasks)
        })
        .collect();
    (
        if title.is_empty() {
            "Journey".into()
        } else {
            title
        },
        mermaid_text(&map.description, false, false),
        stages,
    )
}

/// What an imported Mermaid map holds (default scale, one emotion lane).
fn mermaid_view(map: &Map) -> MermaidView {
    let lane = &map.lanes[0];
    let stages = map
        .stages
        .iter()
        .map(|stage| {
            let tasks = stage
                .steps
                .iter()
                .map(|step| {
                    let cell = lane
                        .cells
                        .iter()
                        .find(|c| c.step.as_deref() == Some(step.id.as_str()))
                        .expect("one cell per task");
                    let actors = cell
                        .personas
                        .iter()
                        .map(|id| {
                            map.personas
                                .iter()
                                .find(|p| &p.id == id)
                                .expect("actor is a persona")
                                .name
                                .clone()
                        })
                        .collect();
                    (
                        step.name.clone(),
                        score_text(cell.score.expect("a score") + 3.0),
                        actors,
                    )
                })
                .collect();
            (stage.name.clone(), tasks)
        })
        .collect();
    (map.title.clone(), map.description.clone(), stages)
}
