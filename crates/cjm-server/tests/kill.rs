//! A server killed in the middle of saves leaves an intact database holding the last
//! acknowledged revision.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::http::Request;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;

use crate::support::Fixture;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_save_keeps_the_last_acknowledged_revision() {
    let fx = Fixture::new();
    let id = fx.shop_map().await;
    let map = fx.owner_map(&id).await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_cjm-server"))
        .arg(fx.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("the server prints its URL");
    let url = url.trim().trim_end_matches('/').to_owned();

    let acked = Arc::new(AtomicI64::new(1));
    let saver = {
        let acked = acked.clone();
        let (token, id, map) = (fx.owner.clone(), id.clone(), map.clone());
        tokio::spawn(async move {
            let client =
                Client::builder(TokioExecutor::new()).build_http::<Full<axum::body::Bytes>>();
            let mut base = 1;
            loop {
                let mut next = map.clone();
                next["title"] = json!(format!("Save {}", base + 1));
                let body = json!({"base_revision": base, "map": next}).to_string();
                let request = Request::put(format!("{url}/api/maps/{id}"))
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(Full::new(axum::body::Bytes::from(body)))
                    .expect("request");
                let Ok(response) = client.request(request).await else {
                    break;
                };
                assert_eq!(response.status(), 200, "save {} refused", base + 1);
                let answer: serde_json::Value = serde_json::from_slice(
                    &response
                        .into_body()
                        .collect()
                        .await
                        .map(|b| b.to_bytes())
                        .unwrap_or_default(),
                )
                .unwrap_or_default();
                let Some(rev) = answer["revision"].as_i64() else {
                    break;
                };
                base = rev;
                acked.store(rev, Ordering::SeqCst);
            }
        })
    };
    while acked.load(Ordering::SeqCst) < 25 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    saver
        .await
        .expect("the saving task ends when the server is gone");
    let last = acked.load(Ordering::SeqCst);

    let ws = cjm_store::Workspace::open(fx.dir.path()).expect("the workspace reopens");
    assert_eq!(ws.integrity_check().unwrap(), "ok");
    let (now, rev) = ws.get_map(&id).expect("the map is there");
    assert!(
        rev == last || rev == last + 1,
        "acknowledged {last}, stored {rev}"
    );
    assert_eq!(now.title, format!("Save {rev}"));
    assert_eq!(
        ws.get_revision(&id, last).unwrap().map.title,
        format!("Save {last}")
    );
}
