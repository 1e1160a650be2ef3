//! Small hand-made logs and maps for the tests.

use cjm_events::journeys::{AttributeColumn, ColumnValues, OwnedStrDict};
use cjm_events::{Journeys, JourneysBuilder, OwnedJourneys};
use cjm_insights::{Build, BuildOptions};
use cjm_model::Map;

/// Seconds to microseconds.
pub const S: i64 = 1_000_000;

/// A log from `(case, activity, seconds)` events, given in (case, time) order so that
/// attribute columns can follow the same order.
pub fn log(events: &[(&str, &str, i64)]) -> OwnedJourneys {
    let mut b = JourneysBuilder::new();
    for &(case, activity, t) in events {
        b.push(case, activity, t * S);
    }
    b.finish()
}

/// A text column: codes per row and the dictionary.
pub struct TextColumn {
    pub codes: Vec<u32>,
    pub dict: OwnedStrDict,
}

impl TextColumn {
    pub fn new(values: &[&str]) -> Self {
        let mut dict = OwnedStrDict::default();
        let mut names: Vec<&str> = Vec::new();
        let codes = values
            .iter()
            .map(|v| match names.iter().position(|n| n == v) {
                Some(i) => i as u32,
                None => {
                    names.push(v);
                    dict.push(v)
                }
            })
            .collect();
        Self { codes, dict }
    }

    pub fn column<'a>(&'a self, name: &'a str) -> AttributeColumn<'a> {
        AttributeColumn {
            name,
            values: ColumnValues::Text {
                codes: &self.codes,
                dict: self.dict.view(),
            },
        }
    }
}

/// Parses a map from YAML.
pub fn map(yaml: &str) -> Map {
    match cjm_model::parse_map(yaml, "test.yaml") {
        Ok(map) => map,
        Err(e) => panic!("test map does not parse: {e}"),
    }
}

/// A map with one designed stage per activity list, in order (ids `s1`, `s2`, ...),
/// then the given outcome stages.
pub fn stage_map(stages: &[&[&str]], outcomes: &[(&str, &[&str])]) -> Map {
    let mut yaml = String::from("cjm: 1\nid: m\ntitle: M\nstages:\n");
    let mut add = |id: &str, activities: &[&str]| {
        yaml.push_str(&format!(
            "  - id: {id}\n    name: {id}\n    events:\n      activities: [{}]\n    steps:\n      - id: {id}-step\n        name: step\n",
            activities.join(", ")
        ));
    };
    for (i, a) in stages.iter().enumerate() {
        add(&format!("s{}", i + 1), a);
    }
    for (id, a) in outcomes {
        add(id, a);
    }
    yaml.push_str("lanes: []\n");
    map(&yaml)
}

/// Builds with the default options.
pub fn build(map: &Map, journeys: &Journeys<'_>) -> Build {
    build_with(map, journeys, &BuildOptions::default())
}

/// Builds with `options`.
pub fn build_with(map: &Map, journeys: &Journeys<'_>, options: &BuildOptions) -> Build {
    match cjm_insights::build(map, journeys, options) {
        Ok(b) => b,
        Err(e) => panic!("build failed: {e}"),
    }
}
