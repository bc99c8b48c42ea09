//! The automatic pass: the one place that decides and runs what is due, for the window (when
//! no agent runs) and for the agent alike. It refreshes the accounts the status rule says are
//! due, retries failed Postman syncs whose time has come, and claims the one notification of
//! each incident, all behind one set of guards:
//!
//! - one pass at a time in a process, and no account a front-end is busy with;
//! - after a keychain failure, no automatic use of the keychain until it works again (any
//!   success reopens it), or a minute later when no unlock prompt can appear (a prompt asked
//!   again and again would only pile up);
//! - an unreadable `accounts.toml` does nothing (the window and `doctor` say why).
//!
//! The front-ends only schedule it: they run it when [`PassReport::next_due`] comes, when the
//! files change, or when the person asks, and show the notifications it hands back.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::core::clock;
use crate::core::error::{Error, Result};
use crate::core::keychain::KeychainError;
use crate::core::refresh::Refreshed;
use crate::core::renova::{AccountSummary, Renova};

/// How long automatic work leaves a failing keychain alone when no prompt can appear.
pub(crate) const KEYCHAIN_PAUSE: Duration = Duration::from_secs(60);

/// What a front-end is told while a pass runs.
pub(crate) trait PassObserver: Send + Sync {
    /// An automatic refresh of this account is about to start; `false` skips it (the front-end
    /// is busy with the account).
    fn starting(&self, id: AccountId) -> bool;
    /// It ended (`state.json` has its outcome).
    fn finished(&self, id: AccountId, result: &Result<Refreshed>);
}

/// A front-end with nothing to show while a pass runs (the agent).
#[derive(Debug, Default)]
pub(crate) struct Unobserved;

impl PassObserver for Unobserved {
    fn starting(&self, _id: AccountId) -> bool {
        true
    }

    fn finished(&self, _id: AccountId, _result: &Result<Refreshed>) {}
}

/// What a pass did, and when the next one is due.
#[derive(Debug, Default)]
pub(crate) struct PassReport {
    /// How many automatic refreshes it tried.
    pub attempted: usize,
    /// How many failed Postman syncs it sent again.
    pub postman_synced: usize,
    /// Accounts whose one notification this process claimed, with notifications on: the
    /// front-end shows them.
    pub to_notify: Vec<AccountSummary>,
    /// When something is next due (an account, a Postman retry); `None`: nothing will be.
    pub next_due: Option<Timestamp>,
}

/// The keychain as automatic work last found it.
#[derive(Debug, Default)]
struct KeychainGate {
    /// A failure and the monotonic time it happened.
    failed: Option<(KeychainError, Duration)>,
}

/// The automatic pass of one process. Cheap to keep; run it as often as it asks.
pub(crate) struct AutoPass {
    renova: Renova,
    running: AtomicBool,
    keychain: Mutex<KeychainGate>,
}

impl AutoPass {
    /// The pass of this process over `renova`.
    pub(crate) fn new(renova: Renova) -> Self {
        Self {
            renova,
            running: AtomicBool::new(false),
            keychain: Mutex::new(KeychainGate::default()),
        }
    }

    /// Runs one pass, unless one is already running (`None`).
    pub(crate) async fn run(&self, observer: &dyn PassObserver) -> Option<PassReport> {
        if self.running.swap(true, Ordering::SeqCst) {
            return None;
        }
        let report = self.pass(observer).await;
        self.running.store(false, Ordering::SeqCst);
        Some(report)
    }

    /// Tells the pass what a keychain call made elsewhere in this process found (a click, the
    /// window's Retry): a success reopens automatic work, a failure pauses it.
    pub(crate) fn note<T>(&self, result: &Result<T>) {
        let failure = match result {
            Err(Error::Keychain(k) | Error::RotationLost { source: k, .. }) => Some(k.clone()),
            // The keychain answered (whatever the provider said).
            _ => None,
        };
        let at = self.renova.elapsed();
        if let Ok(mut gate) = self.keychain.lock() {
            gate.failed = failure.map(|k| (k, at));
        }
    }

    /// Whether automatic work may use the keychain now.
    fn keychain_open(&self) -> bool {
        let Ok(gate) = self.keychain.lock() else {
            return false;
        };
        match &gate.failed {
            None => true,
            // A prompt could appear: wait for a success instead of asking again.
            Some(_) if self.renova.profile().keychain_may_prompt() => false,
            Some((_, at)) => self.renova.elapsed() >= *at + KEYCHAIN_PAUSE,
        }
    }

    async fn pass(&self, observer: &dyn PassObserver) -> PassReport {
        let mut report = PassReport::default();
        let Ok(rows) = self.renova.list(self.renova.now()) else {
            return report;
        };
        if self.keychain_open() {
            report.attempted = self.refresh_due(&rows, observer).await;
            report.postman_synced = self.retry_postman(&rows).await;
        }
        // Decide again from the files: the refreshes changed them.
        let now = self.renova.now();
        let rows = self.renova.list(now).unwrap_or_default();
        let notifications = self.renova.config().is_ok_and(|c| c.defaults.notifications);
        for row in rows.iter().filter(|r| r.status.should_notify) {
            let claimed = self.renova.accounts().claim_notification(&row.account, now);
            if claimed.unwrap_or(false) && notifications {
                report.to_notify.push(row.clone());
            }
        }
        report.next_due = next_due(&rows, self.keychain_reopens(now));
        report
    }

    /// When a paused keychain opens again on its own, as a wall-clock time.
    fn keychain_reopens(&self, now: Timestamp) -> Option<Timestamp> {
        let gate = self.keychain.lock().ok()?;
        let (_, at) = gate.failed.as_ref()?;
        if self.renova.profile().keychain_may_prompt() {
            return None;
        }
        let wait = (*at + KEYCHAIN_PAUSE).saturating_sub(self.renova.elapsed());
        Some(clock::add(now, wait))
    }

    /// Refreshes every due account, one after another; returns how many it tried.
    async fn refresh_due(&self, rows: &[AccountSummary], observer: &dyn PassObserver) -> usize {
        let mut attempted = 0;
        for row in rows.iter().filter(|r| r.status.due) {
            let id = row.account.id;
            if !self.keychain_open() || !observer.starting(id) {
                continue;
            }
            attempted += 1;
            let result = self.renova.refresh_if_due(&row.account).await;
            if let Err(e) = &result {
                tracing::info!("automatic refresh of `{}` failed: {e}", row.account.name);
            }
            self.note(&result);
            observer.finished(id, &result);
        }
        attempted
    }

    /// Sends failed Postman syncs again when their time has come.
    async fn retry_postman(&self, rows: &[AccountSummary]) -> usize {
        let now = self.renova.now();
        if !rows.iter().any(|r| r.state.postman_retry_due(now)) {
            return 0;
        }
        match self.renova.postman().retry_syncs().await {
            Ok(n) => n,
            Err(e) => {
                tracing::info!("Postman syncs not retried: {e}");
                0
            }
        }
    }
}

/// The earliest moment anything is due: an account's refresh or retry, a Postman retry, or
/// the keychain reopening.
fn next_due(rows: &[AccountSummary], keychain: Option<Timestamp>) -> Option<Timestamp> {
    rows.iter()
        .flat_map(|r| {
            let postman = r.state.postman_error.as_ref().and(r.state.postman_retry_at);
            [r.status.next_due, postman]
        })
        .flatten()
        .chain(keychain)
        .min()
}
