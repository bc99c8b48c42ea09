//! The dialog's checks, made the way the core makes them, before anything is sent to the
//! worker; and which field an error the worker sent back belongs under.

use std::sync::Arc;

use crate::core::account::fold;
use crate::core::accounts::{self, AccountSettings};
use crate::core::config::AccountConfig;
use crate::core::error::{Error, InputError};
use crate::core::pasted::clean_pasted;
use crate::gui::dialog::DialogState;
use crate::gui::draft::Draft;
use crate::gui::snapshot::Snapshot;

/// A field of the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Name.
    Name,
    /// Client id.
    ClientId,
    /// Client secret.
    ClientSecret,
    /// Refresh token.
    RefreshToken,
    /// A static token.
    StaticToken,
    /// Base URL.
    BaseUrl,
}

/// An error, shown under its field (or under the form when it has none).
pub(crate) type FieldError = (Option<Field>, Arc<Error>);

/// The field an error from the worker belongs under.
pub(crate) fn field_of(error: &Error) -> Option<Field> {
    match error {
        Error::Input(InputError::BadName(_) | InputError::NameTaken(_)) => Some(Field::Name),
        Error::Input(InputError::BadClientId) => Some(Field::ClientId),
        Error::Input(InputError::BlankClientSecret) => Some(Field::ClientSecret),
        Error::Input(InputError::BadToken | InputError::BlankToken) => Some(Field::RefreshToken),
        Error::Input(InputError::TokenAlreadyExpired(_)) => Some(Field::StaticToken),
        Error::Input(InputError::BadUrl { .. }) => Some(Field::BaseUrl),
        _ => None,
    }
}

impl DialogState {
    /// Checks again after each change: a field's errors show once it has been typed in (all
    /// of them after a Save), and go as soon as the input is fixed.
    /// Returns whether the errors changed (the dialog's layout then moves).
    pub(super) fn check_as_typed(&mut self, before: &Draft, snapshot: &Snapshot) -> bool {
        let d = &self.draft;
        let changed = [
            (Field::Name, d.name != before.name),
            (Field::ClientId, d.client_id != before.client_id),
            (
                Field::ClientSecret,
                *d.client_secret != *before.client_secret,
            ),
            (
                Field::RefreshToken,
                *d.refresh_token != *before.refresh_token,
            ),
            (Field::BaseUrl, d.base_url != before.base_url),
            (Field::StaticToken, *d.static_token != *before.static_token),
        ];
        let mut any = d.provider != before.provider;
        for (field, changed) in changed {
            if changed {
                any = true;
                if !self.touched.contains(&field) {
                    self.touched.push(field);
                }
            }
        }
        if !any || self.saving {
            return false;
        }
        let (tried, touched) = (self.tried, &self.touched);
        let errors: Vec<FieldError> = self
            .validate(snapshot)
            .into_iter()
            .filter(|(f, _)| tried || f.is_some_and(|f| touched.contains(&f)))
            .collect();
        let same = errors.len() == self.errors.len()
            && errors
                .iter()
                .zip(&self.errors)
                .all(|(a, b)| a.0 == b.0 && a.1.to_string() == b.1.to_string());
        self.errors = errors;
        !same
    }

    /// A valid name made from an invalid one ("Loja SP" → "loja-sp"), to offer.
    pub(super) fn name_offer(&self) -> Option<String> {
        let typed = self.draft.name.trim();
        // RD's JSON answer typed into the name is taken out after drawing: never offer it.
        if typed.is_empty()
            || crate::core::account::validate_name(typed).is_ok()
            || crate::core::pasted::parse_rd_answer(typed).is_some()
        {
            return None;
        }
        let mut slug = String::new();
        for c in fold(typed).chars() {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                slug.push(c);
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug: String = slug
            .trim_matches(|c| matches!(c, '-' | '.' | '_'))
            .chars()
            .take(64)
            .collect();
        crate::core::account::validate_name(&slug)
            .is_ok()
            .then_some(slug)
    }

    /// Checks the input the way the core will, before anything is sent.
    pub fn validate(&self, snapshot: &Snapshot) -> Vec<FieldError> {
        let mut errors = Vec::new();
        // The account as it will be: the one being edited (or a new one), with the form's
        // changes and name.
        let mut account =
            self.draft.original.clone().unwrap_or_else(|| {
                AccountConfig::new(self.draft.name.trim(), self.draft.provider, "")
            });
        account.name = self.draft.name.trim().to_owned();
        let settings: AccountSettings = self.draft.account_settings();
        settings.apply(&mut account);
        let input_error = |e: InputError| Arc::new(Error::Input(e));
        if let Err(e) = crate::core::account::validate_name(&account.name) {
            errors.push((Some(Field::Name), input_error(e)));
        } else if let Some(other) = snapshot.config.as_ref().and_then(|c| c.find(&account.name))
            && Some(other.id) != self.draft.editing
        {
            errors.push((
                Some(Field::Name),
                input_error(InputError::NameTaken(account.name.clone())),
            ));
        }
        if (account.client_id.is_empty() && !account.provider.is_static())
            || account
                .client_id
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            errors.push((Some(Field::ClientId), input_error(InputError::BadClientId)));
        }
        if let Some(url) = &account.base_url
            && let Err(e) =
                crate::core::http::checked_url(crate::core::input::Setting::BaseUrl, url)
        {
            errors.push((Some(Field::BaseUrl), input_error(e)));
        }
        if errors.is_empty()
            && let Err(e) = accounts::validate(&account)
        {
            errors.push((None, input_error(e)));
        }
        if account.provider.is_static() {
            let token = clean_pasted(&self.draft.static_token);
            if self.draft.editing.is_none() && token.is_empty() {
                errors.push((
                    Some(Field::StaticToken),
                    input_error(InputError::BlankToken),
                ));
            } else if !token.is_empty() && !crate::core::secrets::token_is_plain(token) {
                errors.push((Some(Field::StaticToken), input_error(InputError::BadToken)));
            }
            // An expiry already past is the worker's to say (it knows the time).
            return errors;
        }
        let secret_blank = clean_pasted(&self.draft.client_secret).is_empty();
        if self.draft.editing.is_none() && account.needs_client_secret() && secret_blank {
            errors.push((
                Some(Field::ClientSecret),
                input_error(InputError::BlankClientSecret),
            ));
        }
        errors
    }
}
