//! [`Renova`]: the core's one entry point. The CLI calls it from a command, the window from a
//! worker task; both get the same store, the same locks and the same refresh path.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use secrecy::SecretString;

use crate::core::account::AccountId;
use crate::core::audit::{self, AuditEntry};
use crate::core::clock::{Clock, SystemClock};
use crate::core::config::{AccountConfig, Config};
use crate::core::error::{AuthReason, Error, Result};
use crate::core::http::Http;
use crate::core::keychain::{Keychain, KeychainError, StoredEntry};
use crate::core::lock::{self, LockGuard, LockWaitError};
use crate::core::paths::Paths;
use crate::core::secrets::Secrets;
use crate::core::state::{AccountState, State, Status, StoredError};

/// How long a keychain write after a refresh is retried before the refresh fails.
pub const WRITE_RETRY_FOR: Duration = Duration::from_secs(30);

/// Shared handle to everything the core needs. Cheap to clone.
#[derive(Clone)]
pub struct Renova {
    /// Where files live.
    pub paths: Paths,
    /// The OS keychain (or an in-memory one for the demo).
    pub keychain: Keychain,
    /// HTTP to providers.
    pub http: Http,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// How long to wait for another process holding an account.
    pub lock_wait: Duration,
    /// Whether to write `audit.jsonl` (the demo does not).
    pub audit: bool,
    /// How long a keychain write after a refresh is retried (DESIGN §5: 30 s).
    pub write_retry_for: Duration,
    /// Postman's API base URL (`RENOVA_POSTMAN_API_URL`, else the public API).
    pub postman_api: String,
}

impl std::fmt::Debug for Renova {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renova")
            .field("paths", &self.paths)
            .finish()
    }
}

impl Renova {
    /// The real thing: platform folders, the OS keychain, the wall clock.
    pub fn from_env() -> Result<Self> {
        let lock_wait = std::env::var("RENOVA_LOCK_WAIT")
            .ok()
            .and_then(|s| crate::core::clock::parse_duration(&s))
            .unwrap_or(lock::ACCOUNT_WAIT);
        Ok(Self {
            paths: Paths::from_env()?,
            keychain: Keychain::system(),
            http: Http::new(),
            clock: Arc::new(SystemClock),
            lock_wait,
            audit: true,
            write_retry_for: WRITE_RETRY_FOR,
            postman_api: crate::core::postman::api_url_from_env(),
        })
    }

    /// The current time from the core's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Reads `accounts.toml`.
    pub fn config(&self) -> Result<Config> {
        Config::load(&self.paths)
    }

    /// Takes an account's exclusive lock (DESIGN §5: one writer at a time).
    pub async fn lock(&self, account: &AccountConfig) -> Result<LockGuard> {
        lock::lock_async(self.paths.account_lock(&account.id), self.lock_wait)
            .await
            .map_err(|e| match e {
                LockWaitError::TimedOut(held) => Error::Busy {
                    name: account.name.clone(),
                    pid: held.pid,
                },
                LockWaitError::Io(e) => e,
            })
    }

    /// Reads an account's entry; a missing entry means the account must be authorized again.
    pub async fn read_entry(&self, account: &AccountConfig) -> Result<StoredEntry> {
        match self.keychain.read(&account.id).await {
            Ok(Some(entry)) => {
                // A keychain error noted earlier is over: clear it from the mirror.
                if State::load(&self.paths).get(&account.id).status == Status::KeychainError {
                    self.mirror(&account.id, &entry.secrets, |a| {
                        a.status = Status::Ok;
                        a.clear_error();
                    });
                }
                Ok(entry)
            }
            Ok(None) => {
                self.mirror_status(&account.id, Status::NeedsAuthorization, None);
                Err(Error::NeedsAuthorization {
                    name: account.name.clone(),
                    reason: AuthReason::MissingEntry,
                })
            }
            Err(e) => {
                self.mirror_keychain_error(&account.id, &e);
                Err(e.into())
            }
        }
    }

    /// Appends to the audit log (unless this is the demo).
    pub fn audit(&self, entry: &AuditEntry) {
        if self.audit {
            audit::record(&self.paths, entry);
        }
    }

