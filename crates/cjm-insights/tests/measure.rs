//! The fast measuring pass (rule tables, per-case scratch, parallel ranges) against the
//! plain reference in `reference.rs`, on generated small logs and maps: every tally of
//! every segment must be exactly the same.

use cjm_events::journeys::{AttributeColumn, ColumnValues};
use cjm_insights::measure::scan_on;
use cjm_insights::{BuildOptions, Period};
use proptest::prelude::*;

use crate::reference;
use crate::support::{S, TextColumn, log, map};

const ACTIVITIES: [&str; 7] = ["visit", "view", "cart", "pay", "help", "mail", "refund"];
/// Activity patterns of rules: names, globs, and one that matches nothing.
const PATTERNS: [&str; 10] = [
    "visit", "view", "cart", "pay", "help", "mail", "refund", "v*", "*", "zz?",
];
/// Conditions of rules and persona filters: event text, event integer, case text, and an
/// attribute the store does not have.
const CONDITIONS: [(&str, &str); 6] = [
    ("channel", "web"),
    ("channel", "app"),
    ("kind", "x"),
    ("amount", "3"),
    ("tier", "gold"),
    ("ghost", "1"),
];
const CHANNELS: [&str; 3] = ["web", "app", "store"];
/// Values of a channel attribute with many values, so that stages × channels passes 64
/// (the pass then keeps its per-case sets in words of a vector, not in one word).
const SPOTS: usize = 20;
const TIERS: [&str; 2] = ["gold", "basic"];

#[derive(Debug, Clone)]
struct Event {
    activity: usize,
    /// Seconds after the previous event (0: a tie).
    gap: i64,
    channel: usize,
    spot: usize,
    kind: bool,
    amount: Option<i64>,
}

#[derive(Debug, Clone)]
struct Rule {
    patterns: Vec<usize>,
    condition: Option<usize>,
}

#[derive(Debug, Clone)]
struct Scenario {
    cases: Vec<(Vec<Event>, usize, Option<u8>)>,
    stages: Vec<Option<Rule>>,
    outcomes: Vec<Option<Rule>>,
    steps: Vec<(usize, Rule)>,
    touchpoints: Vec<(usize, Rule)>,
    personas: Vec<Vec<usize>>,
    channel_attr: usize,
    amount_attr: usize,
    period: usize,
    window_s: Option<i64>,
    threads: usize,
}

