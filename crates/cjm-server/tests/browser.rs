//! The UI in a real headless Chromium driven through ChromeDriver, as a user would use it.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (Debian's chromium and chromium-driver,
//! installed by scripts/test). Without them these tests fail: they never skip.
//! Screenshots go to the target folder's `tmp/cjm-server-screenshots/`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::config;

/// A headless Chromium session and the ChromeDriver behind it; both end on drop (the tests
/// run on a multi-thread runtime, which the drop blocks on).
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session quits Chromium: killing ChromeDriver alone would leave it
        // running, orphaned, after the test.
        let client = self.client.clone();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
            })
        });
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port()
}

fn find_program(name: &str, fallback: &str) -> PathBuf {
    let from_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    let found = from_path.unwrap_or_else(|| PathBuf::from(fallback));
    assert!(
        found.is_file(),
        "{name} not found (looked on PATH and at {fallback}); install Debian's chromium and chromium-driver, as scripts/test does"
    );
    found
}

async fn start_browser() -> Browser {
    let chromium = find_program("chromium", "/usr/bin/chromium");
    let chromedriver = find_program("chromedriver", "/usr/bin/chromedriver");
    let port = free_port();
    let driver = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("profile folder");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-quic", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,1000", "--lang=en-US",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => break client,
            Err(error) if started.elapsed() < Duration::from_secs(20) => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("cannot start a Chromium session through chromedriver: {error}"),
        }
    };
    Browser {
        client,
        driver,
        _profile: profile,
    }
}

