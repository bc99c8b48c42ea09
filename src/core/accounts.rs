//! Adding, editing, removing and listing accounts, with the write ordering of DESIGN §3:
//! `add` writes the keychain entry first and deletes it if `accounts.toml` cannot be written;
//! `remove` marks the account, deletes the entry, then drops the account.

use std::time::Duration;

use jiff::Timestamp;
use secrecy::SecretString;

use crate::core::account::{AccountId, validate_name};
use crate::core::clock::seconds_until;
use crate::core::config::{AccountConfig, ClientAuth, Config, ProviderKind, TextDuration};
use crate::core::error::{Error, InputError, Result};
use crate::core::expiry::{self, Freshness};
use crate::core::http::checked_url;
use crate::core::provider::Provider;
use crate::core::renova::Renova;
use crate::core::secrets::Secrets;
use crate::core::state::{AccountState, State, Status};

/// Settings of an account that `add` takes and `edit` may change. `None` leaves a setting as
/// it is; `Some("")` clears an optional URL.
#[derive(Debug, Clone, Default)]
pub struct AccountSettings {
    /// The provider.
    pub provider: Option<ProviderKind>,
    /// The OAuth client id.
    pub client_id: Option<String>,
    /// RD base URL.
    pub base_url: Option<String>,
    /// `oauth2` token endpoint.
    pub token_url: Option<String>,
    /// `oauth2` authorization endpoint.
    pub authorize_url: Option<String>,
    /// `oauth2` revocation endpoint.
    pub revoke_url: Option<String>,
    /// `oauth2` check endpoint.
    pub check_url: Option<String>,
    /// Redirect URI registered with the provider.
    pub redirect_uri: Option<String>,
    /// `oauth2` client authentication.
    pub client_auth: Option<ClientAuth>,
    /// `oauth2` scopes (replaces the list when given).
    pub scopes: Option<Vec<String>>,
    /// Automatic refresh on or off.
    pub auto_refresh: Option<bool>,
    /// Per-account lead time.
    pub lead_time: Option<Duration>,
    /// Postman environment id (`Some("")` turns sync off).
    pub postman_env: Option<String>,
    /// Postman variable name.
    pub postman_var: Option<String>,
}

/// Secrets given by the user at `add` or `edit --secrets`, already cleaned.
#[derive(Debug, Clone, Default)]
pub struct GivenSecrets {
    /// The client secret.
    pub client_secret: Option<SecretString>,
    /// The refresh token (absent: the account needs authorization).
    pub refresh_token: Option<SecretString>,
    /// An access token pasted with its expiry (the window's JSON paste).
    pub access_token: Option<(SecretString, Timestamp)>,
}

fn set_url(slot: &mut Option<String>, value: Option<&String>) {
    if let Some(v) = value {
        *slot = (!v.trim().is_empty()).then(|| v.trim().to_owned());
    }
}

impl AccountSettings {
    /// Applies these settings to an account.
    pub fn apply(&self, a: &mut AccountConfig) {
        if let Some(p) = self.provider
            && p != a.provider
        {
            a.provider = p;
            // Switching away from oauth2 drops what only oauth2 uses.
            if p != ProviderKind::OAuth2 {
                a.token_url = None;
                a.authorize_url = None;
                a.revoke_url = None;
                a.check_url = None;
                a.client_auth = None;
                a.scopes.clear();
            }
        }
        if let Some(c) = &self.client_id {
            a.client_id = c.trim().to_owned();
        }
        set_url(&mut a.base_url, self.base_url.as_ref());
        set_url(&mut a.token_url, self.token_url.as_ref());
        set_url(&mut a.authorize_url, self.authorize_url.as_ref());
        set_url(&mut a.revoke_url, self.revoke_url.as_ref());
        set_url(&mut a.check_url, self.check_url.as_ref());
        set_url(&mut a.redirect_uri, self.redirect_uri.as_ref());
        set_url(&mut a.postman_env, self.postman_env.as_ref());
        set_url(&mut a.postman_var, self.postman_var.as_ref());
        if self
            .postman_env
            .as_deref()
            .is_some_and(|e| e.trim().is_empty())
        {
            a.postman_var = None;
        }
        if let Some(c) = self.client_auth {
            a.client_auth = Some(c);
        }
        if let Some(s) = &self.scopes {
            a.scopes = s
                .iter()
                .flat_map(|s| s.split_whitespace())
                .map(str::to_owned)
                .collect();
        }
        if let Some(r) = self.auto_refresh {
            a.auto_refresh = r;
        }
        if let Some(l) = self.lead_time {
            a.lead_time = Some(TextDuration(l));
        }
    }
}

