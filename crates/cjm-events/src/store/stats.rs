//! A summary of a store: counts, time span, attributes and the most frequent activities.

use serde::Serialize;

use super::{AttributeKind, SourceInfo, Store, TimeSpan};
use crate::journeys::{AttributeColumn, ColumnValues};

/// One attribute in a [`StoreStats`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeStats {
    /// The attribute's name.
    pub name: String,
    /// `event` or `case`.
    pub scope: &'static str,
    /// Its type.
    pub kind: AttributeKind,
    /// Distinct values (text attributes only).
    pub distinct: Option<u64>,
    /// Rows (events or cases) without a value.
    pub missing: u64,
}

/// What `cjm stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreStats {
    /// Number of events.
    pub events: u64,
    /// Number of cases.
    pub cases: u64,
    /// Number of distinct activities.
    pub activities: u64,
    /// First and last event.
    pub time_span: Option<TimeSpan>,
    /// Seconds between the first and last event.
    pub span_s: f64,
    /// Every attribute with its type.
    pub attributes: Vec<AttributeStats>,
    /// The most frequent activities with their event counts, most frequent first
    /// (ties by name).
    pub top_activities: Vec<(String, u64)>,
    /// Files imported.
    pub sources: Vec<SourceInfo>,
}

impl Store {
    /// Summarises the store, listing at most `top` activities.
    pub fn stats(&self, top: usize) -> StoreStats {
        let journeys = self.journeys();
        let manifest = self.manifest();
        let mut counts = vec![0u64; journeys.activity_names.len()];
        for &a in journeys.activity {
            if let Some(c) = counts.get_mut(a as usize) {
                *c += 1;
            }
        }
        let mut top_activities: Vec<(String, u64)> = counts
            .iter()
            .enumerate()
            .map(|(i, &n)| (journeys.activity_names.get(i).to_owned(), n))
            .collect();
        top_activities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top_activities.truncate(top);
        let attributes = journeys
            .event_attributes
            .iter()
            .map(|c| attribute_stats(c, "event"))
            .chain(
                journeys
                    .case_attributes
                    .iter()
                    .map(|c| attribute_stats(c, "case")),
            )
            .collect();
        StoreStats {
            events: manifest.events,
            cases: manifest.cases,
            activities: manifest.activities,
            span_s: manifest
                .time_span
                .as_ref()
                .map_or(0.0, |s| (s.last_us - s.first_us) as f64 / 1e6),
            time_span: manifest.time_span.clone(),
            attributes,
            top_activities,
            sources: manifest.sources.clone(),
        }
    }
}

fn attribute_stats(column: &AttributeColumn<'_>, scope: &'static str) -> AttributeStats {
    let (kind, distinct, missing) = match column.values {
        ColumnValues::Int(v) => (AttributeKind::Int, None, count(v, |x| *x == i64::MIN)),
        ColumnValues::Float(v) => (AttributeKind::Float, None, count(v, |x| x.is_nan())),
        ColumnValues::Bool(v) => (AttributeKind::Bool, None, count(v, |x| *x > 1)),
        ColumnValues::Time(v) => (AttributeKind::Time, None, count(v, |x| *x == i64::MIN)),
        ColumnValues::Text { codes, dict } => (
            AttributeKind::Text,
            Some(dict.len() as u64),
            count(codes, |x| *x == u32::MAX),
        ),
    };
    AttributeStats {
        name: column.name.to_owned(),
        scope,
        kind,
        distinct,
        missing,
    }
}

fn count<T>(values: &[T], missing: impl Fn(&T) -> bool) -> u64 {
    values.iter().filter(|v| missing(v)).count() as u64
}
