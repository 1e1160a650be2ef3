//! The workspace database (SQLite): maps, personas, revisions, users.
