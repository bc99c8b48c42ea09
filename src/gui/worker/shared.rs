//! What the worker's tasks share: the core, the channel back to the UI, the timed copy, the
//! core's automatic pass, the desktop and the agent's switch, and the little runtime state the
//! window keeps — which accounts are busy, how the keychain last answered, the last snapshot.
//! Failures and backoff are not kept here: they are in `state.json`, where every process sees
//! them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use jiff::Timestamp;
use tokio::sync::mpsc;

use crate::agent::control::{AgentControl, Background};
use crate::core::account::AccountId;
use crate::core::autopass::{AutoPass, PassObserver};
use crate::core::config::AccountConfig;
use crate::core::error::{Error, Result};
use crate::core::refresh::Refreshed;
use crate::core::renova::Renova;
use crate::gui::message::Event;
use crate::gui::snapshot::{Busy, KeychainHealth, Snapshot};
use crate::gui::worker::Waker;
use crate::i18n::Lang;
use crate::platform::copy::TimedCopy;
use crate::platform::desktop::Desktop;

/// The worker's mutable state.
pub(super) struct Inner {
    busy: BTreeMap<AccountId, Busy>,
    keychain: KeychainHealth,
    snapshot: Arc<Snapshot>,
    /// Modification times of `accounts.toml` and `state.json` at the last publish.
    pub(super) stamps: [Option<SystemTime>; 2],
    pub(super) lang: Lang,
    /// The background agent as last seen (`None`: no control of it, e.g. the demo).
    pub(super) background: Option<Background>,
    /// When the automatic pass is to run again.
    pub(super) next_pass: NextPass,
}

/// When the window's tick runs the automatic pass again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NextPass {
    /// At the next tick (the files changed: what is due may have changed with them).
    Now,
    /// When the last pass said something would be due.
    At(Timestamp),
    /// Nothing will be due until the files change.
    Never,
}

/// An authorization waiting for the browser: where pastes go, and how to stop it.
pub(super) type Waiting = (mpsc::UnboundedSender<String>, tokio::task::AbortHandle);

/// State shared by the worker's tasks.
pub(super) struct Shared {
    pub(super) renova: Renova,
    inner: Mutex<Inner>,
    events: std::sync::mpsc::Sender<Event>,
    waker: Waker,
    /// The one timed copy (tokens, the endpoint key).
    pub(super) copy: TimedCopy,
    /// The core's automatic pass, run by the tick while no agent runs.
    pub(super) pass: AutoPass,
    pub(super) desktop: Arc<dyn Desktop>,
    /// Authorizations waiting for the browser.
    pub(super) authorizing: Mutex<BTreeMap<AccountId, Waiting>>,
    /// The background agent's switch and state (none in the demo).
    pub(super) agent: Option<Arc<dyn AgentControl>>,
}

impl Shared {
    pub(super) fn new(
        renova: Renova,
        (events, waker): (std::sync::mpsc::Sender<Event>, Waker),
        copy: TimedCopy,
        (desktop, agent): (Arc<dyn Desktop>, Option<Arc<dyn AgentControl>>),
        lang: Lang,
    ) -> Self {
        Self {
            pass: AutoPass::new(renova.clone()),
            renova,
            inner: Mutex::new(Inner {
                busy: BTreeMap::new(),
                keychain: KeychainHealth::Unknown,
                snapshot: Arc::new(Snapshot::default()),
                stamps: [None, None],
                lang,
                background: None,
                next_pass: NextPass::Now,
            }),
            events,
            waker,
            copy,
            desktop,
            authorizing: Mutex::new(BTreeMap::new()),
            agent,
        }
    }

    /// Sends an event and wakes the UI.
    pub(super) fn send(&self, event: Event) {
        // The UI is gone only while the window closes; nothing is left to tell.
        if self.events.send(event).is_err() {
            tracing::debug!("the window has closed");
        }
        (self.waker)();
    }

    pub(super) fn with_inner<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> Option<R> {
        self.inner.lock().ok().map(|mut i| f(&mut i))
    }

