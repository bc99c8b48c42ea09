//! `check`: asks the provider whose account the token belongs to, and remembers the answer in
//! `state.json`. On a 401 the token is refreshed once and the call repeated (RD cannot tell an
//! expired access token from an invalid one).

use std::time::Duration;

use crate::core::binding;
use crate::core::config::AccountConfig;
use crate::core::context::Context;
use crate::core::error::{Error, Result};
use crate::core::provider::Provider;
use crate::core::refresh::{self, token_for};

/// How long the token used for a check must stay valid.
const CHECK_MIN_VALID: Duration = Duration::from_secs(60);

/// The account's name at the provider.
pub(crate) async fn check(cx: &Context, account: &AccountConfig) -> Result<String> {
    let account = &cx.store.current(account)?;
    let provider = Provider::of(account);
    if provider.check_url()?.is_none() {
        return Err(Error::Unsupported {
            operation: "check",
            provider: account.provider.id(),
        });
    }
    // The access token goes to the check endpoint: it must be one the entry knows.
    let entry = cx.store.read_entry(account).await?;
    binding::verified(&cx.store, account, &entry.secrets)?;
    let token = token_for(cx, account, CHECK_MIN_VALID).await?;
    let mut result = provider.check(&cx.http, &token.token, cx.store.now()).await;
    // A static token cannot be refreshed: its 401 is the answer.
    if matches!(&result, Err(e) if e.status == Some(401))
        && !token.refreshed
        && !account.provider.is_static()
    {
        let policy = refresh::force(cx, account).await;
        let fresh = refresh::refresh_account(cx, account, policy).await?;
        if let Some(at) = fresh.secrets.access_token.as_ref() {
            result = provider.check(&cx.http, at, cx.store.now()).await;
        }
    }
    let account_name = match result {
        // A static token refused: the person pastes a new one (authorizing does nothing).
        Err(e) if e.is_permanent() && account.provider.is_static() => {
            return Err(Error::StaticRefused {
                name: account.name.clone(),
                said: e.to_string(),
            });
        }
        other => other?,
    };
    let shown = account_name.clone();
    cx.store
        .update_state(&account.id, |a| a.account_name = Some(shown));
    Ok(account_name)
}
