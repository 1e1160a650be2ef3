//! Persona pages: the gallery and the persona editor.

use axum::extract::{Path, State};
use axum::response::Response;
use cjm_model::Persona;
use maud::{Markup, html};
use serde_json::json;

use super::{Visitor, error_page};
use crate::api::blocking;
use crate::i18n::Lang;
use crate::state::AppState;

fn initials(persona: &Persona) -> String {
    persona.initials.clone().unwrap_or_else(|| {
        persona
            .name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .collect()
    })
}

/// `/personas`: the gallery.
pub async fn gallery(State(state): State<AppState>, visitor: Visitor) -> Response {
    let personas = match blocking(&state, |ws| ws.list_personas()).await {
        Ok(personas) => personas,
        Err(error) => return error_page(error),
    };
    let lang = visitor.lang;
    let body = html! {
        h1 { (lang.t("personas")) }
        @if visitor.caller.role.can_edit() { p { a href="/personas/new" { (lang.t("new_persona")) } } }
        ul.cards {
            @for p in &personas {
                li.persona-card {
                    span.avatar aria-hidden="true" { (initials(p)) }
                    a href=(format!("/personas/{}", p.id)) { strong { (p.name) } }
                    p.meta { (p.occupation) @if let Some(age) = p.age { " · " (age) } @if !p.segment.is_empty() { " · " (p.segment) } }
                    @if !p.quote.is_empty() { p.quote { "“" (p.quote) "”" } }
                    @if !p.goals.is_empty() { p { strong { (lang.t("goals")) ": " } (p.goals.join("; ")) } }
                }
            }
        }
    };
    visitor.page(lang.t("personas"), body, &[], json!({}), false)
}

fn list_field(lang: Lang, key: &'static str, values: &[String], readonly: bool) -> Markup {
    html! {
        label {
            (lang.t(key)) " (" (lang.t("one_per_line")) ")"
            textarea name=(key) rows="4" readonly[readonly] { (values.join("\n")) }
        }
    }
}

/// `/personas/{id}` (or `/personas/new`): the persona editor.
pub async fn editor(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let persona = if id == "new" {
        Persona::default()
    } else {
        let key = id.clone();
        match blocking(&state, move |ws| ws.get_persona(&key)).await {
            Ok(persona) => persona,
            Err(error) => return error_page(error),
        }
    };
    let lang = visitor.lang;
    let readonly = !visitor.caller.role.can_edit();
    let title = if persona.name.is_empty() {
        lang.t("new_persona").to_owned()
    } else {
        persona.name.clone()
    };
    let body = html! {
        p { a href="/personas" { "← " (lang.t("personas")) } }
        h1 { (title) }
        form #persona-form .box {
            label { (lang.t("name")) input name="name" required value=(persona.name) readonly[readonly]; }
            label { (lang.t("age")) input name="age" type="number" min="0" max="150" value=[persona.age] readonly[readonly]; }
            label { (lang.t("occupation")) input name="occupation" value=(persona.occupation) readonly[readonly]; }
            label { (lang.t("segment")) input name="segment" value=(persona.segment) readonly[readonly]; }
            label { (lang.t("quote")) input name="quote" value=(persona.quote) readonly[readonly] size="60"; }
            div.row {
                (list_field(lang, "goals", &persona.goals, readonly))
                (list_field(lang, "frustrations", &persona.frustrations, readonly))
                (list_field(lang, "needs", &persona.needs, readonly))
            }
            div.row {
                (list_field(lang, "channels", &persona.channels, readonly))
                (list_field(lang, "sources", &persona.sources, readonly))
                (list_field(lang, "objections", &persona.objections, readonly))
            }
            @if !readonly {
                button type="submit" #persona-save { (lang.t("save")) }
                @if id != "new" { " " button type="button" #persona-delete { (lang.t("delete")) } }
            }
        }
    };
    let persona_id = (id != "new").then_some(id);
    visitor.page(
        &title,
        body,
        &["personas.js"],
        json!({ "persona_id": persona_id, "persona": persona }),
        false,
    )
}