    pub(super) fn set_keychain(&self, health: KeychainHealth) {
        self.with_inner(|i| i.keychain = health);
    }

    /// Looks at the background agent; `true` when that changed what the window shows.
    pub(super) fn look_at_agent(&self) -> bool {
        let now = self.agent.as_ref().map(|a| a.status());
        self.with_inner(|i| std::mem::replace(&mut i.background, now) != now)
            .unwrap_or(false)
    }

    /// Re-reads the files and sends the new snapshot.
    pub(super) fn publish(&self) {
        let stamps = self.renova.profile().file_stamps();
        let (config, config_error) = match self.renova.config() {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(Arc::new(e))),
        };
        let state = self.renova.state();
        let snapshot = self.with_inner(|i| {
            // The files changed (this window's own work, or another process's): what is due
            // may have changed with them, so the automatic pass looks again.
            if i.stamps != stamps {
                i.next_pass = NextPass::Now;
            }
            i.stamps = stamps;
            let s = Arc::new(Snapshot {
                config,
                config_error,
                state,
                busy: i.busy.clone(),
                keychain: i.keychain.clone(),
                background: i.background,
            });
            i.snapshot = s.clone();
            s
        });
        if let Some(s) = snapshot {
            self.send(Event::Snapshot(s));
        }
    }

    /// The last snapshot published.
    pub(super) fn snapshot(&self) -> Arc<Snapshot> {
        self.with_inner(|i| i.snapshot.clone()).unwrap_or_default()
    }

    /// An account as the last snapshot has it.
    pub(super) fn account(&self, id: &AccountId) -> Option<AccountConfig> {
        self.snapshot().account(id).cloned()
    }

    /// Notes what a result says about the keychain: the banner shows it, and the automatic
    /// pass waits for it to work again.
    pub(super) fn observe<T>(&self, result: &Result<T>) {
        let health = match result {
            Err(Error::Keychain(k)) | Err(Error::RotationLost { source: k, .. }) => {
                KeychainHealth::Failed(k.clone())
            }
            _ => KeychainHealth::Ok,
        };
        self.pass.note(result);
        self.set_keychain(health);
    }

    /// Starts an operation on an account: marks it busy and returns it, or `None` when it is
    /// gone or already busy (one operation at a time).
    pub(super) fn start(&self, id: AccountId, busy: Busy) -> Option<AccountConfig> {
        let account = self.account(&id)?;
        let started = self
            .with_inner(|i| match i.busy.entry(id) {
                std::collections::btree_map::Entry::Occupied(_) => false,
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(busy);
                    true
                }
            })
            .unwrap_or(false);
        if started {
            self.publish();
        }
        started.then_some(account)
    }

    /// The operation on an account is over.
    pub(super) fn end(&self, id: AccountId) {
        self.with_inner(|i| i.busy.remove(&id));
        self.publish();
    }

    /// Tells the UI that what the user asked for failed (`on_card`: the card shows it).
    pub(super) fn failed(&self, id: AccountId, error: Error, on_card: bool) {
        self.send(Event::Failed {
            id,
            error: Arc::new(error),
            on_card,
        });
    }
}

/// The automatic pass shows its refreshes on the cards ("refreshing…") and skips accounts the
/// person is busy with.
impl PassObserver for Shared {
    fn starting(&self, id: AccountId) -> bool {
        self.start(id, Busy::Refreshing).is_some()
    }

    fn finished(&self, id: AccountId, result: &Result<Refreshed>) {
        self.observe(result);
        self.end(id);
    }
}

/// At start, reads one account's entry so a missing or locked keychain shows at once.
pub(super) async fn startup_keychain_check(shared: &Shared) {
    let first = shared.snapshot().accounts().first().map(|a| (*a).clone());
    if let Some(account) = first {
        let r = shared.renova.accounts().check_entry(&account).await;
        match &r {
            Err(Error::NeedsAuthorization { .. }) => shared.set_keychain(KeychainHealth::Ok),
            _ => shared.observe(&r),
        }
        shared.publish();
    }
}
