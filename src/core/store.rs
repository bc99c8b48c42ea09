//! [`Store`]: everything an account is kept in — `accounts.toml`, `state.json`, the keychain
//! entry, the lock files, the audit log — and the clock that stamps them. Operations above read
//! and write accounts through it; it knows nothing of providers.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::core::audit::{self, AuditAction, AuditEntry, AuditOutcome};
use crate::core::clock::Clock;
use crate::core::config::{AccountConfig, Config};
use crate::core::error::{AuthReason, Error, Result};
use crate::core::keychain::{Keychain, KeychainError, StoredEntry};
use crate::core::lock::{self, LockGuard, LockWaitError};
use crate::core::paths::Paths;
use crate::core::secrets::Secrets;
use crate::core::state::{AccountState, State, Status, StoredError};
use crate::core::stopping::Stopping;

/// How long a keychain write after a refresh is retried before the refresh fails.
pub(crate) const WRITE_RETRY_FOR: Duration = Duration::from_secs(30);

/// Where accounts are kept. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Store {
    paths: Paths,
    keychain: Keychain,
    clock: Arc<dyn Clock>,
    audit: bool,
    lock_wait: Duration,
    write_retry_for: Duration,
    stopping: Stopping,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("paths", &self.paths).finish()
    }
}

impl Store {
    /// A store in these folders and this keychain, on this clock, with the default waits.
    pub(crate) fn new(paths: Paths, keychain: Keychain, clock: Arc<dyn Clock>) -> Self {
        Self {
            paths,
            keychain,
            clock,
            audit: true,
            lock_wait: lock::ACCOUNT_WAIT,
            write_retry_for: WRITE_RETRY_FOR,
            stopping: Stopping::default(),
        }
    }

    /// Whether this process is stopping (shared by every clone of the store).
    pub(crate) fn stopping(&self) -> &Stopping {
        &self.stopping
    }

    /// Turns the audit log off (the demo keeps none).
    pub(crate) fn without_audit(mut self) -> Self {
        self.audit = false;
        self
    }

    /// How long to wait for another process holding an account.
    pub(crate) fn with_lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// How long a keychain write after a refresh is retried.
    pub(crate) fn with_write_retry(mut self, retry_for: Duration) -> Self {
        self.write_retry_for = retry_for;
        self
    }

    /// The same store on another clock.
    pub(crate) fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same store with another keychain handle (one that reports waits, say).
    pub(crate) fn with_keychain(mut self, keychain: Keychain) -> Self {
        self.keychain = keychain;
        self
    }

    /// The folders.
    pub(crate) fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The keychain.
    pub(crate) fn keychain(&self) -> &Keychain {
        &self.keychain
    }

    /// The current time from the store's clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Monotonic time from the store's clock (for timers).
    pub(crate) fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Reads `accounts.toml`.
    pub(crate) fn config(&self) -> Result<Config> {
        Ok(Config::load(&self.paths)?)
    }

    /// Reads `state.json`.
    pub(crate) fn state(&self) -> State {
        State::load(&self.paths)
    }

    /// The account with this name (ignoring case).
    pub(crate) fn account(&self, name: &str) -> Result<AccountConfig> {
        self.config()?
            .find(name)
            .cloned()
            .ok_or_else(|| Error::NoSuchAccount(name.to_owned()))
    }

    /// The account as `accounts.toml` has it now (read again under its lock, so an operation
    /// uses the settings of the last edit, not those its caller loaded before waiting).
    pub(crate) fn current(&self, account: &AccountConfig) -> Result<AccountConfig> {
        self.config()?
            .by_id(&account.id)
            .filter(|a| !a.pending_delete)
            .cloned()
            .ok_or_else(|| Error::NoSuchAccount(account.name.clone()))
    }

    /// Takes an account's exclusive lock: one writer of its entry at a time.
    pub(crate) async fn lock(&self, account: &AccountConfig) -> Result<LockGuard> {
        self.lock_id(&account.id, &account.name).await
    }

