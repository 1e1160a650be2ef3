//! Stage measures and designed-vs-actual figures, exact on a small hand-made log.

use cjm_insights::insights::{ActivityCount, PathCount, StageCount, Transition};

use crate::support::{build, log, stage_map};

fn events() -> Vec<(&'static str, &'static str, i64)> {
    vec![
        // follows the designed order
        ("c1", "a", 0),
        ("c1", "b", 10),
        ("c1", "c", 30),
        // skips b
        ("c2", "a", 0),
        ("c2", "c", 50),
        // steps back from b to a, enters a and b twice
        ("c3", "a", 0),
        ("c3", "b", 5),
        ("c3", "a", 7),
        ("c3", "b", 20),
        ("c3", "c", 40),
        // leaves after a, through the outcome `lost`
        ("c4", "a", 0),
        ("c4", "lost", 100),
        // never enters a stage
        ("c5", "x", 0),
    ]
}

fn counts(v: &[(&str, u64)]) -> Vec<StageCount> {
    v.iter()
        .map(|&(s, cases)| StageCount {
            stage: s.into(),
            cases,
        })
        .collect()
}

#[test]
fn stage_measures_are_exact() {
    let owned = log(&events());
    let m = stage_map(&[&["a"], &["b"], &["c"]], &[("outcome-lost", &["lost"])]);
    let b = build(&m, &owned.view());
    let s = &b.insights.stages;
    let ids: Vec<&str> = s.iter().map(|x| x.stage.as_str()).collect();
    assert_eq!(ids, ["s1", "s2", "s3", "outcome-lost"]);
    // Funnel levels: c1 3, c2 1 (b never came), c3 3, c4 1, c5 0.
    let reached: Vec<u64> = s.iter().map(|x| x.reached).collect();
    assert_eq!(reached, [4, 2, 2, 1]);
    let touched: Vec<u64> = s.iter().map(|x| x.touched).collect();
    assert_eq!(touched, [4, 2, 3, 1]);
    assert_eq!(s[0].conversion_from_previous, Some(0.8));
    assert_eq!(s[1].conversion_from_previous, Some(0.5));
    assert_eq!(s[2].conversion_from_first, Some(0.5));
    assert_eq!((s[0].dropped, s[0].dropped_share), (2, Some(0.5)));
    assert_eq!((s[1].dropped, s[1].dropped_share), (0, Some(0.0)));
    assert_eq!((s[2].dropped, s[2].dropped_share), (0, None));
    // Times on the funnel chain: c1 a@0 b@10 c@30; c3 restarts at a@7: b@20, c@40.
    assert_eq!(s[1].wait_median_s, Some(11.5));
    assert_eq!(s[2].wait_median_s, Some(20.0));
    assert_eq!(s[1].wait_p90_s, Some(12.7));
    assert_eq!(
        s[0].dropped_last_activities,
        vec![
            ActivityCount {
                name: "c".into(),
                cases: 1
            },
            ActivityCount {
                name: "lost".into(),
                cases: 1
            },
        ]
    );
    assert_eq!(
        s[0].dropped_exits,
        vec![
            ActivityCount {
                name: "(none)".into(),
                cases: 1
            },
            ActivityCount {
                name: "outcome-lost".into(),
                cases: 1
            },
        ]
    );
}

#[test]
fn designed_vs_actual_is_exact() {
    let owned = log(&events());
    let m = stage_map(&[&["a"], &["b"], &["c"]], &[("outcome-lost", &["lost"])]);
    let c = build(&m, &owned.view()).insights.conformance;
    assert_eq!(c.cases, 4);
    assert_eq!(c.follows_designed, 2);
    assert_eq!(c.follows_share, Some(0.5));
    assert_eq!(c.skipped, counts(&[("s1", 0), ("s2", 1), ("s3", 0)]));
    assert_eq!(c.reentered, counts(&[("s1", 1), ("s2", 1), ("s3", 0)]));
    assert_eq!(c.back_step_cases, 1);
    assert_eq!(
        c.back_steps,
        vec![Transition {
            from: "s2".into(),
            to: "s1".into(),
            cases: 1
        }]
    );
    assert_eq!(c.loop_cases, 1);
    assert_eq!(c.designed_path, ["s1", "s2", "s3"]);
    let path = |stages: &[&str], designed: bool| PathCount {
        stages: stages.iter().map(|s| s.to_string()).collect(),
        cases: 1,
        share: 0.25,
        designed,
    };
    assert_eq!(
        c.paths,
        vec![
            path(&["s1", "s2", "s1", "s2", "s3"], false),
            path(&["s1", "s2", "s3"], true),
            path(&["s1", "s3"], false),
            path(&["s1", "outcome-lost"], true),
        ]
    );
}

#[test]
fn steps_and_touchpoints_count_volume_cases_and_repeats() {
    let owned = log(&events());
    let mut m = stage_map(&[&["a"], &["b"], &["c"]], &[]);
    m.stages[0].steps[0].events = Some(cjm_model::EventRule {
        activities: vec!["a".into()],
        conditions: Vec::new(),
    });
    let b = build(&m, &owned.view());
    let step = &b.insights.steps[0];
    assert_eq!(step.id, "s1-step");
    // a: c1 once, c2 once, c3 twice, c4 once.
    assert_eq!((step.events, step.cases, step.repeat_cases), (5, 4, 1));
    assert_eq!(step.repeat_rate, Some(0.25));
    assert_eq!(step.stage.as_deref(), Some("s1"));
}