/// Checks an account's settings before anything is stored.
pub fn validate(a: &AccountConfig) -> std::result::Result<(), InputError> {
    validate_name(&a.name)?;
    if a.client_id.is_empty()
        || a.client_id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(InputError::BadClientId);
    }
    let urls = [
        ("--base-url", &a.base_url),
        ("--token-url", &a.token_url),
        ("--authorize-url", &a.authorize_url),
        ("--revoke-url", &a.revoke_url),
        ("--check-url", &a.check_url),
        ("--redirect-uri", &a.redirect_uri),
    ];
    for (field, value) in urls {
        if let Some(v) = value {
            checked_url(field, v)?;
        }
    }
    if a.provider == ProviderKind::OAuth2 && a.token_url.is_none() {
        return Err(InputError::MissingEndpoint {
            field: "--token-url".to_owned(),
            name: a.name.clone(),
        });
    }
    if a.provider != ProviderKind::OAuth2
        && (a.token_url.is_some()
            || a.authorize_url.is_some()
            || a.revoke_url.is_some()
            || a.check_url.is_some()
            || a.client_auth.is_some()
            || !a.scopes.is_empty())
    {
        return Err(InputError::OAuthOnly {
            provider: a.provider.id().to_owned(),
        });
    }
    if let Some(env) = &a.postman_env
        && !env.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(InputError::BadPostmanEnv(env.clone()));
    }
    Ok(())
}

fn check_secrets(a: &AccountConfig, given: &GivenSecrets) -> std::result::Result<(), InputError> {
    if a.needs_client_secret() && given.client_secret.is_none() {
        return Err(InputError::BlankClientSecret);
    }
    Ok(())
}

/// New secrets written by `edit`: what the entry was (to put it back) and what it is now.
struct SecretsEdit {
    previous: Option<zeroize::Zeroizing<Vec<u8>>>,
    new: Secrets,
    refresh_changed: bool,
}

/// One row of `renova list`.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSummary {
    /// The account's settings.
    pub account: AccountConfig,
    /// Its mirror from `state.json`.
    pub state: AccountState,
    /// `valid`, `expiring`, `expired`, `needs_authorization` or `keychain_error`.
    pub condition: Condition,
    /// Seconds until expiry (negative when past), if known.
    pub seconds_left: Option<i64>,
    /// CRM only: the refresh token has not been used for more than 10 days (it dies at 14).
    pub refresh_token_ageing: bool,
}

/// The state words of `renova list --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// More than the lead time left.
    Valid,
    /// Within the lead time.
    Expiring,
    /// Expired or never obtained.
    Expired,
    /// Needs `renova authorize`.
    NeedsAuthorization,
    /// The keychain failed the last time.
    KeychainError,
}

impl Condition {
    /// The word used in `list --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Valid => "valid",
            Condition::Expiring => "expiring",
            Condition::Expired => "expired",
            Condition::NeedsAuthorization => "needs_authorization",
            Condition::KeychainError => "keychain_error",
        }
    }
}

/// How long a CRM refresh token may sit unused before Renova warns (it dies at 14 days).
pub const CRM_IDLE_WARNING: Duration = Duration::from_secs(10 * 86_400);

