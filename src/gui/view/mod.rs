//! The window's widgets, one per file. Each draws from the snapshot and pushes
//! [`Action`](crate::gui::action::Action)s; none blocks, and none knows the app or the worker.

pub(crate) mod a11y;
pub(crate) mod account_list;
pub(crate) mod banners;
pub(crate) mod card;
mod card_buttons;
mod compact;
pub(crate) mod confirm;
pub(crate) mod duration_field;
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
    /// Countdowns show seconds (the window has the focus); else whole minutes, redrawn once a
    /// minute.
    pub seconds: bool,
}

impl ViewContext<'_> {
    /// A countdown at the precision the window shows now: `HH:MM:SS` while it has the focus,
    /// else the whole minutes left ("3 h 25 min"; never more than there is), redrawn once a
    /// minute.
    pub(crate) fn countdown(&self, seconds_left: i64) -> String {
        // Days away (a static token's weeks): in words, to the minute, focus or not.
        let days_away = seconds_left >= crate::core::clock::DAYS_AWAY;
        // Nothing left does not change: 00:00:00 either way.
        if (self.seconds && !days_away) || seconds_left <= 0 {
            return crate::core::clock::countdown(seconds_left);
        }
        if seconds_left < 60 {
            return crate::i18n::T::UnderAMinute.tr(self.lang).to_owned();
        }
        let whole = seconds_left / 60 * 60;
        crate::i18n::time::duration(
            std::time::Duration::from_secs(whole.unsigned_abs()),
            self.lang,
        )
    }
}
