//! `cjm check --store` warnings, exact on small hand-made logs.

use cjm_insights::Warning;
use cjm_insights::rules::TargetKind;

use crate::support::{build, log, map};

const MAP: &str = r#"
cjm: 1
id: m
title: M
stages:
  - id: browse
    name: Browse
    events:
      activities: [landing, "b*"]
    steps:
      - id: look
        name: Look
        events:
          activities: [landing]
          where:
            - attr: channel
              in: [app]
  - id: buy
    name: Buy
    events:
      activities: [buy]
    steps:
      - id: pay
        name: Pay
  - id: ghost
    name: Ghost
    events:
      activities: [refund, "zz?"]
    steps:
      - id: nothing
        name: Nothing
lanes: []
"#;

fn events() -> Vec<(&'static str, &'static str, i64)> {
    vec![
        ("c1", "landing", 1),
        ("c1", "browse", 2),
        ("c1", "buy", 3),
        ("c1", "faq", 4),
        ("c2", "landing", 1),
        ("c2", "faq", 2),
        ("c2", "faq", 3),
        ("c2", "chat", 4),
    ]
}

#[test]
fn warns_about_rules_unmatched_events_and_double_claims() {
    let owned = log(&events());
    let b = build(&map(MAP), &owned.view());
    let w = &b.insights.warnings;
    let nothing: Vec<(TargetKind, &str, Option<&str>)> = w
        .iter()
        .filter_map(|w| match w {
            Warning::RuleMatchesNothing { target, pattern } => {
                Some((target.kind, target.id.as_str(), pattern.as_deref()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        nothing,
        vec![
            (TargetKind::Stage, "ghost", Some("refund")),
            (TargetKind::Stage, "ghost", Some("zz?")),
            (TargetKind::Stage, "ghost", None),
            // The store has no `channel` attribute, so the condition matches nothing.
            (TargetKind::Step, "look", None),
        ]
    );
    let unmatched: Vec<(&str, u64)> = w
        .iter()
        .filter_map(|w| match w {
            Warning::UnmatchedEvents { activity, events } => {
                Some((activity.as_str(), events.to_owned()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(unmatched, vec![("faq", 3), ("chat", 1)]);
    // `buy` matches `b*` of browse and `buy` of buy: browse (first) keeps it.
    let twice: Vec<&Warning> = w
        .iter()
        .filter(|w| matches!(w, Warning::ClaimedByTwoStages { .. }))
        .collect();
    assert_eq!(
        twice,
        vec![&Warning::ClaimedByTwoStages {
            activity: "buy".into(),
            first: "browse".into(),
            second: "buy".into(),
            events: 1,
        }]
    );
    assert_eq!(w.len(), 7);
    let text = w[4].to_string();
    assert_eq!(
        text,
        "3 events of activity `faq` match no rule: this part of the journey is missing from the map"
    );
    // Each warning points at the rule in the map.
    let m = map(MAP);
    let pointers: Vec<String> = w.iter().map(|x| x.pointer(&m)).collect();
    assert_eq!(
        pointers,
        [
            "/stages/2/events/activities/0",
            "/stages/2/events/activities/1",
            "/stages/2/events",
            "/stages/0/steps/0/events",
            "/stages",
            "/stages",
            "/stages/1/events",
        ]
    );
    // check_store gives the same warnings.
    assert_eq!(
        cjm_insights::check_store(&map(MAP), &owned.view())
            .ok()
            .as_ref(),
        Some(w)
    );
}

#[test]
fn a_map_whose_rules_match_nothing_still_builds_with_warnings() {
    let owned = log(&events());
    let m = map(&MAP
        .replace("[landing, \"b*\"]", "[nope]")
        .replace("[buy]", "[never]"));
    let b = build(&m, &owned.view());
    assert!(
        b.insights
            .stages
            .iter()
            .all(|s| s.reached == 0 && s.touched == 0)
    );
    assert_eq!(b.insights.cases, 2);
    assert!(b.insights.weak_points.is_empty());
    let nothing = b
        .insights
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::RuleMatchesNothing { pattern: None, .. }))
        .count();
    // browse, buy, ghost and the step `look`.
    assert_eq!(nothing, 4);
    // Every event is unmatched now except the `landing` ones the step rule would take.
    assert!(b.insights.warnings.iter().any(|w| matches!(
        w,
        Warning::UnmatchedEvents { activity, events: 2 } if activity == "landing"
    )));
    // The map still gets its measured lanes, with zeros.
    let reached = b.map.lanes.iter().find(|l| l.id == "measured-reached");
    let values: Vec<Option<f64>> = reached
        .map(|l| {
            l.cells
                .iter()
                .map(|c| c.metric.as_ref().and_then(|m| m.value))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(values, vec![Some(0.0), Some(0.0), Some(0.0)]);
}
