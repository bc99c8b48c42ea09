//! The refresh path, shared by `renova token`, `renova refresh`, `refresh --due`, the window's
//! automatic refresh and its Copy button. Every refresh happens under the account's lock after
//! re-reading the entry; the keychain is proven writable before the request; the new tokens
//! are written (retrying for 30 s) before anything else sees them. A failure never changes the
//! stored credentials.

mod static_token;

use std::time::Duration;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::binding;
use crate::core::clock;
use crate::core::config::{AccountConfig, TokenPlacement};
use crate::core::context::Context;
use crate::core::error::{AuthReason, Error, InputError, Result};
use crate::core::expiry::{self, Freshness, TokenDecision};
use crate::core::keychain::StoredEntry;
use crate::core::postman::PostmanError;
use crate::core::provider::{
    ExpirySource, GrantError, Provider, ProviderError, ProviderErrorKind, grant::Grant,
};
use crate::core::secrets::{Endpoints, Secrets};
use crate::core::state::{Status, StoredError};
use crate::core::status;
use crate::core::sync;

/// When a refresh should actually go to the network.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RefreshPolicy {
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
    /// Automatic refresh and `--due`: only within the (effective) lead time, or to try again
    /// after a failure that may pass.
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
    pub postman: Option<PostmanError>,
}

impl Refreshed {
    /// Whether this call went to the network.
    pub fn refreshed(&self) -> bool {
        matches!(self.kind, RefreshKind::Refreshed(_))
    }
}

/// What a token request produced.
#[derive(Debug, Clone)]
pub struct TokenOutcome {
    /// The access token.
    pub token: SecretString,
    /// When it expires (`None`: a static token that does not).
    pub expires_at: Option<Timestamp>,
    /// Where it goes in a request (a curl line puts it there).
    pub placement: TokenPlacement,
    /// Whether a refresh happened in this call.
    pub refreshed: bool,
    /// Set when the token is valid for less than was asked (the provider issues short tokens,
    /// or the refresh failed and this is the stored token, which still works).
    pub shorter_than_asked: bool,
    /// The refresh this token needed failed; this is the stored token, which still works
    /// (the failure is recorded in `state.json`, where the card shows it).
    pub refresh_failed: bool,
    /// Why a refreshed token could not be sent to Postman.
    pub postman: Option<PostmanError>,
    /// The address a curl line may send the token to (the provider's check endpoint or API),
    /// when the keychain entry knows the account's endpoints; else why not.
    pub curl_url: std::result::Result<Option<String>, InputError>,
}

/// A token of `account` valid for `min_valid` if the provider allows, refreshing only when
/// needed: `renova token` and the window's Copy.
pub(crate) async fn token_for(
    cx: &Context,
    account: &AccountConfig,
    min_valid: Duration,
) -> Result<TokenOutcome> {
    let entry = cx.store.read_entry(account).await?;
    let now = cx.store.now();
    if account.provider.is_static() {
        return static_token::given(account, &entry.secrets, min_valid, now);
    }
    let outcome = match expiry::decide_token(&entry.secrets, min_valid, now) {
        TokenDecision::UseStored => return outcome_from(account, &entry.secrets, false, false),
        TokenDecision::UseStoredShort => {
            return outcome_from(account, &entry.secrets, false, true);
        }
        TokenDecision::Refresh => {
            refresh_account(cx, account, RefreshPolicy::IfNeeded { min_valid }).await?
        }
    };
    let now = cx.store.now();
    let short = match outcome.secrets.expires_at {
        Some(exp) => exp.as_second() - now.as_second() < min_valid.as_secs() as i64,
        None => true,
    };
    let mut token = outcome_from(account, &outcome.secrets, outcome.refreshed(), short)?;
    token.postman = outcome.postman;
    Ok(token)
}

