//! `revoke`: revokes the refresh token at the provider, then deletes both stored tokens (the
//! client secret stays) and marks the account as needing authorization. A refresh token the
//! provider already calls invalid is forgotten all the same; one that may still live (a wrong
//! client secret made the provider refuse) is kept.

use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::binding;
use crate::core::config::AccountConfig;
use crate::core::context::Context;
use crate::core::error::{AuthReason, Error, Result};
use crate::core::keychain::StoredEntry;
use crate::core::provider::Provider;
use crate::core::provider::Reason;
use crate::core::refresh::refresh_locked;
use crate::core::state::Status;

/// Revokes and forgets the tokens. `Ok(false)`: the refresh token was already invalid.
pub(crate) async fn revoke(cx: &Context, account: &AccountConfig) -> Result<bool> {
    let store = &cx.store;
    let _guard = store.lock(account).await?;
    let account = &store.current(account)?;
    let provider = Provider::of(account);
    if provider.revoke_url()?.is_none() {
        return Err(Error::Unsupported {
            operation: "revoke",
            provider: account.provider.id(),
        });
    }
    let mut entry = store.read_entry(account).await?;
    binding::verified(store, account, &entry.secrets)?;
    let Some(refresh_token) = entry.secrets.refresh_token.clone() else {
        return Err(Error::NeedsAuthorization {
            name: account.name.clone(),
            reason: AuthReason::NoRefreshToken,
        });
    };
    let mut already_invalid = false;
    // RD wants a live access token as Bearer; get one if the stored one is stale.
    if entry.secrets.valid_access_token(store.now()).is_none() {
        match refresh_locked(cx, account, entry).await {
            Ok(r) => {
                entry = StoredEntry {
                    raw: r.secrets.to_json(),
                    secrets: r.secrets,
                };
            }
            // The refresh token itself is dead (not, say, a wrong client secret, which leaves
            // it alive): nothing is left to revoke.
            Err(Error::Provider(e)) if e.reason == Reason::DeadRefreshToken => {
                already_invalid = true;
                entry = store.read_entry(account).await?;
            }
            Err(e) => return Err(e),
        }
    }
    if !already_invalid {
        let rt = entry.secrets.refresh_token.clone().unwrap_or(refresh_token);
        let at = entry.secrets.valid_access_token(store.now()).cloned();
        provider
            .revoke(&cx.http, &entry.secrets, &rt, at.as_ref(), store.now())
            .await?;
    }
    let cleared = entry.secrets.without_tokens();
    if let Err(e) = store.write_with_retry(&account.id, &cleared).await {
        store.mirror_keychain_error(&account.id, &e);
        return Err(e.into());
    }
    store.mirror(&account.id, &cleared, |a| {
        a.status = Status::NeedsAuthorization;
        a.clear_error();
    });
    let outcome = if already_invalid {
        AuditOutcome::AlreadyInvalid
    } else {
        AuditOutcome::Ok
    };
    store.audit(
        &store
            .audit_entry(account.id, AuditAction::Revoke, outcome)
            .tokens(
                entry.secrets.access_token.as_ref(),
                entry.secrets.refresh_token.as_ref(),
            ),
    );
    Ok(!already_invalid)
}
