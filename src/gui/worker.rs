//! The window's worker: a tokio runtime on a named side thread. The UI sends [`Command`]s and
//! never waits; the worker does the keychain and network work through the core, then sends
//! [`Event`]s back and wakes the UI. It also ticks once a second: it notices files changed by
//! the CLI, refreshes accounts that are due (comparing wall-clock time, so a laptop that slept
//! through an expiry refreshes within a second of waking), retries with backoff, notifies once
//! per account that needs the user, and clears the clipboard when its time is up.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use secrecy::SecretString;
use tokio::sync::mpsc;

use crate::core::account::AccountId;
use crate::core::accounts::{AccountSettings, GivenSecrets};
use crate::core::clock;
use crate::core::config::{AccountConfig, Config, Defaults, ProviderKind};
use crate::core::error::Error;
use crate::core::expiry;
use crate::core::paste::{self, TokenFormat};
use crate::core::refresh::RefreshPolicy;
use crate::core::renova::Renova;
use crate::core::secrets::clean_pasted;
use crate::core::state::{State, Status};
use crate::gui::clipboard::{ClipboardHandle, CopyHash};
use crate::gui::desktop::Desktop;
use crate::gui::snapshot::{Busy, KeychainHealth, Live, Snapshot, auto_refresh_due};
use crate::i18n::{Lang, T};

