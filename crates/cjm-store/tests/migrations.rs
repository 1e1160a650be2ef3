//! Opening databases made by older versions (or by nothing at all).

use cjm_store::{SCHEMA_VERSION, StoreError, Workspace};
use rusqlite::Connection;

use crate::sample_map;

const MIGRATION_1: &str = include_str!("../migrations/001_maps_users.sql");

fn user_version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn an_empty_version_0_database_is_migrated_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(cjm_store::DB_FILE);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept');")
        .unwrap();
    assert_eq!(user_version(&conn), 0);
    drop(conn);
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 3);
    let owner = ws.ensure_local_owner().unwrap();
    ws.create_map(&sample_map("shop"), owner.id).unwrap();
    let conn = Connection::open(&path).unwrap();
    let kept: String = conn
        .query_row("SELECT text FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "kept");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_version_1_database_keeps_its_maps_and_gains_the_later_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(cjm_store::DB_FILE);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(MIGRATION_1).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let json = serde_json::to_string(&sample_map("shop")).unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, name, email, created_at) VALUES (1, 'Old Owner', 'old@example.org', 10);
         INSERT INTO maps (id, slug, title, current_revision, created_at, updated_at, search_text)
              VALUES (1, 'shop', 'Online shop purchase', 1, 10, 10, 'online shop purchase');",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO revisions (map_id, rev, json, author, created_at) VALUES (1, 1, ?1, 1, 10)",
        [&json],
    )
    .unwrap();
    drop(conn);

    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(ws.get_map("shop").unwrap(), (sample_map("shop"), 1));
    assert_eq!(
        ws.revisions("shop").unwrap()[0].author_name.as_deref(),
        Some("Old Owner")
    );
    // Tables of migrations 2 and 3 work on the old rows.
    ws.add_comment("shop", "a1", 1, "still here").unwrap();
    ws.register_event_store("web", &serde_json::json!({}))
        .unwrap();
    ws.attach_store("shop", "web").unwrap();
    assert_eq!(ws.stores_of_map("shop").unwrap(), ["web"]);
    drop(ws);
    // Opening again applies nothing twice.
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(ws.list_comments("shop").unwrap().len(), 1);
}

#[test]
fn a_database_from_a_newer_cjm_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(cjm_store::DB_FILE);
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = Workspace::open(dir.path()).err().expect("refused");
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("newer")),
        "{err:?}"
    );
    let conn = Connection::open(&path).unwrap();
    assert_eq!(user_version(&conn), SCHEMA_VERSION + 1);
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn a_file_that_is_not_a_database_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(cjm_store::DB_FILE),
        b"this is not SQLite, just some text!!",
    )
    .unwrap();
    let err = Workspace::open(dir.path()).err().expect("refused");
    assert!(
        matches!(&err, StoreError::Internal(m) if m.contains("workspace.sqlite")),
        "{err:?}"
    );
}
