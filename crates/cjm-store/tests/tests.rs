//! Integration tests of the workspace database.

mod access;
mod concurrency;
mod history;
mod kill;
mod library;
mod maps;
mod migrations;
mod paths;

use cjm_model::Map;
use cjm_store::{User, Workspace};
use serde_json::json;

/// A fresh workspace in a temporary directory, with one owner account.
pub struct Fixture {
    pub ws: Workspace,
    pub owner: User,
    /// Kept so the directory lives as long as the fixture.
    pub dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::open(dir.path()).expect("open workspace");
    let owner = ws.ensure_local_owner().expect("local owner");
    Fixture { ws, owner, dir }
}

/// A two-stage map with a persona, three steps and four lanes.
pub fn sample_map(id: &str) -> Map {
    serde_json::from_value(json!({
        "cjm": 1,
        "id": id,
        "title": "Online shop purchase",
        "description": "From first visit to delivery",
        "personas": [{"id": "anna", "name": "Anna Kowalska", "age": 34}],
        "stages": [
            {"id": "discover", "name": "Discover", "steps": [
                {"id": "search", "name": "Searches"},
                {"id": "compare", "name": "Compares offers"}
            ]},
            {"id": "buy", "name": "Buy", "steps": [
                {"id": "pay", "name": "Pays"}
            ]}
        ],
        "lanes": [
            {"id": "actions", "kind": "actions", "cells": [
                {"id": "a1", "step": "search", "text": "Types a query"},
                {"id": "a2", "step": "compare", "text": "Opens three tabs"},
                {"id": "a3", "step": "pay", "text": "Enters card details"}
            ]},
            {"id": "emotions", "kind": "emotions", "cells": [
                {"id": "e1", "step": "search", "score": 1.0},
                {"id": "e2", "step": "pay", "score": -1.0}
            ]},
            {"id": "pains", "kind": "pain_points", "title": "Pain points", "cells": [
                {"id": "p1", "step": "pay", "text": "3-D Secure fails", "severity": "high"}
            ]},
            {"id": "notes", "kind": "text", "cells": []}
        ]
    }))
    .expect("sample map is valid")
}