fn event() -> impl Strategy<Value = Event> {
    (
        0..ACTIVITIES.len(),
        prop_oneof![Just(0i64), 1..4i64, Just(86_400i64 * 9)],
        (0..CHANNELS.len(), 0..SPOTS),
        any::<bool>(),
        prop::option::of(1..5i64),
    )
        .prop_map(|(activity, gap, (channel, spot), kind, amount)| Event {
            activity,
            gap,
            channel,
            spot,
            kind,
            amount,
        })
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        prop::collection::vec(0..PATTERNS.len(), 1..3),
        prop::option::weighted(0.3, 0..CONDITIONS.len()),
    )
        .prop_map(|(patterns, condition)| Rule {
            patterns,
            condition,
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let case = (
        prop::collection::vec(event(), 1..16),
        0..TIERS.len(),
        prop::option::of(1..9u8),
    );
    (
        prop::collection::vec(case, 1..40),
        prop::collection::vec(prop::option::weighted(0.85, rule()), 1..5),
        prop::collection::vec(prop::option::weighted(0.85, rule()), 0..3),
        prop::collection::vec((0..6usize, rule()), 0..5),
        prop::collection::vec((0..6usize, rule()), 0..4),
        prop::collection::vec(prop::collection::vec(0..CONDITIONS.len(), 1..3), 0..3),
        (0..4usize, 0..3usize, 0..3usize),
        prop::option::of(1..6i64),
        1..4usize,
    )
        .prop_map(
            |(cases, stages, outcomes, steps, touchpoints, personas, attrs, window_s, threads)| {
                Scenario {
                    cases,
                    stages,
                    outcomes,
                    steps,
                    touchpoints,
                    personas,
                    channel_attr: attrs.0,
                    amount_attr: attrs.1,
                    period: attrs.2,
                    window_s,
                    threads,
                }
            },
        )
}

fn rule_yaml(rule: &Rule, indent: &str) -> String {
    let patterns: Vec<String> = rule
        .patterns
        .iter()
        .map(|&p| format!("\"{}\"", PATTERNS[p]))
        .collect();
    let mut y = format!(
        "{indent}events:\n{indent}  activities: [{}]\n",
        patterns.join(", ")
    );
    if let Some(c) = rule.condition {
        let (attr, value) = CONDITIONS[c];
        y.push_str(&format!(
            "{indent}  where:\n{indent}    - attr: {attr}\n{indent}      in: [\"{value}\"]\n"
        ));
    }
    y
}

fn map_yaml(s: &Scenario) -> String {
    let mut y = String::from("cjm: 1\nid: m\ntitle: M\n");
    if !s.personas.is_empty() {
        y.push_str("personas:\n");
        for (i, filter) in s.personas.iter().enumerate() {
            y.push_str(&format!("  - id: p{i}\n    name: P{i}\n    filter:\n"));
            for &c in filter {
                let (attr, value) = CONDITIONS[c];
                y.push_str(&format!(
                    "      - attr: {attr}\n        in: [\"{value}\"]\n"
                ));
            }
        }
    }
    y.push_str("stages:\n");
    let ids: Vec<String> = (0..s.stages.len())
        .map(|i| format!("s{i}"))
        .chain((0..s.outcomes.len()).map(|i| format!("outcome-{i}")))
        .collect();
    for (i, rule) in s.stages.iter().chain(&s.outcomes).enumerate() {
        y.push_str(&format!("  - id: {0}\n    name: {0}\n", ids[i]));
        if let Some(rule) = rule {
            y.push_str(&rule_yaml(rule, "    "));
        }
        let steps: Vec<_> = s
            .steps
            .iter()
            .enumerate()
            .filter(|(_, (stage, _))| stage % ids.len() == i)
            .collect();
        // Every stage has a step without events, and the generated ones.
        y.push_str(&format!(
            "    steps:\n      - id: plain{i}\n        name: Plain\n"
        ));
        for (k, (_, rule)) in steps {
            y.push_str(&format!("      - id: step{k}\n        name: Step {k}\n"));
            y.push_str(&rule_yaml(rule, "        "));
        }
    }
    y.push_str("lanes:\n");
    if !s.touchpoints.is_empty() {
        y.push_str("  - id: tp\n    kind: touchpoints\n    cells:\n");
        for (k, (stage, rule)) in s.touchpoints.iter().enumerate() {
            y.push_str(&format!(
                "      - id: tp{k}\n        stage: {}\n        text: T{k}\n",
                ids[stage % ids.len()]
            ));
            y.push_str(&rule_yaml(rule, "        "));
        }
    } else {
        y.pop();
        y.push_str(" []\n");
    }
    y
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    // Cases three days apart from 2024-01-31, so that weeks and months differ.
    let mut rows = Vec::new();
    for (c, (case, _, _)) in s.cases.iter().enumerate() {
        let mut t = 1_706_659_200 + c as i64 * 86_400 * 3;
        for e in case {
            t += e.gap;
            rows.push((format!("c{c:03}"), ACTIVITIES[e.activity], t));
        }
    }
    let owned = log(&rows
        .iter()
        .map(|(c, a, t)| (c.as_str(), *a, *t))
        .collect::<Vec<_>>());
    let flat: Vec<&Event> = s.cases.iter().flat_map(|c| &c.0).collect();
    let channel = TextColumn::new(&flat.iter().map(|e| CHANNELS[e.channel]).collect::<Vec<_>>());
    let spots: Vec<String> = flat.iter().map(|e| format!("s{}", e.spot)).collect();
    let spot = TextColumn::new(&spots.iter().map(String::as_str).collect::<Vec<_>>());
    let kind = TextColumn::new(
        &flat
            .iter()
            .map(|e| if e.kind { "x" } else { "y" })
            .collect::<Vec<_>>(),
    );
    let amount: Vec<i64> = flat.iter().map(|e| e.amount.unwrap_or(i64::MIN)).collect();
    let tier = TextColumn::new(&s.cases.iter().map(|c| TIERS[c.1]).collect::<Vec<_>>());
    let value: Vec<f64> = s
        .cases
        .iter()
        .map(|c| c.2.map_or(f64::NAN, f64::from))
        .collect();
    let mut j = owned.view();
    j.event_attributes.push(channel.column("channel"));
    j.event_attributes.push(kind.column("kind"));
    j.event_attributes.push(spot.column("spot"));
    j.event_attributes.push(AttributeColumn {
        name: "amount",
        values: ColumnValues::Int(&amount),
    });
    j.case_attributes.push(tier.column("tier"));
    j.case_attributes.push(AttributeColumn {
        name: "value",
        values: ColumnValues::Float(&value),
    });
    let m = map(&map_yaml(s));
    let options = BuildOptions {
        channel_attr: ["channel", "tier", "none", "spot"][s.channel_attr].to_owned(),
        amount_attr: [None, Some("amount"), Some("value")][s.amount_attr].map(str::to_owned),
        period: [None, Some(Period::Week), Some(Period::Month)][s.period],
        window_us: s.window_s.map(|w| w * S),
        ..BuildOptions::default()
    };
    let (_, plan) = cjm_insights::measure::plan::plan(&m, &j, &options)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let fast = scan_on(&plan, &j, s.threads).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let slow = reference::scan(&m, &plan, &j);
    prop_assert_eq!(fast.len(), slow.len());
    for (f, r) in fast.into_iter().zip(slow) {
        prop_assert_eq!(reference::canonical(f), reference::canonical(r));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fast_pass_equals_reference(s in scenario()) {
        check(&s)?;
    }
}
