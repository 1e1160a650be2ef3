//! Times a funnel on a store that is already open, as a server holding the store would
//! run it (the benchmark's in-process row; `cjm funnel` times the whole process).
//!
//!     cargo run --release -p cjm-events --example warm_funnel -- STORE STEPS WINDOW_S REPEAT
//!
//! STEPS is comma-separated. Prints one JSON object: the seconds to open and check the
//! store, the best seconds of REPEAT funnel runs (kernel and report, all cores), and the
//! level histogram.

use std::time::Instant;

use cjm_events::filter::Filter;
use cjm_events::kernels::funnel::{Funnel, FunnelSpec};
use cjm_events::store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [store, steps, window_s, repeat] = args.as_slice() else {
        return Err("usage: warm_funnel STORE STEPS WINDOW_S REPEAT".into());
    };
    let started = Instant::now();
    let store = Store::open(store)?;
    let open_s = started.elapsed().as_secs_f64();
    let journeys = store.journeys();
    let selection = Filter::default().select(&journeys)?;
    let spec = FunnelSpec {
        steps: steps.split(',').map(|s| vec![s.to_owned()]).collect(),
        window_us: window_s.parse::<i64>()? * 1_000_000,
        ..FunnelSpec::default()
    };
    let mut best_s = f64::INFINITY;
    let mut levels = Vec::new();
    for _ in 0..repeat.parse::<usize>()? {
        let started = Instant::now();
        let report = Funnel::new(&spec, &journeys)?.report(&selection);
        best_s = best_s.min(started.elapsed().as_secs_f64());
        levels = report.levels;
    }
    let out = serde_json::json!({ "open_s": open_s, "best_s": best_s, "levels": levels });
    println!("{out}");
    Ok(())
}
