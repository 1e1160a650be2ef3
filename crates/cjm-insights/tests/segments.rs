//! Channels, personas and trends on a small log with a channel attribute.

use cjm_insights::insights::ChannelCell;
use cjm_insights::{BuildOptions, Period};

use crate::support::{TextColumn, build_with, log, map};

const DAY: i64 = 86_400;
/// 2024-01-31T00:00:00Z and 2024-02-01T00:00:00Z, in seconds.
const JAN31: i64 = 1_706_659_200;
const FEB1: i64 = JAN31 + DAY;

fn events() -> Vec<(&'static str, &'static str, i64, &'static str)> {
    vec![
        ("c1", "visit", JAN31, "web"),
        ("c1", "buy", JAN31 + 60, "app"),
        ("c2", "visit", JAN31 + 10, "web"),
        ("c3", "visit", FEB1, "app"),
        ("c3", "buy", FEB1 + 7200, "app"),
        ("c3", "buy", FEB1 + 7300, "app"),
    ]
}

const MAP: &str = r#"
cjm: 1
id: m
title: M
personas:
  - id: app-user
    name: App user
    filter:
      - attr: channel
        in: [app]
  - id: web-user
    name: Web user
    filter:
      - attr: channel
        in: [web]
stages:
  - id: visit
    name: Visit
    events:
      activities: [visit]
    steps:
      - id: v
        name: V
  - id: buy
    name: Buy
    events:
      activities: [buy]
    steps:
      - id: b
        name: B
lanes: []
"#;

fn run(options: &BuildOptions) -> cjm_insights::Build {
    let e = events();
    let owned = log(&e.iter().map(|&(c, a, t, _)| (c, a, t)).collect::<Vec<_>>());
    let channel = TextColumn::new(&e.iter().map(|x| x.3).collect::<Vec<_>>());
    let mut j = owned.view();
    j.event_attributes.push(channel.column("channel"));
    build_with(&map(MAP), &j, options)
}

#[test]
fn channels_by_stage_with_conversion() {
    let b = run(&BuildOptions::default());
    let cell = |channel: &str, stage: &str, events, cases, conversion| ChannelCell {
        channel: channel.into(),
        stage: stage.into(),
        events,
        cases,
        conversion,
    };
    assert_eq!(b.insights.channels.channels, ["web", "app"]);
    assert_eq!(
        b.insights.channels.cells,
        vec![
            cell("web", "visit", 2, 2, Some(0.5)),
            cell("app", "visit", 1, 1, Some(1.0)),
            cell("app", "buy", 3, 2, None),
        ]
    );
    let visit = &b.insights.stages[0];
    assert_eq!(visit.channels[0].channel, "web");
    assert_eq!((visit.channels[0].events, visit.channels[0].cases), (2, 2));
    // The median time from visit to buy: c1 60 s, c3 7200 s.
    assert_eq!(b.insights.stages[1].wait_median_s, Some(3630.0));
}

#[test]
fn personas_are_measured_separately() {
    let b = run(&BuildOptions::default());
    let p = &b.insights.personas;
    assert_eq!(p.len(), 2);
    assert_eq!((p[0].persona.as_str(), p[0].cases), ("app-user", 2));
    let reached: Vec<u64> = p[0].stages.iter().map(|s| s.reached).collect();
    assert_eq!(reached, [2, 2]);
    assert_eq!((p[1].persona.as_str(), p[1].cases), ("web-user", 2));
    let reached: Vec<u64> = p[1].stages.iter().map(|s| s.reached).collect();
    assert_eq!(reached, [2, 1]);
    let lane = b
        .map
        .lanes
        .iter()
        .find(|l| l.id == "measured-persona-web-user");
    assert_eq!(lane.map(|l| l.cells.len()), Some(2));
}

#[test]
fn trends_per_month_and_week() {
    let options = BuildOptions {
        period: Some(Period::Month),
        ..BuildOptions::default()
    };
    let b = run(&options);
    let t = b
        .insights
        .trends
        .as_ref()
        .map(|t| (t.periods.clone(), t.stages.clone()));
    let Some((periods, stages)) = t else {
        panic!("no trends")
    };
    assert_eq!(periods, ["2024-01", "2024-02"]);
    assert_eq!(stages[0].reached, [2, 1]);
    assert_eq!(stages[1].reached, [1, 1]);
    assert_eq!(stages[1].conversion_from_previous, [Some(0.5), Some(1.0)]);
    assert_eq!(stages[1].wait_median_s, [Some(60.0), Some(7200.0)]);
    assert_eq!(stages[0].dropped_share, [Some(0.5), Some(0.0)]);
    // The conversion metric carries the trend for the sparkline (in percent).
    let conv = b.map.lanes.iter().find(|l| l.id == "measured-conversion");
    let trend = conv
        .and_then(|l| l.cells[1].metric.as_ref())
        .map(|m| m.trend.clone());
    assert_eq!(trend, Some(vec![50.0, 100.0]));
    // 2024-01-31 is a Wednesday, 2024-02-01 a Thursday: one week starting Monday 2024-01-29.
    let weekly = run(&BuildOptions {
        period: Some(Period::Week),
        ..BuildOptions::default()
    });
    let weeks = weekly.insights.trends.map(|t| t.periods);
    assert_eq!(weeks, Some(vec!["2024-01-29".to_string()]));
}

#[test]
fn persona_filters_past_64_conditions_still_hold_exactly() {
    // The pass reads up to 64 conditions on one text column as bits and tests the rest
    // per case: here the 65th condition of the first persona, and all of the second's.
    let condition = |values: &str| format!("      - attr: channel\n        in: [{values}]\n");
    let many = condition("web, app").repeat(64) + &condition("app");
    let none = condition("web, app").repeat(3) + &condition("store");
    let stages = MAP.find("stages:").map_or("", |at| &MAP[at..]);
    let yaml = format!(
        "cjm: 1\nid: m\ntitle: M\npersonas:\n  - id: many\n    name: Many\n    filter:\n{many}  - id: none\n    name: None\n    filter:\n{none}{stages}"
    );
    let e = events();
    let owned = log(&e.iter().map(|&(c, a, t, _)| (c, a, t)).collect::<Vec<_>>());
    let channel = TextColumn::new(&e.iter().map(|x| x.3).collect::<Vec<_>>());
    let mut j = owned.view();
    j.event_attributes.push(channel.column("channel"));
    let b = build_with(&map(&yaml), &j, &BuildOptions::default());
    let personas = &b.insights.personas;
    let cases: Vec<(&str, u64)> = personas
        .iter()
        .map(|p| (p.persona.as_str(), p.cases))
        .collect();
    assert_eq!(cases, [("many", 2), ("none", 0)]);
    let reached: Vec<u64> = personas[0].stages.iter().map(|s| s.reached).collect();
    assert_eq!(reached, [2, 2]);
}
