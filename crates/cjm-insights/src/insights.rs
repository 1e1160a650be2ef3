//! The results of a build: every measure, as plain serialisable types.
//!
//! Ratios are fractions (0..1); times are seconds; stages, steps and
//! touchpoints are named by their map ids.

use serde::{Deserialize, Serialize};

use crate::check::Warning;
use crate::period::Period;
use crate::rules::TargetKind;

/// Everything `cjm build` measured for one map on one store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// The map's id.
    pub map: String,
    /// The store, as named to the build.
    pub store: String,
    /// The time range of the data, ISO 8601 `from/to`.
    pub range: String,
    pub cases: u64,
    pub events: u64,
    /// How the stage funnel was run (ClickHouse `windowFunnel`, default mode).
    pub funnel: FunnelSetup,
    /// Designed stages first, in map order, then outcome stages.
    pub stages: Vec<StageMeasure>,
    pub steps: Vec<UseMeasure>,
    pub touchpoints: Vec<UseMeasure>,
    pub conformance: Conformance,
    /// Ranked by impact, largest first.
    pub weak_points: Vec<WeakPoint>,
    /// One entry per persona with a segment filter.
    pub personas: Vec<PersonaMeasures>,
    pub channels: ChannelMatrix,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trends: Option<Trends>,
    pub warnings: Vec<Warning>,
}

/// The funnel settings behind the stage counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelSetup {
    /// The window in seconds; `None` is unlimited.
    pub window_s: Option<f64>,
    pub mode: String,
    /// Ids of the designed stages, the funnel's steps in order.
    pub steps: Vec<String>,
}

/// Measures of one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageMeasure {
    pub stage: String,
    pub name: String,
    /// An outcome (an exit such as cancellation) rather than a step of the designed journey.
    pub outcome: bool,
    /// Designed stages: cases that reached it in the designed order (funnel level);
    /// outcomes: cases with any of its events.
    pub reached: u64,
    /// Cases with any of its events, in any order.
    pub touched: u64,
    /// Events of the stage.
    pub events: u64,
    pub conversion_from_previous: Option<f64>,
    pub conversion_from_first: Option<f64>,
    /// Cases that reached this stage but not the next designed one.
    pub dropped: u64,
    /// `dropped` over `reached`.
    pub dropped_share: Option<f64>,
    /// With `--amount`: the summed amount of the dropped cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped_value: Option<f64>,
    /// Median seconds from the previous designed stage (on the funnel chain).
    pub wait_median_s: Option<f64>,
    pub wait_p90_s: Option<f64>,
    /// Channels used at this stage, most events first.
    pub channels: Vec<ChannelVolume>,
    /// The last activity of the cases that stopped here, most cases first.
    pub dropped_last_activities: Vec<ActivityCount>,
    /// Which outcome the cases that stopped here met (`None` as `"(none)"`).
    pub dropped_exits: Vec<ActivityCount>,
}

/// Events and cases of one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelVolume {
    pub channel: String,
    pub events: u64,
    pub cases: u64,
}

/// A name (activity or outcome) with a case count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityCount {
    pub name: String,
    pub cases: u64,
}

/// Use of one step or touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UseMeasure {
    pub kind: TargetKind,
    pub id: String,
    pub name: String,
    /// The stage it belongs to.
    pub stage: Option<String>,
    pub events: u64,
    pub cases: u64,
    /// Cases that needed it more than once: one of its activities occurred twice or more.
    pub repeat_cases: u64,
    /// `repeat_cases` over `cases`.
    pub repeat_rate: Option<f64>,
}

/// Designed vs actual journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conformance {
    /// Cases with at least one designed-stage event.
    pub cases: u64,
    /// Cases whose stages are a gap-free prefix of the designed order, each visited once.
    pub follows_designed: u64,
    pub follows_share: Option<f64>,
    /// Per designed stage: cases that reached a later stage without it.
    pub skipped: Vec<StageCount>,
    /// Per designed stage: cases that entered it again after leaving it.
    pub reentered: Vec<StageCount>,
    /// Cases that stepped back to an earlier stage at least once.
    pub back_step_cases: u64,
    /// Back steps by `from -> to`, most cases first.
    pub back_steps: Vec<Transition>,
    /// Cases that entered some stage more than once.
    pub loop_cases: u64,
    /// The designed path (designed stage ids in order).
    pub designed_path: Vec<String>,
    /// The most common real stage paths, most cases first.
    pub paths: Vec<PathCount>,
}

/// A stage with a case count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    pub stage: String,
    pub cases: u64,
}

/// A move between two stages with a case count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub cases: u64,
}

/// A real stage path (consecutive repeats collapsed) and its cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathCount {
    pub stages: Vec<String>,
    pub cases: u64,
    pub share: f64,
    /// Whether it follows the designed order (a gap-free prefix, outcomes aside).
    pub designed: bool,
}

/// What kind of weak point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeakPointKind {
    /// Cases that reached a stage but not the next one.
    DropOff,
    /// Times to reach a stage far above the stage's own distribution.
    LongWait,
    /// A step or touchpoint that cases needed more than once.
    RepeatedContact,
    /// Cases that came back to a stage they had left.
    Reentry,
}

/// A place where the journey loses or strains customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeakPoint {
    /// 1 for the largest impact.
    pub rank: usize,
    pub kind: WeakPointKind,
    /// The stage it is attached to.
    pub stage: String,
    /// The step or touchpoint, for repeated contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// One line for the map.
    pub title: String,
    /// What was counted, in words.
    pub evidence: String,
    /// Cases affected.
    pub cases: u64,
    /// Of the affected cases, those that never reached the last designed stage: the
    /// ranking key without `--amount` (for a drop-off, all of them).
    pub lost: u64,
    /// With `--amount`: the summed amount of the lost cases, the ranking key then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// A proposed opportunity, for a person to edit.
    pub opportunity: String,
}

/// Stage measures of one persona's segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaMeasures {
    pub persona: String,
    pub name: String,
    pub cases: u64,
    pub stages: Vec<StageMeasure>,
    pub follows_share: Option<f64>,
}

/// The channels × stages matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelMatrix {
    /// The attribute read as the channel.
    pub attribute: String,
    pub channels: Vec<String>,
    pub cells: Vec<ChannelCell>,
}

/// One channel at one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelCell {
    pub channel: String,
    pub stage: String,
    /// Events of the stage on the channel.
    pub events: u64,
    /// Cases with a stage event on the channel.
    pub cases: u64,
    /// Of the cases that reached the (designed) stage and used the channel there,
    /// the share that reached the next stage.
    pub conversion: Option<f64>,
}

/// Stage measures per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    pub period: Period,
    /// Period labels, oldest first (cases are placed by their first event).
    pub periods: Vec<String>,
    /// Per designed stage.
    pub stages: Vec<StageTrend>,
}

/// One designed stage over the periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTrend {
    pub stage: String,
    pub reached: Vec<u64>,
    pub conversion_from_previous: Vec<Option<f64>>,
    pub dropped_share: Vec<Option<f64>>,
    pub wait_median_s: Vec<Option<f64>>,
}