    /// Takes the exclusive lock of the account with this id (`name` is for the message).
    pub(crate) async fn lock_id(&self, id: &AccountId, name: &str) -> Result<LockGuard> {
        let wait = lock::lock_async(self.paths.account_lock(id), self.lock_wait);
        let held = tokio::select! {
            held = wait => held,
            () = self.stopping.begun() => return Err(Error::Interrupted),
        };
        held.map_err(|e| match e {
            LockWaitError::TimedOut(held) => Error::Busy {
                name: name.to_owned(),
                pid: held.pid,
            },
            LockWaitError::Io(e) => e.into(),
        })
    }

    /// Reads an account's entry; a missing entry means the account must be authorized again.
    pub(crate) async fn read_entry(&self, account: &AccountConfig) -> Result<StoredEntry> {
        match self.keychain.read(&account.id).await {
            Ok(Some(entry)) => {
                // A keychain error noted earlier is over: clear it from the mirror.
                if self.state().get(&account.id).status == Status::KeychainError {
                    self.mirror(&account.id, &entry.secrets, |a| {
                        a.status = Status::Ok;
                        a.clear_error();
                    });
                }
                Ok(entry)
            }
            Ok(None) => {
                self.mirror_status(&account.id, Status::NeedsAuthorization, None);
                // A static token is pasted again, not authorized.
                let reason = if account.provider.is_static() {
                    AuthReason::MissingStaticToken
                } else {
                    AuthReason::MissingEntry
                };
                Err(Error::NeedsAuthorization {
                    name: account.name.clone(),
                    reason,
                })
            }
            Err(e) => {
                self.mirror_keychain_error(&account.id, &e);
                Err(e.into())
            }
        }
    }

    /// Appends to the audit log (unless it is off).
    pub(crate) fn audit(&self, entry: &AuditEntry) {
        if self.audit {
            audit::record(&self.paths, entry);
        }
    }

    /// An audit line for now.
    pub(crate) fn audit_entry(
        &self,
        id: AccountId,
        action: AuditAction,
        outcome: AuditOutcome,
    ) -> AuditEntry {
        AuditEntry::new(self.now(), id, action, outcome)
    }

    /// Updates the mirror of an account after its entry changed. Mirror failures are logged:
    /// the keychain is the truth, and a refresh that reached it has succeeded.
    pub(crate) fn mirror(
        &self,
        id: &AccountId,
        secrets: &Secrets,
        change: impl FnOnce(&mut AccountState),
    ) {
        self.update_state(id, |a| {
            a.expires_at = secrets
                .expires_at
                .filter(|_| secrets.access_token.is_some());
            a.obtained_at = secrets.obtained_at;
            a.rev = secrets.rev;
            a.has_refresh_token = secrets.refresh_token.is_some();
            change(a);
        });
    }

    /// Records in the mirror that the keychain failed for this account.
    pub(crate) fn mirror_keychain_error(&self, id: &AccountId, error: &KeychainError) {
        self.mirror_status(
            id,
            Status::KeychainError,
            Some(StoredError::Keychain(error.clone())),
        );
    }

    /// Records a status (and the failure behind it) in the mirror without touching the token
    /// fields.
    pub(crate) fn mirror_status(&self, id: &AccountId, status: Status, error: Option<StoredError>) {
        self.update_state(id, |a| {
            a.status = status;
            match error {
                Some(e) => a.set_error(e),
                None => a.clear_error(),
            }
        });
    }

    /// Changes one account's mirror; a failure is logged, never fatal.
    pub(crate) fn update_state(&self, id: &AccountId, change: impl FnOnce(&mut AccountState)) {
        if let Err(e) = State::update_account(&self.paths, id, change) {
            tracing::warn!("could not update state.json: {e}");
        }
    }

    /// Writes an entry, retrying for up to 30 s: used after a refresh, when the provider may
    /// already have killed the old refresh token.
    pub(crate) async fn write_with_retry(
        &self,
        id: &AccountId,
        secrets: &Secrets,
    ) -> std::result::Result<(), KeychainError> {
        let limit = self.write_retry_for;
        let start = tokio::time::Instant::now();
        let mut pause = Duration::from_millis(250);
        loop {
            match self.keychain.write(id, secrets).await {
                Ok(()) => return Ok(()),
                Err(e) if start.elapsed() + pause >= limit => return Err(e),
                Err(e) => {
                    tracing::warn!("keychain write failed, retrying: {e}");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(4));
                }
            }
        }
    }
}
