//! `state.json`: a non-secret mirror of each account's token state, so `renova list` and the
//! window can show countdowns without touching the keychain (which may be locked), and the
//! window can notice what the CLI did. Rebuilt freely: a damaged file is replaced.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::core::account::AccountId;
use crate::core::config::{ConfigError, lock_config, read_own};
use crate::core::error::Error;
use crate::core::files::{IoError, write_atomic};
use crate::core::input::InputError;
use crate::core::keychain::error::KeychainError;
use crate::core::paths::Paths;
use crate::core::postman::error::PostmanError;
use crate::core::provider::error::ProviderError;

/// What the last operation left an account as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Working (the token may still be expired, e.g. never refreshed).
    #[default]
    Ok,
    /// Refresh token missing, revoked or rejected: authorize again.
    NeedsAuthorization,
    /// The keychain refused or did not answer the last time.
    KeychainError,
    /// The last refresh failed for a reason that may pass (network, 5xx, 429).
    Failing,
}

/// The mirror of one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AccountState {
    /// When the stored access token expires.
    pub expires_at: Option<Timestamp>,
    /// When it was obtained.
    pub obtained_at: Option<Timestamp>,
    /// The keychain entry's `rev` when this was written.
    pub rev: u64,
    /// Overall status.
    pub status: Status,
    /// Last successful refresh or authorization.
    pub last_refresh: Option<Timestamp>,
    /// Last attempt, successful or not.
    pub last_attempt: Option<Timestamp>,
    /// Last automatic attempt (the window's, `refresh --due`): the next one waits 30 s.
    pub last_auto_attempt: Option<Timestamp>,
    /// The provider's `error_type` of the last failure.
    pub error_type: Option<String>,
    /// The provider's (or Renova's) message about the last failure, redacted (English; for
    /// `renova list --json` and older readers).
    pub provider_message: Option<String>,
    /// The last failure itself, so each reader explains it in its own language. Unreadable
    /// (written by another version) counts as absent.
    #[serde(deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub last_error: Option<StoredError>,
    /// When the user was notified that this account needs attention (once per incident).
    pub notified_at: Option<Timestamp>,
    /// The account name at the provider, from `check`.
    pub account_name: Option<String>,
    /// When the stored refresh token was last used or received (CRM tokens die unused).
    pub refresh_token_used_at: Option<Timestamp>,
    /// Whether the entry holds a refresh token.
    pub has_refresh_token: bool,
    /// An `add` of this account has begun and not finished: if `accounts.toml` has no such
    /// account, its keychain entry was left by an interrupted `add` of this profile.
    pub adding: bool,
    /// Transient failures in a row (for the backoff).
    pub failures: u32,
    /// After a transient failure: no automatic retry before this time (backoff, `Retry-After`,
    /// RD's `remaining_time`). Shared by the window and `refresh --due`.
    pub retry_at: Option<Timestamp>,
    /// Last successful Postman sync.
    pub postman_synced_at: Option<Timestamp>,
    /// Why the last Postman sync failed (until one succeeds).
    pub postman_error: Option<PostmanError>,
    /// Failed Postman syncs in a row.
    pub postman_failures: u32,
    /// No Postman retry before this time.
    pub postman_retry_at: Option<Timestamp>,
    /// The last time an AI assistant used the account through `renova mcp`.
    #[serde(deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub assistant_use: Option<AssistantUse>,
    /// The assistants (by client name) that were told of on the day they first used the
    /// account: one desktop notification per client and day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assistants_noticed: Vec<AssistantNotice>,
}

/// One use of an account by an AI assistant, for the window's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistantUse {
    /// When.
    pub at: Timestamp,
    /// The client's name and version, as it gave them (made plain, cut short).
    pub client: String,
    /// What it did: the tool, and for a request the method, host and path.
    pub what: String,
}

/// A client told of on a day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistantNotice {
    /// The client's name.
    pub client: String,
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
}

