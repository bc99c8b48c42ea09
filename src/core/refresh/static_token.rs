//! A static token handed out: as stored, never refreshed; refused once expired.

use std::time::Duration;

use jiff::Timestamp;

use crate::core::clock::seconds_until;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, Result};
use crate::core::refresh::{TokenOutcome, outcome_from};
use crate::core::secrets::Secrets;

/// A static token, as stored: never refreshed. Past its expiry it is refused (the person
/// pastes a new one); with less than `min_valid` left it is given, said to be short.
pub(super) fn given(
    account: &AccountConfig,
    secrets: &Secrets,
    min_valid: Duration,
    now: Timestamp,
) -> Result<TokenOutcome> {
    if let Some(at) = secrets.expires_at.filter(|at| *at <= now) {
        return Err(Error::StaticExpired {
            name: account.name.clone(),
            at,
        });
    }
    let short = secrets
        .expires_at
        .is_some_and(|at| seconds_until(now, at) < min_valid.as_secs() as i64);
    outcome_from(account, secrets, false, short)
}