/// Summarizes an account from its settings and mirror at `now` (no keychain).
pub fn summarize(
    account: &AccountConfig,
    state: AccountState,
    lead: Duration,
    now: Timestamp,
) -> AccountSummary {
    let condition = match state.status {
        Status::NeedsAuthorization => Condition::NeedsAuthorization,
        Status::KeychainError => Condition::KeychainError,
        Status::Ok | Status::Failing => {
            match expiry::freshness(state.expires_at, state.obtained_at, lead, now) {
                Freshness::Valid => Condition::Valid,
                Freshness::Expiring => Condition::Expiring,
                Freshness::Expired if !state.has_refresh_token && state.rev > 0 => {
                    Condition::NeedsAuthorization
                }
                Freshness::Expired => Condition::Expired,
            }
        }
    };
    let refresh_token_ageing = account.provider == ProviderKind::RdStationCrm
        && state.has_refresh_token
        && state
            .refresh_token_used_at
            .is_some_and(|t| seconds_until(t, now) > CRM_IDLE_WARNING.as_secs() as i64);
    AccountSummary {
        account: account.clone(),
        seconds_left: state.expires_at.map(|e| seconds_until(now, e)),
        state,
        condition,
        refresh_token_ageing,
    }
}

impl Renova {
    /// `renova add`: validates, writes the keychain entry, then `accounts.toml` (deleting the
    /// entry again if that fails).
    pub async fn add(
        &self,
        name: &str,
        settings: &AccountSettings,
        given: GivenSecrets,
    ) -> Result<AccountConfig> {
        let provider = settings.provider.unwrap_or_default();
        let mut account = AccountConfig::new(name.trim(), provider, "");
        settings.apply(&mut account);
        if provider == ProviderKind::RdStationCrm && account.lead_time.is_none() {
            account.lead_time = Some(TextDuration(Provider::of(&account).default_lead()));
        }
        validate(&account)?;
        check_secrets(&account, &given)?;
        let config = self.config()?;
        if config.find(&account.name).is_some() {
            return Err(InputError::NameTaken(account.name.clone()).into());
        }
        let now = self.now();
        let (access_token, expires_at, obtained_at) = match given.access_token {
            Some((t, exp)) if exp > now => (Some(t), Some(exp), Some(now)),
            _ => (None, None, None),
        };
        let secrets = Secrets {
            client_secret: given.client_secret,
            refresh_token: given.refresh_token,
            access_token,
            expires_at,
            obtained_at,
            rev: 1,
        };
        let _guard = self.lock(&account).await?;
        self.keychain.write(&account.id, &secrets).await?;
        let added = account.clone();
        let saved = Config::update(&self.paths, move |c| {
            if c.find(&added.name).is_some() {
                return Err(InputError::NameTaken(added.name.clone()).into());
            }
            c.accounts.push(added);
            Ok(())
        });
        if let Err(e) = saved {
            if let Err(undo) = self.keychain.delete(&account.id).await {
                tracing::warn!(
                    "could not delete the keychain entry of the unsaved account: {undo}"
                );
            }
            return Err(e);
        }
        self.mirror(&account.id, &secrets, |a| {
            a.status = if secrets.refresh_token.is_some() || secrets.access_token.is_some() {
                Status::Ok
            } else {
                Status::NeedsAuthorization
            };
            a.refresh_token_used_at = secrets.refresh_token.as_ref().map(|_| now);
        });
        self.audit(&self.audit_entry(account.id, "add", "ok").tokens(
            secrets.access_token.as_ref(),
            secrets.refresh_token.as_ref(),
        ));
        Ok(account)
    }

