//! Joins a journey map with an event store: stage measures, weak points, personas,
//! channels and trends, written back into the map as measured cells.
//!
//! Invariant: this crate neither renders nor serves, and it counts nothing the event
//! engine already counts: stage levels and the times between stages come from the
//! `cjm-events` funnel kernel, run inside the one pass over the journeys that gathers
//! every other measure.
//!
//! Designed stages are the map's stages in order, except those whose id starts with
//! `outcome` (for example `outcome-cancelled`): those are exits, counted by the cases
//! that reach them, and used to explain drop-offs.

pub mod annotate;
pub mod check;
pub mod conformance;
pub mod insights;
pub mod measure;
pub mod period;
pub mod rules;
pub mod summary;
pub mod weak;

use cjm_events::Journeys;
use cjm_events::kernels::funnel::FunnelMode;
use cjm_events::kernels::funnel_chain::MAX_STEPS;
use cjm_model::Map;

pub use check::Warning;
pub use insights::Insights;
pub use period::Period;

/// The most personas with a segment filter a build measures (a case's segments are the
/// bits of one 64-bit number, bit 0 standing for all cases).
pub const MAX_SEGMENT_PERSONAS: usize = 63;

/// Why a build cannot run.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InsightsError {
    #[error("the map has {0} designed stages; a funnel takes at most {MAX_STEPS}")]
    TooManyStages(usize),
    #[error(
        "no attribute named `{0}` in the store to read amounts from (hint: `cjm stats` lists the attributes)"
    )]
    UnknownAmount(String),
    #[error(
        "the store has more than {} cases; a build counts cases in 32 bits",
        u32::MAX
    )]
    TooManyCases,
    #[error(
        "the map has {0} personas with a segment filter; a build measures at most {MAX_SEGMENT_PERSONAS}"
    )]
    TooManyPersonas(usize),
    #[error("cannot select the cases of the store: {0}")]
    Selection(#[from] cjm_events::filter::FilterError),
}

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The attribute that names an event's channel.
    pub channel_attr: String,
    /// A numeric attribute giving each case's value (case attribute, or the first event value).
    pub amount_attr: Option<String>,
    /// Give every stage measure per period too.
    pub period: Option<Period>,
    /// The funnel window in microseconds; `None` is unlimited.
    pub window_us: Option<i64>,
    /// The store as the user named it (for evidence).
    pub store: String,
    /// The map file as the user named it (for evidence queries).
    pub map_file: String,
    /// How many weak points to keep.
    pub weak_points: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            channel_attr: "channel".to_owned(),
            amount_attr: None,
            period: None,
            window_us: None,
            store: String::new(),
            map_file: String::new(),
            weak_points: 10,
        }
    }
}

/// The outcome of a build: the map with measured cells, and every measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub map: Map,
    pub insights: Insights,
}

/// Measures `map` against `journeys` and writes the results into a copy of the map.
pub fn build(
    map: &Map,
    journeys: &Journeys<'_>,
    options: &BuildOptions,
) -> Result<Build, InsightsError> {
    let (layout, plan) = measure::plan::plan(map, journeys, options)?;
    let with_amount = options.amount_attr.is_some();
    let personas = measure::plan::segment_personas(map);
    let tallies = measure::scan(&plan, journeys)?;
    let all = &tallies[0];
    let gap_bounds = plan.funnel.as_ref().map(|f| f.matcher.gap_bounds());
    let waits = summary::wait_stats(&tallies, layout.designed, gap_bounds);
    let stages = summary::stage_measures(&layout, all, &waits[0], journeys, with_amount);
    let steps = summary::use_measures(map, &plan.rules.steps, &all.steps);
    let touchpoints = summary::use_measures(map, &plan.rules.touchpoints, &all.touchpoints);
    let weak_points = weak::rank(
        &layout,
        all,
        &plan.amount,
        &weak::Measured {
            stages: &stages,
            waits: &waits[0],
            steps: &steps,
            touchpoints: &touchpoints,
        },
        options.weak_points,
    );
    let persona_measures = personas
        .iter()
        .zip(tallies[1..].iter().zip(&waits[1..]))
        .map(|(p, (t, waits))| insights::PersonaMeasures {
            persona: p.id.clone(),
            name: p.name.clone(),
            cases: t.cases,
            stages: summary::stage_measures(&layout, t, waits, journeys, with_amount),
            follows_share: summary::ratio(t.conformance.follows, t.conformance.cases),
        })
        .collect();
    let (from, to) = (all.first_us, all.last_us);
    let range = if from <= to {
        format!("{}/{}", period::date_time(from), period::date_time(to))
    } else {
        String::new()
    };
    let insights = Insights {
        map: map.id.clone(),
        store: options.store.clone(),
        range,
        cases: all.cases,
        events: journeys.event_count() as u64,
        funnel: insights::FunnelSetup {
            window_s: options.window_us.map(|w| w as f64 / 1e6),
            mode: FunnelMode::default().to_string(),
            steps: layout.ids[..layout.designed].to_vec(),
        },
        stages,
        steps,
        touchpoints,
        conformance: summary::conformance(&layout, &all.conformance, 10),
        weak_points,
        personas: persona_measures,
        channels: summary::channel_matrix(&layout, all, &options.channel_attr),
        trends: options.period.map(|p| summary::trends(&layout, all, p)),
        warnings: check::warnings(&plan.rules, journeys, all),
    };
    let map = annotate::annotate(map, &insights, options);
    Ok(Build { map, insights })
}

/// The warnings of `cjm check MAP --store DIR`: rules that match nothing, events no rule
/// matches (with their volume), events claimed by two stages.
pub fn check_store(map: &Map, journeys: &Journeys<'_>) -> Result<Vec<Warning>, InsightsError> {
    build(map, journeys, &BuildOptions::default()).map(|b| b.insights.warnings)
}
