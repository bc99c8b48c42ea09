//! [`Renova`]: the core's one entry point, the facade over the operations. The CLI calls it
//! from a command, the window from a worker task; both get the same store, the same locks,
//! the same refresh path and the same status rule.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use secrecy::SecretString;

use crate::core::account::AccountId;
use crate::core::accounts::{self, AccountSettings, GivenSecrets, Orphans};
use crate::core::audit::{self, AuditAction, AuditEntry, AuditOutcome};
use crate::core::authorize::{self, Authorization};
use crate::core::binding;
use crate::core::check;
use crate::core::clock::{Clock, SystemClock};
use crate::core::config::{AccountConfig, Config, ConfigError, Defaults, EndpointSettings, Switch};
use crate::core::context::Context;
use crate::core::endpoint;
use crate::core::error::Result;
use crate::core::http::Http;
use crate::core::input::InputError;
use crate::core::keychain::{Health, Keychain, KeychainError};
use crate::core::paths::{Paths, Tightened};
use crate::core::postman::{PostmanApi, PostmanError};
use crate::core::refresh::{self, RefreshPolicy, Refreshed, TokenOutcome};
use crate::core::revoke;
use crate::core::secrets::EndpointKind;
use crate::core::state::{AccountState, State};
use crate::core::status::{self, AccountStatus};
use crate::core::store::Store;
use crate::core::sync;

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

    /// Where files live.
    pub fn paths(&self) -> &Paths {
        self.cx.store.paths()
    }

    /// When `accounts.toml` and `state.json` last changed: a new stamp means another process
    /// (the CLI, the agent) changed an account.
    pub fn file_stamps(&self) -> [Option<std::time::SystemTime>; 2] {
        let paths = self.paths();
        let mtime = |p: std::path::PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        [mtime(paths.accounts_file()), mtime(paths.state_file())]
    }

    /// Folders that group or others could use and that this process made private at start.
    pub fn tightened_folders(&self) -> &[Tightened] {
        &self.tightened
    }

    /// The keychain.
    fn keychain(&self) -> &Keychain {
        self.cx.store.keychain()
    }

    /// Whether a keychain call may raise an unlock prompt (a desktop session is there).
    pub fn keychain_may_prompt(&self) -> bool {
        self.keychain().may_prompt()
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

    /// Reads the account's keychain entry, to prove it is there and readable. Like every
    /// read, it keeps `state.json` in step: a keychain error noted earlier is cleared, a
    /// missing entry marks the account as needing authorization, a failure is noted.
    pub async fn check_entry(&self, account: &AccountConfig) -> Result<()> {
        self.cx.store.read_entry(account).await.map(drop)
    }

    /// Claims the one notification of this incident (the account needs the user): `true` for
    /// the one process, window or agent, that should show it; `false` when one already did.
    /// The claim survives restarts.
    pub fn claim_notification(&self, account: &AccountConfig, at: Timestamp) -> Result<bool> {
        Ok(State::claim_notification(self.paths(), &account.id, at)?)
    }

    /// Proves `state.json` can be read and written (for `doctor`).
    pub fn check_state_file(&self) -> Result<()> {
        State::update(self.paths(), |_| ())?;
        Ok(())
    }

    /// Keychain entries of the `renova` service that no account of this profile uses: those
    /// an interrupted `add` of this profile left, and those it knows nothing of.
    pub async fn orphaned_entries(&self) -> Result<Orphans> {
        accounts::orphans(&self.cx.store).await
    }

    /// Deletes the entry an interrupted `add` of this profile left (under the account's lock,
    /// checking again there). `Ok(false)`: it turned out not to be one.
    pub async fn remove_orphaned_entry(&self, id: &AccountId) -> Result<bool> {
        accounts::remove_interrupted(&self.cx.store, id).await
    }

    /// Proves the keychain reachable, unlocked and writable.
    pub async fn probe_keychain(&self) -> Result<Health, KeychainError> {
        self.keychain().probe().await
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

    /// `renova add`.
    pub async fn add(
        &self,
        name: &str,
        settings: &AccountSettings,
        given: GivenSecrets,
    ) -> Result<AccountConfig> {
        accounts::add(&self.cx.store, name, settings, given).await
    }

    /// `renova edit`.
    pub async fn edit(
        &self,
        account: &AccountConfig,
        rename: Option<&str>,
        settings: &AccountSettings,
        given: Option<GivenSecrets>,
    ) -> Result<AccountConfig> {
        accounts::edit(&self.cx.store, account, rename, settings, given).await
    }

    /// Saves the `[defaults]` of `accounts.toml`, keeping keys a newer Renova wrote.
    pub fn save_defaults(&self, defaults: &Defaults) -> Result<()> {
        Config::update(self.paths(), |c| {
            c.defaults = Defaults {
                extra: c.defaults.extra.clone(),
                ..defaults.clone()
            };
            Ok(())
        })
    }

    /// `renova remove`.
    pub async fn remove(&self, account: &AccountConfig) -> Result<()> {
        accounts::remove(&self.cx.store, account).await.map(drop)
    }

    /// "Forget everything": every account and its keychain entry.
    pub async fn forget_everything(&self) -> Result<usize> {
        accounts::forget_everything(&self.cx.store).await
    }

    /// Finishes removals that were interrupted.
    pub async fn finish_pending_removals(&self) {
        accounts::finish_pending_removals(&self.cx.store).await;
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

    /// `renova check`: the account's name at the provider.
    pub async fn check(&self, account: &AccountConfig) -> Result<String> {
        check::check(&self.cx, account).await
    }

    /// `renova revoke`. `Ok(false)`: the refresh token was already invalid.
    pub async fn revoke(&self, account: &AccountConfig) -> Result<bool> {
        revoke::revoke(&self.cx, account).await
    }

    /// The window's Confirm on an endpoint the keychain entry did not know: binds that one
    /// endpoint to `url`, the address the card showed (if `accounts.toml` still names it).
    pub async fn confirm_endpoint(
        &self,
        account: &AccountConfig,
        kind: EndpointKind,
        url: &str,
    ) -> Result<()> {
        binding::confirm(&self.cx.store, account, kind, url).await
    }

    /// Starts authorizing `account` in the browser.
    pub async fn begin_authorize(
        &self,
        account: &AccountConfig,
        port: Option<u16>,
    ) -> Result<Authorization> {
        authorize::begin(&self.cx, account, port).await
    }

    /// Exchanges the code and stores the tokens. Returns when the token expires.
    pub async fn finish_authorize(
        &self,
        session: &Authorization,
        code: &SecretString,
    ) -> Result<Timestamp> {
        authorize::finish(&self.cx, session, code).await
    }

    /// The Postman API's base URL, `https` enforced except for loopback.
    pub fn postman_api_url(&self) -> Result<url::Url, InputError> {
        self.cx.postman.url()
    }

    /// Whose Postman account a key belongs to.
    pub async fn postman_whoami(&self, key: &SecretString) -> Result<String, PostmanError> {
        self.cx.postman.whoami(key, self.now()).await
    }

    /// Stores the Postman API key.
    pub async fn set_postman_key(&self, key: &SecretString) -> Result<()> {
        sync::set_key(&self.cx.store, key).await
    }

    /// Deletes the Postman API key.
    pub async fn remove_postman_key(&self) -> Result<()> {
        sync::remove_key(&self.cx.store).await
    }

    /// The stored Postman API key, if any.
    pub async fn postman_key(&self) -> Result<Option<SecretString>> {
        sync::key(&self.cx.store).await
    }

    /// Syncs accounts whose last Postman sync failed and whose retry time has come.
    pub async fn retry_postman_syncs(&self) -> Result<usize> {
        sync::retry_failed(&self.cx, self.now()).await
    }

    /// The team workspace (by name) whose members would see this account's synced token, if
    /// its Postman environment is in one and the person has not accepted that.
    pub async fn postman_shared_with(&self, account: &AccountConfig) -> Result<Option<String>> {
        match crate::core::postman::target(account) {
            Some((env, _)) if !account.postman_shared_ok => self.postman_workspace_of(env).await,
            _ => Ok(None),
        }
    }

    /// The workspace others can see that holds Postman environment `env`, if any (none
    /// without a stored Postman key).
    pub async fn postman_workspace_of(&self, env: &str) -> Result<Option<String>> {
        let Some(key) = self.postman_key().await? else {
            return Ok(None);
        };
        self.cx
            .postman
            .shared_workspace(&key, env, self.now())
            .await
            .map_err(crate::core::error::Error::Postman)
    }

    /// Syncs one account to Postman now, if it has a target and a valid token.
    pub async fn sync_postman_now(&self, account: &AccountConfig) -> Result<Option<PostmanError>> {
        sync::push_now(&self.cx, account).await
    }

    /// The local endpoint's key (made on first use), for `renova endpoint key`.
    pub async fn endpoint_key(&self) -> Result<SecretString> {
        endpoint::key_or_new(&self.cx.store).await
    }

    /// The stored endpoint key, if one was made (the agent's check).
    pub async fn stored_endpoint_key(&self) -> Result<Option<SecretString>> {
        endpoint::key(&self.cx.store).await
    }

    /// A new endpoint key; the old one stops working.
    pub async fn rotate_endpoint_key(&self) -> Result<SecretString> {
        endpoint::rotate(&self.cx.store).await
    }

    /// The Postman pre-request script for the endpoint's port.
    pub fn endpoint_postman_script(&self) -> String {
        let port = self
            .config()
            .map(|c| c.endpoint.port())
            .unwrap_or(EndpointSettings::DEFAULT_PORT);
        endpoint::postman_script(port)
    }

    /// Turns the local endpoint on (on `port`, or the one it had) or off.
    pub fn set_endpoint(&self, switch: Switch, port: Option<u16>) -> Result<EndpointSettings> {
        Ok(Config::update(self.paths(), |c| {
            c.endpoint.enabled = switch.is_on();
            if port.is_some() {
                c.endpoint.port = port;
            }
            Ok::<_, ConfigError>(c.endpoint.clone())
        })?)
    }

    /// Records a token served by the endpoint: time, account, fingerprint, the caller.
    pub fn audit_served(&self, account: &AccountConfig, token: &SecretString, client: &str) {
        let entry = AuditEntry::new(self.now(), account.id, AuditAction::Serve, AuditOutcome::Ok)
            .tokens(Some(token), None)
            .client(client);
        audit::record(self.paths(), &entry);
    }
}