/// A token to copy: valid for `min_valid` (refreshed first when it is not); when that refresh
/// fails at the provider, the stored token all the same if it still works, as the card
/// promises. Never a second request.
pub(crate) async fn token_to_copy(
    cx: &Context,
    account: &AccountConfig,
    min_valid: Duration,
) -> Result<TokenOutcome> {
    match token_for(cx, account, min_valid).await {
        Err(Error::Provider(e)) => {
            let entry = cx.store.read_entry(account).await?;
            if entry.secrets.valid_access_token(cx.store.now()).is_none() {
                return Err(Error::Provider(e));
            }
            let mut kept = outcome_from(account, &entry.secrets, false, true)?;
            kept.refresh_failed = true;
            Ok(kept)
        }
        other => other,
    }
}

/// `renova refresh NAME`: refreshes now, unless another process just did.
pub(crate) async fn refresh_now(cx: &Context, account: &AccountConfig) -> Result<Refreshed> {
    refresh_account(cx, account, force(cx, account).await).await
}

/// A forced refresh that still notices another process refreshing while we wait for the lock.
pub(crate) async fn force(cx: &Context, account: &AccountConfig) -> RefreshPolicy {
    let seen_rev = match cx.store.keychain().read(&account.id).await {
        Ok(Some(e)) => Some(e.secrets.rev),
        _ => None,
    };
    RefreshPolicy::Force { seen_rev }
}

/// `renova refresh --due`: every account the status rule says is due. It decides from
/// `state.json` without a keychain read; the decision is made again under the lock with the
/// real entry.
pub(crate) async fn refresh_due(cx: &Context) -> Result<Vec<(String, Result<Refreshed>)>> {
    let config = cx.store.config()?;
    let state = cx.store.state();
    let now = cx.store.now();
    let mut results = Vec::new();
    for account in config.visible() {
        let status = status::of(account, &config.defaults, &state.get(&account.id), now);
        if !status.due {
            continue;
        }
        let r = refresh_account(cx, account, RefreshPolicy::IfDue { lead: status.lead }).await;
        results.push((account.name.clone(), r));
    }
    Ok(results)
}

/// Refreshes one account under its lock, as the policy says; then, with the lock released,
/// sends a new token to Postman if the account syncs there.
pub(crate) async fn refresh_account(
    cx: &Context,
    account: &AccountConfig,
    policy: RefreshPolicy,
) -> Result<Refreshed> {
    if account.provider.is_static() {
        // Nothing to refresh; reading the entry is what clears a keychain error recorded for
        // it (the card's "Use the keychain again").
        cx.store.read_entry(account).await?;
        return Err(Error::Unsupported {
            operation: "refresh",
            provider: account.provider.id(),
        });
    }
    let mut refreshed = refresh_under_lock(cx, account, policy).await?;
    if refreshed.refreshed() {
        refreshed.postman = sync::after_new_token(cx, account, &refreshed.secrets).await;
    }
    Ok(refreshed)
}

async fn refresh_under_lock(
    cx: &Context,
    account: &AccountConfig,
    policy: RefreshPolicy,
) -> Result<Refreshed> {
    // An automatic attempt is counted before the lock, so an account another process holds
    // (Busy) is not asked again at every tick; one that turns out not to be needed (another
    // process refreshed meanwhile) is not counted.
    let automatic = matches!(policy, RefreshPolicy::IfDue { .. });
    let counted_before = automatic.then(|| cx.store.state().get(&account.id).last_auto_attempt);
    if automatic {
        let at = cx.store.now();
        cx.store
            .update_state(&account.id, |a| a.last_auto_attempt = Some(at));
    }
    let _guard = cx.store.lock(account).await?;
    let account = &cx.store.current(account)?;
    let entry = cx.store.read_entry(account).await?;
    let now = cx.store.now();
    let skip = match policy {
        RefreshPolicy::Force { seen_rev } => seen_rev
            .is_some_and(|r| r != entry.secrets.rev)
            .then_some(RefreshKind::ChangedMeanwhile),
        RefreshPolicy::IfNeeded { min_valid } => {
            (expiry::decide_token(&entry.secrets, min_valid, now) != TokenDecision::Refresh)
                .then_some(RefreshKind::NotNeeded)
        }
        // Due when the token is within its lead time, or when a failure that may pass is
        // still recorded (as read now, under the lock: another process may have succeeded).
        RefreshPolicy::IfDue { lead } => (entry.secrets.access_token.is_some()
            && expiry::freshness(
                entry.secrets.expires_at,
                entry.secrets.obtained_at,
                lead,
                now,
            ) == Freshness::Valid
            && !status::retry_pending(&cx.store.state().get(&account.id)))
        .then_some(RefreshKind::NotNeeded),
    };
    if let Some(kind) = skip {
        // Keep the mirror in step with the entry (another process may have refreshed).
        let mirror = cx.store.state().get(&account.id);
        if mirror.rev != entry.secrets.rev || mirror.expires_at != entry.secrets.expires_at {
            cx.store.mirror(&account.id, &entry.secrets, |_| {});
        }
        if let Some(before) = counted_before {
            cx.store
                .update_state(&account.id, |a| a.last_auto_attempt = before);
        }
        return Ok(Refreshed {
            secrets: entry.secrets,
            kind,
            postman: None,
        });
    }
    refresh_locked(cx, account, entry).await
}

