//! Plain, obviously correct versions of the kernels, over a raw list of events.

use std::collections::BTreeMap;

use cjm_events::kernels::funnel::FunnelMode;

/// One raw event: (case, activity, timestamp µs, channel); input order is the Vec order.
pub type RawEvent = (String, String, i64, String);

/// Events of each case in (timestamp, input) order, cases by id.
pub fn by_case(events: &[RawEvent]) -> BTreeMap<String, Vec<(i64, String, String)>> {
    let mut cases: BTreeMap<String, Vec<(i64, usize, String, String)>> = BTreeMap::new();
    for (i, (case, activity, ts, channel)) in events.iter().enumerate() {
        cases
            .entry(case.clone())
            .or_default()
            .push((*ts, i, activity.clone(), channel.clone()));
    }
    cases
        .into_iter()
        .map(|(case, mut evs)| {
            evs.sort();
            (
                case,
                evs.into_iter().map(|(t, _, a, ch)| (t, a, ch)).collect(),
            )
        })
        .collect()
}

/// Median as pm4py and numpy take it.
pub fn median(values: &[f64]) -> f64 {
    percentile(values, 0.5)
}

/// Linear-interpolation quantile over a sorted copy.
pub fn percentile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// Directly-follows counts and durations (seconds) per (from, to).
pub fn dfg(events: &[RawEvent]) -> BTreeMap<(String, String), Vec<f64>> {
    let mut edges: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for evs in by_case(events).values() {
        for pair in evs.windows(2) {
            edges
                .entry((pair[0].1.clone(), pair[1].1.clone()))
                .or_default()
                .push((pair[1].0 - pair[0].0) as f64 / 1e6);
        }
    }
    edges
}

/// Start and end activity counts.
pub fn start_end(events: &[RawEvent]) -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let (mut start, mut end) = (BTreeMap::new(), BTreeMap::new());
    for evs in by_case(events).values() {
        *start.entry(evs[0].1.clone()).or_default() += 1;
        *end.entry(evs[evs.len() - 1].1.clone()).or_default() += 1;
    }
    (start, end)
}

/// Variants with their case durations (seconds), ranked by count then sequence.
pub fn variants(events: &[RawEvent]) -> Vec<(Vec<String>, Vec<f64>)> {
    let mut all: BTreeMap<Vec<String>, Vec<f64>> = BTreeMap::new();
    for evs in by_case(events).values() {
        let seq = evs.iter().map(|e| e.1.clone()).collect();
        let duration = (evs[evs.len() - 1].0 - evs[0].0) as f64 / 1e6;
        all.entry(seq).or_default().push(duration);
    }
    let mut ranked: Vec<_> = all.into_iter().collect();
    ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    ranked
}

/// Case durations in seconds, ascending.
pub fn durations(events: &[RawEvent]) -> Vec<f64> {
    let mut d: Vec<f64> = by_case(events)
        .values()
        .map(|evs| (evs[evs.len() - 1].0 - evs[0].0) as f64 / 1e6)
        .collect();
    d.sort_by(|a, b| a.partial_cmp(b).unwrap());
    d
}

/// Paths after (or before) the first occurrence of `anchor`, with their counts.
pub fn paths(
    events: &[RawEvent],
    anchor: &str,
    after: bool,
    depth: usize,
) -> BTreeMap<Vec<String>, u64> {
    let mut out = BTreeMap::new();
    for evs in by_case(events).values() {
        let seq: Vec<String> = evs.iter().map(|e| e.1.clone()).collect();
        if let Some(at) = seq.iter().position(|a| a == anchor) {
            let path = if after {
                seq[at..seq.len().min(at + depth + 1)].to_vec()
            } else {
                seq[at.saturating_sub(depth)..=at].to_vec()
            };
            *out.entry(path).or_default() += 1;
        }
    }
    out
}

/// A case's funnel outcome: its level and the step timestamps of the chain that reached it.
pub type FunnelOutcome = (usize, Vec<i64>);

/// ClickHouse's windowFunnel, written out step by step, with cjm's exclusion rule:
/// an excluded event resets the chains and levels reached before it still count.
pub fn funnel_case(
    evs: &[(i64, String, String)],
    steps: &[Vec<String>],
    exclude: &[String],
    window: i64,
    mode: FunnelMode,
) -> FunnelOutcome {
    // (timestamp, key): key -1 = excluded, 0 = no step (strict_order only), k = step k.
    let mut entries: Vec<(i64, i64)> = Vec::new();
    for (ts, activity, _) in evs {
        if exclude.contains(activity) {
            entries.push((*ts, -1));
            continue;
        }
        let mut any = false;
        for (k, step) in steps.iter().enumerate() {
            if step.contains(activity) {
                entries.push((*ts, k as i64 + 1));
                any = true;
            }
        }
        if !any && mode.strict_order {
            entries.push((*ts, 0));
        }
    }
    entries.sort(); // by (timestamp, key): what ClickHouse's stable sort of (ts, cond) gives
    let n = steps.len();
    let mut best: FunnelOutcome = (0, Vec::new());
    let mut levels: Vec<Option<(i64, i64, Vec<i64>)>> = vec![None; n];
    let mut started = false;
    let current = |levels: &Vec<Option<(i64, i64, Vec<i64>)>>| -> FunnelOutcome {
        match levels.iter().rposition(|l| l.is_some()) {
            Some(k) => (k + 1, levels[k].as_ref().unwrap().2.clone()),
            None => (0, Vec::new()),
        }
    };
    for (ts, key) in entries {
        if key == -1 {
            let now = current(&levels);
            if now.0 > best.0 {
                best = now;
            }
            levels = vec![None; n];
            started = false;
            continue;
        }
        if key == 0 {
            if started {
                break;
            }
            continue;
        }
        let k = (key - 1) as usize;
        // One branch per rule of ClickHouse's, even where two of them do the same.
        #[allow(clippy::if_same_then_else)]
        if k == 0 {
            levels[0] = Some((ts, ts, vec![ts]));
            started = true;
            if n == 1 {
                break;
            }
        } else if mode.strict_deduplication && levels[k].is_some() {
            break;
        } else if mode.strict_order && started && levels[k - 1].is_none() {
            break;
        } else if let Some((first, last, chain)) = levels[k - 1].clone() {
            let ok = ts <= first + window && (!mode.strict_increase || last < ts);
            if ok {
                let mut chain = chain;
                chain.push(ts);
                levels[k] = Some((first, ts, chain));
                if k + 1 == n {
                    break;
                }
            }
        }
    }
    let now = current(&levels);
    if now.0 > best.0 { now } else { best }
}

/// The default-mode level by brute force: the longest run of steps 1..k found in order
/// (as (timestamp, step) pairs sorted) with the last within `window` of the first.
pub fn funnel_level_brute_force(
    evs: &[(i64, String, String)],
    steps: &[Vec<String>],
    window: i64,
) -> usize {
    let mut entries: Vec<(i64, usize)> = Vec::new();
    for (ts, activity, _) in evs {
        for (k, step) in steps.iter().enumerate() {
            if step.contains(activity) {
                entries.push((*ts, k));
            }
        }
    }
    entries.sort();
    let mut best = 0;
    for (s, &(t0, k0)) in entries.iter().enumerate() {
        if k0 != 0 {
            continue;
        }
        let mut level = 1;
        for &(t, k) in &entries[s + 1..] {
            if t > t0 + window || level == steps.len() {
                break;
            }
            if k == level {
                level += 1;
            }
        }
        best = best.max(level);
    }
    best
}
