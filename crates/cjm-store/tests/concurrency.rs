//! Writers racing on the same base revision: exactly one wins.

use std::sync::{Arc, Barrier};

use cjm_store::{StoreError, Workspace};

use crate::{fixture, sample_map};

/// Two threads each save on top of revision 1; returns their results.
fn race(a: Workspace, b: Workspace, author: i64) -> Vec<Result<i64, StoreError>> {
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [(a, "from A"), (b, "from B")]
        .into_iter()
        .map(|(ws, title)| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut map = sample_map("shop");
                map.title = title.to_owned();
                barrier.wait();
                ws.save_map("shop", 1, &map, author, title)
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect()
}

fn assert_one_winner(ws: &Workspace, results: &[Result<i64, StoreError>]) {
    let wins: Vec<usize> = (0..2).filter(|&i| matches!(results[i], Ok(2))).collect();
    assert_eq!(wins.len(), 1, "{results:?}");
    let loser = 1 - wins[0];
    assert!(
        matches!(results[loser], Err(StoreError::Conflict { current_rev: 2 })),
        "{results:?}"
    );
    let (map, rev) = ws.get_map("shop").unwrap();
    assert_eq!(rev, 2);
    assert_eq!(
        map.title,
        ["from A", "from B"][wins[0]],
        "the winner's save is the one stored"
    );
    assert_eq!(ws.revisions("shop").unwrap().len(), 2);
}

#[test]
fn two_threads_sharing_a_workspace_one_wins_one_conflicts() {
    for _ in 0..20 {
        let f = fixture();
        f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
        let results = race(f.ws.clone(), f.ws.clone(), f.owner.id);
        assert_one_winner(&f.ws, &results);
    }
}

#[test]
fn two_connections_to_one_file_one_wins_one_conflicts() {
    for _ in 0..10 {
        let f = fixture();
        f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
        let other = Workspace::open(f.dir.path()).unwrap();
        let results = race(f.ws.clone(), other, f.owner.id);
        assert_one_winner(&f.ws, &results);
    }
}

#[test]
fn many_writers_in_turn_lose_no_update() {
    let f = fixture();
    f.ws.create_map(&sample_map("shop"), f.owner.id).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let ws = f.ws.clone();
            let author = f.owner.id;
            std::thread::spawn(move || {
                let mut saved = 0;
                while saved < 10 {
                    let (mut map, rev) = ws.get_map("shop").expect("read");
                    map.description = format!("{}|{t}", map.description);
                    match ws.save_map("shop", rev, &map, author, "") {
                        Ok(_) => saved += 1,
                        Err(StoreError::Conflict { .. }) => continue,
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let (map, rev) = f.ws.get_map("shop").unwrap();
    assert_eq!(rev, 41);
    // Every one of the 40 appends is in the final text: none overwrote another.
    for t in 0..4 {
        assert_eq!(map.description.matches(&format!("|{t}")).count(), 10);
    }
}
