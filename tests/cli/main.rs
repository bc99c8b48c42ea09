//! Integration tests of the `renova` binary against real parts: gnome-keyring on a private
//! D-Bus session, wiremock on 127.0.0.1 playing RD Station.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod agent;
mod authorize;
mod autostart;
mod clients;
mod echoes;
mod endpoint_server;
mod endpoints;
mod exit_codes;
mod faults;
mod files;
mod hardening;
mod keychain;
mod lifecycle;
mod locking;
mod loopback;
mod mcp;
mod postman;
mod postman_sharing;
mod providers;
mod run;
mod static_tokens;
mod tokens;