/// Wakes the UI (in the app: `ctx.request_repaint()`).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The add/edit dialog's content, as sent to the worker.
#[derive(Clone, Default)]
pub struct Draft {
    /// The account being edited; `None` adds a new one.
    pub editing: Option<AccountId>,
    /// Name.
    pub name: String,
    /// Provider.
    pub provider: ProviderKind,
    /// Client id.
    pub client_id: String,
    /// Client secret (blank when editing: keep the stored one).
    pub client_secret: zeroize::Zeroizing<String>,
    /// Refresh token (blank: authorize later, or keep the stored one).
    pub refresh_token: zeroize::Zeroizing<String>,
    /// An access token pasted from RD's JSON answer, with its `expires_in`.
    pub access_token: Option<(zeroize::Zeroizing<String>, i64)>,
    /// Base URL (RD providers; blank: default).
    pub base_url: String,
    /// Other settings (oauth2 endpoints, scopes…).
    pub settings: AccountSettings,
    /// Automatic refresh.
    pub auto_refresh: bool,
    /// After saving, authorize in the browser.
    pub authorize_after: bool,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Draft")
            .field("editing", &self.editing)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Draft {
    /// The core settings of this draft.
    pub fn account_settings(&self) -> AccountSettings {
        AccountSettings {
            provider: Some(self.provider),
            client_id: Some(self.client_id.trim().to_owned()),
            base_url: Some(self.base_url.trim().to_owned()),
            auto_refresh: Some(self.auto_refresh),
            ..self.settings.clone()
        }
    }

    /// The secrets typed or pasted, cleaned.
    pub fn given_secrets(&self, now: Timestamp) -> GivenSecrets {
        let clean = |s: &str| {
            let c = clean_pasted(s);
            (!c.is_empty()).then(|| SecretString::from(c.to_owned()))
        };
        GivenSecrets {
            client_secret: clean(&self.client_secret),
            refresh_token: clean(&self.refresh_token),
            access_token: self.access_token.as_ref().and_then(|(t, secs)| {
                let secs = u64::try_from(*secs).ok().filter(|s| *s > 0)?;
                Some((clean(t)?, clock::add(now, Duration::from_secs(secs))))
            }),
        }
    }
}

/// What the UI asks for.
#[derive(Debug)]
pub enum Command {
    /// Re-read everything.
    Reload,
    /// Check the keychain again (the banner's Retry).
    RetryKeychain,
    /// Refresh now (the Refresh button).
    Refresh(AccountId),
    /// Copy a token (refreshing first if it is about to expire).
    Copy(AccountId, TokenFormat),
    /// Ask the provider for the account's name.
    Check(AccountId),
    /// Revoke at the provider and forget the tokens.
    Revoke(AccountId),
    /// Delete the account and its keychain entry.
    Remove(AccountId),
    /// Add or edit an account.
    Save(Box<Draft>),
    /// Save the `[defaults]` of `accounts.toml`.
    SaveDefaults(Defaults),
    /// Remove every account.
    ForgetEverything,
    /// The UI language changed (for notifications).
    SetLanguage(Lang),
    /// Start authorizing an account in the browser.
    Authorize(AccountId),
    /// A redirected address (or code) pasted into the authorization dialog.
    AuthorizePaste(AccountId, zeroize::Zeroizing<String>),
    /// Stop waiting for the browser.
    CancelAuthorize(AccountId),
    /// Open a URL in the browser.
    OpenUrl(String),
    /// Check a Postman API key with Postman and store it (unless Postman refuses it).
    SetPostmanKey(zeroize::Zeroizing<String>),
    /// Say whether a Postman API key is stored (answered with `Event::PostmanKeyStored`).
    QueryPostmanKey,
    /// Delete the stored Postman API key.
    RemovePostmanKey,
    /// Start `renova --demo` as a process of its own.
    StartDemo,
}

/// What happened, for the UI.
#[derive(Debug, Clone)]
pub enum Event {
    /// The new state of everything.
    Snapshot(Arc<Snapshot>),
    /// A token was copied; the clipboard clears at `clear_at`.
    Copied {
        /// Which account.
        id: AccountId,
        /// In which form.
        format: TokenFormat,
        /// When the clipboard will be cleared.
        clear_at: Timestamp,
    },
    /// The clipboard was cleared (time up).
    ClipboardCleared,
    /// An operation on an account failed.
    Failed {
        /// Which account.
        id: AccountId,
        /// The error.
        error: Arc<Error>,
    },
    /// The dialog's account was saved.
    Saved {
        /// Its id.
        id: AccountId,
        /// Its name.
        name: String,
    },
    /// The dialog's account could not be saved.
    SaveFailed(Arc<Error>),
    /// `check` answered.
    Checked {
        /// Which account.
        id: AccountId,
        /// The provider's name for it.
        name: String,
    },
    /// An account was removed.
    Removed(String),
    /// Another `renova` asked this window to come to the front.
    Focus,
    /// An authorization is waiting for the browser.
    AuthorizeStarted {
        /// Which account.
        id: AccountId,
        /// The address to open.
        url: String,
        /// The redirect URI to register.
        redirect_uri: String,
        /// Whether a listener on this machine waits (else only a paste can finish).
        listens: bool,
        /// Whether the browser was opened.
        browser_opened: bool,
    },
    /// Something arrived that did not finish the authorization; still waiting.
    AuthorizeProblem(AccountId, crate::core::authorize::WaitProblem),
    /// The account is authorized.
    Authorized {
        /// Which account.
        id: AccountId,
        /// Its name.
        name: String,
    },
    /// The authorization failed.
    AuthorizeFailed(AccountId, Arc<Error>),
    /// The Postman key was checked: whose it is, or why not (stored unless refused).
    PostmanKey(Result<String, Arc<Error>>),
    /// Whether a Postman API key is in the keychain (`None`: the keychain could not say).
    PostmanKeyStored(Option<bool>),
}

struct Inner {
    live: BTreeMap<AccountId, Live>,
    keychain: KeychainHealth,
    snapshot: Arc<Snapshot>,
    stamps: [Option<SystemTime>; 2],
    lang: Lang,
}

/// State shared by the worker's tasks.
struct Shared {
    renova: Renova,
    inner: Mutex<Inner>,
    events: std::sync::mpsc::Sender<Event>,
    waker: Waker,
    clipboard: ClipboardHandle,
    desktop: Arc<dyn Desktop>,
    /// What was last copied (its hash) and when the clipboard clears; shared with the UI
    /// thread, which clears it at exit.
    copied: Arc<Mutex<Option<(CopyHash, Timestamp)>>>,
    /// A retry of failed Postman syncs is running.
    postman_retrying: std::sync::atomic::AtomicBool,
    /// Authorizations waiting for the browser: where pastes go, and how to stop them.
    authorizing:
        Mutex<BTreeMap<AccountId, (mpsc::UnboundedSender<String>, tokio::task::AbortHandle)>>,
}

/// The UI's handle to the worker.
pub struct Worker {
    commands: mpsc::UnboundedSender<Command>,
    events: std::sync::mpsc::Receiver<Event>,
    clipboard: ClipboardHandle,
    copied: Arc<Mutex<Option<(CopyHash, Timestamp)>>>,
    _thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts the worker thread. `extra` runs on the worker's runtime after start-up (the demo
    /// provider and the single-instance listener live there).
    pub fn start(
        renova: Renova,
        clipboard: ClipboardHandle,
        desktop: Arc<dyn Desktop>,
        lang: Lang,
        waker: Waker,
    ) -> Self {
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let (ev_tx, ev_rx) = std::sync::mpsc::channel();
        let copied = Arc::new(Mutex::new(None));
        let copied_for_ui = copied.clone();
        let waiting_events = ev_tx.clone();
        let waiting_waker = waker.clone();
        let keychain_waiting = Arc::new(Mutex::new(None::<Arc<Shared>>));
        let kw = keychain_waiting.clone();
        let renova = Renova {
            keychain: renova.keychain.clone().on_wait(move || {
                if let Ok(guard) = kw.lock()
                    && let Some(shared) = guard.as_ref()
                {
                    shared.set_keychain(KeychainHealth::Waiting);
                    shared.publish();
                }
                let _ = &waiting_events;
                waiting_waker();
            }),
            ..renova
        };
        let shared = Arc::new(Shared {
            renova,
            inner: Mutex::new(Inner {
                live: BTreeMap::new(),
                keychain: KeychainHealth::Unknown,
                snapshot: Arc::new(Snapshot::default()),
                stamps: [None, None],
                lang,
            }),
            events: ev_tx,
            waker,
            clipboard: clipboard.clone(),
            desktop,
            copied,
            authorizing: Mutex::new(BTreeMap::new()),
            postman_retrying: std::sync::atomic::AtomicBool::new(false),
        });
        if let Ok(mut kw) = keychain_waiting.lock() {
            *kw = Some(shared.clone());
        }
        let thread = std::thread::Builder::new()
            .name("renova-worker".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        tracing::error!("cannot start the worker runtime: {e}");
                        return;
                    }
                };
                runtime.block_on(run(shared, cmd_rx));
                runtime.shutdown_background();
            });
        let thread = match thread {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::error!("cannot start the worker thread: {e}");
                None
            }
        };
        Self {
            commands: cmd_tx,
            events: ev_rx,
            clipboard,
            copied: copied_for_ui,
            _thread: thread,
        }
    }

    /// Sends a command (never blocks).
    pub fn send(&self, command: Command) {
        if self.commands.send(command).is_err() {
            tracing::error!("the worker has stopped");
        }
    }

    /// The next event, if one is waiting.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// At exit: clears the clipboard if it still holds what Renova copied (waits ≤ 1 s).
    pub fn clear_clipboard_at_exit(&self) {
        let copied = self.copied.lock().ok().and_then(|c| *c);
        if let Some((hash, _)) = copied {
            self.clipboard
                .clear_if_blocking(hash, Duration::from_secs(1));
        }
    }
}

