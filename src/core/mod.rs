//! The core: accounts, tokens, providers, keychain, refresh, locks, audit. No UI here: the
//! window and the CLI are thin front-ends over [`renova::Renova`].

pub mod account;
pub mod accounts;
pub mod audit;
pub mod authorize;
pub mod clock;
pub mod config;
pub mod error;
pub mod expiry;
pub mod http;
pub mod keychain;
pub mod lock;
pub mod paste;
pub mod paths;
pub mod postman;
pub mod provider;
pub mod refresh;
pub mod renova;
pub mod secrets;
pub mod state;