    /// `renova edit`: changes settings (and, when given, the secrets) of an account. With new
    /// secrets, the keychain entry is written under the account's lock and put back as it was
    /// if `accounts.toml` then cannot be saved.
    pub async fn edit(
        &self,
        name: &str,
        rename: Option<&str>,
        settings: &AccountSettings,
        given: Option<GivenSecrets>,
    ) -> Result<AccountConfig> {
        let config = self.config()?;
        let current = config.get(name)?.clone();
        let mut edited = current.clone();
        settings.apply(&mut edited);
        // Switched to CRM: RD's recommended 5-minute lead, unless the account has its own.
        if edited.provider == ProviderKind::RdStationCrm
            && current.provider != ProviderKind::RdStationCrm
            && edited.lead_time.is_none()
        {
            edited.lead_time = Some(TextDuration(Provider::of(&edited).default_lead()));
        }
        if let Some(new_name) = rename {
            edited.name = new_name.trim().to_owned();
        }
        validate(&edited)?;
        if let Some(other) = config.find(&edited.name)
            && other.id != edited.id
        {
            return Err(InputError::NameTaken(edited.name.clone()).into());
        }
        let id = current.id;
        let _guard = match given {
            Some(_) => Some(self.lock(&current).await?),
            None => None,
        };
        let mut written: Option<SecretsEdit> = None;
        if let Some(given) = given {
            // Removed while we waited for the lock? Then there is nothing to edit.
            if self.config()?.by_id(&id).is_none_or(|a| a.pending_delete) {
                return Err(Error::NoSuchAccount(name.to_owned()));
            }
            let old_entry = self.keychain.read(&id).await?;
            let old = old_entry
                .as_ref()
                .map(|e| e.secrets.clone())
                .unwrap_or_default();
            // Blank fields keep what is stored: a new refresh token alone keeps the client
            // secret, a new client secret alone keeps the refresh token.
            let given = GivenSecrets {
                client_secret: given.client_secret.or(old.client_secret.clone()),
                ..given
            };
            check_secrets(&edited, &given)?;
            let refresh_changed = given.refresh_token.is_some();
            let now = self.now();
            let (access_token, expires_at, obtained_at) = match given.access_token {
                Some((t, exp)) if exp > now => (Some(t), Some(exp), Some(now)),
                _ if refresh_changed => (None, None, None),
                _ => (old.access_token.clone(), old.expires_at, old.obtained_at),
            };
            let new = Secrets {
                client_secret: given.client_secret,
                refresh_token: given.refresh_token.or(old.refresh_token.clone()),
                access_token,
                expires_at,
                obtained_at,
                rev: old.rev + 1,
            };
            self.keychain.write(&id, &new).await?;
            written = Some(SecretsEdit {
                previous: old_entry.map(|e| e.raw),
                new,
                refresh_changed,
            });
        }
        let saved = edited.clone();
        let result = Config::update(&self.paths, move |c| {
            if let Some(other) = c.find(&saved.name)
                && other.id != saved.id
            {
                return Err(InputError::NameTaken(saved.name.clone()).into());
            }
            let slot = c
                .accounts
                .iter_mut()
                .find(|a| a.id == saved.id && !a.pending_delete)
                .ok_or_else(|| Error::NoSuchAccount(saved.name.clone()))?;
            *slot = saved;
            Ok(())
        });
        if let Err(e) = result {
            if let Some(SecretsEdit { previous, .. }) = written {
                let undo = match previous {
                    Some(raw) => self.keychain.write_raw(&id, raw).await,
                    None => self.keychain.delete(&id).await,
                };
                if let Err(undo) = undo {
                    tracing::warn!("could not put the keychain entry back: {undo}");
                }
            }
            return Err(e);
        }
        if let Some(SecretsEdit {
            new,
            refresh_changed,
            ..
        }) = written
        {
            let now = self.now();
            self.mirror(&id, &new, |a| {
                a.status = if new.refresh_token.is_some() {
                    Status::Ok
                } else {
                    Status::NeedsAuthorization
                };
                a.clear_error();
                a.notified_at = None;
                a.failures = 0;
                a.retry_at = None;
                if refresh_changed {
                    a.refresh_token_used_at = Some(now);
                }
            });
            self.audit(
                &self
                    .audit_entry(id, "edit_secrets", "ok")
                    .tokens(None, new.refresh_token.as_ref().filter(|_| refresh_changed)),
            );
        }
        self.audit(&self.audit_entry(id, "edit", "ok"));
        Ok(edited)
    }

