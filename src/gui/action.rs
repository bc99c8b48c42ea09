//! [`Action`]: everything a person can do in the window, as views report it. Views push
//! actions; [`crate::gui::app::RenovaApp`] turns each into UI-state changes and worker commands
//! in one place.

use zeroize::Zeroizing;

use crate::core::account::AccountId;
use crate::core::config::Defaults;
use crate::core::config::Switch;
use crate::core::secrets::EndpointKind;
use crate::core::token_format::TokenFormat;
use crate::gui::draft::Draft;
use crate::gui::list_order::ListOrder;
use crate::gui::prefs::ThemeChoice;
use crate::i18n::Lang;

/// Something destructive that is asked before it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Remove an account.
    Remove(AccountId),
    /// Revoke an account's tokens.
    Revoke(AccountId),
    /// Remove every account.
    ForgetEverything,
}

/// What a click (or a key) asks for.
#[derive(Debug)]
pub enum Action {
    /// Refresh an account now.
    Refresh(AccountId),
    /// Copy an account's token in a form.
    Copy(AccountId, TokenFormat),
    /// Ask the provider for the account's name.
    Check(AccountId),
    /// Authorize an account in the browser.
    Authorize(AccountId),
    /// Confirm that an account's endpoint now goes to this address (changed elsewhere).
    ConfirmEndpoint(AccountId, EndpointKind, String),
    /// Open the add dialog.
    OpenAdd,
    /// Open the edit dialog of an account.
    OpenEdit(AccountId),
    /// Open the edit dialog of a static token with its Token field focused, to paste a new
    /// one.
    ReplaceToken(AccountId),
    /// Save the add/edit dialog's valid input.
    Save(Box<Draft>),
    /// Close the add/edit dialog.
    CloseDialog,
    /// Ask before doing something destructive.
    Ask(Confirm),
    /// The answer to a question: go ahead (`true`) or not.
    Answer(Confirm, bool),
    /// Open the settings.
    OpenSettings,
    /// Close the settings.
    CloseSettings,
    /// Save the shared defaults (and close the settings).
    SaveDefaults(Defaults),
    /// Switch the language.
    SetLanguage(Lang),
    /// Switch the theme.
    SetTheme(ThemeChoice),
    /// Check and store a Postman API key.
    TestPostmanKey(Zeroizing<String>),
    /// Delete the stored Postman API key.
    RemovePostmanKey,
    /// A redirected address (or code) pasted into the authorization dialog.
    AuthorizePaste(AccountId, Zeroizing<String>),
    /// Open an address in the browser.
    OpenUrl(String),
    /// Close the authorization dialog (stopping the wait if it still runs).
    CloseAuthorize,
    /// Check the keychain again.
    RetryKeychain,
    /// Start `renova --demo` in a new process.
    StartDemo,
    /// The Settings switch "Keep tokens fresh when Renova is closed".
    SetBackground(Switch),
    /// Put the cursor in the filter (Ctrl+F).
    FocusFilter,
    /// Settings' switch "Serve tokens to programs on this computer".
    SetEndpoint(Switch),
    /// Copy the endpoint key.
    CopyEndpointKey,
    /// Copy the Postman pre-request script.
    CopyPostmanScript,
    /// Copy the line that connects Claude Code to `renova mcp`.
    CopyMcpSetup,
    /// Check who holds the endpoint's port.
    CheckEndpointPort,
    /// Ask whether others can see a Postman environment (the edit dialog).
    CheckPostmanSharing(String),
    /// Order the list.
    SetOrder(ListOrder),
    /// One line per account (`true`) or cards.
    SetCompact(bool),
}