/// The refresh itself; the caller holds the account's lock and has just read `entry`.
pub(crate) async fn refresh_locked(
    cx: &Context,
    account: &AccountConfig,
    entry: StoredEntry,
) -> Result<Refreshed> {
    let store = &cx.store;
    let id = account.id;
    let Some(refresh_token) = entry.secrets.refresh_token.clone() else {
        store.mirror(&id, &entry.secrets, |a| {
            a.status = Status::NeedsAuthorization;
            a.clear_error();
        });
        return Err(Error::NeedsAuthorization {
            name: account.name.clone(),
            reason: AuthReason::NoRefreshToken,
        });
    };
    let provider = Provider::of(account);
    // An endpoint the entry was not set up for, or one the URL policy refuses, is the user's
    // to fix (exit 2), not a provider failure; nothing is sent.
    let endpoints = binding::verified(store, account, &entry.secrets)?;
    // Prove the keychain takes writes before the provider can rotate anything: write the
    // entry back byte for byte (same rev, so waiters are not misled).
    if let Err(e) = store.keychain().write_raw(&id, entry.raw.clone()).await {
        store.mirror_keychain_error(&id, &e);
        return Err(e.into());
    }
    let sent_at = store.now();
    // Stopping abandons only the wait for the answer (as a timeout would); an answer that
    // came is always stored.
    let result = tokio::select! {
        biased;
        result = provider.refresh(&cx.http, &entry.secrets, &refresh_token, sent_at) => result,
        () = store.stopping().begun() => return Err(Error::Interrupted),
    };
    match result {
        Ok(grant) => {
            let sent = (refresh_token, endpoints, sent_at);
            store_grant(cx, account, &entry.secrets, grant, sent).await
        }
        Err(GrantError {
            error,
            refresh_token: Some(new_rt),
        }) if provider.may_rotate() && new_rt.expose_secret() != refresh_token.expose_secret() => {
            // The answer was unusable but carried a new refresh token: the provider may
            // have killed the old one, so keep the new one (and the old access token).
            let new = Secrets {
                refresh_token: Some(new_rt),
                rev: entry.secrets.rev + 1,
                endpoints: Some(endpoints),
                ..entry.secrets.clone()
            };
            store_refreshed(cx, account, &new, true).await?;
            record_failure(cx, account, &new, &error, sent_at);
            Err(error.into())
        }
        Err(GrantError { error, .. }) => {
            record_failure(cx, account, &entry.secrets, &error, sent_at);
            Err(error.into())
        }
    }
}

