//! The automatic pass: the one place that decides and runs what is due, for the window (when
//! no agent runs) and for the agent alike. It refreshes the accounts the status rule says are
//! due, retries failed Postman syncs whose time has come, and claims the one notification of
//! each incident, all behind one set of guards:
//!
//! - one pass at a time in a process, no account a front-end is busy with, and at most four
//!   refreshes at once;
//! - after a keychain failure, or while an unlock prompt is open, no automatic use of the
//!   keychain until it works again (any success reopens it), or a minute later — ten where an
//!   unlock prompt can appear (a prompt asked for again and again would only pile up);
//! - an unreadable `accounts.toml` does nothing (the window and `doctor` say why).
//!
//! The front-ends only schedule it: they run it when [`PassReport::next_due`] comes, when the
//! files change, or when the person asks, and show the notifications it hands back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::core::clock;
use crate::core::error::{Error, Result};
use crate::core::refresh::Refreshed;
use crate::core::renova::{AccountSummary, Renova};

/// How long automatic work leaves a failing keychain alone when no prompt can appear.
pub(crate) const KEYCHAIN_PAUSE: Duration = Duration::from_secs(60);

/// How long, when an unlock prompt can appear.
pub(crate) const KEYCHAIN_PAUSE_PROMPTING: Duration = Duration::from_secs(600);

/// Automatic refreshes at once (each account under its own lock).
pub(crate) const CONCURRENCY: usize = 4;

/// What a front-end is told while a pass runs (from the pass's tasks).
pub(crate) trait PassObserver: Send + Sync + 'static {
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
    /// A failure (or an unlock prompt open) and the monotonic time it happened.
    failed: Option<Duration>,
}

/// Clears the running flag however a pass ends (a panic included), so the next one runs.
struct Running<'a>(&'a AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The automatic pass of one process. Cheap to keep; run it as often as it asks.
pub(crate) struct AutoPass {
    renova: Renova,
    running: AtomicBool,
    keychain: Arc<Mutex<KeychainGate>>,
}

impl AutoPass {
    /// The pass of this process over `renova`.
    pub(crate) fn new(renova: Renova) -> Self {
        Self {
            renova,
            running: AtomicBool::new(false),
            keychain: Arc::default(),
        }
    }

    /// Runs one pass, unless one is already running (`None`).
    pub(crate) async fn run(&self, observer: Arc<dyn PassObserver>) -> Option<PassReport> {
        if self.running.swap(true, Ordering::SeqCst) {
            return None;
        }
        let _running = Running(&self.running);
        Some(self.pass(observer).await)
    }

    /// Tells the pass what a keychain call made elsewhere in this process found (a click, the
    /// window's Retry, a token the endpoint served): a success reopens automatic work, a
    /// failure pauses it.
    pub(crate) fn note<T>(&self, result: &Result<T>) {
        note(&self.keychain, &self.renova, result);
    }

    /// A keychain call is waiting for the person to unlock the keychain (a prompt is open):
    /// automatic work waits too, instead of queueing behind it.
    pub(crate) fn keychain_waiting(&self) {
        if let Ok(mut gate) = self.keychain.lock() {
            gate.failed = Some(self.renova.elapsed());
        }
    }

    /// How long automatic work leaves a failing keychain alone: a minute where no unlock
    /// prompt can appear, ten where one can (a prompt asked for again and again would only
    /// pile up).
    fn pause(&self) -> Duration {
        if self.renova.profile().keychain_may_prompt() {
            KEYCHAIN_PAUSE_PROMPTING
        } else {
            KEYCHAIN_PAUSE
        }
    }

    /// `None` when automatic work may use the keychain now; else when it may again (monotonic).
    fn keychain_closed_until(&self) -> Option<Duration> {
        let gate = self.keychain.lock().ok()?;
        let until = gate.failed? + self.pause();
        (self.renova.elapsed() < until).then_some(until)
    }

    async fn pass(&self, observer: Arc<dyn PassObserver>) -> PassReport {
        let mut report = PassReport::default();
        let Ok(rows) = self.renova.list(self.renova.now()) else {
            return report;
        };
        let closed = self.keychain_closed_until();
        if closed.is_none() {
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
        // While the keychain is paused nothing else can run: the next pass is when it opens.
        report.next_due = match self.keychain_closed_until() {
            Some(until) => {
                let wait = until.saturating_sub(self.renova.elapsed());
                Some(clock::add(now, wait))
            }
            None => next_due(&rows, now),
        };
        report
    }

    /// Refreshes every due account, at most [`CONCURRENCY`] at once (each under its own
    /// lock); returns how many it tried.
    async fn refresh_due(&self, rows: &[AccountSummary], observer: Arc<dyn PassObserver>) -> usize {
        let mut attempted = 0;
        let mut running = tokio::task::JoinSet::new();
        for row in rows.iter().filter(|r| r.status.due) {
            while running.len() >= CONCURRENCY {
                running.join_next().await;
            }
            if self.renova.profile().stopping() {
                break;
            }
            let id = row.account.id;
            if self.keychain_closed_until().is_some() || !observer.starting(id) {
                continue;
            }
            attempted += 1;
            let (renova, gate, observer) =
                (self.renova.clone(), self.keychain.clone(), observer.clone());
            let account = row.account.clone();
            running.spawn(async move {
                let result = renova.refresh_if_due(&account).await;
                if let Err(e) = &result {
                    tracing::info!("automatic refresh of `{}` failed: {e}", account.name);
                }
                note(&gate, &renova, &result);
                observer.finished(id, &result);
            });
        }
        while running.join_next().await.is_some() {}
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

/// What a keychain call found, for the gate: a success reopens it, a failure closes it.
fn note<T>(gate: &Mutex<KeychainGate>, renova: &Renova, result: &Result<T>) {
    let failed = matches!(result, Err(Error::Keychain(_) | Error::RotationLost { .. }));
    if let Ok(mut gate) = gate.lock() {
        gate.failed = failed.then(|| renova.elapsed());
    }
}

/// The earliest moment anything is due: an account's refresh or retry, or a Postman retry
/// still ahead (one already past was tried in this pass, or waits for a token).
fn next_due(rows: &[AccountSummary], now: Timestamp) -> Option<Timestamp> {
    rows.iter()
        .flat_map(|r| {
            let postman = r.state.postman_error.as_ref().and(r.state.postman_retry_at);
            [r.status.next_due, postman.filter(|at| *at > now)]
        })
        .flatten()
        .min()
}