    /// `renova remove`: marks the account, deletes its entry, drops it.
    pub async fn remove(&self, name: &str) -> Result<AccountId> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        let id = account.id;
        Config::update(&self.paths, |c| {
            if let Some(a) = c.accounts.iter_mut().find(|a| a.id == id) {
                a.pending_delete = true;
            }
            Ok(())
        })?;
        self.finish_removal(&account).await?;
        Ok(id)
    }

    /// `renova list`: settings and mirror of every account, no keychain access.
    pub fn list(&self, now: Timestamp) -> Result<Vec<AccountSummary>> {
        let config = self.config()?;
        let state = State::load(&self.paths);
        Ok(config
            .visible()
            .map(|a| summarize(a, state.get(&a.id), self.lead_time(&config, a), now))
            .collect())
    }

    /// "Forget everything": removes every account and its keychain entry.
    pub async fn forget_everything(&self) -> Result<usize> {
        let config = self.config()?;
        let mut removed = 0;
        for account in config.visible() {
            self.remove(&account.name).await?;
            removed += 1;
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "fake-id")
    }

    #[test]
    fn validation() {
        assert!(validate(&account()).is_ok());
        let mut a = account();
        a.base_url = Some("http://api.rd.services".into());
        assert!(matches!(validate(&a), Err(InputError::BadUrl { .. })));
        let mut a = account();
        a.client_id = "has space".into();
        assert_eq!(validate(&a), Err(InputError::BadClientId));
        let mut a = account();
        a.token_url = Some("https://x/token".into());
        assert!(validate(&a).is_err());
        let mut a = account();
        a.provider = ProviderKind::OAuth2;
        assert!(validate(&a).is_err());
        a.token_url = Some("https://x/token".into());
        assert!(validate(&a).is_ok());
    }

    #[test]
    fn summaries_at_a_fixed_time() {
        let a = account();
        let now: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        let st = AccountState {
            expires_at: Some("2026-11-26T12:05:00Z".parse().unwrap()),
            obtained_at: Some("2026-11-25T12:05:00Z".parse().unwrap()),
            rev: 2,
            has_refresh_token: true,
            ..AccountState::default()
        };
        let s = summarize(&a, st.clone(), Duration::from_secs(600), now);
        assert_eq!(s.condition, Condition::Expiring);
        assert_eq!(s.seconds_left, Some(300));
        let s = summarize(&a, st.clone(), Duration::from_secs(60), now);
        assert_eq!(s.condition, Condition::Valid);
        let later: Timestamp = "2026-11-26T13:00:00Z".parse().unwrap();
        let s = summarize(&a, st.clone(), Duration::from_secs(60), later);
        assert_eq!(s.condition, Condition::Expired);
        assert_eq!(s.seconds_left, Some(-3300));
        let mut st2 = st;
        st2.status = Status::NeedsAuthorization;
        assert_eq!(
            summarize(&a, st2, Duration::from_secs(60), now).condition,
            Condition::NeedsAuthorization
        );
    }

    #[test]
    fn crm_refresh_tokens_unused_for_10_days_are_flagged() {
        let mut a = account();
        a.provider = ProviderKind::RdStationCrm;
        let now: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        let st = AccountState {
            has_refresh_token: true,
            refresh_token_used_at: Some("2026-11-15T12:00:00Z".parse().unwrap()),
            ..AccountState::default()
        };
        assert!(summarize(&a, st.clone(), Duration::from_secs(300), now).refresh_token_ageing);
        let st = AccountState {
            refresh_token_used_at: Some("2026-11-17T12:00:00Z".parse().unwrap()),
            ..st
        };
        assert!(!summarize(&a, st, Duration::from_secs(300), now).refresh_token_ageing);
    }
}
