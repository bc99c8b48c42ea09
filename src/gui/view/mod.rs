//! The window's widgets, one per file. Each draws from the snapshot and pushes
//! [`Action`](crate::gui::action::Action)s; none blocks, and none knows the app or the worker.

pub(crate) mod account_list;
pub(crate) mod banners;
pub(crate) mod card;
mod card_buttons;
mod compact;
pub(crate) mod confirm;
mod empty_state;
pub(crate) mod endpoint_settings;
pub(crate) mod logo;
pub(crate) mod modal;
pub(crate) mod row;
pub(crate) mod top_bar;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::gui::snapshot::Snapshot;
use crate::i18n::Lang;

pub(crate) use logo::logo;

/// What every widget draws from.
#[derive(Clone, Copy)]
pub(crate) struct ViewContext<'a> {
    /// The worker's latest snapshot.
    pub snapshot: &'a Snapshot,
    /// The language.
    pub lang: Lang,
    /// The time countdowns count from.
    pub now: Timestamp,
    /// `accounts.toml` cannot be used: nothing may change.
    pub read_only: bool,
    /// This is `renova --demo`.
    pub demo: bool,
    /// The account just added or saved (scrolled into view and outlined for a moment).
    pub highlight: Option<AccountId>,
}
