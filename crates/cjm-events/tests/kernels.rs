//! Every kernel against the plain reference implementations, on generated logs with time
//! ties, single-event cases, overlapping funnel steps and filters.

use std::collections::BTreeMap;

use cjm_events::filter::{CaseBuffer, Filter};
use cjm_events::journeys::{AttributeColumn, ColumnValues, OwnedStrDict};
use cjm_events::kernels;
use cjm_events::kernels::dfg::Dfg;
use cjm_events::kernels::durations::Durations;
use cjm_events::kernels::funnel::{Funnel, FunnelMode, FunnelSpec};
use cjm_events::kernels::funnel_chain::{FunnelMatcher, FunnelScratch};
use cjm_events::kernels::paths::{Direction, Paths};
use cjm_events::kernels::variants::Variants;
use cjm_events::{Journeys, JourneysBuilder, OwnedJourneys};
use proptest::prelude::*;

use crate::reference::{self, RawEvent};

const ACTIVITIES: [&str; 5] = ["a", "b", "c", "d", "e"];
const CHANNELS: [&str; 3] = ["web", "app", "mail"];

/// A generated log: owned columns plus the attribute columns aligned with them.
struct Log {
    raw: Vec<RawEvent>,
    owned: OwnedJourneys,
    channel_codes: Vec<u32>,
    channel_dict: OwnedStrDict,
    tier_codes: Vec<u32>,
    tier_dict: OwnedStrDict,
}

impl Log {
    fn new(raw: Vec<RawEvent>) -> Self {
        let mut builder = JourneysBuilder::new();
        for (case, activity, ts, _) in &raw {
            builder.push(case, activity, *ts);
        }
        let owned = builder.finish();
        let mut order: Vec<usize> = (0..raw.len()).collect();
        order.sort_by(|&a, &b| {
            raw[a]
                .0
                .cmp(&raw[b].0)
                .then(raw[a].2.cmp(&raw[b].2))
                .then(a.cmp(&b))
        });
        let mut channel_dict = OwnedStrDict::default();
        for c in CHANNELS {
            channel_dict.push(c);
        }
        let channel_codes = order
            .iter()
            .map(|&i| CHANNELS.iter().position(|c| *c == raw[i].3).unwrap() as u32)
            .collect();
        let mut tier_dict = OwnedStrDict::default();
        tier_dict.push("gold");
        tier_dict.push("basic");
        let tier_codes = owned.case_ids.view().iter().map(tier_of).collect();
        Self {
            raw,
            owned,
            channel_codes,
            channel_dict,
            tier_codes,
            tier_dict,
        }
    }

    fn view(&self) -> Journeys<'_> {
        let mut view = self.owned.view();
        view.event_attributes.push(AttributeColumn {
            name: "channel",
            values: ColumnValues::Text {
                codes: &self.channel_codes,
                dict: self.channel_dict.view(),
            },
        });
        view.case_attributes.push(AttributeColumn {
            name: "tier",
            values: ColumnValues::Text {
                codes: &self.tier_codes,
                dict: self.tier_dict.view(),
            },
        });
        view
    }
}

/// Cases with an even number are "gold", the others "basic".
fn tier_of(case: &str) -> u32 {
    case.trim_start_matches('c').parse::<u32>().unwrap_or(0) % 2
}

fn raw_events() -> impl Strategy<Value = Vec<RawEvent>> {
    // Few distinct seconds so that ties are common; an odd microsecond now and then.
    let event = (
        0..7usize,
        0..ACTIVITIES.len(),
        0..25i64,
        0..3i64,
        0..CHANNELS.len(),
    )
        .prop_map(|(case, a, s, us, ch)| {
            (
                format!("c{case}"),
                ACTIVITIES[a].to_owned(),
                s * 1_000_000 + us * (us % 2),
                CHANNELS[ch].to_owned(),
            )
        });
    prop::collection::vec(event, 0..60)
}

fn step_lists() -> impl Strategy<Value = Vec<Vec<String>>> {
    let step = prop::collection::btree_set(0..ACTIVITIES.len(), 1..3).prop_map(|s| {
        s.into_iter()
            .map(|a| ACTIVITIES[a].to_owned())
            .collect::<Vec<_>>()
    });
    prop::collection::vec(step, 1..5)
}

