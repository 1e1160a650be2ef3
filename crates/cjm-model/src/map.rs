//! The journey-map types: what a map file holds, independent of its format.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A stable identifier of a map element (persona, stage, step, lane, cell).
///
/// Ids are what edits, comments and re-imports hold on to, so they never change
/// when a label is renamed.
pub type Id = String;

/// The version of the file format written by this crate.
pub const FORMAT_VERSION: u32 = 1;

/// A Customer Journey Map: personas, stages with their steps, and lanes of cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// Format version (`cjm: 1`).
    #[serde(default = "format_version")]
    pub cjm: u32,
    pub id: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(rename = "type", default)]
    pub map_type: MapType,
    /// Language of the labels the renderers add (en, ru, zh, pl); content may be any language.
    #[serde(default = "default_lang")]
    pub lang: String,
    #[serde(default)]
    pub scale: EmotionScale,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Persona>,
    pub stages: Vec<Stage>,
    pub lanes: Vec<Lane>,
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

fn default_lang() -> String {
    "en".to_owned()
}

/// What the map is drawn for; it changes which parts a render adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MapType {
    #[default]
    Basic,
    /// Emotion-focused: the emotion curve is the centre of the map.
    Emotion,
    /// Channel-focused: adds a channels × stages matrix.
    Channel,
    /// Persona-specific: one persona's journey.
    Persona,
    /// Internal process (service blueprint): front stage, back stage, support, line of visibility.
    ServiceBlueprint,
}

/// The range of emotion scores on this map (default -2..+2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmotionScale {
    pub min: f64,
    pub max: f64,
}

impl Default for EmotionScale {
    fn default() -> Self {
        Self {
            min: -2.0,
            max: 2.0,
        }
    }
}

/// A real customer or an archetype the map is drawn for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: Id,
    pub name: String,
    /// A photo: a URL or a path relative to the map file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// Shown when there is no photo; derived from the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub occupation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// The segment of customers this persona stands for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub segment: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frustrations: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Preferred channels (web, app, phone, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
    /// Where the persona gets information (reviews, friends, search, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Common objections the persona raises.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<String>,
    /// Which cases of an event store this persona stands for (all conditions must hold).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<Condition>,
}

/// A phase of the journey; a column group of the map.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where it happens.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// When it happens, or how long it takes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub time: String,
    /// Which events of an event store belong to this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventRule>,
    pub steps: Vec<Step>,
}

/// One moment inside a stage; a column of the map.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventRule>,
}

/// Which events belong to a stage, step or touchpoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// Activity names: exact, or glob patterns with `*` and `?`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// Attribute conditions that must all hold on the event.
    #[serde(rename = "where", default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// An attribute condition, such as `channel = app`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub attr: String,
    /// The attribute equals one of these values.
    #[serde(rename = "in")]
    pub values: Vec<String>,
}

/// A row of the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lane {
    pub id: Id,
    pub kind: LaneKind,
    /// The row header; the renderer's localized default for the kind when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<Cell>,
}

/// What a lane holds. The kind decides which cell fields are allowed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// What the customer does.
    Actions,
    /// Goals and tasks.
    Goals,
    /// Thoughts and quotes.
    Thoughts,
    /// Emotion scores on the map's scale, with a label and an importance.
    Emotions,
    /// Touchpoints, each with a channel and an owner.
    Touchpoints,
    /// Critical moments and pain points, with severity.
    PainPoints,
    /// Opportunities, with impact and effort, linked to the pain points they answer.
    Opportunities,
    /// Metrics: value against target.
    Metrics,
    /// Service blueprint: what the customer sees the company do.
    FrontStage,
    /// Service blueprint: what employees do out of the customer's sight.
    BackStage,
    /// Service blueprint: systems and processes that support the back stage.
    SupportProcesses,
    /// Service blueprint: the line of visibility; a divider, holds no cells.
    LineOfVisibility,
    /// Free text.
    Text,
}

/// The content of one lane at one step, or across a whole stage.
///
/// Fields beyond `text` belong to particular lane kinds; validation reports a
/// field used in the wrong lane.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// Stable id; `fmt` assigns one when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: Id,
    /// The step this cell belongs to (exactly one of `step` and `stage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Id>,
    /// The stage this cell spans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Id>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// What backs this cell; a warning when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// Personas this cell is about (all personas when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Id>,

    /// Emotions: the score on the map's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Emotions: how much the moment matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Level>,

    /// Touchpoints: the channel (web, app, email, phone, store, chat, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Touchpoints: who in the company owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Touchpoints: which events belong to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventRule>,

    /// Pain points: how bad it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Level>,
    /// Pain points: a critical moment (moment of truth) rather than a plain pain point.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,

    /// Opportunities: expected impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Level>,
    /// Opportunities: effort to deliver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Level>,
    /// Opportunities: ids of the pain-point cells this answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Id>,

    /// Metrics: the measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
}

/// A three-step rating used for importance, severity, impact and effort.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
}

/// A metric of a stage or step: value against target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// `%`, `s`, `EUR`, `score`, ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Where the value comes from (a tool, a report, a query).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Whether a higher value is better (default) or a lower one.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub higher_is_better: bool,
    /// Values per period, oldest first, for trend sparklines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<f64>,
}

fn yes() -> bool {
    true
}

impl Default for Metric {
    /// An empty metric where a higher value is better, as in a file that leaves it out.
    fn default() -> Self {
        Self {
            name: String::new(),
            value: None,
            target: None,
            unit: String::new(),
            source: String::new(),
            higher_is_better: true,
            trend: Vec::new(),
        }
    }
}

/// What backs a cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Evidence {
    /// A guess by the team.
    Assumed {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Seen in research: an interview, a survey or another named source.
    Observed {
        source: ObservedSource,
        /// The study, survey or document, by name.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Computed from an event store by `cjm build`.
    Measured {
        /// What was counted, as a reproducible query (a CLI call or a rule).
        query: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cases: Option<u64>,
        /// The time range of the data, ISO 8601 (`from/to`).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        range: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        store: String,
    },
}

/// The kind of research behind an observed cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObservedSource {
    Interview,
    Survey,
    Analytics,
    SupportTickets,
    Review,
    Other,
}

impl Map {
    /// All steps in map order, each with the stage it belongs to.
    pub fn steps(&self) -> impl Iterator<Item = (&Stage, &Step)> {
        self.stages
            .iter()
            .flat_map(|stage| stage.steps.iter().map(move |step| (stage, step)))
    }

    /// The stage that holds the step with this id.
    pub fn stage_of_step(&self, step: &str) -> Option<&Stage> {
        self.steps()
            .find(|(_, s)| s.id == step)
            .map(|(stage, _)| stage)
    }
}
