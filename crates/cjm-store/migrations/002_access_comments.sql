-- Migration 2: roles, API tokens, sessions, share links and comments.

CREATE TABLE roles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT    NOT NULL CHECK (role IN ('owner', 'editor', 'viewer'))
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    -- SHA-256 of the token, hex; the token itself is shown once and never stored.
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE share_links (
    id         INTEGER PRIMARY KEY,
    map_id     INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX share_links_map ON share_links(map_id);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    map_id     INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    cell_id    TEXT    NOT NULL,
    author     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    resolved   INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX comments_map ON comments(map_id, cell_id);
