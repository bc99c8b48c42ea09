//! The refresh path, shared by `renova token`, `renova refresh`, `refresh --due`, the window's
//! automatic refresh and its Copy button. Every refresh happens under the account's lock after
//! re-reading the entry; the keychain is proven writable before the request; the new tokens
//! are written (retrying for 30 s) before anything else sees them. A failure never changes the
//! stored credentials.

use std::time::Duration;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::error::{AuthReason, Error, Result};
use crate::core::expiry::{self, Freshness, TokenDecision};
use crate::core::keychain::StoredEntry;
use crate::core::provider::{ExpirySource, GrantError, Provider, ProviderError, ProviderErrorKind};
use crate::core::renova::{Renova, TokenOutcome};
use crate::core::secrets::Secrets;
use crate::core::state::{State, Status, StoredError};

/// When a refresh should actually go to the network.
#[derive(Debug, Clone, Copy)]
pub enum RefreshPolicy {
    /// `renova refresh`: always, unless the entry changed (`rev`) since the caller looked:
    /// someone else refreshed while we waited.
    Force {
        /// The `rev` the caller saw before taking the lock.
        seen_rev: Option<u64>,
    },
    /// `renova token` and Copy: only when the token is not good for `min_valid`.
    IfNeeded {
        /// What the caller needs.
        min_valid: Duration,
    },
    /// Automatic refresh and `--due`: only within the (effective) lead time.
    IfDue {
        /// The configured lead time.
        lead: Duration,
    },
}

/// What a refresh attempt that did not fail did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshKind {
    /// Went to the provider and stored new tokens; says where the expiry came from.
    Refreshed(ExpirySource),
    /// The entry changed while waiting for the lock: another process refreshed it.
    ChangedMeanwhile,
    /// The token was good enough for the policy; nothing was sent.
    NotNeeded,
}

/// The result of a refresh attempt that did not fail.
#[derive(Debug, Clone)]
pub struct Refreshed {
    /// The entry as it now stands.
    pub secrets: Secrets,
    /// What happened.
    pub kind: RefreshKind,
    /// Why the new token could not be sent to Postman (the refresh itself succeeded).
    pub postman: Option<crate::core::postman::PostmanError>,
}

impl Refreshed {
    /// Whether this call went to the network.
    pub fn refreshed(&self) -> bool {
        matches!(self.kind, RefreshKind::Refreshed(_))
    }
}

