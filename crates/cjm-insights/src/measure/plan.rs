//! Binds a map to a store for the measuring pass: which stage is which on paths, where
//! channels and amounts are read, the funnel over the designed stages, the segments.

use cjm_events::Journeys;
use cjm_events::journeys::ColumnValues;
use cjm_events::kernels::funnel::FunnelMode;
use cjm_events::kernels::funnel_chain::{FunnelMatcher, MAX_STEPS};
use cjm_model::{Map, Persona};

use super::table::EventTable;
use super::{AmountSource, ChannelSource, ScanPlan, StageFunnel};
use crate::rules::{BoundConditions, MapRules};
use crate::summary::{Layout, NO_CHANNEL};
use crate::{BuildOptions, InsightsError, MAX_SEGMENT_PERSONAS};

/// The personas measured as segments: those with a filter, in map order.
pub fn segment_personas(map: &Map) -> Vec<&Persona> {
    map.personas
        .iter()
        .filter(|p| !p.filter.is_empty())
        .collect()
}

/// Binds `map` to `journeys`: the stage layout, and the plan of the pass.
pub fn plan(
    map: &Map,
    journeys: &Journeys<'_>,
    options: &BuildOptions,
) -> Result<(Layout, ScanPlan), InsightsError> {
    if journeys.case_count() > u32::MAX as usize {
        return Err(InsightsError::TooManyCases);
    }
    let personas = segment_personas(map);
    if personas.len() > MAX_SEGMENT_PERSONAS {
        return Err(InsightsError::TooManyPersonas(personas.len()));
    }
    let rules = MapRules::bind(map, journeys);
    let (channel, channel_names) = channel_source(journeys, &options.channel_attr);
    let layout = Layout::new(map, channel_names);
    if layout.designed > MAX_STEPS {
        return Err(InsightsError::TooManyStages(layout.designed));
    }
    let amount = amount_source(journeys, options.amount_attr.as_deref())?;
    let window_us = options.window_us.unwrap_or(i64::MAX);
    let funnel = stage_funnel(&layout, &rules, window_us);
    let plan = ScanPlan {
        table: EventTable::new(&rules, journeys.activity_names.len()),
        rules,
        path_number: layout.path_numbers(),
        designed: layout.designed,
        funnel,
        segments: personas
            .iter()
            .map(|p| BoundConditions::bind(&p.filter, journeys))
            .collect(),
        channel,
        channels: layout.channels.len() - 1,
        amount,
        period: options.period,
    };
    Ok((layout, plan))
}

fn channel_source(journeys: &Journeys<'_>, attr: &str) -> (ChannelSource, Vec<String>) {
    let text = |values: &ColumnValues<'_>| match values {
        ColumnValues::Text { dict, .. } => Some(dict.iter().map(str::to_owned).collect::<Vec<_>>()),
        _ => None,
    };
    let found = journeys
        .event_attributes
        .iter()
        .position(|c| c.name == attr)
        .and_then(|i| {
            text(&journeys.event_attributes[i].values).map(|n| (ChannelSource::Event(i), n))
        })
        .or_else(|| {
            journeys
                .case_attributes
                .iter()
                .position(|c| c.name == attr)
                .and_then(|i| {
                    text(&journeys.case_attributes[i].values).map(|n| (ChannelSource::Case(i), n))
                })
        });
    let (source, mut names) = found.unwrap_or((ChannelSource::None, Vec::new()));
    names.push(NO_CHANNEL.to_owned());
    (source, names)
}

fn amount_source(
    journeys: &Journeys<'_>,
    attr: Option<&str>,
) -> Result<AmountSource, InsightsError> {
    let Some(attr) = attr else {
        return Ok(AmountSource::None);
    };
    if let Some(col) = journeys.case_attributes.iter().find(|c| c.name == attr) {
        let values = (0..journeys.case_count())
            .map(|c| super::numeric_at(&col.values, c))
            .collect();
        return Ok(AmountSource::Case(values));
    }
    journeys
        .event_attributes
        .iter()
        .position(|c| c.name == attr)
        .map(AmountSource::Event)
        .ok_or_else(|| InsightsError::UnknownAmount(attr.to_owned()))
}

/// Sets up the event engine's funnel over the designed stages.
fn stage_funnel(layout: &Layout, rules: &MapRules, window_us: i64) -> Option<StageFunnel> {
    let d = layout.designed;
    if d == 0 {
        return None;
    }
    let designed = &layout.order[..d];
    let by_stage_code = designed
        .iter()
        .any(|&i| !rules.stages.rules[i].conditions.is_empty());
    let matcher = if by_stage_code {
        let steps: Vec<Vec<u32>> = (0..d).map(|k| vec![k as u32 + 1]).collect();
        FunnelMatcher::new(d + 1, &steps, &[], window_us, FunnelMode::default())
    } else {
        let steps: Vec<Vec<u32>> = designed
            .iter()
            .map(|&i| {
                let rule = &rules.stages.rules[i];
                (0..rule.activities.len() as u32)
                    .filter(|&code| rule.activities[code as usize])
                    .collect()
            })
            .collect();
        let activities = rules.stages.rules.first().map_or(0, |r| r.activities.len());
        FunnelMatcher::new(activities, &steps, &[], window_us, FunnelMode::default())
    };
    Some(StageFunnel {
        matcher,
        by_stage_code,
    })
}