/// A server with the local owner signed in, on a free loopback port; its base URL and state.
async fn start_server() -> (String, cjm_server::AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("workspace folder");
    let mut config = config(dir.path());
    config.auto_login = true;
    let state = cjm_server::open(&config).expect("workspace opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(cjm_server::serve_on(listener, state.clone()));
    (base, state, dir)
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cjm-server-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// Waits until `check` holds, for up to 15 s.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits up to 15 s for an element. Any error counts as "not yet": a query sent while the
/// page navigates (after a form is posted) is aborted by the navigation, not answered.
async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    let started = Instant::now();
    loop {
        match client.find(Locator::Css(css)).await {
            Ok(element) => return element,
            Err(e) if started.elapsed() >= Duration::from_secs(15) => {
                panic!("no {css} on the page: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn save_state(client: &Client) -> String {
    client
        .find(Locator::Css("#save-state"))
        .await
        .expect("save state")
        .attr("data-state")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_map_made_from_a_template_keeps_an_edited_cell_and_a_dragged_emotion_after_reload() {
    let (base, state, _dir) = start_server().await;
    let browser = start_browser().await;
    let c = &browser.client;
    c.goto(&base).await.expect("home");
    wait_for(c, "#create-map").await;
    c.find(Locator::Css("#template"))
        .await
        .unwrap()
        .select_by_value("shop")
        .await
        .unwrap();
    c.find(Locator::Css("#create"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let area = wait_for(c, "textarea.cell-text").await;
    let id = c
        .current_url()
        .await
        .unwrap()
        .path()
        .trim_start_matches("/maps/")
        .to_owned();
    assert_eq!(id, "shop-purchase");
    let lane = area.attr("data-lane").await.unwrap().unwrap();
    let step = area.attr("data-step").await.unwrap().unwrap();

    let selector = format!("textarea[data-lane=\"{lane}\"][data-step=\"{step}\"]");
    area.clear().await.unwrap();
    // Clearing fires `change`, which saves and redraws the grid: find the cell again.
    tokio::time::sleep(Duration::from_millis(300)).await;
    wait_for(c, &selector)
        .await
        .send_keys("Edited in Chromium")
        .await
        .unwrap();
    c.find(Locator::Css("#map-title"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the cell to be saved", || {
        let state = state.clone();
        let (lane, step) = (lane.clone(), step.clone());
        async move {
            let (map, _) = state.ws.get_map("shop-purchase").unwrap();
            map.lanes
                .iter()
                .find(|l| l.id == lane)
                .unwrap()
                .cells
                .iter()
                .any(|c| c.step.as_deref() == Some(&step) && c.text == "Edited in Chromium")
        }
    })
    .await;
    eventually("the Saved state", || async {
        save_state(c).await == "saved"
    })
    .await;

    let point = wait_for(c, "svg.emotion-curve circle.point").await;
    let point_step = point.attr("data-step").await.unwrap().unwrap();
    let before: f64 = point
        .attr("aria-valuenow")
        .await
        .unwrap()
        .unwrap_or_default()
        .parse()
        .unwrap_or(0.0);
    let dy = if before >= 1.0 { 45.0 } else { -45.0 };
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: point.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(150)),
            x: 0.0,
            y: dy / 2.0,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(150)),
            x: 0.0,
            y: dy / 2.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(drag).await.expect("drag");
    let emotion_score = |state: &cjm_server::AppState, step: &str| {
        let (map, _) = state.ws.get_map("shop-purchase").unwrap();
        let lane = map
            .lanes
            .iter()
            .find(|l| l.kind == cjm_model::LaneKind::Emotions)
            .unwrap();
        lane.cells
            .iter()
            .find(|c| c.step.as_deref() == Some(step))
            .and_then(|c| c.score)
    };
    eventually("the dragged score to be saved", || {
        let score = emotion_score(&state, &point_step);
        async move { score.is_some_and(|s| s != before) }
    })
    .await;
    let after = emotion_score(&state, &point_step).unwrap();
    assert!(
        (after - before).abs() >= 0.5,
        "dragging {dy} px moved the score from {before} to {after}"
    );
    assert_eq!(after > before, dy < 0.0, "dragging up raises the score");
    eventually("the Saved state", || async {
        save_state(c).await == "saved"
    })
    .await;
    screenshot(c, "editor-after-edit").await;

    c.refresh().await.unwrap();
    let area = wait_for(c, &selector).await;
    assert_eq!(
        area.prop("value").await.unwrap().as_deref(),
        Some("Edited in Chromium")
    );
    let point = wait_for(c, &format!("circle.point[data-step=\"{point_step}\"]")).await;
    let shown: f64 = point
        .attr("aria-valuenow")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(shown, after);
    screenshot(c, "editor-after-reload").await;
    let (_, revision) = state.ws.get_map("shop-purchase").unwrap();
    assert!(
        revision >= 3,
        "the edit and the drag were saved as revisions ({revision})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_event_file_shows_its_funnel_paths_and_process_graph() {
    let (base, _state, _dir) = start_server().await;
    let browser = start_browser().await;
    let c = &browser.client;
    c.goto(&format!("{base}/data")).await.unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/events.csv");
    wait_for(c, "#event-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    wait_for(c, "#mapping-form").await;
    for (select, column) in [
        ("#map-case", "customer_id"),
        ("#map-activity", "event"),
        ("#map-timestamp", "ts"),
    ] {
        let value = c
            .find(Locator::Css(select))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(value.as_deref(), Some(column), "{select} guessed");
    }
    let progress = c
        .execute(
            "return document.getElementById('upload-progress').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(progress, json!(1));
    screenshot(c, "data-mapping").await;
    c.find(Locator::Css("#import-store"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let steps = wait_for(c, "#funnel-steps").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/data/events")
    );
    assert_eq!(
        c.find(Locator::Css("#stat-cases"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "6"
    );
    steps.clear().await.unwrap();
    steps
        .send_keys("landing\nproduct_view\nadd_to_cart\npurchase")
        .await
        .unwrap();
    c.find(Locator::Css("#funnel-run"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "#funnel-table").await;
    let mut reached = Vec::new();
    for row in c
        .find_all(Locator::Css("#funnel-table tbody tr td.num:first-of-type"))
        .await
        .unwrap()
    {
        reached.push(row.text().await.unwrap());
    }
    assert_eq!(reached, ["5", "4", "3", "2"]);
    c.find(Locator::Css("#paths-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "#paths-result svg.sankey path.band").await;
    wait_for(c, "#dfg-svg rect.activity").await;
    screenshot(c, "data-funnel").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switcher_translates_the_ui() {
    let (base, _state, _dir) = start_server().await;
    let browser = start_browser().await;
    let c = &browser.client;
    c.goto(&base).await.unwrap();
    assert_eq!(wait_for(c, "h1").await.text().await.unwrap(), "Workspace");
    for (code, heading) in [
        ("ru", "Рабочее пространство"),
        ("zh", "工作区"),
        ("pl", "Przestrzeń robocza"),
    ] {
        c.find(Locator::Css("select[data-lang-switch]"))
            .await
            .unwrap()
            .select_by_value(code)
            .await
            .unwrap();
        eventually("the page in the new language", || async {
            match c.find(Locator::Css("h1")).await {
                Ok(h1) => h1.text().await.unwrap_or_default() == heading,
                Err(_) => false,
            }
        })
        .await;
        let lang = c
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap();
        assert_eq!(lang.as_deref(), Some(code));
        screenshot(c, &format!("home-{code}")).await;
    }
}
