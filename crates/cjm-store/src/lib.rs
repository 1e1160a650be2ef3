//! The workspace database (SQLite): maps with their revisions, personas,
//! comments, users and access, share links, settings and the event store registry.
//!
//! Invariant: history is append-only and no update is lost silently. Every
//! save of a map names the revision it was based on; the check and the
//! insert of the new revision run in one `BEGIN IMMEDIATE` transaction.
//! This crate holds no analytics and knows nothing of HTTP.
//!
//! # Storage
//! A workspace is a directory: `workspace.sqlite` (WAL mode, foreign keys on,
//! `synchronous=FULL` so an acknowledged save survives a killed process and a
//! power loss, 5 s busy timeout) and `stores/` for event stores. The schema is
//! migrated on open from `PRAGMA user_version` with the SQL files in
//! `migrations/` ([`SCHEMA_VERSION`] is the latest).
//!
//! # API overview
//! [`Workspace`] is `Clone + Send + Sync` (an `Arc` inside): one writer
//! connection behind a mutex, a small pool of reader connections with cached
//! prepared statements. Every method blocks: call it from `spawn_blocking`.
//! Ids of maps and personas are their own `id` strings (`Map::id`, `Persona::id`);
//! users are [`UserId`] (`i64`); timestamps are Unix seconds ([`Timestamp`]).
//!
//! - Open: [`Workspace::open`]`(dir)`, [`Workspace::event_store_dir`]`(name)` (refuses
//!   names that could leave the workspace), [`Workspace::integrity_check`].
//! - Maps: `create_map(&Map, author) -> MapRecord`, `get_map(id) -> (Map, rev)`,
//!   `get_map_json(id) -> (String, rev)` (the stored JSON: the fast path for the API),
//!   `get_map_shared(id) -> (Arc<Map>, rev)` (the fast path for rendering); both are
//!   served from a cache of immutable revisions after one indexed lookup of the current one,
//!   `list_maps(search) -> Vec<MapSummary>`,
//!   `save_map(id, base_rev, &Map, author, message) -> rev` (stale `base_rev`:
//!   [`StoreError::Conflict`]`{ current_rev }`), `delete_map(id)`.
//! - History: `revisions(id) -> Vec<RevisionInfo>` (newest first),
//!   `get_revision(id, rev) -> Revision`, `diff_revisions(id, a, b) -> MapDiff`
//!   (also `MapDiff::between(&old, &new)`; `Display` gives one line per change,
//!   `summary()` counts in words), `restore_revision(id, rev, author) -> new rev`.
//! - Personas: `create_persona`, `get_persona`, `list_personas`, `update_persona`, `delete_persona`.
//! - Comments: `add_comment(map, cell, author, text) -> Comment`, `list_comments(map)`,
//!   `get_comment`, `resolve_comment(id, bool)`, `delete_comment`.
//! - Users: `create_user(name, email, Option<password>) -> User`,
//!   `verify_password(email, password) -> User` (else [`StoreError::Unauthorized`]),
//!   `get_user`, `find_user_by_email`, `list_users`, `set_password`,
//!   `ensure_local_owner() -> User` (owner role, no password).
//! - Roles: `set_role(user, Role)`, `role_of(user) -> Option<Role>`, `remove_role`,
//!   `require_role(user, Role::Editor) -> Role` (else [`StoreError::Forbidden`]).
//! - API tokens: `create_api_token(user, name) -> (ApiToken, secret)` (the only copy),
//!   `authenticate_api_token(secret) -> User`, `list_api_tokens(user)`, `revoke_api_token(id)`.
//! - Sessions: `create_session(user, ttl_seconds) -> NewSession { token, csrf_token, expires_at }`,
//!   `session(token) -> Session { user, csrf_token, .. }` (else `Unauthorized`),
//!   `end_session(token)`, `purge_expired_sessions()`.
//! - Share links: `create_share_link(map, user) -> (ShareLink, token)`, `list_share_links(map)`,
//!   `revoke_share_link(id)`, `resolve_share_link(token) -> map id` (`NotFound` once revoked).
//! - Settings: `setting(key)`, `set_setting(key, value)`, `settings()`.
//! - Event stores: `register_event_store(name, &stats_json) -> EventStoreInfo`, `event_store(name)`,
//!   `list_event_stores()`, `unregister_event_store(name)`, `attach_store(map, store)`,
//!   `detach_store(map, store)`, `stores_of_map(map) -> Vec<String>`.
//!
//! Errors map to HTTP as: `NotFound` 404, `Conflict` and `Duplicate` 409,
//! `Invalid` 400/422, `Unauthorized` 401, `Forbidden` 403, `Internal` 500.

mod auth;
mod cache;
mod comments;
mod db;
mod diff;
mod error;
mod event_stores;
mod maps;
mod personas;
mod secret;
mod share;
mod users;
mod workspace;

pub use auth::{API_TOKEN_PREFIX, ApiToken, NewSession, Session};
pub use comments::{Comment, MAX_COMMENT_CHARS};
pub use db::SCHEMA_VERSION;
pub use diff::{Change, ChangeKind, Element, MapDiff};
pub use error::{Result, StoreError};
pub use event_stores::EventStoreInfo;
pub use maps::{MapRecord, MapSummary, Revision, RevisionInfo};
pub use share::ShareLink;
pub use users::{LOCAL_OWNER_EMAIL, MIN_PASSWORD_CHARS, Role, User, UserId};
pub use workspace::{DB_FILE, STORES_DIR, Timestamp, Workspace};
