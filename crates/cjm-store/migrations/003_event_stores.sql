-- Migration 3: the registry of event stores and their attachment to maps.

CREATE TABLE event_stores (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    -- Relative to the workspace directory (`stores/<name>`).
    dir        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    stats      TEXT    NOT NULL DEFAULT '{}'
);

CREATE TABLE map_stores (
    map_id   INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    store_id INTEGER NOT NULL REFERENCES event_stores(id) ON DELETE CASCADE,
    PRIMARY KEY (map_id, store_id)
) WITHOUT ROWID;
CREATE INDEX map_stores_store ON map_stores(store_id);
