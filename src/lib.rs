//! Renova keeps OAuth access tokens alive on a person's desktop. Secrets live in the OS
//! keychain; a window shows every account with a live countdown; tokens refresh by click or on
//! their own; a CLI and a background agent give scripts the same core.
//!
//! The modules are private: what the `renova` binary and the integration tests use is
//! re-exported below, so the compiler sees every other item's uses and warns about dead code.
//!
//! - `core`: accounts, tokens, providers, keychain, refresh, locks, audit (no UI);
//! - `cli`: the `renova` commands;
//! - `agent`: `renova agent`, Renova in the background (and its tray icon);
//! - `gui`: the window (eframe/egui);
//! - `mcp`: `renova mcp`, the broker AI assistants use accounts through (rmcp, stdio);
//! - `platform`: the desktop around them: clipboard, notifications, the browser;
//! - `i18n`: Portuguese and English;
//! - `hardening`: what the process does to itself first (no core dumps).

// Inside the crate, `pub(crate)` says what is not part of the API above.
#![warn(unreachable_pub)]

mod agent;
mod cli;
mod core;
mod gui;
mod hardening;
mod i18n;
mod mcp;
mod platform;

// What `main` runs.
pub use cli::{Cli, run as run_command};
pub use gui::{Window, run as run_window};
pub use hardening::no_core_dumps;
pub use i18n::{E, Lang, T};

// The core, as the tests drive it.
pub use core::account::AccountId;
pub use core::accounts::settings::{AccountSettings, GivenSecrets};
pub use core::clock::Clock;
pub use core::config::{AccountConfig, Assistants, Config, ConfigError, ProviderKind, Switch};
pub use core::error::Error;
pub use core::keychain::{Keychain, Timeouts};
pub use core::paths::Paths;
pub use core::renova::{AccountSummary, Renova};
pub use core::secrets::Secrets;
pub use core::state::State;

// The window and the agent, as the tests build them with recording ports.
pub use agent::control::{AgentControl, Background, RecordingAgent};
pub use agent::endpoint::start as serve_endpoint;
pub use gui::app::{Ports, RenovaApp};
pub use gui::list_order::ListOrder;
pub use gui::prefs::{Prefs, ThemeChoice};
pub use platform::clipboard::{ClipboardHandle, RecordingClipboard};
pub use platform::desktop::RecordingDesktop;
