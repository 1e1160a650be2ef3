//! The UI's static files, embedded in the binary: plain JavaScript modules and one stylesheet.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Every asset: name, content type, text.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../assets/style.css"),
    ),
    ("common.js", JS, include_str!("../assets/common.js")),
    ("home.js", JS, include_str!("../assets/home.js")),
    ("editor.js", JS, include_str!("../assets/editor.js")),
    ("emotion.js", JS, include_str!("../assets/emotion.js")),
    ("panel.js", JS, include_str!("../assets/panel.js")),
    ("history.js", JS, include_str!("../assets/history.js")),
    ("personas.js", JS, include_str!("../assets/personas.js")),
    ("share.js", JS, include_str!("../assets/share.js")),
    ("data.js", JS, include_str!("../assets/data.js")),
    ("charts.js", JS, include_str!("../assets/charts.js")),
    ("login.js", JS, include_str!("../assets/login.js")),
];

const JS: &str = "text/javascript; charset=utf-8";

/// `/assets/fonts/{name}`: the fonts bundled with cjm-render, so CJK, Cyrillic and Polish
/// text shows on machines without such fonts.
pub async fn font(Path(name): Path<String>) -> Response {
    use cjm_render::fonts::{FontChoice, Weight};
    let choice = match name.as_str() {
        "noto-sans-regular.ttf" => FontChoice::NotoSans(Weight::Regular),
        "noto-sans-bold.ttf" => FontChoice::NotoSans(Weight::Bold),
        "droid-sans-fallback.ttf" => FontChoice::DroidSansFallback,
        _ => FontChoice::Missing,
    };
    match choice.data() {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, "font/ttf"),
                (header::CACHE_CONTROL, "public, max-age=604800"),
            ],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such font").into_response(),
    }
}

/// `/assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, text)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *text,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