async fn run(shared: Arc<Shared>, mut commands: mpsc::UnboundedReceiver<Command>) {
    shared.renova.finish_pending_removals().await;
    shared.publish();
    shared.clone().startup_keychain_check().await;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else { break };
                let s = shared.clone();
                tokio::spawn(async move { s.handle(command).await });
            }
            _ = tick.tick() => shared.clone().tick().await,
        }
    }
}

impl Shared {
    fn now(&self) -> Timestamp {
        self.renova.now()
    }

    fn send(&self, event: Event) {
        let _ = self.events.send(event);
        (self.waker)();
    }

    fn with_inner<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> Option<R> {
        self.inner.lock().ok().map(|mut i| f(&mut i))
    }

    fn set_keychain(&self, health: KeychainHealth) {
        self.with_inner(|i| i.keychain = health);
    }

    fn live(&self, id: AccountId, f: impl FnOnce(&mut Live)) {
        self.with_inner(|i| f(i.live.entry(id).or_default()));
    }

    /// Re-reads the files and sends the new snapshot.
    fn publish(&self) {
        let paths = &self.renova.paths;
        let stamps = [mtime(&paths.accounts_file()), mtime(&paths.state_file())];
        let (config, config_error) = match Config::load(paths) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(Arc::new(e))),
        };
        let state = State::load(paths);
        let snapshot = self.with_inner(|i| {
            i.stamps = stamps;
            if let Some(c) = &config {
                i.live.retain(|id, _| c.by_id(id).is_some());
            }
            let s = Arc::new(Snapshot {
                config,
                config_error,
                state,
                live: i.live.clone(),
                keychain: i.keychain.clone(),
            });
            i.snapshot = s.clone();
            s
        });
        if let Some(s) = snapshot {
            self.send(Event::Snapshot(s));
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.with_inner(|i| i.snapshot.clone()).unwrap_or_default()
    }

    fn account(&self, id: &AccountId) -> Option<AccountConfig> {
        self.snapshot().account(id).cloned()
    }

    /// Notes what a result says about the keychain.
    fn observe<T>(&self, result: &Result<T, Error>) {
        match result {
            Err(Error::Keychain(k)) | Err(Error::RotationLost { source: k, .. }) => {
                self.set_keychain(KeychainHealth::Failed(k.clone()));
            }
            _ => {
                self.with_inner(|i| {
                    if i.keychain != KeychainHealth::Ok {
                        i.keychain = KeychainHealth::Ok;
                    }
                });
            }
        }
    }

    /// At start, reads one account's entry so a missing or locked keychain shows at once.
    async fn startup_keychain_check(self: Arc<Self>) {
        let first = self.snapshot().accounts().first().map(|a| (*a).clone());
        if let Some(account) = first {
            let r = self.renova.read_entry(&account).await.map(|_| ());
            match &r {
                Err(Error::NeedsAuthorization { .. }) => self.set_keychain(KeychainHealth::Ok),
                _ => self.observe(&r),
            }
            self.publish();
        }
    }

    async fn handle(self: Arc<Self>, command: Command) {
        match command {
            Command::Reload => self.publish(),
            Command::RetryKeychain => {
                let r = self
                    .renova
                    .keychain
                    .probe()
                    .await
                    .map(|_| ())
                    .map_err(Error::from);
                self.observe(&r);
                self.publish();
            }
            Command::Refresh(id) => self.refresh(id, true).await,
            Command::Copy(id, format) => self.copy(id, format).await,
            Command::Check(id) => self.check(id).await,
            Command::Revoke(id) => self.revoke(id).await,
            Command::Remove(id) => self.remove(id).await,
            Command::Save(draft) => self.save(*draft).await,
            Command::SaveDefaults(defaults) => {
                let r = Config::update(&self.renova.paths, |c| {
                    c.defaults = Defaults {
                        extra: c.defaults.extra.clone(),
                        ..defaults
                    };
                    Ok(())
                });
                if let Err(e) = r {
                    self.send(Event::SaveFailed(Arc::new(e)));
                }
                self.publish();
            }
            Command::ForgetEverything => {
                let r = self.renova.forget_everything().await;
                self.observe(&r);
                if let Err(e) = r {
                    self.send(Event::SaveFailed(Arc::new(e)));
                }
                self.publish();
            }
            Command::SetLanguage(lang) => {
                self.with_inner(|i| i.lang = lang);
            }
            Command::Authorize(id) => self.authorize(id),
            Command::AuthorizePaste(id, mut text) => {
                if let Ok(map) = self.authorizing.lock()
                    && let Some((tx, _)) = map.get(&id)
                {
                    let _ = tx.send(std::mem::take(&mut *text));
                }
            }
            Command::SetPostmanKey(key) => {
                let key = SecretString::from(key.as_str().trim().to_owned());
                let checked = self.renova.postman_whoami(&key).await;
                let result = match checked {
                    Err(e) if e.kind == crate::core::postman::PostmanErrorKind::InvalidKey => {
                        Err(Arc::new(e.into()))
                    }
                    other => match self.renova.set_postman_key(&key).await {
                        Ok(()) => other.map_err(|e| Arc::new(e.into())),
                        Err(e) => Err(Arc::new(e)),
                    },
                };
                let stored = self.renova.has_postman_key().await.ok();
                self.send(Event::PostmanKey(result));
                self.send(Event::PostmanKeyStored(stored));
                // Accounts waiting for a key can be synced now.
                let _ = self.renova.retry_postman_syncs(self.now()).await;
                self.publish();
            }
            Command::QueryPostmanKey => {
                let stored = self.renova.has_postman_key().await.ok();
                self.send(Event::PostmanKeyStored(stored));
            }
            Command::RemovePostmanKey => {
                if let Err(e) = self.renova.remove_postman_key().await {
                    tracing::warn!("could not remove the Postman API key: {e}");
                }
                let stored = self.renova.has_postman_key().await.ok();
                self.send(Event::PostmanKeyStored(stored));
            }
            Command::StartDemo => {
                // tokio reaps the child when it exits, so no zombie is left behind.
                let spawned = std::env::current_exe().and_then(|exe| {
                    tokio::process::Command::new(exe)
                        .arg("--demo")
                        .spawn()
                        .map(drop)
                });
                if let Err(e) = spawned {
                    tracing::warn!("could not start the demo: {e}");
                }
            }
            Command::OpenUrl(url) => {
                let desktop = self.desktop.clone();
                let _ = tokio::task::spawn_blocking(move || desktop.open_url(&url)).await;
            }
            Command::CancelAuthorize(id) => {
                if let Some((_, abort)) =
                    self.authorizing.lock().ok().and_then(|mut m| m.remove(&id))
                {
                    abort.abort();
                }
                self.end(id, None);
            }
        }
    }

    fn begin(&self, id: AccountId, busy: Busy) -> bool {
        let started = self
            .with_inner(|i| {
                let live = i.live.entry(id).or_default();
                if live.busy.is_some() {
                    false
                } else {
                    live.busy = Some(busy);
                    true
                }
            })
            .unwrap_or(false);
        if started {
            self.publish();
        }
        started
    }

    fn end(&self, id: AccountId, error: Option<Arc<Error>>) {
        self.live(id, |l| {
            l.busy = None;
            if error.is_some() {
                l.error = error;
            }
        });
        self.publish();
    }

    async fn refresh(self: Arc<Self>, id: AccountId, manual: bool) {
        let Some(account) = self.account(&id) else {
            return;
        };
        if !self.begin(id, Busy::Refreshing) {
            return;
        }
        let snapshot = self.snapshot();
        let policy = if manual {
            RefreshPolicy::Force {
                seen_rev: Some(snapshot.state.get(&id).rev).filter(|r| *r > 0),
            }
        } else {
            RefreshPolicy::IfDue {
                lead: snapshot.lead_time(&account),
            }
        };
        let result = self.renova.refresh_account(&account, policy).await;
        self.observe(&result);
        let now = self.now();
        match result {
            Ok(_) => {
                self.live(id, |l| {
                    l.attempts = 0;
                    l.retry_at = None;
                    l.error = None;
                });
                self.end(id, None);
            }
            Err(e) => {
                let transient = matches!(&e, Error::Provider(p) if !p.is_permanent())
                    || matches!(e, Error::Keychain(_) | Error::Busy { .. });
                let hint = match &e {
                    Error::Provider(p) => p.retry_after,
                    _ => None,
                };
                let auto = account.auto_refresh;
                self.live(id, |l| {
                    if transient && auto {
                        let delay = expiry::retry_delay(l.attempts, expiry::random_unit(), hint);
                        l.attempts += 1;
                        l.retry_at = Some(clock::add(now, delay));
                    } else {
                        l.retry_at = None;
                    }
                });
                let error = Arc::new(e);
                if manual {
                    self.send(Event::Failed {
                        id,
                        error: error.clone(),
                    });
                }
                self.end(id, Some(error));
            }
        }
    }

    async fn copy(self: Arc<Self>, id: AccountId, format: TokenFormat) {
        let Some(account) = self.account(&id) else {
            return;
        };
        if !self.begin(id, Busy::Copying) {
            return;
        }
        let snapshot = self.snapshot();
        let mirror = snapshot.state.get(&id);
        let configured = snapshot
            .config
            .as_ref()
            .map(|c| self.renova.copy_min_valid(c, &account))
            .unwrap_or(Duration::from_secs(900));
        let min = expiry::effective(
            configured,
            expiry::lifetime(mirror.expires_at, mirror.obtained_at),
        );
        let clear_after = snapshot
            .config
            .as_ref()
            .map_or(Duration::from_secs(60), |c| c.defaults.clipboard_clear.0);
        let result = self.renova.token_for(&account, min).await;
        self.observe(&result);
        match result {
            Ok(outcome) => {
                let text = paste::render(format, &outcome.token, &account);
                match self.clipboard.set(text).await {
                    Ok(hash) => {
                        let clear_at = clock::add(self.now(), clear_after);
                        if let Ok(mut c) = self.copied.lock() {
                            *c = Some((hash, clear_at));
                        }
                        self.send(Event::Copied {
                            id,
                            format,
                            clear_at,
                        });
                        self.end(id, None);
                    }
                    Err(e) => {
                        let error = Arc::new(Error::Io {
                            what: "copying to the clipboard",
                            path: std::path::PathBuf::from("clipboard"),
                            source: std::io::Error::other(e),
                        });
                        self.send(Event::Failed {
                            id,
                            error: error.clone(),
                        });
                        self.end(id, None);
                    }
                }
            }
            Err(e) => {
                let error = Arc::new(e);
                self.send(Event::Failed {
                    id,
                    error: error.clone(),
                });
                self.end(id, Some(error));
            }
        }
    }

    async fn check(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.account(&id) else {
            return;
        };
        if !self.begin(id, Busy::Checking) {
            return;
        }
        let result = self.renova.check(&account.name).await;
        self.observe(&result);
        match result {
            Ok(name) => {
                self.send(Event::Checked { id, name });
                self.end(id, None);
            }
            Err(e) => {
                let error = Arc::new(e);
                self.send(Event::Failed {
                    id,
                    error: error.clone(),
                });
                self.end(id, None);
            }
        }
    }

    async fn revoke(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.account(&id) else {
            return;
        };
        if !self.begin(id, Busy::Revoking) {
            return;
        }
        let result = self.renova.revoke(&account.name).await;
        self.observe(&result);
        let error = result.err().map(Arc::new);
        if let Some(e) = &error {
            self.send(Event::Failed {
                id,
                error: e.clone(),
            });
        }
        self.live(id, |l| {
            l.retry_at = None;
            l.attempts = 0;
        });
        self.end(id, None);
    }

    async fn remove(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.account(&id) else {
            return;
        };
        if !self.begin(id, Busy::Removing) {
            return;
        }
        let result = self.renova.remove(&account.name).await;
        self.observe(&result);
        match result {
            Ok(_) => {
                self.with_inner(|i| i.live.remove(&id));
                self.send(Event::Removed(account.name.clone()));
                self.publish();
            }
            Err(e) => {
                let error = Arc::new(e);
                self.send(Event::Failed {
                    id,
                    error: error.clone(),
                });
                self.end(id, None);
            }
        }
    }

    async fn save(self: Arc<Self>, draft: Draft) {
        let settings = draft.account_settings();
        let given = draft.given_secrets(self.now());
        let result = match draft.editing {
            None => self.renova.add(&draft.name, &settings, given).await,
            Some(id) => match self.account(&id) {
                Some(current) => {
                    let secrets_given = given.client_secret.is_some()
                        || given.refresh_token.is_some()
                        || given.access_token.is_some();
                    let rename = (current.name != draft.name.trim()).then_some(draft.name.as_str());
                    self.renova
                        .edit(
                            &current.name,
                            rename,
                            &settings,
                            secrets_given.then_some(given),
                        )
                        .await
                }
                None => Err(Error::NoSuchAccount(draft.name.clone())),
            },
        };
        self.observe(&result);
        match result {
            Ok(account) => {
                self.live(account.id, |l| {
                    l.error = None;
                    l.retry_at = None;
                    l.attempts = 0;
                });
                self.send(Event::Saved {
                    id: account.id,
                    name: account.name.clone(),
                });
                if draft.authorize_after {
                    self.publish();
                    self.clone().authorize(account.id);
                } else if crate::core::postman::target(&account).is_some() {
                    let _ = self.renova.sync_postman_now(&account.name).await;
                }
            }
            Err(e) => self.send(Event::SaveFailed(Arc::new(e))),
        }
        self.publish();
    }

    /// Starts an authorization on its own task (it waits up to 10 minutes).
    fn authorize(self: Arc<Self>, id: AccountId) {
        let Some(account) = self.account(&id) else {
            return;
        };
        if !self.begin(id, Busy::Authorizing) {
            return;
        }
        let (tx, mut pasted) = mpsc::unbounded_channel();
        let me = self.clone();
        let task = tokio::spawn(async move {
            let result = async {
                let mut session = me.renova.begin_authorize(&account.name, None).await?;
                let url = session.url.to_string();
                let opened = {
                    let url = url.clone();
                    let desktop = me.desktop.clone();
                    tokio::task::spawn_blocking(move || desktop.open_url(&url).is_ok())
                        .await
                        .unwrap_or(false)
                };
                me.send(Event::AuthorizeStarted {
                    id,
                    url,
                    redirect_uri: session.redirect_uri.clone(),
                    listens: session.listens(),
                    browser_opened: opened,
                });
                let reporter = me.clone();
                let problem = move |p| reporter.send(Event::AuthorizeProblem(id, p));
                let code = session.wait_for_code(&mut pasted, &problem).await?;
                me.renova.finish_authorize(&session, &code).await
            }
            .await;
            if let Ok(mut map) = me.authorizing.lock() {
                map.remove(&id);
            }
            me.observe(&result);
            match result {
                Ok(_) => {
                    me.live(id, |l| {
                        l.error = None;
                        l.retry_at = None;
                        l.attempts = 0;
                    });
                    me.send(Event::Authorized {
                        id,
                        name: account.name.clone(),
                    });
                }
                Err(e) => me.send(Event::AuthorizeFailed(id, Arc::new(e))),
            }
            me.end(id, None);
        });
        if let Ok(mut map) = self.authorizing.lock() {
            map.insert(id, (tx, task.abort_handle()));
        }
    }

    async fn tick(self: Arc<Self>) {
        let paths = &self.renova.paths;
        let stamps = [mtime(&paths.accounts_file()), mtime(&paths.state_file())];
        if self.with_inner(|i| i.stamps != stamps).unwrap_or(false) {
            self.publish();
        }
        let now = self.now();
        // The clipboard's time is up.
        let due = self
            .copied
            .lock()
            .ok()
            .and_then(|mut c| c.take_if(|(_, at)| now >= *at));
        if let Some((hash, _)) = due
            && self.clipboard.clear_if(hash).await
        {
            self.send(Event::ClipboardCleared);
        }
        let snapshot = self.snapshot();
        let notify = snapshot
            .config
            .as_ref()
            .is_some_and(|c| c.defaults.notifications);
        // While the keychain is failing or waiting for its password, automatic refreshes
        // would only pile up prompts: they resume after Retry or any successful call.
        let keychain_usable = keychain_ok(&snapshot.keychain);
        // Postman syncs that failed and whose retry time has come.
        let postman_due = snapshot
            .accounts()
            .iter()
            .any(|a| snapshot.state.get(&a.id).postman_retry_due(now));
        if postman_due
            && keychain_usable
            && !self
                .postman_retrying
                .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            let s = self.clone();
            tokio::spawn(async move {
                if let Ok(n) = s.renova.retry_postman_syncs(s.now()).await
                    && n > 0
                {
                    s.publish();
                }
                s.postman_retrying
                    .store(false, std::sync::atomic::Ordering::SeqCst);
            });
        }
        for account in snapshot.accounts() {
            let mirror = snapshot.state.get(&account.id);
            let live = snapshot.live.get(&account.id);
            if keychain_usable
                && auto_refresh_due(account, &mirror, live, snapshot.lead_time(account), now)
            {
                let s = self.clone();
                let id = account.id;
                tokio::spawn(async move { s.refresh(id, false).await });
            }
            if mirror.status == Status::NeedsAuthorization && mirror.notified_at.is_none() {
                self.notify_needs_authorization(account, notify, now);
            }
        }
    }

    /// One desktop notification per incident; `notified_at` survives restarts.
    fn notify_needs_authorization(&self, account: &AccountConfig, enabled: bool, now: Timestamp) {
        let marked = State::update_account(&self.renova.paths, &account.id, |a| {
            a.notified_at = Some(now)
        });
        if marked.is_err() || !enabled {
            return;
        }
        let lang = self.with_inner(|i| i.lang).unwrap_or_default();
        let summary = T::NotifyNeedsAuthTitle.fill(lang, &[("name", &account.name)]);
        let body = T::NotifyNeedsAuthBody.fill(lang, &[("name", &account.name)]);
        let desktop = self.desktop.clone();
        tokio::task::spawn_blocking(move || desktop.notify(&summary, &body));
    }
}

fn keychain_ok(health: &KeychainHealth) -> bool {
    matches!(health, KeychainHealth::Ok | KeychainHealth::Unknown)
}

fn mtime(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
