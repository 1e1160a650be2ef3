//! Map pages: the workspace home, the editor, the history, the print view and the data-backed map.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use cjm_model::Map;
use maud::html;
use serde_json::json;

use super::{Visitor, error_page, when};
use crate::api::blocking;
use crate::i18n::Lang;
use crate::state::AppState;

/// The export formats offered on every map, with their labels.
pub const EXPORTS: [(&str, &str); 9] = [
    ("yaml", "YAML"),
    ("json", "JSON"),
    ("csv", "CSV"),
    ("mmd", "Mermaid"),
    ("svg", "SVG"),
    ("png", "PNG"),
    ("pdf", "PDF"),
    ("html", "HTML"),
    ("md", "Markdown"),
];

/// `/`: maps and personas, search, create from a template, import.
pub async fn home(State(state): State<AppState>, visitor: Visitor) -> Response {
    let lists = blocking(&state, |ws| Ok((ws.list_maps(None)?, ws.list_personas()?))).await;
    let (maps, personas) = match lists {
        Ok(lists) => lists,
        Err(error) => return error_page(error),
    };
    let lang = visitor.lang;
    let can_write = visitor.caller.role.can_edit();
    let body = html! {
        h1 { (lang.t("home")) }
        div.row {
            label { (lang.t("search")) " " input #search type="search" aria-controls="map-list persona-list"; }
        }
        @if can_write {
            div.row {
                form #create-map .box {
                    h2 { (lang.t("new_map")) }
                    label { (lang.t("template"))
                        select name="template" #template {
                            @for name in crate::workspace::template_names() { option value=(name) { (name) } }
                        }
                    }
                    label { (lang.t("language"))
                        select name="lang" #template-lang {
                            @for option in Lang::ALL { option value=(option.code()) selected[option == lang] { (option.native_name()) } }
                        }
                    }
                    label { (lang.t("title")) input name="title" #new-title; }
                    button type="submit" #create { (lang.t("create")) }
                }
                div.box {
                    h2 { (lang.t("import")) }
                    label { (lang.t("import_hint")) input #import-file type="file" accept=".yaml,.yml,.json,.csv,.mmd"; }
                }
            }
        }
        h2 { (lang.t("maps")) }
        @if maps.is_empty() { p { (lang.t("no_maps")) } }
        ul.cards #map-list {
            @for map in &maps {
                li data-search=(format!("{} {}", map.title, map.description)) {
                    a href=(format!("/maps/{}", map.id)) { strong { (map.title) } }
                    p.meta { (lang.t("revision")) " " (map.rev) " · " (map.stage_count) " " (lang.t("stage")) " · " (when(map.updated_at)) }
                    @if !map.description.is_empty() { p { (map.description) } }
                    @if can_write {
                        button type="button" data-delete-map=(map.id) data-title=(map.title) { (lang.t("delete")) }
                    }
                }
            }
        }
        h2 { (lang.t("personas")) }
        ul.cards #persona-list {
            @for persona in &personas {
                li data-search=(format!("{} {} {}", persona.name, persona.occupation, persona.segment)) {
                    a href=(format!("/personas/{}", persona.id)) { strong { (persona.name) } }
                    p.meta { (persona.occupation) }
                }
            }
        }
    };
    visitor.page(lang.t("home"), body, &["home.js"], json!({}), false)
}

fn map_nav(lang: Lang, id: &str) -> maud::Markup {
    html! {
        nav.toolbar aria-label=(lang.t("maps")) {
            a href=(format!("/maps/{id}")) { (lang.t("editor")) }
            a href=(format!("/maps/{id}/preview")) { (lang.t("preview")) }
            a href=(format!("/maps/{id}/history")) { (lang.t("history")) }
            a href=(format!("/maps/{id}/data")) { (lang.t("data_map")) }
            a href=(format!("/maps/{id}/print")) { (lang.t("print")) }
            details {
                summary { (lang.t("export")) }
                ul {
                    @for (ext, label) in EXPORTS {
                        li { a href=(format!("/api/maps/{id}/export/{ext}")) download { (label) } }
                    }
                }
            }
        }
    }
}

/// The current revision of a map, shared from the store's cache (no copy), or the error page.
async fn load_map(state: &AppState, id: &str) -> Result<(Arc<Map>, i64), Response> {
    let key = id.to_owned();
    blocking(state, move |ws| ws.get_map_shared(&key))
        .await
        .map_err(error_page)
}

