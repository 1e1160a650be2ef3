//! A bounded in-memory cache of map revisions, parsed and as JSON.
//!
//! Revisions are immutable (history is append-only, and a map id keeps its
//! revision numbers across delete and re-create), so an entry keyed by map id
//! and revision number is never stale: only "which revision is current" has to
//! be asked of the database, and that is one indexed lookup.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cjm_model::Map;

/// Parsed revisions kept; when full, the cache starts over (simple and bounded).
const CAPACITY: usize = 256;

/// One revision, parsed and as stored.
pub(crate) struct CachedRevision {
    pub(crate) map: Arc<Map>,
    pub(crate) json: Arc<str>,
}

/// Revisions by (map id, revision).
#[derive(Default)]
pub(crate) struct RevisionCache {
    entries: Mutex<HashMap<(String, i64), Arc<CachedRevision>>>,
}

impl RevisionCache {
    pub(crate) fn get(&self, id: &str, rev: i64) -> Option<Arc<CachedRevision>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&(id.to_owned(), rev)).cloned()
    }

    pub(crate) fn insert(&self, id: &str, rev: i64, revision: Arc<CachedRevision>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert((id.to_owned(), rev), revision);
    }
}
