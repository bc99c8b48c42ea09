//! Renova keeps OAuth access tokens alive on a person's desktop. Secrets live in the OS
//! keychain; a window shows every account with a live countdown; tokens refresh by click or on
//! their own; a CLI gives scripts the same core.
//!
//! - [`core`]: accounts, tokens, providers, keychain, refresh, locks, audit (no UI).
//! - [`cli`]: the `renova` commands.
//! - [`agent`]: `renova agent`, Renova in the background (and its tray icon).
//! - [`gui`]: the window (eframe/egui).
//! - [`platform`]: the desktop around them: clipboard, notifications, the browser.
//! - [`i18n`]: Portuguese and English.
//! - [`hardening`]: what the process does to itself first (no core dumps).

pub mod agent;
pub mod cli;
pub mod core;
pub mod gui;
pub mod hardening;
pub mod i18n;
pub mod platform;
