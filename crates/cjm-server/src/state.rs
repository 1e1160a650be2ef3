//! What every handler shares: the workspace, the server's settings and the local owner, if any.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use cjm_store::Workspace;

/// How a server runs: where the workspace is, where it listens, and its limits.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The workspace folder (database, event stores, uploads).
    pub workspace: PathBuf,
    /// The address to listen on.
    pub addr: SocketAddr,
    /// Sign visitors in as the local owner without a password. Only honoured on a loopback address.
    pub auto_login: bool,
    /// The largest event file accepted by an upload, in bytes.
    pub upload_limit: usize,
    /// The largest map or JSON body accepted, in bytes.
    pub body_limit: usize,
}

impl ServerConfig {
    /// The default settings for a workspace folder and an address.
    pub fn new(workspace: PathBuf, addr: SocketAddr) -> Self {
        Self {
            workspace,
            addr,
            auto_login: addr.ip().is_loopback(),
            upload_limit: 512 * 1024 * 1024,
            body_limit: 8 * 1024 * 1024,
        }
    }
}

/// The state shared by all handlers.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

/// The inside of [`AppState`].
pub struct Shared {
    /// The workspace database and folder.
    pub ws: Workspace,
    /// The workspace folder.
    pub dir: PathBuf,
    /// The user signed in automatically (loopback only), by name.
    pub local_owner: Option<String>,
    /// Whether cookies get the `Secure` flag (any address but loopback).
    pub secure_cookies: bool,
    /// Upload limit for event files, in bytes.
    pub upload_limit: usize,
    /// Limit for map and JSON bodies, in bytes.
    pub body_limit: usize,
    /// Event stores opened so far.
    pub stores: StoreCache,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Event stores opened once and shared, so a query does not re-map and re-check the files.
#[derive(Default, Clone)]
pub struct StoreCache(
    Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<cjm_events::store::Store>>>>,
);

impl StoreCache {
    /// The open store `name` of the workspace, opening it on first use.
    pub fn open(
        &self,
        ws: &Workspace,
        name: &str,
    ) -> Result<Arc<cjm_events::store::Store>, crate::error::ApiError> {
        if let Some(store) = self.lock().get(name) {
            return Ok(store.clone());
        }
        let dir = ws.event_store_dir(name)?;
        let store = cjm_events::store::Store::open(&dir)
            .map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
        let store = Arc::new(store);
        self.lock().insert(name.to_owned(), store.clone());
        Ok(store)
    }

    /// Drops store `name` from the cache (after an import wrote a new version).
    pub fn forget(&self, name: &str) {
        self.lock().remove(name);
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Arc<cjm_events::store::Store>>>
    {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