fn modes() -> impl Strategy<Value = FunnelMode> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(o, d, i)| FunnelMode {
        strict_order: o,
        strict_deduplication: d,
        strict_increase: i,
    })
}

fn filters() -> impl Strategy<Value = Filter> {
    let names = |set: std::collections::BTreeSet<usize>| -> Vec<String> {
        set.into_iter().map(|a| ACTIVITIES[a].to_owned()).collect()
    };
    (
        prop::option::of(0..25i64),
        prop::option::of(0..25i64),
        prop::option::of(0..CHANNELS.len()),
        prop::option::of(0..2u32),
        prop::collection::btree_set(0..ACTIVITIES.len(), 0..3),
        prop::collection::btree_set(0..ACTIVITIES.len(), 0..2),
        prop::collection::btree_set(0..ACTIVITIES.len(), 0..2),
    )
        .prop_map(move |(from, to, channel, tier, keep, drop, containing)| {
            let mut attribute_equals = Vec::new();
            if let Some(ch) = channel {
                attribute_equals.push(("channel".to_owned(), CHANNELS[ch].to_owned()));
            }
            if let Some(t) = tier {
                attribute_equals
                    .push(("tier".to_owned(), ["gold", "basic"][t as usize].to_owned()));
            }
            Filter {
                from_us: from.map(|s| s * 1_000_000),
                to_us: to.map(|s| s * 1_000_000),
                attribute_equals,
                activities: names(keep),
                exclude_activities: names(drop),
                containing: names(containing),
            }
        })
}

/// The filter applied by hand to the raw events.
fn filter_raw(raw: &[RawEvent], f: &Filter) -> Vec<RawEvent> {
    let cases = reference::by_case(raw);
    raw.iter()
        .filter(|(case, activity, ts, channel)| {
            let all = &cases[case];
            let wanted = |key: &'static str| {
                f.attribute_equals
                    .iter()
                    .filter(move |(k, _)| k == key)
                    .map(|(_, v)| v.as_str())
            };
            f.containing.iter().all(|a| all.iter().any(|e| &e.1 == a))
                && wanted("tier").all(|v| ["gold", "basic"][tier_of(case) as usize] == v)
                && wanted("channel").all(|v| v == channel)
                && f.from_us.is_none_or(|t| *ts >= t)
                && f.to_us.is_none_or(|t| *ts < t)
                && (f.activities.is_empty() || f.activities.contains(activity))
                && !f.exclude_activities.contains(activity)
        })
        .cloned()
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

fn check_dfg(journeys: &Journeys<'_>, filter: &Filter, expected_raw: &[RawEvent]) {
    let selection = filter.select(journeys).unwrap();
    let report = Dfg { performance: true }.report(&selection);
    let expected = reference::dfg(expected_raw);
    assert_eq!(report.edges.len(), expected.len());
    for edge in &report.edges {
        let durations = &expected[&(edge.from.clone(), edge.to.clone())];
        assert_eq!(edge.count, durations.len() as u64);
        let mean = durations.iter().sum::<f64>() / durations.len() as f64;
        assert!(close(edge.mean_s.unwrap(), mean));
        assert!(close(edge.median_s.unwrap(), reference::median(durations)));
        assert!(close(
            edge.min_s.unwrap(),
            durations.iter().cloned().fold(f64::MAX, f64::min)
        ));
        assert!(close(
            edge.max_s.unwrap(),
            durations.iter().cloned().fold(f64::MIN, f64::max)
        ));
    }
    let (start, end) = reference::start_end(expected_raw);
    assert_eq!(report.start, start);
    assert_eq!(report.end, end);
    assert_eq!(report.cases, reference::by_case(expected_raw).len() as u64);
    assert_eq!(report.events, expected_raw.len() as u64);
}

