//! `--expires-at` and `--expires-in`: when a static token expires, for `add` and
//! `edit --secrets`, when the token does not say so itself (a JWT's `exp`).

use std::time::Duration;

use clap::Args;

use crate::cli::parse_duration_arg;
use crate::core::error::{InputError, Result};

/// When a static token expires, when it does not say so itself (a JWT's `exp`).
#[derive(Debug, Args)]
pub struct ExpiryFlags {
    /// A static token expires at this time (2027-01-31, or 2027-01-31T12:00:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_time_arg, conflicts_with = "expires_in")]
    pub expires_at: Option<jiff::Timestamp>,
    /// A static token expires this long from now (90d, 12h).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_arg)]
    pub expires_in: Option<Duration>,
}

impl ExpiryFlags {
    /// The expiry given, at `now`; an error when one is given for an account that is not a
    /// static token.
    pub(super) fn at(
        &self,
        now: jiff::Timestamp,
        is_static: bool,
    ) -> Result<Option<jiff::Timestamp>> {
        let at = self
            .expires_at
            .or_else(|| self.expires_in.map(|d| crate::core::clock::add(now, d)))
            // Whole seconds, as a JWT's `exp` and the other times Renova writes.
            .map(|t| jiff::Timestamp::from_second(t.as_second()).unwrap_or(t));
        if at.is_some() && !is_static {
            return Err(InputError::ExpiryNotForThis.into());
        }
        Ok(at)
    }
}

/// `--expires-at`: an RFC 3339 time, or a date (midnight UTC).
fn parse_time_arg(s: &str) -> std::result::Result<jiff::Timestamp, String> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    s.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| format!("`{s}` is not a time like 2027-01-31 or 2027-01-31T12:00:00Z"))
}