/// Stores the tokens a refresh got (`sent`: the refresh token it sent, the endpoints it was
/// sent to, when), then mirrors and audits them.
async fn store_grant(
    cx: &Context,
    account: &AccountConfig,
    old: &Secrets,
    grant: Grant,
    (refresh_token, endpoints, sent_at): (SecretString, Endpoints, Timestamp),
) -> Result<Refreshed> {
    let store = &cx.store;
    let rotated = grant
        .refresh_token
        .as_ref()
        .is_some_and(|new| new.expose_secret() != refresh_token.expose_secret());
    let new = Secrets {
        client_secret: old.client_secret.clone(),
        refresh_token: grant.refresh_token.or(Some(refresh_token)),
        access_token: Some(grant.access_token),
        expires_at: Some(grant.expires_at),
        obtained_at: Some(sent_at),
        rev: old.rev + 1,
        endpoints: Some(endpoints),
    };
    store_refreshed(cx, account, &new, rotated).await?;
    let now = store.now();
    store.mirror(&account.id, &new, |a| a.record_success(now));
    let outcome = if rotated {
        AuditOutcome::OkRotated
    } else {
        AuditOutcome::Ok
    };
    store.audit(
        &store
            .audit_entry(account.id, AuditAction::Refresh, outcome)
            .tokens(new.access_token.as_ref(), new.refresh_token.as_ref()),
    );
    Ok(Refreshed {
        secrets: new,
        kind: RefreshKind::Refreshed(grant.expiry_source),
        postman: None,
    })
}

/// Writes a refreshed entry, retrying for 30 s. If it cannot be stored and the refresh
/// token rotated, the account is lost until authorized again: say so and audit it.
async fn store_refreshed(
    cx: &Context,
    account: &AccountConfig,
    new: &Secrets,
    rotated: bool,
) -> Result<()> {
    let store = &cx.store;
    match store.write_with_retry(&account.id, new).await {
        Ok(()) => Ok(()),
        Err(e) if rotated => {
            store.audit(
                &store
                    .audit_entry(
                        account.id,
                        AuditAction::RotationLost,
                        AuditOutcome::KeychainError,
                    )
                    .tokens(None, new.refresh_token.as_ref()),
            );
            store.mirror_status(
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
            store.audit(&store.audit_entry(
                account.id,
                AuditAction::Refresh,
                AuditOutcome::KeychainError,
            ));
            store.mirror_keychain_error(&account.id, &e);
            Err(e.into())
        }
    }
}

/// Records a failed refresh in `state.json`, the one record of failures and backoff: a
/// permanent one needs the user; a transient one waits `max(backoff, Retry-After)`.
fn record_failure(
    cx: &Context,
    account: &AccountConfig,
    secrets: &Secrets,
    error: &ProviderError,
    at: Timestamp,
) {
    let permanent = error.is_permanent();
    cx.store.mirror(&account.id, secrets, |a| {
        if permanent {
            a.status = Status::NeedsAuthorization;
            a.failures = 0;
            a.retry_at = None;
        } else {
            a.status = Status::Failing;
            let delay = expiry::retry_delay(a.failures, expiry::random_unit(), error.retry_after);
            a.failures = a.failures.saturating_add(1);
            a.retry_at = Some(clock::add(at, delay));
        }
        a.last_attempt = Some(at);
        a.set_error(StoredError::Provider(error.clone()));
    });
    let outcome = if permanent {
        AuditOutcome::Rejected
    } else {
        AuditOutcome::Transient
    };
    cx.store.audit(
        &cx.store
            .audit_entry(account.id, AuditAction::Refresh, outcome),
    );
}

fn outcome_from(
    account: &AccountConfig,
    secrets: &Secrets,
    refreshed: bool,
    short: bool,
) -> Result<TokenOutcome> {
    let curl_url = binding::check(account, secrets)
        .map(|_| Provider::of(account).example_url().map(String::from));
    // Only a static token may have no expiry.
    match (&secrets.access_token, secrets.expires_at) {
        (Some(token), expires_at) if expires_at.is_some() || account.provider.is_static() => {
            Ok(TokenOutcome {
                token: SecretString::from(token.expose_secret().to_owned()),
                expires_at,
                placement: account.provider.placement(),
                refreshed,
                shorter_than_asked: short,
                refresh_failed: false,
                postman: None,
                curl_url,
            })
        }
        _ => Err(ProviderError::new(ProviderErrorKind::MissingAccessToken).into()),
    }
}