fn check_variants(
    journeys: &Journeys<'_>,
    filter: &Filter,
    expected_raw: &[RawEvent],
    top: Option<usize>,
) {
    let selection = filter.select(journeys).unwrap();
    let report = Variants { top }.report(&selection);
    let expected = reference::variants(expected_raw);
    assert_eq!(report.distinct, expected.len() as u64);
    let kept = top.unwrap_or(usize::MAX).min(expected.len());
    assert_eq!(report.variants.len(), kept);
    for (got, (seq, durations)) in report.variants.iter().zip(&expected) {
        assert_eq!(&got.activities, seq);
        assert_eq!(got.cases, durations.len() as u64);
        assert!(close(got.median_duration_s, reference::median(durations)));
    }
}

fn check_funnel(log: &Log, filter: &Filter, spec: &FunnelSpec) {
    let journeys = log.view();
    let selection = filter.select(&journeys).unwrap();
    let funnel = Funnel::new(spec, &journeys).unwrap();
    let expected_cases = reference::by_case(&filter_raw(&log.raw, filter));
    // Per case: level and chain.
    let mut outcomes: BTreeMap<String, (usize, Vec<i64>)> = BTreeMap::new();
    let (mut buffer, mut scratch) = (CaseBuffer::default(), FunnelScratch::default());
    for c in 0..journeys.case_count() {
        if let Some(events) = selection.case(c, &mut buffer) {
            let got = funnel
                .matcher()
                .matches(events.activity, events.timestamp_us, &mut scratch);
            outcomes.insert(
                journeys.case_ids.get(c).to_owned(),
                (got.level, got.step_us.to_vec()),
            );
        }
    }
    let expected: BTreeMap<String, (usize, Vec<i64>)> = expected_cases
        .iter()
        .map(|(case, evs)| {
            (
                case.clone(),
                reference::funnel_case(evs, &spec.steps, &spec.exclude, spec.window_us, spec.mode),
            )
        })
        .collect();
    assert_eq!(outcomes, expected);
    if spec.mode == FunnelMode::default() && spec.exclude.is_empty() {
        for (case, evs) in &expected_cases {
            let brute = reference::funnel_level_brute_force(evs, &spec.steps, spec.window_us);
            assert_eq!(outcomes[case].0, brute, "case {case}");
        }
    }
    // The report.
    let report = funnel.report(&selection);
    let n = spec.steps.len();
    let mut levels = vec![0u64; n + 1];
    for (level, _) in expected.values() {
        levels[*level] += 1;
    }
    assert_eq!(report.levels, levels);
    assert_eq!(report.cases, expected.len() as u64);
    for (k, step) in report.steps.iter().enumerate() {
        let reaching: Vec<&Vec<i64>> = expected
            .values()
            .filter(|(l, _)| *l > k)
            .map(|(_, c)| c)
            .collect();
        assert_eq!(step.customers, reaching.len() as u64);
        if k == 0 || reaching.is_empty() {
            assert_eq!(step.median_s, None);
        } else {
            let gaps: Vec<f64> = reaching
                .iter()
                .map(|c| (c[k] - c[k - 1]) as f64 / 1e6)
                .collect();
            assert!(close(step.median_s.unwrap(), reference::median(&gaps)));
            assert!(close(
                step.p90_s.unwrap(),
                reference::percentile(&gaps, 0.9)
            ));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn funnel_agrees_with_windowfunnel(raw in raw_events(), steps in step_lists(), mode in modes(), window_s in -2..15i64, exclude in prop::option::of(0..ACTIVITIES.len())) {
        let log = Log::new(raw);
        let exclude: Vec<String> = exclude
            .map(|a| ACTIVITIES[a].to_owned())
            .filter(|a| !steps.iter().flatten().any(|s| s == a))
            .into_iter()
            .collect();
        let spec = FunnelSpec { steps, window_us: window_s * 1_000_000, mode, exclude, ..FunnelSpec::default() };
        check_funnel(&log, &Filter::default(), &spec);
    }

    #[test]
    fn funnel_without_ties_agrees_with_windowfunnel(raw in raw_events(), steps in step_lists(), window_s in 0..15i64) {
        // Every event at its own microsecond (the generated times are whole seconds plus
        // 0 or 1, so adding twice the event's position makes them distinct): the plain
        // match's fast pass, which leaves out the tie checks.
        let raw = raw
            .into_iter()
            .enumerate()
            .map(|(i, (case, activity, t, channel))| (case, activity, t + 2 * i as i64, channel))
            .collect();
        let spec = FunnelSpec { steps, window_us: window_s * 1_000_000, ..FunnelSpec::default() };
        check_funnel(&Log::new(raw), &Filter::default(), &spec);
    }

    #[test]
    fn funnel_with_filters(raw in raw_events(), steps in step_lists(), mode in modes(), filter in filters()) {
        let log = Log::new(raw);
        let spec = FunnelSpec { steps, window_us: 8_000_000, mode, ..FunnelSpec::default() };
        check_funnel(&log, &filter, &spec);
    }

    #[test]
    fn dfg_variants_durations_agree(raw in raw_events(), top in prop::option::of(1..4usize)) {
        let log = Log::new(raw.clone());
        let journeys = log.view();
        check_dfg(&journeys, &Filter::default(), &raw);
        check_variants(&journeys, &Filter::default(), &raw, top);
        let selection = Filter::default().select(&journeys).unwrap();
        let mut got: Vec<f64> = kernels::run(&Durations::default(), &selection).iter().map(|&d| d as f64 / 1e6).collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        prop_assert_eq!(got, reference::durations(&raw));
    }

    #[test]
    fn filtered_kernels_see_the_filtered_log(raw in raw_events(), filter in filters()) {
        let log = Log::new(raw.clone());
        let journeys = log.view();
        let kept = filter_raw(&raw, &filter);
        check_dfg(&journeys, &filter, &kept);
        check_variants(&journeys, &filter, &kept, None);
    }

    #[test]
    fn paths_agree(raw in raw_events(), anchor in 0..ACTIVITIES.len(), after in any::<bool>(), depth in 0..4usize) {
        let log = Log::new(raw.clone());
        let journeys = log.view();
        let selection = Filter::default().select(&journeys).unwrap();
        let direction = if after { Direction::After } else { Direction::Before };
        let kernel = Paths { anchor: journeys.activity_code(ACTIVITIES[anchor]), direction, depth, top: None };
        let report = kernel.report(&selection);
        let got: BTreeMap<Vec<String>, u64> = report.paths.iter().map(|p| (p.activities.clone(), p.cases)).collect();
        prop_assert_eq!(&got, &reference::paths(&raw, ACTIVITIES[anchor], after, depth));
        prop_assert!(report.paths.windows(2).all(|w| w[0].cases >= w[1].cases));
        // Sankey: the anchor node holds every path.
        let anchor_cases: u64 = report.sankey.nodes.iter().filter(|n| n.depth == 0).map(|n| n.cases).sum();
        prop_assert_eq!(anchor_cases, report.cases_with_anchor);
    }

    #[test]
    fn parallel_equals_serial(raw in raw_events()) {
        let log = Log::new(raw);
        let journeys = log.view();
        let selection = Filter::default().select(&journeys).unwrap();
        let kernel = Dfg { performance: true };
        let serial = kernel.finish(kernels::run_on(&kernel, &selection, 1), &selection);
        let parallel = kernel.finish(kernels::run_on(&kernel, &selection, 3), &selection);
        prop_assert_eq!(serial, parallel);
        let spec = FunnelSpec { steps: vec![vec!["a".into()], vec!["b".into(), "c".into()]], window_us: 5_000_000, ..FunnelSpec::default() };
        let funnel = Funnel::new(&spec, &journeys).unwrap();
        let serial = funnel.finish(kernels::run_on(&funnel, &selection, 1), &journeys);
        let parallel = funnel.finish(kernels::run_on(&funnel, &selection, 3), &journeys);
        prop_assert_eq!(serial, parallel);
        let variants = Variants { top: Some(3) };
        let serial = variants.finish(kernels::run_on(&variants, &selection, 1), &selection);
        prop_assert_eq!(&serial, &variants.report_on(&selection, 1));
        prop_assert_eq!(&serial, &variants.report_on(&selection, 3));
    }
}

/// Logs whose busiest edges occur thousands of times, so DFG medians come from counting
/// and gathering rather than from kept durations: wide, clustered, narrow (one value per
/// bucket) and tied durations.
#[test]
fn medians_of_busy_edges_equal_the_reference() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |bound: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    for shape in 0..4 {
        let mut raw = Vec::new();
        for case in 0..12_000 {
            let mut ts = 1_700_000_000_000_000i64;
            for _ in 0..2 + next(5) {
                let activity = ACTIVITIES[next(2) as usize].to_owned();
                raw.push((format!("c{case}"), activity, ts, "web".to_owned()));
                ts += match shape {
                    0 => next(1 << 40) as i64,
                    1 => 1_000_000 * next(4) as i64,
                    2 => next(3_000) as i64,
                    _ => [0, 7, 3_600_000_000, 86_400_000_000][next(4) as usize] + next(2) as i64,
                };
            }
        }
        let log = Log::new(raw.clone());
        check_dfg(&log.view(), &Filter::default(), &raw);
    }
}

#[test]
fn a_case_without_events_reaches_level_zero() {
    let steps = [vec![0u32], vec![1u32]];
    let matcher = FunnelMatcher::new(2, &steps, &[], 10, FunnelMode::default());
    let mut scratch = FunnelScratch::default();
    // A case that reaches level 2 first, so that nothing of it may linger.
    assert_eq!(matcher.matches(&[0, 1], &[1, 2], &mut scratch).level, 2);
    let empty = matcher.matches(&[], &[], &mut scratch);
    assert_eq!((empty.level, empty.step_us), (0, &[][..]));
}

#[test]
fn empty_log_gives_empty_reports() {
    let log = Log::new(Vec::new());
    let journeys = log.view();
    let selection = Filter::default().select(&journeys).unwrap();
    assert!(
        Dfg { performance: true }
            .report(&selection)
            .edges
            .is_empty()
    );
    assert_eq!(Variants::default().report(&selection).cases, 0);
    assert_eq!(Durations::default().report(&selection).summary, None);
    let spec = FunnelSpec {
        steps: vec![vec!["a".into()]],
        ..FunnelSpec::default()
    };
    let report = Funnel::new(&spec, &journeys).unwrap().report(&selection);
    assert_eq!(report.levels, vec![0, 0]);
    assert_eq!(report.steps[0].conversion_from_previous, 0.0);
}

#[test]
fn funnel_breakdown_and_dropped_cases() {
    let raw: Vec<RawEvent> = [
        ("c0", "a", 1, "web"),
        ("c0", "b", 2, "app"),
        ("c1", "a", 1, "app"),
        ("c2", "b", 1, "mail"),
        ("c2", "a", 2, "web"),
        ("c2", "b", 3, "web"),
        ("c3", "c", 1, "mail"),
    ]
    .iter()
    .map(|(c, a, t, ch)| (c.to_string(), a.to_string(), t * 1_000_000, ch.to_string()))
    .collect();
    let log = Log::new(raw);
    let journeys = log.view();
    let selection = Filter::default().select(&journeys).unwrap();
    let spec = FunnelSpec {
        steps: vec![vec!["a".into()], vec!["b".into()]],
        window_us: 10_000_000,
        by: Some("channel".into()),
        dropped_at: Some(1),
        ..FunnelSpec::default()
    };
    let report = Funnel::new(&spec, &journeys).unwrap().report(&selection);
    assert_eq!(report.levels, vec![1, 1, 2]);
    assert_eq!(report.dropped_cases, Some(vec!["c1".to_owned()]));
    let groups: BTreeMap<&str, &Vec<u64>> = report
        .groups
        .iter()
        .map(|g| (g.value.as_str(), &g.levels))
        .collect();
    // First touch: c0 and c2 reached step 1 on the web, c1 in the app; c3 never did (its first event: mail).
    assert_eq!(
        groups,
        BTreeMap::from([
            ("web", &vec![0, 0, 2]),
            ("app", &vec![0, 1, 0]),
            ("mail", &vec![1, 0, 0])
        ])
    );
    assert_eq!(report.steps[1].median_s, Some(1.0));
    assert_eq!(report.steps[1].dropped, 1);
    let unknown = FunnelSpec {
        by: Some("nope".into()),
        ..spec
    };
    assert!(Funnel::new(&unknown, &journeys).is_err());
    assert!(
        Filter {
            attribute_equals: vec![("nope".into(), "x".into())],
            ..Filter::default()
        }
        .select(&journeys)
        .is_err()
    );
}
