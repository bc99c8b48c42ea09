//! The window's widgets, one per file. Each draws from the snapshot and pushes
//! [`Action`](crate::gui::action::Action)s; none blocks, and none knows the app or the worker.

pub mod account_list;
pub mod banners;
pub mod card;
mod card_buttons;
pub mod confirm;
mod empty_state;
pub mod logo;
pub mod top_bar;

use jiff::Timestamp;

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
}

/// A time as the user reads it: `14:02` today, else `2026-11-25 14:02`.
pub fn short_time(t: Timestamp, now: Timestamp) -> String {
    let tz = jiff::tz::TimeZone::system();
    let zt = t.to_zoned_datetime(tz.clone());
    let zn = now.to_zoned_datetime(tz);
    if zt.date() == zn.date() {
        zt.strftime("%H:%M").to_string()
    } else {
        zt.strftime("%Y-%m-%d %H:%M").to_string()
    }
}
