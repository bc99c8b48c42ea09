//! The window's own state, never persisted: what is open (a dialog, the settings, a question,
//! the authorization), the filter, the toast, and each card's last height.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::gui::action::Confirm;
use crate::gui::authorize::AuthorizeState;
use crate::gui::dialog::DialogState;
use crate::gui::settings::SettingsState;
use crate::gui::toast::Toast;

/// The window's own state.
#[derive(Default)]
pub struct UiState {
    /// The filter box.
    pub filter: String,
    /// Put the cursor in the filter on the next frame (Ctrl+F).
    pub focus_filter: bool,
    /// The add/edit dialog, when open.
    pub dialog: Option<DialogState>,
    /// The settings, when open.
    pub settings: Option<SettingsState>,
    /// A question, when asked.
    pub confirm: Option<Confirm>,
    /// The current toast and when it goes.
    pub toast: Option<(Toast, Timestamp)>,
    /// The authorization dialog, when open.
    pub authorize: Option<AuthorizeState>,
    /// The account just added or saved, outlined until then.
    pub highlight: Option<(AccountId, Timestamp)>,
    /// Scroll the list to this account on the next frame.
    pub scroll_to: Option<AccountId>,
    /// Each card's height when last drawn (cards out of view are not drawn).
    pub card_heights: HashMap<AccountId, f32>,
}

impl UiState {
    /// A dialog, the settings, a question or the authorization is open (the list's shortcuts
    /// are off).
    pub fn modal_open(&self) -> bool {
        self.dialog.is_some()
            || self.settings.is_some()
            || self.confirm.is_some()
            || self.authorize.is_some()
    }
}
