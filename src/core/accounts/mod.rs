//! Adding, editing and removing accounts, with the write ordering that never leaves a
//! half-made account: `add` writes the keychain entry first and deletes it if `accounts.toml`
//! cannot be written; `edit` puts the entry back as it was if `accounts.toml` cannot be saved;
//! `remove` marks the account, deletes the entry, then drops the account (an interrupted
//! removal is finished at the next start).

mod remove;
pub(crate) mod settings;

use secrecy::ExposeSecret;

use crate::core::account::AccountId;
use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::binding;
use crate::core::config::{AccountConfig, Config, ProviderKind, TextDuration};
use crate::core::error::{Error, InputError, Result};
use crate::core::input::Setting;
use crate::core::provider::Provider;
use crate::core::secrets::Secrets;
use crate::core::state::Status;
use crate::core::store::Store;
pub(crate) use remove::{
    Orphans, finish_pending_removals, forget_everything, orphans, remove, remove_interrupted,
};
use settings::given_access;
pub(crate) use settings::{AccountSettings, GivenSecrets, check_secrets, validate};

/// New secrets written by `edit`: what the entry was (to put it back) and what it is now.
struct SecretsEdit {
    previous: Option<zeroize::Zeroizing<Vec<u8>>>,
    new: Secrets,
    refresh_changed: bool,
    is_static: bool,
}

/// `renova add`: validates, writes the keychain entry, then `accounts.toml` (deleting the
/// entry again if that fails).
pub(crate) async fn add(
    store: &Store,
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
    let config = store.config()?;
    if config.find(&account.name).is_some() {
        return Err(InputError::NameTaken(account.name.clone()).into());
    }
    let now = store.now();
    let (access_token, expires_at, obtained_at) =
        match given_access(&account, given.access_token, now)? {
            Some((t, exp)) => (Some(t), exp, Some(now)),
            None => (None, None, None),
        };
    let secrets = Secrets {
        client_secret: given.client_secret,
        refresh_token: given.refresh_token,
        access_token,
        expires_at,
        obtained_at,
        rev: 1,
        endpoints: Some(Provider::of(&account).endpoints()?),
    };
    let _guard = store.lock(&account).await?;
    // Noted first, so that an `add` killed between its two writes leaves a trace in this
    // profile: `doctor --fix` then deletes the entry, and never another profile's.
    store.update_state(&account.id, |a| a.adding = true);
    store.keychain().write(&account.id, &secrets).await?;
    let added = account.clone();
    let saved = Config::update(store.paths(), move |c| {
        if c.find(&added.name).is_some() {
            return Err(InputError::NameTaken(added.name.clone()).into());
        }
        c.accounts.push(added);
        Ok::<_, Error>(())
    });
    if let Err(e) = saved {
        if let Err(undo) = store.keychain().delete(&account.id).await {
            tracing::warn!("could not delete the keychain entry of the unsaved account: {undo}");
        }
        return Err(e);
    }
    store.mirror(&account.id, &secrets, |a| {
        a.adding = false;
        a.status = if secrets.refresh_token.is_some() || secrets.access_token.is_some() {
            Status::Ok
        } else {
            Status::NeedsAuthorization
        };
        a.refresh_token_used_at = secrets.refresh_token.as_ref().map(|_| now);
    });
    store.audit(
        &store
            .audit_entry(account.id, AuditAction::Add, AuditOutcome::Ok)
            .tokens(
                secrets.access_token.as_ref(),
                secrets.refresh_token.as_ref(),
            ),
    );
    Ok(account)
}

