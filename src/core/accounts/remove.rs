//! Removing accounts: `remove` marks the account, deletes its entry, then drops it (an
//! interrupted removal is finished at the next start); "Forget everything"; the entries an
//! interrupted `add` left.

use crate::core::account::AccountId;
use crate::core::audit::{AuditAction, AuditOutcome};
use crate::core::config::{AccountConfig, Config};
use crate::core::error::{Error, Result};
use crate::core::store::Store;

/// Keychain entries of the `renova` service that no account of this profile uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Orphans {
    /// Left by an `add` of this profile that was interrupted between its two writes.
    pub interrupted: Vec<AccountId>,
    /// Entries this profile knows nothing of: another profile's (`XDG_CONFIG_HOME`), or left
    /// when this profile's files were deleted. Never deleted for the user.
    pub unknown: Vec<String>,
}

/// Finds the keychain entries no account of this profile uses.
pub(crate) async fn orphans(store: &Store) -> Result<Orphans> {
    let config = store.config()?;
    let state = store.state();
    let reserved = [
        crate::core::postman::KEY_USER,
        crate::core::keychain::PROBE_USER,
    ];
    let mut found = Orphans::default();
    for user in store.keychain().users().await? {
        if reserved.contains(&user.as_str()) {
            continue;
        }
        match user.parse::<uuid::Uuid>().map(AccountId) {
            Ok(id) if config.by_id(&id).is_some() => {}
            Ok(id) if state.get(&id).adding => found.interrupted.push(id),
            _ => found.unknown.push(user),
        }
    }
    Ok(found)
}

/// Deletes the entry an interrupted `add` of this profile left, under the account's lock and
/// only if, under it, there is still no such account (an `add` running now is waited for).
pub(crate) async fn remove_interrupted(store: &Store, id: &AccountId) -> Result<bool> {
    let _guard = store.lock_id(id, &id.to_string()).await?;
    let still_orphan = store.config()?.by_id(id).is_none() && store.state().get(id).adding;
    if !still_orphan {
        return Ok(false);
    }
    store.keychain().delete(id).await?;
    if let Err(e) = crate::core::state::State::update(store.paths(), |s| s.accounts.remove(id)) {
        tracing::warn!("could not update state.json: {e}");
    }
    store.audit(&store.audit_entry(*id, AuditAction::RemoveOrphan, AuditOutcome::Ok));
    Ok(true)
}

/// `renova remove`: marks the account, deletes its entry, drops it.
pub(crate) async fn remove(store: &Store, account: &AccountConfig) -> Result<AccountId> {
    let id = account.id;
    Config::update(store.paths(), |c| {
        if let Some(a) = c.accounts.iter_mut().find(|a| a.id == id) {
            a.pending_delete = true;
        }
        Ok::<_, Error>(())
    })?;
    finish_removal(store, account).await?;
    Ok(id)
}

/// "Forget everything": removes every account and its keychain entry.
pub(crate) async fn forget_everything(store: &Store) -> Result<usize> {
    let config = store.config()?;
    let mut removed = 0;
    for account in config.visible() {
        remove(store, account).await?;
        removed += 1;
    }
    Ok(removed)
}

/// Finishes removals that were interrupted: deletes the entry, then the account.
pub(crate) async fn finish_pending_removals(store: &Store) {
    let Ok(config) = store.config() else { return };
    for account in config.accounts.iter().filter(|a| a.pending_delete) {
        if let Err(e) = finish_removal(store, account).await {
            tracing::warn!("could not finish removing `{}`: {e}", account.name);
        }
    }
}

async fn finish_removal(store: &Store, account: &AccountConfig) -> Result<()> {
    let _guard = store.lock(account).await?;
    store.keychain().delete(&account.id).await?;
    let id = account.id;
    Config::update(store.paths(), |c| {
        c.accounts.retain(|a| a.id != id);
        Ok::<_, Error>(())
    })?;
    if let Err(e) = crate::core::state::State::update(store.paths(), |s| s.accounts.remove(&id)) {
        tracing::warn!("could not update state.json: {e}");
    }
    store.audit(&store.audit_entry(id, AuditAction::Remove, AuditOutcome::Ok));
    Ok(())
}