    /// An audit line for now.
    pub fn audit_entry(&self, id: AccountId, action: &'static str, outcome: &str) -> AuditEntry {
        AuditEntry::new(self.now(), id, action, outcome)
    }

    /// Updates the mirror of an account after its entry changed. Mirror failures are logged:
    /// the keychain is the truth, and a refresh that reached it has succeeded.
    pub fn mirror(
        &self,
        id: &AccountId,
        secrets: &Secrets,
        change: impl FnOnce(&mut AccountState),
    ) {
        let r = State::update_account(&self.paths, id, |a| {
            a.expires_at = secrets
                .expires_at
                .filter(|_| secrets.access_token.is_some());
            a.obtained_at = secrets.obtained_at;
            a.rev = secrets.rev;
            a.has_refresh_token = secrets.refresh_token.is_some();
            change(a);
        });
        if let Err(e) = r {
            tracing::warn!("could not update state.json: {e}");
        }
    }

    /// Records in the mirror that the keychain failed for this account.
    pub fn mirror_keychain_error(&self, id: &AccountId, error: &KeychainError) {
        self.mirror_status(
            id,
            Status::KeychainError,
            Some(StoredError::Keychain(error.clone())),
        );
    }

    /// Records a status (and the failure behind it) in the mirror without touching the token
    /// fields.
    pub fn mirror_status(&self, id: &AccountId, status: Status, error: Option<StoredError>) {
        let r = State::update_account(&self.paths, id, |a| {
            a.status = status;
            match error {
                Some(e) => a.set_error(e),
                None => a.clear_error(),
            }
        });
        if let Err(e) = r {
            tracing::warn!("could not update state.json: {e}");
        }
    }

    /// Writes an entry, retrying for up to 30 s: used after a refresh, when the provider may
    /// already have killed the old refresh token.
    pub async fn write_with_retry(
        &self,
        id: &AccountId,
        secrets: &Secrets,
    ) -> std::result::Result<(), crate::core::keychain::KeychainError> {
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

    /// Finishes removals that were interrupted (DESIGN §3): deletes the entry, then the account.
    pub async fn finish_pending_removals(&self) {
        let Ok(config) = self.config() else { return };
        for account in config.accounts.iter().filter(|a| a.pending_delete) {
            if let Err(e) = self.finish_removal(account).await {
                tracing::warn!("could not finish removing `{}`: {e}", account.name);
            }
        }
    }

    pub(crate) async fn finish_removal(&self, account: &AccountConfig) -> Result<()> {
        let _guard = self.lock(account).await?;
        self.keychain.delete(&account.id).await?;
        let id = account.id;
        Config::update(&self.paths, |c| {
            c.accounts.retain(|a| a.id != id);
            Ok(())
        })?;
        let _ = State::update(&self.paths, |s| s.accounts.remove(&id));
        self.audit(&self.audit_entry(id, "remove", "ok"));
        Ok(())
    }

    /// The account's lead time: its own, else `[defaults]`, else the provider's.
    pub fn lead_time(&self, config: &Config, account: &AccountConfig) -> Duration {
        account
            .lead_time
            .map(|d| d.0)
            .unwrap_or(config.defaults.lead_time.0)
    }

    /// The account's copy minimum: its own, else `[defaults]`.
    pub fn copy_min_valid(&self, config: &Config, account: &AccountConfig) -> Duration {
        account
            .copy_min_valid
            .map(|d| d.0)
            .unwrap_or(config.defaults.copy_min_valid.0)
    }
}

/// What a token request produced.
#[derive(Debug, Clone)]
pub struct TokenOutcome {
    /// The access token.
    pub token: SecretString,
    /// When it expires.
    pub expires_at: Timestamp,
    /// Whether a refresh happened in this call.
    pub refreshed: bool,
    /// Set when the token is valid for less than was asked (the provider issues short tokens).
    pub shorter_than_asked: bool,
    /// Why a refreshed token could not be sent to Postman.
    pub postman: Option<crate::core::postman::PostmanError>,
}
