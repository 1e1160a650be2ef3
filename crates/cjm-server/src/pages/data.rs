//! Data pages: uploads and stores, one store's explorer (stats, funnel, paths, process graph),
//! and a map's data-backed view.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Visitor, error_page, when};
use crate::api::blocking;
use crate::state::AppState;

/// `/data`: upload an event file, map its columns, list the stores.
pub async fn overview(State(state): State<AppState>, visitor: Visitor) -> Response {
    let stores = match blocking(&state, |ws| ws.list_event_stores()).await {
        Ok(stores) => stores,
        Err(error) => return error_page(error),
    };
    let lang = visitor.lang;
    let body = html! {
        h1 { (lang.t("data")) }
        @if visitor.caller.role.can_edit() {
            section.box {
                h2 { (lang.t("upload_events")) }
                label { (lang.t("upload_hint")) " " input #event-file type="file" accept=".csv,.tsv,.jsonl,.ndjson,.parquet,.xes,.gz"; }
                " " progress #upload-progress max="1" value="0" hidden aria-label=(lang.t("uploading")) {}
            }
            section #mapping .box hidden {}
        }
        h2 { (lang.t("stores")) }
        table.list #store-list {
            thead { tr { th scope="col" { (lang.t("name")) } th scope="col" { (lang.t("cases")) } th scope="col" { (lang.t("events")) } th scope="col" { (lang.t("activities")) } th scope="col" { (lang.t("updated")) } } }
            tbody {
                @for store in &stores {
                    tr {
                        td { a href=(format!("/data/{}", store.name)) { (store.name) } }
                        td.num { (store.stats["cases"]) }
                        td.num { (store.stats["events"]) }
                        td.num { (store.stats["activities"]) }
                        td { (when(store.created_at)) }
                    }
                }
            }
        }
    };
    visitor.page(lang.t("data"), body, &["data.js"], json!({}), false)
}

/// `/data/{store}`: stats, funnel, paths Sankey, process graph, attach to a map.
pub async fn store(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(name): Path<String>,
) -> Response {
    let key = name.clone();
    let found = blocking(&state, move |ws| {
        Ok((ws.event_store(&key)?, ws.list_maps(None)?))
    })
    .await;
    let (info, maps) = match found {
        Ok(found) => found,
        Err(error) => return error_page(error),
    };
    let lang = visitor.lang;
    let activities: Vec<String> = info.stats["top_activities"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|pair| pair[0].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let first_steps = activities
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    let body = html! {
        p { a href="/data" { "← " (lang.t("data")) } }
        h1 { (lang.t("stores")) ": " (name) }
        section.box {
            h2 { (lang.t("stats")) }
            dl.row {
                div { dt { (lang.t("cases")) } dd #stat-cases { (info.stats["cases"]) } }
                div { dt { (lang.t("events")) } dd #stat-events { (info.stats["events"]) } }
                div { dt { (lang.t("activities")) } dd { (info.stats["activities"]) } }
            }
            table.list {
                thead { tr { th scope="col" { (lang.t("activities")) } th scope="col" { (lang.t("events")) } } }
                tbody { @for pair in info.stats["top_activities"].as_array().into_iter().flatten() {
                    tr { td { (pair[0].as_str().unwrap_or_default()) } td.num { (pair[1]) } }
                } }
            }
        }
        section.box {
            h2 { (lang.t("funnel")) }
            form #funnel-form {
                label { (lang.t("funnel_steps")) textarea name="steps" #funnel-steps rows="5" cols="40" { (first_steps) } }
                label { (lang.t("window")) input name="window" type="number" min="0" step="any" value="168"; }
                label { "Mode" select name="mode" { @for m in ["default", "strict_order", "strict_deduplication", "strict_increase"] { option value=(m) { (m) } } } }
                button type="submit" #funnel-run { (lang.t("run")) }
            }
            div #funnel-result {}
        }
        section.box {
            h2 { (lang.t("paths")) }
            form #paths-form {
                label { (lang.t("start_activity")) select name="start" { @for a in &activities { option value=(a) { (a) } } } }
                label { (lang.t("depth")) input name="depth" type="number" min="1" max="6" value="3"; }
                button type="submit" { (lang.t("run")) }
            }
            div #paths-result .chart {}
        }
        section.box {
            h2 { (lang.t("process_graph")) }
            div #dfg-result .chart {}
        }
        @if visitor.caller.role.can_edit() && !maps.is_empty() {
            section.box {
                h2 { (lang.t("attach_store")) }
                form #attach-form {
                    label { (lang.t("maps")) select name="map" { @for m in &maps { option value=(m.id) { (m.title) } } } }
                    button type="submit" { (lang.t("attach_store")) }
                }
            }
        }
    };
    visitor.page(&name, body, &["data.js"], json!({ "store": name }), false)
}

/// `/maps/{id}/data`: the map measured against its attached event stores.
pub async fn map_data(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let key = id.clone();
    let found = blocking(&state, move |ws| {
        Ok((ws.get_map(&key)?.0, ws.stores_of_map(&key)?))
    })
    .await;
    let (map, stores) = match found {
        Ok(found) => found,
        Err(error) => return error_page(error),
    };
    let mut built = Vec::new();
    for store in stores {
        match crate::workspace::data_backed(&state, id.clone(), store.clone()).await {
            Ok(b) => built.push((store, b)),
            Err(error) => return error_page(error),
        }
    }
    let lang = visitor.lang;
    let pct = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let body = html! {
        p { a href=(format!("/maps/{id}")) { "← " (map.title) } }
        h1 { (lang.t("data_map")) ": " (map.title) }
        @if built.is_empty() {
            p { (lang.t("attach_store")) ": " a href="/data" { (lang.t("data")) } }
        }
        @for (store, b) in &built {
            section.box {
                h2 { a href=(format!("/data/{store}")) { (store) } }
                p { (lang.t("cases")) ": " (b.insights.cases) " · " (lang.t("events")) ": " (b.insights.events) " · " (b.insights.range) }
                table.list #stage-measures {
                    caption { (lang.t("stage")) }
                    thead { tr { th scope="col" { (lang.t("stage")) } th scope="col" { (lang.t("reached")) } th scope="col" { (lang.t("conversion")) } th scope="col" { (lang.t("drop_off")) } } }
                    tbody { @for s in &b.insights.stages {
                        tr { th scope="row" { (s.name) } td.num { (s.reached) } td.num { (pct(s.conversion_from_previous)) } td.num { (s.dropped) " (" (pct(s.dropped_share)) ")" } }
                    } }
                }
                @if !b.insights.weak_points.is_empty() {
                    h3 { (lang.t("weak_points")) }
                    ol #weak-points { @for w in &b.insights.weak_points { li { strong { (w.title) } " — " (w.evidence) } } }
                }
                div.render { img src=(format!("/api/maps/{id}/data/{store}/map.svg")) alt=(format!("{} · {store}", map.title)); }
            }
        }
    };
    visitor.page(&map.title, body, &[], json!({ "map_id": id }), true)
}
