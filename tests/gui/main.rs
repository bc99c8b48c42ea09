//! UI tests of the real window code with egui_kittest: the real app, its worker on a tokio
//! thread, real HTTP on 127.0.0.1 (wiremock), real files; the clipboard and notifications are
//! recording fakes, and the keychain is in memory (the CLI tests cover the real one).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

#[path = "../support/mod.rs"]
mod support;

mod harness;

mod agency;
mod assistants;
mod authorize;
mod auto_refresh;
mod cards;
mod dialog;
mod forms;
mod hardening;
mod keyboard;
mod one_policy;
mod postman;
mod settings;
mod shared;
mod static_tokens;
mod trouble;
