//! Authorizing in the browser (RD Station's steps 2–3, and the same for CRM and `oauth2`):
//! [`begin`] binds the loopback listener before it makes the URL; [`Authorization::wait`] takes
//! the code from the browser or a paste; [`finish`] exchanges it under the account's lock, like
//! a refresh, and stores the tokens and the redirect URI used.

use jiff::Timestamp;
use secrecy::SecretString;
use tokio::sync::mpsc;
use url::Url;

use crate::core::account::AccountId;
use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::binding;
use crate::core::callback::{
    self, CallbackListener, DEFAULT_PORT, WaitProblem, default_redirect_uri,
};
use crate::core::config::{AccountConfig, Config};
use crate::core::context::Context;
use crate::core::error::{AuthReason, Error, InputError, Result};
use crate::core::http::{checked_url, is_loopback_host};
use crate::core::input::Setting;
use crate::core::provider::{GrantError, Pkce, Provider};
use crate::core::secrets::Secrets;
use crate::core::store::Store;
use crate::core::sync;

/// One authorization in progress.
pub struct Authorization {
    /// The account being authorized.
    pub account: AccountConfig,
    /// The URL to open in the browser.
    pub url: Url,
    /// The exact redirect URI (register it with the provider).
    pub redirect_uri: String,
    state: String,
    pkce: Option<Pkce>,
    listener: Option<CallbackListener>,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization")
            .field("account", &self.account.name)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl Authorization {
    /// Whether a loopback listener waits for the browser (else only a paste can finish).
    pub fn listens(&self) -> bool {
        self.listener.is_some()
    }

    /// Waits for the code: from the browser, or from `pasted` (lines of text; a closed channel
    /// does not cancel the wait). Problems are reported through `on_problem`.
    pub async fn wait(
        &self,
        pasted: &mut mpsc::UnboundedReceiver<String>,
        on_problem: &(dyn Fn(WaitProblem) + Send + Sync),
    ) -> Result<SecretString> {
        callback::wait_for_code(self.listener.as_ref(), &self.state, pasted, on_problem).await
    }
}

/// A random hex string of `N` bytes.
fn random_hex<const N: usize>(what: &'static str) -> Result<String> {
    crate::core::random::hex_string::<N>()
        .map_err(|e| Error::io(what, "getrandom", std::io::Error::other(e)))
}

/// Starts authorizing `account`: binds the loopback listener (when the redirect URI is on this
/// machine) before making the URL. `port` overrides the port of a loopback redirect URI.
pub(crate) async fn begin(
    cx: &Context,
    account: &AccountConfig,
    port: Option<u16>,
) -> Result<Authorization> {
    let provider = Provider::of(account);
    if provider.kind().is_static() {
        return Err(Error::Unsupported {
            operation: "authorize",
            provider: account.provider.id(),
        });
    }
    // Endpoints the URL policy refuses, or that the entry was not set up for, are the user's
    // to fix before the browser opens (`finish` checks again under the lock).
    match cx.store.keychain().read(&account.id).await? {
        Some(entry) => binding::verified(&cx.store, account, &entry.secrets)?,
        None => provider.endpoints()?,
    };
    let mut redirect = match &account.redirect_uri {
        Some(uri) => checked_url(Setting::RedirectUri, uri)?,
        None => checked_url(
            Setting::RedirectUri,
            &default_redirect_uri(port.unwrap_or(DEFAULT_PORT)),
        )?,
    };
    let local = redirect.scheme() == "http" && is_loopback_host(&redirect);
    if let Some(p) = port
        && (!local || redirect.set_port(Some(p)).is_err())
    {
        return Err(InputError::PortNotLocal(redirect.to_string()).into());
    }
    let listener = if local {
        Some(CallbackListener::bind(&redirect, cx.pages).await?)
    } else {
        None
    };
    // 128 random bits: the browser's answer must carry them back.
    let state = random_hex::<16>("making a random state")?;
    let pkce = if provider.uses_pkce() {
        Some(Pkce::generate().map_err(|e| {
            Error::io(
                "making a PKCE verifier",
                "getrandom",
                std::io::Error::other(e),
            )
        })?)
    } else {
        None
    };
    let redirect_uri = redirect.to_string();
    let url = provider.authorize_url(&redirect_uri, &state, pkce.as_ref())?;
    Ok(Authorization {
        account: account.clone(),
        url,
        redirect_uri,
        state,
        pkce,
        listener,
    })
}

/// Exchanges the code and stores the tokens (under the account's lock, like a refresh);
/// records the redirect URI used with the account. Returns when the token expires.
pub(crate) async fn finish(
    cx: &Context,
    session: &Authorization,
    code: &SecretString,
) -> Result<Timestamp> {
    let store = &cx.store;
    let account = &session.account;
    let guard = store.lock(account).await?;
    let account = &store.current(account)?;
    let Some(entry) = store.keychain().read(&account.id).await? else {
        return Err(Error::NeedsAuthorization {
            name: account.name.clone(),
            reason: AuthReason::MissingEntry,
        });
    };
    let endpoints = binding::verified(store, account, &entry.secrets)?;
    let sent_at = store.now();
    let verifier = session.pkce.as_ref().map(|p| &p.verifier);
    let grant = Provider::of(account)
        .exchange_code(
            &cx.http,
            &entry.secrets,
            code,
            &session.redirect_uri,
            verifier,
            sent_at,
        )
        .await;
    let grant = match grant {
        Ok(g) => g,
        Err(GrantError { error, .. }) => {
            let outcome = if error.is_permanent() {
                AuditOutcome::Rejected
            } else {
                AuditOutcome::Transient
            };
            store.audit(&store.audit_entry(account.id, AuditAction::Authorize, outcome));
            return Err(error.into());
        }
    };
    let new = Secrets {
        client_secret: entry.secrets.client_secret.clone(),
        refresh_token: grant
            .refresh_token
            .clone()
            .or(entry.secrets.refresh_token.clone()),
        access_token: Some(grant.access_token),
        expires_at: Some(grant.expires_at),
        obtained_at: Some(sent_at),
        rev: entry.secrets.rev + 1,
        endpoints: Some(endpoints),
    };
    if let Err(e) = store.write_with_retry(&account.id, &new).await {
        let failed = (AuditAction::Authorize, AuditOutcome::KeychainError);
        store.audit(&store.audit_entry(account.id, failed.0, failed.1));
        // A new refresh token that could not be kept: the provider may have killed the old.
        let lost = Error::RotationLost {
            name: account.name.clone(),
            source: e.clone(),
        };
        return Err(if grant.refresh_token.is_some() {
            lost
        } else {
            e.into()
        });
    }
    let id = account.id;
    record_redirect_uri(store, id, &session.redirect_uri);
    let now = store.now();
    store.mirror(&id, &new, |a| a.record_success(now));
    store.audit(
        &store
            .audit_entry(id, AuditAction::Authorize, AuditOutcome::Ok)
            .tokens(new.access_token.as_ref(), new.refresh_token.as_ref()),
    );
    drop(guard);
    sync::after_new_token(cx, account, &new).await;
    Ok(grant.expires_at)
}

/// Records the redirect URI an authorization used with the account (a failure is logged:
/// the tokens are stored, and the next authorization records it again).
fn record_redirect_uri(store: &Store, id: AccountId, uri: &str) {
    let uri = uri.to_owned();
    if let Err(e) = Config::update(store.paths(), |c| {
        if let Some(a) = c.accounts.iter_mut().find(|a| a.id == id) {
            a.redirect_uri = Some(uri);
        }
        Ok::<_, Error>(())
    }) {
        tracing::warn!("could not record the redirect URI: {e}");
    }
}
