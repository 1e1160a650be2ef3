//! Server-rendered HTML pages; the page scripts then talk to the JSON API.

pub mod data;
pub mod maps;
pub mod personas;
pub mod share;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde_json::json;

use crate::api::blocking;
use crate::auth::{Caller, identify, session_cookie};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// A page request: the caller (signed in, or signed in now as the local owner) and the language.
pub struct Visitor {
    /// Who is looking.
    pub caller: Caller,
    /// The UI language.
    pub lang: Lang,
    /// A session cookie to set, when the local owner was signed in by this request.
    pub new_cookie: Option<String>,
}

/// What a page answers when the visitor has to sign in first.
pub struct SignIn(Response);

impl IntoResponse for SignIn {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = SignIn;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignIn> {
        let lang = Lang::negotiate(&parts.headers);
        match identify(state, &parts.method, &parts.headers).await {
            Ok(Some(caller)) => {
                return Ok(Visitor {
                    caller,
                    lang,
                    new_cookie: None,
                });
            }
            Ok(None) => {}
            Err(error) => return Err(SignIn(error.into_response())),
        }
        if state.local_owner.is_none() {
            return Err(SignIn(Redirect::to("/login").into_response()));
        }
        let started = blocking(state, |ws| {
            let user = ws.ensure_local_owner()?;
            let session = ws.create_session(user.id, crate::auth::SESSION_SECONDS)?;
            Ok((user, session))
        })
        .await;
        match started {
            Ok((user, session)) => Ok(Visitor {
                caller: Caller {
                    user: user.id,
                    name: user.name,
                    role: cjm_store::Role::Owner,
                    csrf: Some(session.csrf_token),
                },
                lang,
                new_cookie: Some(session_cookie(&session.token, state.secure_cookies)),
            }),
            Err(error) => Err(SignIn(error.into_response())),
        }
    }
}

impl Visitor {
    /// The facts every page script reads: strings, CSRF token, role, plus `extra`.
    fn page_json(&self, extra: serde_json::Value) -> String {
        let mut page = json!({
            "lang": self.lang.code(),
            "csrf": self.caller.csrf,
            "role": self.caller.role.as_str(),
            "user": self.caller.name,
        });
        if let (Some(page), serde_json::Value::Object(extra)) = (page.as_object_mut(), extra) {
            page.extend(extra);
        }
        let mut text = page.to_string();
        text.pop();
        text.push_str(",\"strings\":");
        text.push_str(self.lang.table_json());
        text.push('}');
        script_safe(&text)
    }

    /// A full page: the header with navigation and the language switcher, then `body`.
    pub fn page(
        &self,
        title: &str,
        body: Markup,
        scripts: &[&str],
        extra: serde_json::Value,
        wide: bool,
    ) -> Response {
        let lang = self.lang;
        let markup = html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · cjm" }
                    link rel="stylesheet" href="/assets/style.css";
                }
                body {
                    a.skip href="#main" { "Skip to content" }
                    header.top {
                        a.brand href="/" { "cjm" }
                        nav aria-label=(lang.t("app")) {
                            a href="/" { (lang.t("maps")) }
                            a href="/personas" { (lang.t("personas")) }
                            a href="/data" { (lang.t("data")) }
                        }
                        label {
                            span.skip { (lang.t("language")) }
                            select data-lang-switch aria-label=(lang.t("language")) {
                                @for option in Lang::ALL {
                                    option value=(option.code()) selected[option == lang] { (option.native_name()) }
                                }
                            }
                        }
                        span { (self.caller.name) " · " (self.caller.role.as_str()) }
                        button #sign-out type="button" { (lang.t("sign_out")) }
                    }
                    main #main class=[wide.then_some("wide")] {
                        p #announce .announce role="status" aria-live="polite" {}
                        (body)
                    }
                    script #cjm-page type="application/json" { (PreEscaped(self.page_json(extra))) }
                    script type="module" src="/assets/common.js" {}
                    @for script in scripts {
                        script type="module" src=(format!("/assets/{script}")) {}
                    }
                }
            }
        };
        self.respond(markup)
    }

    /// Answers with `markup`, setting the session cookie when this request signed the local owner in.
    pub fn respond(&self, markup: Markup) -> Response {
        let mut response = axum::response::Html(markup.into_string()).into_response();
        if let Some(cookie) = &self.new_cookie
            && let Ok(value) = HeaderValue::from_str(cookie)
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }
}

/// JSON made safe to sit inside a `<script>` element: no `<`, `>` or `&` left as such.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Formats seconds since the epoch as `YYYY-MM-DD HH:MM` UTC.
pub fn when(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The sign-in page (also shown when a server off loopback has no session).
pub async fn login_page(headers: HeaderMap) -> Response {
    let lang = Lang::negotiate(&headers);
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (lang.t("sign_in")) " · cjm" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                main #main {
                    h1 { (lang.t("sign_in")) }
                    form #login-form .box {
                        label { "Email" input name="email" type="email" autocomplete="username" required; }
                        label { (lang.t("password")) input name="password" type="password" autocomplete="current-password" required; }
                        button type="submit" { (lang.t("sign_in")) }
                    }
                    p #announce .announce role="status" aria-live="polite" {}
                }
                script #cjm-page type="application/json" { (PreEscaped(script_safe(&json!({"strings": {}, "csrf": null}).to_string()))) }
                script type="module" src="/assets/login.js" {}
            }
        }
    };
    axum::response::Html(markup.into_string()).into_response()
}

/// An API error shown as a page.
pub fn error_page(error: ApiError) -> Response {
    let status = error.status();
    let markup = html! {
        (DOCTYPE)
        html { head { meta charset="utf-8"; title { "cjm" } link rel="stylesheet" href="/assets/style.css"; }
            body { main { h1 { (status.as_u16()) } p { (error.body().message) } p { a href="/" { "cjm" } } } } }
    };
    (status, axum::response::Html(markup.into_string())).into_response()
}
