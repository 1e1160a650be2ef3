-- Migration 1: users, maps with their revisions, personas and settings.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    -- PHC string (argon2id); NULL for accounts that cannot sign in with a password.
    password_hash TEXT,
    created_at    INTEGER NOT NULL
);

CREATE TABLE maps (
    id               INTEGER PRIMARY KEY,
    -- The map's own id (`Map::id`), used in URLs and files.
    slug             TEXT    NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    -- Lowercased title, description and persona names, for search.
    search_text      TEXT    NOT NULL DEFAULT '',
    stage_count      INTEGER NOT NULL DEFAULT 0,
    current_revision INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);

CREATE TABLE revisions (
    map_id     INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    rev        INTEGER NOT NULL CHECK (rev >= 1),
    json       TEXT    NOT NULL,
    author     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    message    TEXT    NOT NULL DEFAULT '',
    -- What changed against the previous revision, in words.
    summary    TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (map_id, rev)
) WITHOUT ROWID;

CREATE TABLE personas (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    json       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