/// `/maps/{id}`: the editor.
pub async fn editor(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let (map, _) = match load_map(&state, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let lang = visitor.lang;
    let body = html! {
        (map_nav(lang, &id))
        div.toolbar {
            label { span.skip { (lang.t("title")) } input #map-title aria-label=(lang.t("title")) value=(map.title); }
            span #save-state role="status" aria-live="polite" data-state="saved" { (lang.t("saved")) }
            button #undo type="button" title="Ctrl+Z" { (lang.t("undo")) }
            button #redo type="button" title="Ctrl+Y" { (lang.t("redo")) }
            button #add-stage type="button" { (lang.t("add_stage")) }
            label { span.skip { (lang.t("lane")) } select #lane-kind aria-label=(lang.t("lane")) {} }
            button #add-lane type="button" { (lang.t("add_lane")) }
        }
        div #conflict .conflict role="alert" hidden {}
        datalist #channel-list { @for c in ["web", "app", "email", "phone", "store", "chat", "sms", "social", "mail"] { option value=(c) {} } }
        div.editor-layout {
            div.grid-wrap #editor { p { "…" } }
            aside #panel aria-label=(lang.t("cell")) {}
        }
    };
    visitor.page(
        &map.title,
        body,
        &["editor.js"],
        json!({ "map_id": id }),
        true,
    )
}

/// `/maps/{id}/preview`: the rendered map, and share links for owners.
pub async fn preview(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let (map, rev) = match load_map(&state, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let lang = visitor.lang;
    let owner = visitor.caller.require_owner().is_ok();
    let body = html! {
        (map_nav(lang, &id))
        h1 { (map.title) }
        div.render { img src=(format!("/api/maps/{id}/export/svg?rev={rev}")) alt=(map.title); }
        @if owner {
            section.box.no-print {
                h2 { (lang.t("share_links")) }
                button #share-create type="button" { (lang.t("create_link")) }
                p #share-created {}
                ul #share-list {}
            }
        }
    };
    let scripts: &[&str] = if owner { &["share.js"] } else { &[] };
    visitor.page(&map.title, body, scripts, json!({ "map_id": id }), true)
}

/// `/maps/{id}/print`: the rendered map alone, for the browser's print dialog.
pub async fn print(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let (map, rev) = match load_map(&state, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let body = html! {
        h1 { (map.title) }
        @if !map.description.is_empty() { p { (map.description) } }
        div.render { img src=(format!("/api/maps/{id}/export/svg?rev={rev}")) alt=(map.title); }
    };
    visitor.page(&map.title, body, &[], json!({}), true)
}

/// `/maps/{id}/history`: revisions with who and when, compare two, restore one.
pub async fn history(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let key = id.clone();
    let found = blocking(&state, move |ws| {
        Ok((ws.get_map(&key)?, ws.revisions(&key)?))
    })
    .await;
    let ((map, current), revisions) = match found {
        Ok(found) => found,
        Err(error) => return error_page(error),
    };
    let lang = visitor.lang;
    let can_write = visitor.caller.role.can_edit();
    let previous = revisions
        .iter()
        .map(|r| r.rev)
        .filter(|r| *r < current)
        .max()
        .unwrap_or(current);
    let body = html! {
        (map_nav(lang, &id))
        h1 { (lang.t("history")) ": " (map.title) }
        form #compare .box {
            label { (lang.t("revision")) " A" input name="from" type="number" min="1" value=(previous); }
            label { (lang.t("revision")) " B" input name="to" type="number" min="1" value=(current); }
            button type="submit" { (lang.t("diff")) }
        }
        div #diff {}
        table.list {
            caption { (lang.t("history")) }
            thead { tr { th scope="col" { (lang.t("revision")) } th scope="col" { (lang.t("author")) } th scope="col" { (lang.t("when")) } th scope="col" { (lang.t("description")) } th scope="col" {} } }
            tbody {
                @for r in &revisions {
                    tr {
                        td.num { (r.rev) }
                        td { (r.author_name.as_deref().unwrap_or("—")) }
                        td { (when(r.created_at)) }
                        td { (r.summary) @if !r.message.is_empty() { " — " (r.message) } }
                        td { @if can_write && r.rev != current { button type="button" data-restore=(r.rev) { (lang.t("restore")) } } }
                    }
                }
            }
        }
    };
    visitor.page(
        &map.title,
        body,
        &["history.js"],
        json!({ "map_id": id }),
        false,
    )
}
