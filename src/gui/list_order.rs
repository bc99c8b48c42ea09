//! The order and the summary of an agency's list: accounts that need attention first, then by
//! time left (or by name, as the person chooses); "12 accounts · 2 need attention"; and a filter
//! that ignores case and accents ("goiania" finds "Goiânia"). Pure: tested without a window.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::core::account::fold;
use crate::core::config::AccountConfig;
use crate::gui::snapshot::Snapshot;

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ListOrder {
    /// Accounts that need attention first, then the least time left.
    #[default]
    Attention,
    /// By name.
    Name,
}

/// An account needs the person: the core's attention rule says so.
fn needs_attention(snapshot: &Snapshot, account: &AccountConfig, now: Timestamp) -> bool {
    snapshot.status(account, now).attention.is_some()
}

fn matches(snapshot: &Snapshot, account: &AccountConfig, filter: &str) -> bool {
    let rd_name = snapshot
        .state
        .get(&account.id)
        .account_name
        .unwrap_or_default();
    fold(&account.name).contains(filter)
        || fold(&rd_name).contains(filter)
        || account.provider.id().contains(filter)
}

/// What the list shows.
pub(crate) struct Arranged<'a> {
    /// The accounts shown, in order.
    pub shown: Vec<&'a AccountConfig>,
    /// How many accounts there are (filtered or not).
    pub total: usize,
    /// How many of them need attention.
    pub attention: usize,
}

/// The accounts that match `filter`, in `order`.
pub(crate) fn arrange<'a>(
    snapshot: &'a Snapshot,
    filter: &str,
    order: ListOrder,
    now: Timestamp,
) -> Arranged<'a> {
    let all = snapshot.accounts();
    let total = all.len();
    let attention = all
        .iter()
        .filter(|a| needs_attention(snapshot, a, now))
        .count();
    let filter = fold(filter.trim());
    let mut shown: Vec<(&AccountConfig, (bool, i64, String))> = all
        .into_iter()
        .filter(|a| filter.is_empty() || matches(snapshot, a, &filter))
        .map(|a| {
            let (calm, left) = snapshot.status(a, now).attention_rank();
            (a, (calm, left, fold(&a.name)))
        })
        .collect();
    match order {
        ListOrder::Attention => shown.sort_by(|(_, a), (_, b)| a.cmp(b)),
        ListOrder::Name => shown.sort_by(|(_, a), (_, b)| a.2.cmp(&b.2)),
    }
    Arranged {
        shown: shown.into_iter().map(|(a, _)| a).collect(),
        total,
        attention,
    }
}

/// The list as it was (`held`), for as long as reordering it would move what is under the
/// pointer: accounts still shown keep their places, in `held`'s order; accounts not in it
/// come after, in `fresh`'s order.
pub(crate) fn hold<'a>(
    fresh: Vec<&'a AccountConfig>,
    held: &[crate::core::account::AccountId],
) -> Vec<&'a AccountConfig> {
    let place = |a: &AccountConfig| held.iter().position(|id| *id == a.id).unwrap_or(usize::MAX);
    let mut kept = fresh;
    // A stable sort: the accounts `held` does not know keep `fresh`'s order among themselves.
    kept.sort_by_key(|a| place(a));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{Config, ProviderKind};
    use crate::core::state::{AccountState, Status};

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn snapshot(accounts: &[(&str, Option<&str>, Status)]) -> Snapshot {
        let mut config = Config::default();
        let mut snap = Snapshot::default();
        for (name, expires, status) in accounts {
            let a = AccountConfig::new(name, ProviderKind::RdStation, "fake-id");
            snap.state.accounts.insert(
                a.id,
                AccountState {
                    expires_at: expires.map(at),
                    status: *status,
                    has_refresh_token: true,
                    ..AccountState::default()
                },
            );
            config.accounts.push(a);
        }
        snap.config = Some(config);
        snap
    }

    fn names(a: &Arranged<'_>) -> Vec<String> {
        a.shown.iter().map(|a| a.name.clone()).collect()
    }

    #[test]
    fn attention_first_then_time_left_or_by_name() {
        let now = at("2026-12-01T12:00:00Z");
        let snap = snapshot(&[
            ("zeta", Some("2026-12-02T11:00:00Z"), Status::Ok),
            ("alfa", Some("2026-12-01T13:00:00Z"), Status::Ok),
            (
                "broken",
                Some("2026-12-02T10:00:00Z"),
                Status::NeedsAuthorization,
            ),
            ("old", Some("2026-12-01T11:00:00Z"), Status::Ok),
            ("goiânia", Some("2026-12-01T20:00:00Z"), Status::Failing),
        ]);
        let a = arrange(&snap, "", ListOrder::Attention, now);
        assert_eq!(names(&a), ["old", "goiânia", "broken", "alfa", "zeta"]);
        assert_eq!((a.total, a.attention), (5, 3));
        let a = arrange(&snap, "", ListOrder::Name, now);
        assert_eq!(names(&a), ["alfa", "broken", "goiânia", "old", "zeta"]);
    }

    #[test]
    fn the_filter_ignores_case_and_accents() {
        let now = at("2026-12-01T12:00:00Z");
        let snap = snapshot(&[
            ("Goiânia-Centro", Some("2026-12-02T11:00:00Z"), Status::Ok),
            ("sao-paulo", Some("2026-12-02T11:00:00Z"), Status::Ok),
        ]);
        for filter in ["goiania", "GOIÂNIA", " Goiân "] {
            let a = arrange(&snap, filter, ListOrder::Attention, now);
            assert_eq!(names(&a), ["Goiânia-Centro"], "{filter}");
            assert_eq!(a.total, 2);
        }
        assert_eq!(fold("São Paulo Ação"), "sao paulo acao");
    }

    #[test]
    fn a_held_list_keeps_its_places_and_puts_newcomers_last() {
        let a = AccountConfig::new("a", ProviderKind::RdStation, "fake-id");
        let b = AccountConfig::new("b", ProviderKind::RdStation, "fake-id");
        let c = AccountConfig::new("c", ProviderKind::RdStation, "fake-id");
        let d = AccountConfig::new("d", ProviderKind::RdStation, "fake-id");
        // b jumped to the top and d is new; c is gone (filtered out).
        let fresh = vec![&b, &d, &a];
        let held = [a.id, b.id, c.id];
        let names: Vec<&str> = hold(fresh, &held).iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "d"]);
    }
}
