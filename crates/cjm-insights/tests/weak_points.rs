//! Weak-point ranking on a generated log where the worst step is known.

use cjm_events::OwnedJourneys;
use cjm_events::journeys::{AttributeColumn, ColumnValues};
use cjm_insights::BuildOptions;
use cjm_insights::insights::WeakPointKind;

use crate::support::{build_with, log, stage_map};

/// A small seeded generator (xorshift64*), so the log is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Chance to leave after each of the five stages: the third is the worst by far.
const LEAVE: [f64; 4] = [0.1, 0.1, 0.5, 0.1];

struct Generated {
    log: OwnedJourneys,
    /// Per stage, the cases whose last stage it is.
    stopped: [u64; 5],
    /// Per case, its amount: large for the cases that leave after the first stage.
    amount: Vec<f64>,
}

fn generate(cases: usize) -> Generated {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut events: Vec<(String, &str, i64)> = Vec::new();
    let mut stopped = [0u64; 5];
    let mut amount = Vec::new();
    let names = ["s1", "s2", "s3", "s4", "s5"];
    for c in 0..cases {
        // Zero-padded ids keep the builder's case order equal to `c`.
        let id = format!("case{c:05}");
        let mut t = 0;
        let mut last = 0;
        for (k, name) in names.iter().enumerate() {
            events.push((id.clone(), name, t));
            last = k;
            if k < 4 && rng.next() < LEAVE[k] {
                break;
            }
            t += 60 + (rng.next() * 600.0) as i64;
        }
        stopped[last] += 1;
        amount.push(if last == 0 { 1_000_000.0 } else { 1.0 });
    }
    let borrowed: Vec<(&str, &str, i64)> = events
        .iter()
        .map(|(c, a, t)| (c.as_str(), *a, *t))
        .collect();
    Generated {
        log: log(&borrowed),
        stopped,
        amount,
    }
}

#[test]
fn the_worst_drop_off_ranks_first() {
    let g = generate(3000);
    let m = stage_map(&[&["s1"], &["s2"], &["s3"], &["s4"], &["s5"]], &[]);
    let b = build_with(&m, &g.log.view(), &BuildOptions::default());
    let w = &b.insights.weak_points;
    assert_eq!(
        (w[0].rank, w[0].kind, w[0].stage.as_str()),
        (1, WeakPointKind::DropOff, "s3")
    );
    assert_eq!(w[0].cases, g.stopped[2]);
    let drops: Vec<(&str, u64)> = w
        .iter()
        .filter(|x| x.kind == WeakPointKind::DropOff)
        .map(|x| (x.stage.as_str(), x.cases))
        .collect();
    let mut expected = vec![
        ("s1", g.stopped[0]),
        ("s2", g.stopped[1]),
        ("s3", g.stopped[2]),
        ("s4", g.stopped[3]),
    ];
    expected.sort_by_key(|e| std::cmp::Reverse(e.1));
    assert_eq!(drops, expected);
    let friction = |k| k != WeakPointKind::DropOff;
    assert!(
        w.windows(2)
            .all(|p| !friction(p[0].kind) && friction(p[1].kind) || p[0].lost >= p[1].lost)
    );
    // Every weak point comes with evidence and an opportunity stub, written into the map.
    let pains = b.map.lanes.iter().find(|l| l.id == "measured-weak-points");
    let critical = pains.map(|l| l.cells.iter().filter(|c| c.critical).count());
    assert_eq!(critical, Some(3));
    let opportunities = b
        .map
        .lanes
        .iter()
        .find(|l| l.id == "measured-opportunities");
    assert_eq!(
        opportunities
            .and_then(|l| l.cells.first())
            .map(|c| c.answers.clone()),
        Some(vec!["measured-weak-1".to_string()])
    );
    assert!(w[0].evidence.contains(&format!("{} of", g.stopped[2])));
}

#[test]
fn with_an_amount_the_costliest_drop_off_ranks_first() {
    let g = generate(3000);
    let m = stage_map(&[&["s1"], &["s2"], &["s3"], &["s4"], &["s5"]], &[]);
    let mut j = g.log.view();
    j.case_attributes.push(AttributeColumn {
        name: "amount",
        values: ColumnValues::Float(&g.amount),
    });
    let options = BuildOptions {
        amount_attr: Some("amount".into()),
        ..BuildOptions::default()
    };
    let b = build_with(&m, &j, &options);
    let w = &b.insights.weak_points[0];
    assert_eq!((w.kind, w.stage.as_str()), (WeakPointKind::DropOff, "s1"));
    assert_eq!(w.value, Some(g.stopped[0] as f64 * 1_000_000.0));
    assert_eq!(b.insights.stages[0].dropped_value, w.value);
    let unknown = cjm_insights::build(
        &m,
        &j,
        &BuildOptions {
            amount_attr: Some("price".into()),
            ..BuildOptions::default()
        },
    );
    assert_eq!(
        unknown.err(),
        Some(cjm_insights::InsightsError::UnknownAmount("price".into()))
    );
}