/// `renova edit`: changes settings (and, when given, the secrets) of an account. With new
/// secrets, the keychain entry is written under the account's lock and put back as it was
/// if `accounts.toml` then cannot be saved.
pub(crate) async fn edit(
    store: &Store,
    current: &AccountConfig,
    rename: Option<&str>,
    settings: &AccountSettings,
    given: Option<GivenSecrets>,
) -> Result<AccountConfig> {
    let config = store.config()?;
    let name = current.name.as_str();
    // Checked now, before any secret is written; applied again, under `config.lock`, to the
    // account as it is then, so that what others changed meanwhile stays.
    let edited = apply_edit(current, rename, settings);
    validate(&edited)?;
    if let Some(other) = config.find(&edited.name)
        && other.id != edited.id
    {
        return Err(InputError::NameTaken(edited.name.clone()).into());
    }
    // A static token and OAuth secrets are not each other's: a switch between the two takes
    // new secrets, and keeps nothing of the old ones.
    let switched = edited.provider.is_static() != current.provider.is_static();
    if switched && given.is_none() {
        return Err(if edited.provider.is_static() {
            InputError::BlankToken
        } else {
            InputError::BlankClientSecret
        }
        .into());
    }
    let id = current.id;
    // New secrets, or endpoints the user names (which bind the entry to them), change the
    // keychain entry: one writer at a time.
    // Endpoints the user names (or a new provider, which moves them all) are confirmed.
    let mut flags = settings.endpoint_settings();
    if edited.provider != current.provider {
        flags.push(Setting::Provider);
    }
    let _guard = if given.is_some() || !flags.is_empty() {
        Some(store.lock(current).await?)
    } else {
        None
    };
    let written = match given {
        Some(given) => {
            // Removed while we waited for the lock? Then there is nothing to edit.
            if store.config()?.by_id(&id).is_none_or(|a| a.pending_delete) {
                return Err(Error::NoSuchAccount(name.to_owned()));
            }
            Some(write_secrets(store, &edited, given, switched).await?)
        }
        None => None,
    };
    let edited = match save_settings(store, current, rename, settings) {
        Ok(saved) => saved,
        Err(e) => {
            if let Some(written) = written {
                put_back(store, id, written).await;
            }
            return Err(e);
        }
    };
    if let Some(written) = written {
        mirror_secrets(store, id, &written);
    }
    if !flags.is_empty() {
        let provider = Provider::of(&edited);
        let kinds: Vec<_> = flags
            .iter()
            .flat_map(|f| provider.endpoints_set_by(*f))
            .collect();
        binding::rebind_locked(store, &edited, &kinds).await?;
    }
    store.audit(&store.audit_entry(id, AuditAction::Edit, AuditOutcome::Ok));
    Ok(edited)
}

/// Writes the secrets an edit gives (the caller holds the account's lock). Blank fields keep
/// what is stored: a new refresh token alone keeps the client secret, a new client secret
/// alone keeps the refresh token.
async fn write_secrets(
    store: &Store,
    edited: &AccountConfig,
    given: GivenSecrets,
    switched: bool,
) -> Result<SecretsEdit> {
    let id = edited.id;
    let old_entry = store.keychain().read(&id).await?;
    let old = old_entry
        .as_ref()
        .map(|e| e.secrets.clone())
        .unwrap_or_default();
    // Switched between a static token and OAuth: only the count and the endpoints carry over.
    let old = if switched {
        Secrets {
            rev: old.rev,
            endpoints: old.endpoints,
            ..Secrets::default()
        }
    } else {
        old
    };
    let given = GivenSecrets {
        client_secret: given.client_secret.or(old.client_secret.clone()),
        ..given
    };
    check_secrets(edited, &given)?;
    // The same refresh token given again (the person pasted all three values) is no change:
    // the access token it earned still works and is kept.
    let refresh_changed = given.refresh_token.as_ref().is_some_and(|new| {
        old.refresh_token
            .as_ref()
            .is_none_or(|old| old.expose_secret() != new.expose_secret())
    });
    let now = store.now();
    let (access_token, expires_at, obtained_at) =
        match given_access(edited, given.access_token, now)? {
            Some((t, exp)) => (Some(t), exp, Some(now)),
            None if refresh_changed => (None, None, None),
            None => (old.access_token.clone(), old.expires_at, old.obtained_at),
        };
    let new = Secrets {
        client_secret: given.client_secret,
        refresh_token: given.refresh_token.or(old.refresh_token.clone()),
        access_token,
        expires_at,
        obtained_at,
        rev: old.rev + 1,
        // New secrets keep the endpoints the entry knew, unless the user named new ones
        // (bound once `accounts.toml` is saved). A new entry knows these.
        endpoints: match &old_entry {
            Some(_) => old.endpoints.clone(),
            None => Some(Provider::of(edited).endpoints()?),
        },
    };
    store.keychain().write(&id, &new).await?;
    Ok(SecretsEdit {
        previous: old_entry.map(|e| e.raw),
        new,
        refresh_changed,
        is_static: edited.provider.is_static(),
    })
}