/// A failure kept in `state.json` until the next success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "error", rename_all = "snake_case")]
pub enum StoredError {
    /// The provider refused or could not be reached.
    Provider(ProviderError),
    /// The keychain could not be used.
    Keychain(KeychainError),
    /// A rotated refresh token could not be stored.
    RotationLost(KeychainError),
    /// A setting stopped the operation before anything was sent (an endpoint the keychain
    /// entry does not know, a URL the policy refuses).
    Input(InputError),
}

impl StoredError {
    /// The error, for `explain` (`name` is the account's).
    pub fn to_error(&self, name: &str) -> Error {
        match self {
            Self::Provider(e) => Error::Provider(e.clone()),
            Self::Keychain(e) => Error::Keychain(e.clone()),
            Self::RotationLost(e) => Error::RotationLost {
                name: name.to_owned(),
                source: e.clone(),
            },
            Self::Input(e) => Error::Input(e.clone()),
        }
    }
}

fn lenient<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

impl AccountState {
    /// Records a failure.
    pub fn set_error(&mut self, error: StoredError) {
        self.provider_message = Some(match &error {
            StoredError::Provider(e) => e.to_string(),
            StoredError::Keychain(e) | StoredError::RotationLost(e) => e.to_string(),
            StoredError::Input(e) => format!("refused before sending anything: {e:?}"),
        });
        self.error_type = match &error {
            StoredError::Provider(e) => e.error_type.clone(),
            _ => None,
        };
        self.last_error = Some(error);
    }

    /// Whether a failed Postman sync should be tried again at `now`.
    pub fn postman_retry_due(&self, now: Timestamp) -> bool {
        self.postman_error.is_some() && self.postman_retry_at.is_none_or(|t| t <= now)
    }

    /// Records a new token obtained at `now` (a refresh or an authorization): every trace of
    /// earlier failures goes.
    pub fn record_success(&mut self, now: Timestamp) {
        self.status = Status::Ok;
        self.last_refresh = Some(now);
        self.last_attempt = Some(now);
        self.clear_error();
        self.notified_at = None;
        self.refresh_token_used_at = Some(now);
        self.failures = 0;
        self.retry_at = None;
    }

    /// Forgets the last failure.
    pub fn clear_error(&mut self) {
        self.provider_message = None;
        self.error_type = None;
        self.last_error = None;
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Format version.
    pub version: u32,
    /// Per account id.
    pub accounts: BTreeMap<AccountId, AccountState>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            version: 1,
            accounts: BTreeMap::new(),
        }
    }
}

impl State {
    /// Reads `state.json`; missing or damaged is empty (it is only a mirror), and so is one
    /// that was refused ([`State::read`]: it is left as it is, and said in the log).
    pub fn load(paths: &Paths) -> Self {
        Self::read(paths).unwrap_or_else(|e| {
            tracing::warn!("{e}; the state mirror is empty until it is fixed");
            Self::default()
        })
    }

    /// Reads `state.json`, capped and without following a link: a refused file is an error
    /// (nothing may write over it); a missing or damaged one is empty.
    pub fn read(paths: &Paths) -> Result<Self, ConfigError> {
        let path = paths.state_file();
        let bytes = match read_own(&path, "reading the state mirror") {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(Self::default()),
            Err(e @ ConfigError::Refused { .. }) => return Err(e),
            Err(e) => {
                tracing::warn!("{e}; starting it afresh");
                return Ok(Self::default());
            }
        };
        Ok(serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!("{} is damaged ({e}); starting it afresh", path.display());
            Self::default()
        }))
    }

    /// The mirror of one account (empty when unknown).
    pub fn get(&self, id: &AccountId) -> AccountState {
        self.accounts.get(id).cloned().unwrap_or_default()
    }

    /// Read-modify-write under `config.lock`.
    pub fn update<T>(
        paths: &Paths,
        change: impl FnOnce(&mut State) -> T,
    ) -> Result<T, ConfigError> {
        let _guard = lock_config(paths)?;
        let mut state = Self::read(paths)?;
        let out = change(&mut state);
        let bytes = serde_json::to_vec_pretty(&state)
            .map_err(|e| IoError::new("saving", paths.state_file(), std::io::Error::other(e)))?;
        write_atomic(&paths.state_file(), &bytes)?;
        Ok(out)
    }

    /// Changes one account's mirror.
    pub fn update_account(
        paths: &Paths,
        id: &AccountId,
        change: impl FnOnce(&mut AccountState),
    ) -> Result<(), ConfigError> {
        Self::update(paths, |s| change(s.accounts.entry(*id).or_default()))
    }

    /// Claims the one notification of an incident: `true` for the first caller (of any
    /// process) since the incident began, `false` for every later one.
    pub fn claim_notification(
        paths: &Paths,
        id: &AccountId,
        at: Timestamp,
    ) -> Result<bool, ConfigError> {
        Self::update(paths, |s| {
            let a = s.accounts.entry(*id).or_default();
            let first = a.notified_at.is_none();
            if first {
                a.notified_at = Some(at);
            }
            first
        })
    }
}