impl Renova {
    /// `renova token NAME --min-valid D` (DESIGN §7).
    pub async fn token(&self, name: &str, min_valid: Duration) -> Result<TokenOutcome> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        self.token_for(&account, min_valid).await
    }

    /// A token of `account` valid for `min_valid` if the provider allows (refreshing only when
    /// needed): `renova token` and the window's Copy.
    pub async fn token_for(
        &self,
        account: &AccountConfig,
        min_valid: Duration,
    ) -> Result<TokenOutcome> {
        let account = account.clone();
        let entry = self.read_entry(&account).await?;
        let now = self.now();
        let outcome = match expiry::decide_token(&entry.secrets, min_valid, now) {
            TokenDecision::UseStored => return outcome_from(&entry.secrets, false, false),
            TokenDecision::UseStoredShort => return outcome_from(&entry.secrets, false, true),
            TokenDecision::Refresh => {
                self.refresh_account(&account, RefreshPolicy::IfNeeded { min_valid })
                    .await?
            }
        };
        let now = self.now();
        let short = match outcome.secrets.expires_at {
            Some(exp) => exp.as_second() - now.as_second() < min_valid.as_secs() as i64,
            None => true,
        };
        let mut token = outcome_from(&outcome.secrets, outcome.refreshed(), short)?;
        token.postman = outcome.postman;
        Ok(token)
    }

    /// `renova refresh NAME`: refreshes now, unless another process just did.
    pub async fn refresh(&self, name: &str) -> Result<Refreshed> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        let seen_rev = match self.keychain.read(&account.id).await {
            Ok(Some(e)) => Some(e.secrets.rev),
            _ => None,
        };
        self.refresh_account(&account, RefreshPolicy::Force { seen_rev })
            .await
    }

    /// `renova refresh --due`: every account with automatic refresh on that is within its lead
    /// time. Uses `state.json` to skip accounts that are clearly fine without a keychain read;
    /// the decision is made again under the lock with the real entry.
    pub async fn refresh_due(&self) -> Result<Vec<(String, Result<Refreshed>)>> {
        let config = self.config()?;
        let state = State::load(&self.paths);
        let now = self.now();
        let mut results = Vec::new();
        for account in config.visible().filter(|a| a.auto_refresh) {
            let mirror = state.get(&account.id);
            if mirror.status == Status::NeedsAuthorization
                || mirror.retry_at.is_some_and(|t| t > now)
            {
                continue;
            }
            let lead = self.lead_time(&config, account);
            if expiry::freshness(mirror.expires_at, mirror.obtained_at, lead, now)
                == Freshness::Valid
                && mirror.rev > 0
            {
                continue;
            }
            let r = self
                .refresh_account(account, RefreshPolicy::IfDue { lead })
                .await;
            results.push((account.name.clone(), r));
        }
        Ok(results)
    }

    /// Refreshes one account under its lock, as the policy says; then, with the lock released,
    /// sends a new token to Postman if the account syncs there.
    pub async fn refresh_account(
        &self,
        account: &AccountConfig,
        policy: RefreshPolicy,
    ) -> Result<Refreshed> {
        let mut refreshed = self.refresh_under_lock(account, policy).await?;
        if refreshed.refreshed() {
            refreshed.postman = self.sync_after_new_token(account, &refreshed.secrets).await;
        }
        Ok(refreshed)
    }

    async fn refresh_under_lock(
        &self,
        account: &AccountConfig,
        policy: RefreshPolicy,
    ) -> Result<Refreshed> {
        let _guard = self.lock(account).await?;
        let entry = self.read_entry(account).await?;
        let now = self.now();
        let skip = match policy {
            RefreshPolicy::Force { seen_rev } => seen_rev
                .is_some_and(|r| r != entry.secrets.rev)
                .then_some(RefreshKind::ChangedMeanwhile),
            RefreshPolicy::IfNeeded { min_valid } => {
                (expiry::decide_token(&entry.secrets, min_valid, now) != TokenDecision::Refresh)
                    .then_some(RefreshKind::NotNeeded)
            }
            RefreshPolicy::IfDue { lead } => (entry.secrets.access_token.is_some()
                && expiry::freshness(
                    entry.secrets.expires_at,
                    entry.secrets.obtained_at,
                    lead,
                    now,
                ) == Freshness::Valid)
                .then_some(RefreshKind::NotNeeded),
        };
        if let Some(kind) = skip {
            // Keep the mirror in step with the entry (another process may have refreshed).
            let mirror = State::load(&self.paths).get(&account.id);
            if mirror.rev != entry.secrets.rev || mirror.expires_at != entry.secrets.expires_at {
                self.mirror(&account.id, &entry.secrets, |_| {});
            }
            return Ok(Refreshed {
                secrets: entry.secrets,
                kind,
                postman: None,
            });
        }
        self.refresh_locked(account, entry).await
    }

    /// The refresh itself; the caller holds the account's lock and has just read `entry`.
    pub(crate) async fn refresh_locked(
        &self,
        account: &AccountConfig,
        entry: StoredEntry,
    ) -> Result<Refreshed> {
        let id = account.id;
        let Some(refresh_token) = entry.secrets.refresh_token.clone() else {
            self.mirror(&id, &entry.secrets, |a| {
                a.status = Status::NeedsAuthorization;
                a.clear_error();
            });
            return Err(Error::NeedsAuthorization {
                name: account.name.clone(),
                reason: AuthReason::NoRefreshToken,
            });
        };
        let provider = Provider::of(account);
        // A hand-edited endpoint that breaks the URL policy is the user's to fix (exit 2), not
        // a provider failure to retry.
        provider.token_url()?;
        // Prove the keychain takes writes before the provider can rotate anything: write the
        // entry back byte for byte (same rev, so waiters are not misled).
        if let Err(e) = self.keychain.write_raw(&id, entry.raw.clone()).await {
            self.mirror_keychain_error(&id, &e);
            return Err(e.into());
        }
        let sent_at = self.now();
        let result = provider
            .refresh(&self.http, &entry.secrets, &refresh_token, sent_at)
            .await;
        match result {
            Ok(grant) => {
                let rotated = grant
                    .refresh_token
                    .as_ref()
                    .is_some_and(|new| new.expose_secret() != refresh_token.expose_secret());
                let new = Secrets {
                    client_secret: entry.secrets.client_secret.clone(),
                    refresh_token: grant.refresh_token.or(Some(refresh_token)),
                    access_token: Some(grant.access_token),
                    expires_at: Some(grant.expires_at),
                    obtained_at: Some(sent_at),
                    rev: entry.secrets.rev + 1,
                };
                self.store_refreshed(account, &new, rotated).await?;
                let now = self.now();
                self.mirror(&id, &new, |a| {
                    a.status = Status::Ok;
                    a.last_refresh = Some(now);
                    a.last_attempt = Some(now);
                    a.clear_error();
                    a.notified_at = None;
                    a.refresh_token_used_at = Some(now);
                    a.failures = 0;
                    a.retry_at = None;
                });
                self.audit(
                    &self
                        .audit_entry(id, "refresh", if rotated { "ok_rotated" } else { "ok" })
                        .tokens(new.access_token.as_ref(), new.refresh_token.as_ref()),
                );
                Ok(Refreshed {
                    secrets: new,
                    kind: RefreshKind::Refreshed(grant.expiry_source),
                    postman: None,
                })
            }
            Err(GrantError {
                error,
                refresh_token: Some(new_rt),
            }) if provider.may_rotate()
                && new_rt.expose_secret() != refresh_token.expose_secret() =>
            {
                // The answer was unusable but carried a new refresh token: the provider may
                // have killed the old one, so keep the new one (and the old access token).
                let new = Secrets {
                    refresh_token: Some(new_rt),
                    rev: entry.secrets.rev + 1,
                    ..entry.secrets.clone()
                };
                self.store_refreshed(account, &new, true).await?;
                self.record_failure(account, &new, &error, sent_at);
                Err(error.into())
            }
            Err(GrantError { error, .. }) => {
                self.record_failure(account, &entry.secrets, &error, sent_at);
                Err(error.into())
            }
        }
    }

    /// Writes a refreshed entry, retrying for 30 s. If it cannot be stored and the refresh
    /// token rotated, the account is lost until authorized again: say so and audit it.
    async fn store_refreshed(
        &self,
        account: &AccountConfig,
        new: &Secrets,
        rotated: bool,
    ) -> Result<()> {
        match self.write_with_retry(&account.id, new).await {
            Ok(()) => Ok(()),
            Err(e) if rotated => {
                self.audit(
                    &self
                        .audit_entry(account.id, "rotation_lost", "keychain_error")
                        .tokens(None, new.refresh_token.as_ref()),
                );
                self.mirror_status(
                    &account.id,
                    Status::NeedsAuthorization,
                    Some(StoredError::RotationLost(e.clone())),
                );
                Err(Error::RotationLost {
                    name: account.name.clone(),
                    source: e,
                })
            }
            Err(e) => {
                self.audit(&self.audit_entry(account.id, "refresh", "keychain_error"));
                self.mirror_keychain_error(&account.id, &e);
                Err(e.into())
            }
        }
    }

    fn record_failure(
        &self,
        account: &AccountConfig,
        secrets: &Secrets,
        error: &ProviderError,
        at: Timestamp,
    ) {
        let permanent = error.is_permanent();
        self.mirror(&account.id, secrets, |a| {
            if permanent {
                a.status = Status::NeedsAuthorization;
                a.failures = 0;
                a.retry_at = None;
            } else {
                a.status = Status::Failing;
                let delay =
                    expiry::retry_delay(a.failures, expiry::random_unit(), error.retry_after);
                a.failures = a.failures.saturating_add(1);
                a.retry_at = Some(clock::add(at, delay));
            }
            a.last_attempt = Some(at);
            a.set_error(StoredError::Provider(error.clone()));
        });
        let outcome = if permanent { "rejected" } else { "transient" };
        self.audit(&self.audit_entry(account.id, "refresh", outcome));
    }

    /// `renova check NAME`: asks the provider whose account the token belongs to. On a 401 the
    /// token is refreshed once and the call repeated (RD cannot tell expired from invalid).
    pub async fn check(&self, name: &str) -> Result<String> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        let provider = Provider::of(&account);
        if provider.check_url()?.is_none() {
            return Err(Error::Unsupported {
                operation: "check",
                provider: account.provider.id(),
            });
        }
        let token = self.token(name, Duration::from_secs(60)).await?;
        let mut result = provider.check(&self.http, &token.token, self.now()).await;
        if matches!(&result, Err(e) if e.status == Some(401)) && !token.refreshed {
            let seen_rev = self
                .keychain
                .read(&account.id)
                .await
                .ok()
                .flatten()
                .map(|e| e.secrets.rev);
            let fresh = self
                .refresh_account(&account, RefreshPolicy::Force { seen_rev })
                .await?;
            if let Some(at) = fresh.secrets.access_token.as_ref() {
                result = provider.check(&self.http, at, self.now()).await;
            }
        }
        let account_name = result?;
        let shown = account_name.clone();
        let _ = State::update_account(&self.paths, &account.id, |a| a.account_name = Some(shown));
        Ok(account_name)
    }

    /// `renova revoke NAME`: revokes at the provider, then deletes both stored tokens.
    /// Returns `false` when the refresh token turned out to be already invalid.
    pub async fn revoke(&self, name: &str) -> Result<bool> {
        let config = self.config()?;
        let account = config.get(name)?.clone();
        let provider = Provider::of(&account);
        if provider.revoke_url()?.is_none() {
            return Err(Error::Unsupported {
                operation: "revoke",
                provider: account.provider.id(),
            });
        }
        let _guard = self.lock(&account).await?;
        let mut entry = self.read_entry(&account).await?;
        let Some(refresh_token) = entry.secrets.refresh_token.clone() else {
            return Err(Error::NeedsAuthorization {
                name: account.name.clone(),
                reason: AuthReason::NoRefreshToken,
            });
        };
        let now = self.now();
        let mut already_invalid = false;
        // RD wants a live access token as Bearer; get one if the stored one is stale.
        if entry.secrets.valid_access_token(now).is_none() {
            match self.refresh_locked(&account, entry).await {
                Ok(r) => {
                    entry = StoredEntry {
                        raw: r.secrets.to_json(),
                        secrets: r.secrets,
                    };
                }
                Err(Error::Provider(e)) if e.is_permanent() && refresh_token_is_dead(&e) => {
                    already_invalid = true;
                    entry = self.read_entry(&account).await?;
                }
                Err(e) => return Err(e),
            }
        }
        if !already_invalid {
            let rt = entry.secrets.refresh_token.clone().unwrap_or(refresh_token);
            let at = entry.secrets.valid_access_token(self.now()).cloned();
            provider
                .revoke(&self.http, &entry.secrets, &rt, at.as_ref(), self.now())
                .await?;
        }
        let cleared = entry.secrets.without_tokens();
        if let Err(e) = self.write_with_retry(&account.id, &cleared).await {
            self.mirror_keychain_error(&account.id, &e);
            return Err(e.into());
        }
        self.mirror(&account.id, &cleared, |a| {
            a.status = Status::NeedsAuthorization;
            a.clear_error();
        });
        self.audit(
            &self
                .audit_entry(
                    account.id,
                    "revoke",
                    if already_invalid {
                        "already_invalid"
                    } else {
                        "ok"
                    },
                )
                .tokens(
                    entry.secrets.access_token.as_ref(),
                    entry.secrets.refresh_token.as_ref(),
                ),
        );
        Ok(!already_invalid)
    }
}

/// Whether a refusal says the refresh token itself is dead (not, say, a wrong client secret,
/// which leaves the token alive).
fn refresh_token_is_dead(e: &ProviderError) -> bool {
    matches!(
        e.error_type.as_deref(),
        Some("INVALID_REFRESH_TOKEN" | "invalid_grant")
    )
}

fn outcome_from(secrets: &Secrets, refreshed: bool, short: bool) -> Result<TokenOutcome> {
    match (&secrets.access_token, secrets.expires_at) {
        (Some(token), Some(expires_at)) => Ok(TokenOutcome {
            token: SecretString::from(token.expose_secret().to_owned()),
            expires_at,
            refreshed,
            shorter_than_asked: short,
            postman: None,
        }),
        _ => Err(ProviderError::new(ProviderErrorKind::MissingAccessToken).into()),
    }
}
