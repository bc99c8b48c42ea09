//! The window's widgets, one per file. Each draws from the snapshot and pushes
//! [`Action`](crate::gui::action::Action)s; none blocks, and none knows the app or the worker.

pub mod account_list;
pub mod banners;
pub mod card;
mod card_buttons;
mod compact;
pub mod confirm;
mod empty_state;
pub mod endpoint_settings;
pub mod logo;
pub mod modal;
pub mod row;
pub mod top_bar;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::gui::snapshot::Snapshot;
use crate::i18n::Lang;

pub use logo::logo;

/// What every widget draws from.
#[derive(Clone, Copy)]
pub struct ViewContext<'a> {
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
