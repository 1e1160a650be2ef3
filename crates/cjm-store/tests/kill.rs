//! Kill -9 in the middle of saves: the database stays intact and the last
//! acknowledged revision is there with its exact content.
//!
//! The saving process is this test binary itself, re-run on the single test
//! `save_loop` with `SAVE_LOOP_DIR` set: it then saves without end, printing
//! `acked N` after each save returns. Without the variable, `save_loop` runs a
//! short loop in a temporary workspace and checks it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use cjm_model::Map;
use cjm_store::Workspace;

use crate::sample_map;

const DIR_VAR: &str = "SAVE_LOOP_DIR";
/// Acknowledged saves to see before the kill.
const ACKS_BEFORE_KILL: usize = 40;
/// A bound on the child's loop, should it never be killed.
const MAX_SAVES: i64 = 100_000;

/// The map saved as revision `rev`: every revision differs, and is a few kilobytes.
fn map_at(rev: i64) -> Map {
    let mut map = sample_map("loop");
    map.title = format!("save {rev}");
    map.description = format!("revision {rev} ").repeat(200);
    map.lanes[0].cells[0].text = format!("cell text of revision {rev}");
    map
}

/// Saves revisions up to `last`, printing each acknowledged one.
fn save_until(ws: &Workspace, last: i64) {
    let author = ws.ensure_local_owner().expect("owner");
    let (_, mut rev) = ws.get_map("loop").expect("the map exists");
    let stdout = std::io::stdout();
    while rev < last {
        let next = ws
            .save_map("loop", rev, &map_at(rev + 1), author.id, "loop")
            .expect("save");
        rev = next;
        let mut out = stdout.lock();
        writeln!(out, "acked {rev}").expect("stdout");
        out.flush().expect("stdout");
    }
}

fn create_loop_map(ws: &Workspace) {
    let owner = ws.ensure_local_owner().unwrap();
    ws.create_map(&map_at(1), owner.id).unwrap();
}

#[test]
fn save_loop() {
    match std::env::var_os(DIR_VAR) {
        Some(dir) => {
            let ws = Workspace::open(dir).expect("open");
            save_until(&ws, MAX_SAVES);
        }
        None => {
            let dir = tempfile::tempdir().unwrap();
            let ws = Workspace::open(dir.path()).unwrap();
            create_loop_map(&ws);
            save_until(&ws, 25);
            assert_eq!(ws.get_map("loop").unwrap(), (map_at(25), 25));
            for rev in 1..=25 {
                assert_eq!(ws.get_revision("loop", rev).unwrap().map, map_at(rev));
            }
        }
    }
}

#[test]
fn kill_during_saves_keeps_the_database_intact_and_the_last_acknowledged_revision() {
    let dir = tempfile::tempdir().unwrap();
    create_loop_map(&Workspace::open(dir.path()).unwrap());

    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "kill::save_loop",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_VAR, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut last_acked = None;
    let mut seen = 0;
    while seen < ACKS_BEFORE_KILL {
        let line = lines.next().expect("the child stopped early").unwrap();
        if let Some(rev) = line.strip_prefix("acked ") {
            last_acked = Some(rev.parse::<i64>().unwrap());
            seen += 1;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    // Lines the child wrote before it died are still in the pipe.
    for line in lines {
        if let Some(rev) = line.unwrap().strip_prefix("acked ") {
            last_acked = Some(rev.parse::<i64>().unwrap());
        }
    }
    child.wait().unwrap();
    let last_acked = last_acked.unwrap();

    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.integrity_check().unwrap(), "ok");
    let (current, current_rev) = ws.get_map("loop").unwrap();
    // The save in flight at the kill may have committed without being acknowledged.
    assert!(
        current_rev == last_acked || current_rev == last_acked + 1,
        "current {current_rev}, last acknowledged {last_acked}"
    );
    assert_eq!(current, map_at(current_rev));
    assert_eq!(
        ws.get_revision("loop", last_acked).unwrap().map,
        map_at(last_acked)
    );
    assert_eq!(ws.revisions("loop").unwrap().len() as i64, current_rev);
    // And the workspace goes on from there.
    let owner = ws.ensure_local_owner().unwrap();
    let next = ws
        .save_map("loop", current_rev, &map_at(current_rev + 1), owner.id, "")
        .unwrap();
    assert_eq!(next, current_rev + 1);
}