/// Saves the edit to `accounts.toml`, applied under `config.lock` to the account as it is
/// there (what others changed meanwhile stays).
fn save_settings(
    store: &Store,
    current: &AccountConfig,
    rename: Option<&str>,
    settings: &AccountSettings,
) -> Result<AccountConfig> {
    let id = current.id;
    Config::update(store.paths(), |c| {
        let slot = c
            .accounts
            .iter()
            .find(|a| a.id == id && !a.pending_delete)
            .ok_or_else(|| Error::NoSuchAccount(current.name.clone()))?;
        let saved = apply_edit(slot, rename, settings);
        validate(&saved)?;
        if let Some(other) = c.find(&saved.name)
            && other.id != saved.id
        {
            return Err(InputError::NameTaken(saved.name.clone()).into());
        }
        if let Some(slot) = c.accounts.iter_mut().find(|a| a.id == id) {
            *slot = saved.clone();
        }
        Ok::<_, Error>(saved)
    })
}

/// `accounts.toml` could not be saved: the entry goes back to what it was.
async fn put_back(store: &Store, id: AccountId, written: SecretsEdit) {
    let undo = match written.previous {
        Some(raw) => store.keychain().write_raw(&id, raw).await,
        None => store.keychain().delete(&id).await,
    };
    if let Err(undo) = undo {
        tracing::warn!("could not put the keychain entry back: {undo}");
    }
}

/// New secrets are a new start: the mirror forgets the failures, and the audit log notes the
/// refresh token when it changed.
fn mirror_secrets(store: &Store, id: AccountId, written: &SecretsEdit) {
    let SecretsEdit {
        new,
        refresh_changed,
        is_static,
        ..
    } = written;
    let now = store.now();
    store.mirror(&id, new, |a| {
        a.status = if new.refresh_token.is_some() || (*is_static && new.access_token.is_some()) {
            Status::Ok
        } else {
            Status::NeedsAuthorization
        };
        a.clear_error();
        a.notified_at = None;
        a.failures = 0;
        a.retry_at = None;
        if *refresh_changed {
            a.refresh_token_used_at = Some(now);
        }
    });
    store.audit(
        &store
            .audit_entry(id, AuditAction::EditSecrets, AuditOutcome::Ok)
            .tokens(
                new.access_token.as_ref().filter(|_| *is_static),
                new.refresh_token.as_ref().filter(|_| *refresh_changed),
            ),
    );
}

/// `account` with the edit applied: the settings given, RD's 5-minute lead for an account
/// switched to CRM (unless it has its own), the new name.
fn apply_edit(
    account: &AccountConfig,
    rename: Option<&str>,
    settings: &AccountSettings,
) -> AccountConfig {
    let mut edited = account.clone();
    settings.apply(&mut edited);
    if edited.provider == ProviderKind::RdStationCrm
        && account.provider != ProviderKind::RdStationCrm
        && edited.lead_time.is_none()
    {
        edited.lead_time = Some(TextDuration(Provider::of(&edited).default_lead()));
    }
    if let Some(new_name) = rename {
        edited.name = new_name.trim().to_owned();
    }
    edited
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::core::clock::SystemClock;
    use crate::core::keychain::Keychain;
    use crate::core::paths::Paths;

    #[tokio::test]
    async fn an_edit_from_a_stale_copy_keeps_what_others_changed_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(
            Paths::under(dir.path()),
            Keychain::in_memory(),
            Arc::new(SystemClock),
        );
        let settings = AccountSettings {
            client_id: Some("fake-id".to_owned()),
            ..AccountSettings::default()
        };
        let given = GivenSecrets {
            client_secret: Some("fake-secret".into()),
            ..GivenSecrets::default()
        };
        let stale = add(&store, "loja", &settings, given).await.unwrap();
        // Meanwhile an authorization records its redirect URI, and another edit turns on Postman.
        Config::update(store.paths(), |c| {
            c.accounts[0].redirect_uri = Some("http://127.0.0.1:9999/callback".to_owned());
            Ok::<_, Error>(())
        })
        .unwrap();
        let postman = AccountSettings {
            postman_env: Some("12345678-abcd".to_owned()),
            ..AccountSettings::default()
        };
        edit(
            &store,
            &store.account("loja").unwrap(),
            None,
            &postman,
            None,
        )
        .await
        .unwrap();
        // A window that opened the account before both saves its own change.
        let off = AccountSettings {
            auto_refresh: Some(false),
            ..AccountSettings::default()
        };
        let saved = edit(&store, &stale, Some("loja-sp"), &off, None)
            .await
            .unwrap();
        let now = store.account("loja-sp").unwrap();
        assert_eq!(saved, now);
        assert!(!now.auto_refresh);
        assert_eq!(
            now.redirect_uri.as_deref(),
            Some("http://127.0.0.1:9999/callback")
        );
        assert_eq!(now.postman_env.as_deref(), Some("12345678-abcd"));
    }
}