impl State {
    /// Records an assistant's use of an account, and claims the day's one notification of
    /// that client for it: `true` for the first use by this client today (of any process).
    pub fn record_assistant_use(
        paths: &Paths,
        id: &AccountId,
        use_: AssistantUse,
    ) -> Result<bool, ConfigError> {
        let day = use_.at.strftime("%Y-%m-%d").to_string();
        let client = use_.client.clone();
        Self::update(paths, |s| {
            let a = s.accounts.entry(*id).or_default();
            a.assistant_use = Some(use_);
            a.assistants_noticed.retain(|n| n.day == day);
            let first = !a.assistants_noticed.iter().any(|n| n.client == client);
            if first {
                a.assistants_noticed.push(AssistantNotice { client, day });
            }
            first
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_state_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        std::fs::create_dir_all(&paths.state_dir).unwrap();
        std::fs::write(paths.state_file(), "{not json").unwrap();
        let id = AccountId::new_random();
        State::update_account(&paths, &id, |a| a.rev = 3).unwrap();
        assert_eq!(State::load(&paths).get(&id).rev, 3);
    }

    #[test]
    fn one_claim_of_a_notification_wins_among_racing_claimers() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        std::fs::create_dir_all(&paths.state_dir).unwrap();
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        let id = AccountId::new_random();
        let at: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let wins: usize = std::thread::scope(|s| {
            let claims: Vec<_> = (0..8)
                .map(|_| s.spawn(|| State::claim_notification(&paths, &id, at).unwrap()))
                .collect();
            claims
                .into_iter()
                .map(|c| usize::from(c.join().unwrap()))
                .sum()
        });
        assert_eq!(wins, 1);
        assert!(!State::claim_notification(&paths, &id, at).unwrap());
        // A success ends the incident: the next one is told again.
        State::update_account(&paths, &id, |a| a.record_success(at)).unwrap();
        assert!(State::claim_notification(&paths, &id, at).unwrap());
    }

    #[test]
    fn failures_round_trip_and_unknown_ones_are_ignored() {
        use crate::core::provider::error::ProviderErrorKind;
        let mut a = AccountState::default();
        let error = ProviderError {
            kind: ProviderErrorKind::Connect("connection refused".to_owned()),
            reason: crate::core::provider::Reason::Unreachable,
            status: None,
            error_type: Some("ACCESS_DENIED".to_owned()),
            message: Some("Wrong credentials provided.".to_owned()),
            retry_after: Some(std::time::Duration::from_secs(30)),
        };
        a.set_error(StoredError::Provider(error));
        assert_eq!(a.error_type.as_deref(), Some("ACCESS_DENIED"));
        let json = serde_json::to_string(&a).unwrap();
        let back: AccountState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        // A kind this version does not know (a newer Renova wrote it): no error, not a failure.
        let newer = json.replace("\"kind\":\"provider\"", "\"kind\":\"from_the_future\"");
        assert_ne!(newer, json);
        let back: AccountState = serde_json::from_str(&newer).unwrap();
        assert_eq!(back.last_error, None);
        assert_eq!(back.error_type.as_deref(), Some("ACCESS_DENIED"));
        a.clear_error();
        assert_eq!(
            (a.last_error, a.provider_message, a.error_type),
            (None, None, None)
        );
    }
}
