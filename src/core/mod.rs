//! The core: accounts, tokens, providers, keychain, refresh, locks, audit. No UI here: the
//! window and the CLI are thin front-ends over [`renova::Renova`].
//!
//! It reads bottom-up, in five layers; a module imports only from its own layer or below
//! (`tests/layers.rs` checks, and `docs/ARCHITECTURE.md` draws the map):
//!
//! 1. leaf types and errors: [`clock`], [`account`], [`input`], [`files`], [`paths`], [`lock`],
//!    [`secrets`], [`pasted`], [`expiry`], [`stopping`], and each module's own error type
//!    (`*::error`);
//! 2. storage and transport: [`config`], [`state`], [`keychain`], [`audit`], [`http`], the
//!    gathered [`error`], and [`store`];
//! 3. protocol clients that take an [`http::Http`] and never see `Renova`: [`provider`],
//!    [`postman`], and the browser's [`callback`] listener;
//! 4. operations, each taking a [`context::Context`] (or a [`store::Store`]) and the account:
//!    [`status`], [`binding`], [`refresh`], [`check`], [`revoke`], [`accounts`],
//!    [`authorize`], [`sync`], [`token_format`], [`endpoint`] (its key);
//! 5. the facade: [`renova`], and the automatic pass over it ([`autopass`]).

pub(crate) mod account;
pub(crate) mod clock;
pub(crate) mod expiry;
pub(crate) mod files;
pub(crate) mod input;
pub(crate) mod lock;
pub(crate) mod pasted;
pub(crate) mod paths;
pub(crate) mod random;
pub(crate) mod secrets;
pub(crate) mod stopping;
pub(crate) mod throttle;

pub(crate) mod audit;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod http;
pub(crate) mod keychain;
pub(crate) mod state;
pub(crate) mod store;

pub(crate) mod callback;
pub(crate) mod postman;
pub(crate) mod provider;

pub(crate) mod accounts;
pub(crate) mod assistants;
pub(crate) mod authorize;
pub(crate) mod binding;
pub(crate) mod check;
pub(crate) mod context;
pub(crate) mod endpoint;
pub(crate) mod refresh;
pub(crate) mod revoke;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod token_format;

pub(crate) mod autopass;
pub(crate) mod renova;
