//! [`Renova`]: the core's one entry point, the facade over the operations. The CLI calls it
//! from a command, the window from a worker task, the agent from its loop; all get the same
//! store, the same locks, the same refresh path and the same status rule.
//!
//! The facade itself reads accounts and hands out tokens; what changes an account is in
//! [`Renova::accounts`], Postman in [`Renova::postman`], the token endpoint in
//! [`Renova::endpoint`], and the profile's folders and keychain health in
//! [`Renova::profile`].

mod accounts;
mod assistants;
mod endpoint;
mod postman;
mod profile;

pub(crate) use accounts::Accounts;
pub(crate) use assistants::{Broker, FirstUse};
pub(crate) use endpoint::Endpoint;
pub(crate) use postman::Postman;
pub(crate) use profile::Profile;

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::{Clock, SystemClock};
use crate::core::config::{AccountConfig, Config};
use crate::core::context::Context;
use crate::core::error::Result;
use crate::core::http::Http;
use crate::core::keychain::Keychain;
use crate::core::paths::{Paths, Tightened};
use crate::core::postman::PostmanApi;
use crate::core::refresh::{self, RefreshPolicy, Refreshed, TokenOutcome};
use crate::core::state::{AccountState, State};
use crate::core::status::{self, AccountStatus};
use crate::core::store::Store;

/// One row of `renova list`: an account, its mirror, and its status.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSummary {
    /// The account's settings.
    pub account: AccountConfig,
    /// Its mirror from `state.json`.
    pub state: AccountState,
    /// What the status rule says about it.
    pub status: AccountStatus,
}

/// Shared handle to everything the core needs. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Renova {
    cx: Context,
    /// Folders made private at start ([`Renova::from_env`]).
    tightened: Arc<Vec<Tightened>>,
}

impl Renova {
    /// Renova over these folders and this keychain, with the wall clock, the public Postman
    /// API and the default waits.
    pub fn new(paths: Paths, keychain: Keychain) -> Self {
        let http = Http::new();
        Self {
            cx: Context {
                store: Store::new(paths, keychain, Arc::new(SystemClock)),
                postman: PostmanApi::new(http.clone(), crate::core::postman::DEFAULT_API_URL),
                http,
                pages: crate::core::callback::untitled_page,
            },
            tightened: Arc::default(),
        }
    }

    /// The real thing: platform folders, the OS keychain, the wall clock; `RENOVA_LOCK_WAIT`
    /// and `RENOVA_POSTMAN_API_URL` from the environment.
    pub fn from_env() -> Result<Self> {
        let paths = Paths::from_env()?;
        let tightened = paths.tighten();
        let mut renova = Self::new(paths, Keychain::system());
        renova.tightened = Arc::new(tightened);
        if let Some(wait) = std::env::var("RENOVA_LOCK_WAIT")
            .ok()
            .and_then(|s| crate::core::clock::parse_duration(&s))
        {
            renova = renova.with_lock_wait(wait);
        }
        renova.cx.postman = PostmanApi::from_env(renova.cx.http.clone());
        Ok(renova)
    }

    fn map_store(mut self, f: impl FnOnce(Store) -> Store) -> Self {
        self.cx.store = f(self.cx.store);
        self
    }

    /// Another time source (tests move time; the core never reads the clock itself).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        self.map_store(|s| s.with_clock(clock))
    }

    /// How long to wait for another process holding an account.
    pub fn with_lock_wait(self, wait: Duration) -> Self {
        self.map_store(|s| s.with_lock_wait(wait))
    }

    /// How long a keychain write after a refresh is retried.
    pub fn with_write_retry(self, retry_for: Duration) -> Self {
        self.map_store(|s| s.with_write_retry(retry_for))
    }

    /// No audit log (the demo).
    pub fn without_audit(self) -> Self {
        self.map_store(Store::without_audit)
    }

    /// The words of the page the browser is shown after an authorization (the front-end's
    /// languages).
    pub fn with_callback_pages(mut self, pages: crate::core::callback::PageText) -> Self {
        self.cx.pages = pages;
        self
    }

    /// Another Postman API base URL.
    pub fn with_postman_api(mut self, base: &str) -> Self {
        self.cx.postman = PostmanApi::new(self.cx.http.clone(), base);
        self
    }

    /// Calls `f` when a keychain call may be waiting for the user to unlock the keychain.
    pub fn on_keychain_wait(self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.map_store(|s| {
            let keychain = s.keychain().clone().on_wait(f);
            s.with_keychain(keychain)
        })
    }

    /// The current time from the core's clock.
    pub fn now(&self) -> Timestamp {
        self.cx.store.now()
    }

    /// Monotonic time from the core's clock: what timers (the clipboard's clear) count in.
    pub fn elapsed(&self) -> Duration {
        self.cx.store.elapsed()
    }

    /// What changes an account: add, edit, remove, authorize, check, revoke.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { r: self }
    }

    /// The Postman API key and the sync of tokens into Postman.
    pub fn postman(&self) -> Postman<'_> {
        Postman { r: self }
    }

    /// The local token endpoint's switch and key.
    pub fn endpoint(&self) -> Endpoint<'_> {
        Endpoint { r: self }
    }

    /// The profile's folders, files and keychain health.
    pub fn profile(&self) -> Profile<'_> {
        Profile { r: self }
    }

    /// Reads `accounts.toml`.
    pub fn config(&self) -> Result<Config> {
        self.cx.store.config()
    }

    /// Reads `state.json`.
    pub fn state(&self) -> State {
        self.cx.store.state()
    }

    /// The account with this name (ignoring case), or `NoSuchAccount`.
    pub fn account(&self, name: &str) -> Result<AccountConfig> {
        self.cx.store.account(name)
    }

    /// Every account with its mirror and status at `now`; no keychain access.
    pub fn list(&self, now: Timestamp) -> Result<Vec<AccountSummary>> {
        let config = self.config()?;
        let state = self.state();
        Ok(config
            .visible()
            .map(|a| {
                let mirror = state.get(&a.id);
                AccountSummary {
                    account: a.clone(),
                    status: status::of(a, &config.defaults, &mirror, now),
                    state: mirror,
                }
            })
            .collect())
    }

    /// `renova token`: a token valid for `min_valid` if the provider allows.
    pub async fn token(
        &self,
        account: &AccountConfig,
        min_valid: Duration,
    ) -> Result<TokenOutcome> {
        refresh::token_for(&self.cx, account, min_valid).await
    }

    /// A token to copy: refreshed first when it has less than the copy minimum left; the
    /// stored one if that refresh fails and it still works.
    pub async fn token_to_copy(&self, account: &AccountConfig) -> Result<TokenOutcome> {
        let config = self.config()?;
        let min = status::copy_minimum(&config.defaults, account, &self.state().get(&account.id));
        refresh::token_to_copy(&self.cx, account, min).await
    }

    /// `renova refresh NAME` and the Refresh button: now, unless another process just did.
    pub async fn refresh(&self, account: &AccountConfig) -> Result<Refreshed> {
        refresh::refresh_now(&self.cx, account).await
    }

    /// Automatic refresh of one account: only if it is (still) within its lead time.
    pub async fn refresh_if_due(&self, account: &AccountConfig) -> Result<Refreshed> {
        let config = self.config()?;
        let lead = status::lead_time(&config.defaults, account);
        refresh::refresh_account(&self.cx, account, RefreshPolicy::IfDue { lead }).await
    }

    /// `renova refresh --due`: every account the status rule says is due.
    pub async fn refresh_due(&self) -> Result<Vec<(String, Result<Refreshed>)>> {
        refresh::refresh_due(&self.cx).await
    }
}
