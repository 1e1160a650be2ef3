//! The demo workspace: a persona, three maps from the templates, a seeded shop event store
//! attached to the shop map. Made once; reopening it changes nothing.

use std::path::{Path, PathBuf};

use crate::error::ApiError;
use crate::state::AppState;

/// The setting that marks a workspace as filled by the demo.
const DEMO_SETTING: &str = "demo.version";
/// Customers in the demo event store.
pub const DEMO_CUSTOMERS: usize = 20_000;
/// The seed of the demo event store.
const DEMO_SEED: u64 = 20_260_101;
/// The demo event store's name.
pub const DEMO_STORE: &str = "shop-demo";
/// The templates the demo maps come from, the first with the event store.
const DEMO_TEMPLATES: [&str; 3] = ["shop", "bank", "blueprint"];

/// Where `cjm demo` keeps its workspace when none is given: `<data dir>/cjm-demo`, else `./cjm-demo`.
pub fn default_dir() -> PathBuf {
    dirs::data_dir().map_or_else(|| PathBuf::from("cjm-demo"), |d| d.join("cjm-demo"))
}

/// What the demo holds, for the CLI to print.
#[derive(Debug, Clone)]
pub struct DemoContents {
    /// Ids of the demo maps.
    pub maps: Vec<String>,
    /// Whether this call made the content (false: it was there already).
    pub created: bool,
}

/// Fills an empty workspace with the demo content; a workspace filled before is left as it is.
pub fn populate(state: &AppState, lang: &str) -> Result<DemoContents, ApiError> {
    let ws = &state.ws;
    if ws.setting(DEMO_SETTING)?.is_some() {
        let maps = ws.list_maps(None)?.into_iter().map(|m| m.id).collect();
        return Ok(DemoContents {
            maps,
            created: false,
        });
    }
    let owner = ws.ensure_local_owner()?;
    let mut maps = Vec::new();
    for name in DEMO_TEMPLATES {
        let map = crate::workspace::from_template(name, lang)?;
        if name == "shop"
            && let Some(persona) = map.personas.first()
            && ws.get_persona(&persona.id).is_err()
        {
            ws.create_persona(persona)?;
        }
        if ws.get_map(&map.id).is_err() {
            ws.create_map(&map, owner.id)?;
        }
        maps.push(map.id);
    }
    let source = write_demo_events(&state.dir)?;
    let dir = ws.event_store_dir(DEMO_STORE)?;
    if !dir.join("CURRENT").exists() {
        cjm_events::store::import(std::slice::from_ref(&source), &Default::default(), &dir)
            .map_err(|e| ApiError::Internal(format!("demo events: {e}")))?;
    }
    let _ = std::fs::remove_file(&source);
    let store = state.stores.open(ws, DEMO_STORE)?;
    let stats =
        serde_json::to_value(store.stats(20)).map_err(|e| ApiError::Internal(e.to_string()))?;
    ws.register_event_store(DEMO_STORE, &stats)?;
    ws.attach_store(&maps[0], DEMO_STORE)?;
    ws.set_setting(DEMO_SETTING, "1")?;
    Ok(DemoContents {
        maps,
        created: true,
    })
}

/// Writes the seeded shop journeys to a CSV file in the workspace and returns its path.
fn write_demo_events(dir: &Path) -> Result<PathBuf, ApiError> {
    let uploads = dir.join(crate::api::data::UPLOADS_DIR);
    std::fs::create_dir_all(&uploads)?;
    let path = uploads.join("shop-demo.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    crate::demo_data::write_shop_journeys(&mut out, DEMO_CUSTOMERS, DEMO_SEED)?;
    std::io::Write::flush(&mut out)?;
    Ok(path)
}
