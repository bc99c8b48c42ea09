//! Endpoints bound to secrets. An account's keychain entry records every endpoint Renova
//! itself configured for it ([`Endpoints`]). Before any secret or token is sent, the
//! endpoints `accounts.toml` names now must be among them; one that is not (the file was
//! edited by hand or by another program) is refused until the user confirms it with
//! `renova edit NAME --base-url …` (or the window's Confirm), which rewrites both. So only a
//! program that can read the keychain can send the secrets somewhere else.
//!
//! Entries written before Renova recorded endpoints are bound at their next write.

use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, InputError, Result};
use crate::core::expiry;
use crate::core::input::EndpointChange;
use crate::core::provider::Provider;
use crate::core::secrets::{EndpointKind, Endpoints, Secrets};
use crate::core::state::{Status, StoredError};
use crate::core::store::Store;

/// The account's endpoints, if its entry knows every one of them (or knows none yet).
pub(crate) fn check(account: &AccountConfig, secrets: &Secrets) -> Result<Endpoints, InputError> {
    let provider = Provider::of(account);
    let configured = provider.endpoints()?;
    let Some(known) = &secrets.endpoints else {
        return Ok(configured);
    };
    for kind in EndpointKind::ALL {
        if let Some(url) = configured.get(kind)
            && Some(url) != known.get(kind)
        {
            let (setting, value) = provider.setting_of(kind);
            return Err(InputError::EndpointChanged(Box::new(EndpointChange {
                name: account.name.clone(),
                kind,
                url: url.clone(),
                known: known.get(kind).cloned(),
                setting,
                value,
            })));
        }
    }
    Ok(configured)
}

/// [`check`], recording a refusal in `state.json`: the card shows it (with Confirm), and
/// automatic refresh backs off instead of trying again at every tick.
pub(crate) fn verified(
    store: &Store,
    account: &AccountConfig,
    secrets: &Secrets,
) -> Result<Endpoints> {
    check(account, secrets).map_err(|e| {
        record_refusal(store, account, &e);
        Error::Input(e)
    })
}

/// Records a setting that stopped an operation before anything was sent.
pub(crate) fn record_refusal(store: &Store, account: &AccountConfig, error: &InputError) {
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

/// Binds the endpoints of `kinds` in the entry to what `account` names now (the caller holds
/// the account's lock); the others stay as the entry knew them. An entry that knew none is
/// bound to all. A refusal or transient failure recorded for the old endpoints is cleared.
/// No entry: nothing to bind.
pub(crate) async fn rebind_locked(
    store: &Store,
    account: &AccountConfig,
    kinds: &[EndpointKind],
) -> Result<()> {
    let configured = Provider::of(account).endpoints()?;
    if let Some(entry) = store.keychain().read(&account.id).await? {
        let bound = match &entry.secrets.endpoints {
            Some(known) => kinds
                .iter()
                .fold(known.clone(), |e, kind| e.with(*kind, &configured)),
            None => configured,
        };
        if entry.secrets.endpoints.as_ref() != Some(&bound) {
            let new = Secrets {
                endpoints: Some(bound),
                rev: entry.secrets.rev + 1,
                ..entry.secrets
            };
            store.keychain().write(&account.id, &new).await?;
            store.mirror(&account.id, &new, |_| {});
            store.audit(&store.audit_entry(
                account.id,
                AuditAction::ConfirmEndpoints,
                AuditOutcome::Ok,
            ));
        }
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

/// The window's Confirm: the user accepts that `kind` now goes to `url`, the address the card
/// showed (with what the same setting moves along: for RD, every endpoint follows the base
/// URL). If `accounts.toml` names another one by now, nothing is bound and the new refusal is
/// recorded (and returned) instead.
pub(crate) async fn confirm(
    store: &Store,
    account: &AccountConfig,
    kind: EndpointKind,
    url: &str,
) -> Result<()> {
    let _guard = store.lock(account).await?;
    let account = store.current(account)?;
    let provider = Provider::of(&account);
    if provider.endpoints()?.get(kind).map(String::as_str) != Some(url) {
        let entry = store.read_entry(&account).await?;
        verified(store, &account, &entry.secrets)?;
        return Ok(());
    }
    // What the flag that sets it sets: for RD, every endpoint follows the base URL.
    let (flag, _) = provider.setting_of(kind);
    rebind_locked(store, &account, &provider.endpoints_set_by(flag)).await
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
            InputError::EndpointChanged(Box::new(EndpointChange {
                name: "loja".to_owned(),
                kind: EndpointKind::Token,
                url: "https://rd.attacker.test/auth/token".to_owned(),
                known: Some("https://api.rd.services/auth/token".to_owned()),
                setting: crate::core::input::Setting::BaseUrl,
                value: "https://rd.attacker.test".to_owned(),
            }))
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
            Err(InputError::EndpointChanged(c)) if c.setting == crate::core::input::Setting::CheckUrl
        ));
    }
}
