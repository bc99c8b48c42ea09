//! The core: accounts, tokens, providers, keychain, refresh, locks, audit. No UI here: the
//! window and the CLI are thin front-ends over [`renova::Renova`].
//!
//! It reads bottom-up, in five layers; a module imports only from its own layer or below
//! (`tests/layers.rs` checks, and `docs/ARCHITECTURE.md` draws the map):
//!
//! 1. leaf types and errors: [`clock`], [`account`], [`input`], [`files`], [`paths`], [`lock`],
//!    [`secrets`], [`pasted`], [`expiry`], and each module's own error type (`*::error`);
//! 2. storage and transport: [`config`], [`state`], [`keychain`], [`audit`], [`http`], the
//!    gathered [`error`], and [`store`];
//! 3. protocol clients that take an [`http::Http`] and never see `Renova`: [`provider`],
//!    [`postman`], and the browser's [`callback`] listener;
//! 4. operations, each taking a [`context::Context`] (or a [`store::Store`]) and the account:
//!    [`status`], [`binding`], [`refresh`], [`check`], [`revoke`], [`accounts`],
//!    [`authorize`], [`sync`], [`token_format`], [`endpoint`] (its key);
//! 5. the facade: [`renova`], and the automatic pass over it ([`autopass`]).

pub mod account;
pub mod clock;
pub mod expiry;
pub mod files;
pub mod input;
pub mod lock;
pub mod pasted;
pub mod paths;
pub mod random;
pub mod secrets;

pub mod audit;
pub mod config;
pub mod error;
pub mod http;
pub mod keychain;
pub mod state;
pub mod store;

pub mod callback;
pub mod postman;
pub mod provider;

pub mod accounts;
pub mod authorize;
pub mod binding;
pub mod check;
pub mod context;
pub mod endpoint;
pub mod refresh;
pub mod revoke;
pub mod status;
pub mod sync;
pub mod token_format;

pub mod autopass;
pub mod renova;
