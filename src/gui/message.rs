//! The messages between the UI thread and the worker, in a module of their own so that
//! neither side imports the other: the UI sends a [`Command`] and never waits; the worker
//! sends [`Event`]s back and wakes the UI. Nothing here holds a secret in a form that `Debug` would print.

use crate::core::config::Switch;
use crate::core::endpoint::probe::Holder;
use std::sync::Arc;

use jiff::Timestamp;
use zeroize::Zeroizing;

use crate::core::account::AccountId;
use crate::core::callback::WaitProblem;
use crate::core::config::Defaults;
use crate::core::error::Error;
use crate::core::postman::Sharing;
use crate::core::secrets::EndpointKind;
use crate::core::token_format::TokenFormat;
use crate::gui::draft::Draft;
use crate::gui::snapshot::Snapshot;
use crate::i18n::Lang;

/// What the UI asks the worker for.
#[derive(Debug)]
pub enum Command {
    /// Check the keychain again (the banner's Retry).
    RetryKeychain,
    /// Refresh now (the Refresh button).
    Refresh(AccountId),
    /// Copy a token (refreshing first if it is about to expire).
    Copy(AccountId, TokenFormat),
    /// Ask the provider for the account's name.
    Check(AccountId),
    /// Bind one endpoint of the account's keychain entry to this address.
    ConfirmEndpoint(AccountId, EndpointKind, String),
    /// Revoke at the provider and forget the tokens.
    Revoke(AccountId),
    /// Delete the account and its keychain entry.
    Remove(AccountId),
    /// Add or edit an account.
    Save(Box<Draft>),
    /// Save the `[defaults]` of `accounts.toml`.
    SaveDefaults(Defaults),
    /// Remove every account.
    ForgetEverything,
    /// The UI language changed (for notifications).
    SetLanguage(Lang),
    /// Start authorizing an account in the browser.
    Authorize(AccountId),
    /// A redirected address (or code) pasted into the authorization dialog.
    AuthorizePaste(AccountId, Zeroizing<String>),
    /// Stop waiting for the browser.
    CancelAuthorize(AccountId),
    /// Open a URL in the browser.
    OpenUrl(String),
    /// Check a Postman API key with Postman and store it (unless Postman refuses it).
    SetPostmanKey(Zeroizing<String>),
    /// Say whether a Postman API key is stored (answered with `Event::PostmanKeyStored`).
    QueryPostmanKey,
    /// Delete the stored Postman API key.
    RemovePostmanKey,
    /// Start `renova --demo` as a process of its own.
    StartDemo,
    /// Keep tokens fresh when the window is closed (start the agent at login and now), or not.
    SetBackground(Switch),
    /// Turn the local token endpoint on or off.
    SetEndpoint(Switch),
    /// Copy the endpoint's key (a secret: hinted, cleared like a token).
    CopyEndpointKey,
    /// Copy the Postman pre-request script for the endpoint.
    CopyPostmanScript,
    /// Copy the line that connects Claude Code to `renova mcp`.
    CopyMcpSetup,
    /// Ask who holds the endpoint's port (answered with `Event::EndpointHolder`).
    CheckEndpointPort,
    /// Ask Postman whether others can see this environment (answered with
    /// `Event::PostmanSharing`).
    CheckPostmanSharing(String),
    /// Close the window the normal way on SIGTERM, SIGINT or SIGHUP (logout, `kill`), so the
    /// clipboard is cleared as on any close.
    QuitOnSignals,
}

/// What happened, for the UI.
#[derive(Debug, Clone)]
pub enum Event {
    /// The new state of everything.
    Snapshot(Arc<Snapshot>),
    /// A token was copied; the clipboard clears at `clear_at`.
    Copied {
        /// Which account.
        id: AccountId,
        /// In which form.
        format: TokenFormat,
        /// When the clipboard will be cleared.
        clear_at: Timestamp,
        /// The refresh before the copy failed: the token copied is the one that still works,
        /// until then.
        fallback_until: Option<Timestamp>,
    },
    /// The clipboard was cleared (time up).
    ClipboardCleared,
    /// Postman environment (first) is in this workspace others can see (`None`: it is not,
    /// or Postman could not say).
    PostmanSharing(String, Option<Sharing>),
    /// Who answered on the endpoint's port (this one) when asked.
    EndpointHolder(u16, Holder),
    /// Something other than a token was copied: the endpoint key (cleared at this time) or the
    /// Postman script (`None`: not a secret, not cleared).
    OtherCopied(Option<Timestamp>),
    /// An operation the user asked for failed.
    Failed {
        /// Which account.
        id: AccountId,
        /// The error.
        error: Arc<Error>,
        /// `state.json` recorded it (a refresh's failure), so the account's card explains it.
        on_card: bool,
    },
    /// The dialog's account was saved.
    Saved {
        /// Its id.
        id: AccountId,
        /// Its name.
        name: String,
    },
    /// Credentials just saved worked: the provider gave a token for them.
    Connected {
        /// The account.
        name: String,
        /// Its provider.
        provider: crate::core::config::ProviderKind,
    },
    /// The dialog's account (or the settings) could not be saved.
    SaveFailed(Arc<Error>),
    /// `check` answered.
    Checked {
        /// Which account.
        id: AccountId,
        /// The provider's name for it.
        name: String,
    },
    /// An account was removed.
    Removed(String),
    /// An authorization is waiting for the browser.
    AuthorizeStarted {
        /// Which account.
        id: AccountId,
        /// The address to open.
        url: String,
        /// The redirect URI to register.
        redirect_uri: String,
        /// Whether a listener on this machine waits (else only a paste can finish).
        listens: bool,
    },
    /// Something arrived that did not finish the authorization; still waiting.
    AuthorizeProblem(AccountId, WaitProblem),
    /// The account is authorized.
    Authorized {
        /// Which account.
        id: AccountId,
        /// Its name.
        name: String,
    },
    /// The authorization failed.
    AuthorizeFailed(AccountId, Arc<Error>),
    /// The Postman key was checked: whose it is, or why not (stored unless refused).
    PostmanKey(Result<String, Arc<Error>>),
    /// Whether a Postman API key is in the keychain (`None`: the keychain could not say).
    PostmanKeyStored(Option<bool>),
    /// A signal asked the window to close.
    Quit,
}
