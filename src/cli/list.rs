//! `renova list [--json]`: from `accounts.toml` and `state.json` only, so it works while the
//! keychain is locked. No secrets.

use jiff::Timestamp;
use serde_json::json;

use crate::cli::{ListArgs, Out};
use crate::core::clock::{countdown, seconds_until};
use crate::core::config::ProviderKind;
use crate::core::error::Result;
use crate::core::provider::{Provider, RD_BASE_URL};
use crate::core::renova::{AccountSummary, Renova};
use crate::i18n::attention;
use crate::i18n::{Lang, T};

/// Runs the command.
pub(super) fn run(renova: &Renova, args: &ListArgs, out: &Out) -> Result<()> {
    let now = renova.now();
    let rows = renova.list(now)?;
    if args.json {
        out.line(&to_json(&rows).to_string())?;
        return Ok(());
    }
    if rows.is_empty() {
        out.note(T::NoAccounts.tr(out.lang));
        return Ok(());
    }
    let lang = out.lang;
    let header = [
        T::ListName.tr(lang).to_owned(),
        T::ListProvider.tr(lang).to_owned(),
        T::ListState.tr(lang).to_owned(),
        T::ListExpires.tr(lang).to_owned(),
        T::ListLastRefresh.tr(lang).to_owned(),
        T::ListAccountName.tr(lang).to_owned(),
    ];
    let mut table: Vec<[String; 6]> = vec![header];
    for r in &rows {
        table.push([
            r.account.name.clone(),
            r.account.provider.id().to_owned(),
            attention::state_text(&r.status, lang, now),
            match r.status.seconds_left {
                Some(left) => countdown(left),
                None if r.status.never_expires => T::NeverExpires.tr(lang).to_owned(),
                None => "-".to_owned(),
            },
            match r.state.last_refresh {
                // A static token is never refreshed.
                _ if !r.status.refreshable => "-".to_owned(),
                Some(t) => local_time(t),
                None => T::Never.tr(lang).to_owned(),
            },
            r.state
                .account_name
                .clone()
                .unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| {
            table
                .iter()
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &table {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.line(cells.join("  ").trim_end())?;
    }
    for r in &rows {
        if let Some(line) = last_failure(r, lang) {
            out.warn(&format!("{}: {line}", r.account.name));
        }
    }
    for r in rows.iter().filter(|r| r.status.refresh_token_ageing) {
        let days = r
            .state
            .refresh_token_used_at
            .map_or(0, |t| seconds_until(t, now) / 86_400);
        out.warn(&T::CrmIdle.fill(
            lang,
            &[("name", &r.account.name), ("days", &days.to_string())],
        ));
    }
    Ok(())
}

/// Why the account's last attempt failed, if it did (until the next success), with the time
/// and what to do.
pub(super) fn last_failure(r: &AccountSummary, lang: Lang) -> Option<String> {
    let stored = r.state.last_error.as_ref()?;
    let e = crate::i18n::explain(&stored.to_error(&r.account.name), lang, &r.account.name);
    let time = r
        .state
        .last_attempt
        .map_or_else(|| "-".to_owned(), local_time);
    Some(T::LastAttemptFailed.fill(lang, &[("time", &time), ("what", &e.what), ("fix", &e.fix)]))
}

/// A time in the local time zone, `YYYY-MM-DD HH:MM`.
pub(super) fn local_time(t: Timestamp) -> String {
    t.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The `list --json` document (README, "The command line").
pub(super) fn to_json(rows: &[AccountSummary]) -> serde_json::Value {
    let accounts: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let a = &r.account;
            let base_url = match a.provider {
                ProviderKind::OAuth2 => a.base_url.clone(),
                ProviderKind::RdStation | ProviderKind::RdStationCrm => {
                    Some(a.base_url.clone().unwrap_or_else(|| RD_BASE_URL.to_owned()))
                }
                _ => Provider::of(a).base_url().ok().map(|u| u.to_string()),
            };
            json!({
                "id": a.id.to_string(),
                "name": a.name,
                "provider": a.provider.id(),
                "client_id": a.client_id,
                "base_url": base_url,
                "auto_refresh": a.auto_refresh && r.status.refreshable,
                "refreshable": r.status.refreshable,
                "state": r.status.condition.as_str(),
                "expires_at": r.state.expires_at.map(|t| t.to_string()),
                "seconds_left": r.status.seconds_left,
                "last_refresh": r.state.last_refresh.map(|t| t.to_string()),
                "account_name": r.state.account_name,
                "attention": r.status.attention.map(|a| json!({
                    "cause": a.cause,
                    "action": a.action,
                    "next_try": r.status.next_try.map(|t| t.to_string()),
                })),
            })
        })
        .collect();
    json!({ "version": 1, "accounts": accounts })
}
