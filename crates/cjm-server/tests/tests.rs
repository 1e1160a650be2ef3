//! Integration tests of the cjm web workspace: the JSON API through the router, access
//! control, security, and the UI in a real headless Chromium.

mod access;
mod api;
mod browser;
mod data;
mod demo;
mod kill;
mod security;
mod support;
