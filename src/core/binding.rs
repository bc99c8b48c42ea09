//! Endpoints bound to secrets. An account's keychain entry records every endpoint Renova
//! itself configured for it ([`Endpoints`]). Before any secret or token is sent, the
//! endpoints `accounts.toml` names now must be among them; one that is not (the file was
//! edited by hand or by another program) is refused until the user confirms it with
//! `renova edit NAME --base-url …` (or the window's Confirm), which rewrites both. So only a
//! program that can read the keychain can send the secrets somewhere else.
//!
//! Entries written before Renova recorded endpoints are bound at their next write.

use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, InputError, Result};
use crate::core::expiry;
use crate::core::provider::{EndpointKind, Provider};
use crate::core::secrets::{Endpoints, Secrets};
use crate::core::state::{Status, StoredError};
use crate::core::store::Store;

/// The account's endpoints, if its entry knows every one of them (or knows none yet).
pub fn check(account: &AccountConfig, secrets: &Secrets) -> Result<Endpoints, InputError> {
    let provider = Provider::of(account);
    let configured = provider.endpoints()?;
    let Some(known) = &secrets.endpoints else {
        return Ok(configured);
    };
    let pairs = [
        (
            EndpointKind::Token,
            Some(&configured.token),
            Some(&known.token),
        ),
        (
            EndpointKind::Revoke,
            configured.revoke.as_ref(),
            known.revoke.as_ref(),
        ),
        (
            EndpointKind::Check,
            configured.check.as_ref(),
            known.check.as_ref(),
        ),
    ];
    for (kind, now, was) in pairs {
        if let Some(url) = now
            && Some(url) != was
        {
            let (flag, value) = provider.setting_of(kind);
            return Err(InputError::EndpointChanged {
                name: account.name.clone(),
                url: url.clone(),
                known: was.cloned(),
                flag: flag.to_owned(),
                value,
            });
        }
    }
    Ok(configured)
}

/// [`check`], recording a refusal in `state.json`: the card shows it (with Confirm), and
/// automatic refresh backs off instead of trying again at every tick.
pub fn verified(store: &Store, account: &AccountConfig, secrets: &Secrets) -> Result<Endpoints> {
    check(account, secrets).map_err(|e| {
        record_refusal(store, account, &e);
        Error::Input(e)
    })
}

/// Records a setting that stopped an operation before anything was sent.
pub fn record_refusal(store: &Store, account: &AccountConfig, error: &InputError) {
    let at = store.now();
    store.update_state(&account.id, |a| {
        let delay = expiry::retry_delay(a.failures, expiry::random_unit(), None);
        a.status = Status::Failing;
        a.failures = a.failures.saturating_add(1);
        a.retry_at = Some(clock::add(at, delay));
        a.last_attempt = Some(at);
        a.set_error(StoredError::Input(error.clone()));
    });
}

/// Binds the entry to the endpoints `account` names now (the caller holds the account's
/// lock), and clears a refusal or transient failure recorded for the old ones. No entry:
/// nothing to bind.
pub async fn rebind_locked(store: &Store, account: &AccountConfig) -> Result<()> {
    let endpoints = Provider::of(account).endpoints()?;
    if let Some(entry) = store.keychain().read(&account.id).await?
        && entry.secrets.endpoints.as_ref() != Some(&endpoints)
    {
        let bound = Secrets {
            endpoints: Some(endpoints),
            rev: entry.secrets.rev + 1,
            ..entry.secrets
        };
        store.keychain().write(&account.id, &bound).await?;
        store.mirror(&account.id, &bound, |_| {});
        store.audit(&store.audit_entry(account.id, "confirm_endpoints", "ok"));
    }
    // A failure at the old endpoints (refused, unreachable) says nothing about the new ones:
    // try again at once instead of waiting out its backoff.
    store.update_state(&account.id, |a| {
        if a.status == Status::Failing || matches!(a.last_error, Some(StoredError::Input(_))) {
            a.status = Status::Ok;
            a.clear_error();
            a.failures = 0;
            a.retry_at = None;
        }
    });
    Ok(())
}

/// The window's Confirm: the endpoints in `accounts.toml` are the user's.
pub async fn confirm(store: &Store, account: &AccountConfig) -> Result<()> {
    let _guard = store.lock(account).await?;
    let account = store.current(account)?;
    rebind_locked(store, &account).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ProviderKind;

    fn rd() -> AccountConfig {
        AccountConfig::new("loja", ProviderKind::RdStation, "fake-id")
    }

    fn bound_to(account: &AccountConfig) -> Secrets {
        Secrets {
            endpoints: Some(Provider::of(account).endpoints().unwrap()),
            ..Secrets::default()
        }
    }

    #[test]
    fn an_endpoint_the_entry_does_not_know_is_refused_with_the_flag_that_confirms_it() {
        let account = rd();
        let secrets = bound_to(&account);
        assert!(check(&account, &secrets).is_ok());
        let mut moved = account.clone();
        moved.base_url = Some("https://rd.attacker.test".to_owned());
        let e = check(&moved, &secrets).unwrap_err();
        assert_eq!(
            e,
            InputError::EndpointChanged {
                name: "loja".to_owned(),
                url: "https://rd.attacker.test/auth/token".to_owned(),
                known: Some("https://api.rd.services/auth/token".to_owned()),
                flag: "--base-url".to_owned(),
                value: "https://rd.attacker.test".to_owned(),
            }
        );
        // An entry from before endpoints were recorded is bound at its next write.
        assert!(check(&moved, &Secrets::default()).is_ok());
    }

    #[test]
    fn an_added_oauth2_endpoint_is_refused_and_a_dropped_one_is_not() {
        let mut account = AccountConfig::new("api", ProviderKind::OAuth2, "fake-id");
        account.token_url = Some("https://idp.example.test/token".to_owned());
        account.revoke_url = Some("https://idp.example.test/revoke".to_owned());
        let secrets = bound_to(&account);
        let mut fewer = account.clone();
        fewer.revoke_url = None;
        assert!(check(&fewer, &secrets).is_ok());
        let mut more = account.clone();
        more.check_url = Some("https://collector.attacker.test/me".to_owned());
        assert!(matches!(
            check(&more, &secrets),
            Err(InputError::EndpointChanged { flag, .. }) if flag == "--check-url"
        ));
    }
}
