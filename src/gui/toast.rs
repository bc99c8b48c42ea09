//! The short message at the bottom of the window: what it says, and the widget that says it.

use std::sync::Arc;

use egui::Ui;
use jiff::Timestamp;

use crate::core::clock::seconds_until;
use crate::core::config::ProviderKind;
use crate::core::error::Error;
use crate::core::token_format::TokenFormat;
use crate::gui::style;
use crate::i18n::attention::copied_fallback;
use crate::i18n::{Lang, Surface, T, explain_for};

/// A short message at the bottom of the window.
#[derive(Debug, Clone)]
pub enum Toast {
    /// An account's token was copied; the clipboard clears at the first time. The second: the
    /// refresh before the copy failed, and the token copied works until then.
    Copied(String, TokenFormat, Timestamp, Option<Timestamp>),
    /// The clipboard was cleared.
    Cleared,
    /// An account was saved.
    Saved(String),
    /// The endpoint key (cleared at this time) or the Postman script (`None`) was copied.
    OtherCopied(Option<Timestamp>),
    /// Something failed that the account's card now explains.
    SeeCard(String),
    /// Credentials just saved worked (account, provider).
    Connected(String, ProviderKind),
    /// An account was removed.
    Removed(String),
    /// `check` answered.
    Checked(String, String),
    /// Something failed for an account.
    Failed(String, Arc<Error>),
    /// Settings were saved.
    SettingsSaved,
    /// An account was authorized.
    Authorized(String),
}

impl Toast {
    /// The toast's text at `now`.
    pub fn text(&self, lang: Lang, now: Timestamp) -> String {
        match self {
            Toast::Copied(name, format, clear_at, fallback_until) => {
                let seconds = seconds_until(now, *clear_at).max(0).to_string();
                let t = match format {
                    TokenFormat::Raw => T::ToastCopied,
                    TokenFormat::Header | TokenFormat::HeadersJson => T::ToastCopiedHeader,
                    TokenFormat::Curl => T::ToastCopiedCurl,
                };
                let mut text = t.fill(lang, &[("name", name), ("seconds", &seconds)]);
                if let Some(until) = fallback_until {
                    text.push_str(". ");
                    text.push_str(&copied_fallback(*until, now, lang));
                }
                text
            }
            Toast::Cleared => T::ToastCleared.tr(lang).to_owned(),
            Toast::Saved(name) => T::ToastSaved.fill(lang, &[("name", name)]),
            Toast::OtherCopied(Some(clear_at)) => {
                let seconds = seconds_until(now, *clear_at).max(0).to_string();
                T::ToastKeyCopied.fill(lang, &[("seconds", &seconds)])
            }
            Toast::OtherCopied(None) => T::ToastScriptCopied.tr(lang).to_owned(),
            Toast::SeeCard(name) => T::ToastSeeCard.fill(lang, &[("name", name)]),
            Toast::Connected(name, provider) => {
                let provider = match provider {
                    ProviderKind::OAuth2 => T::TheProvider.tr(lang),
                    _ => "RD Station",
                };
                T::ToastConnected.fill(lang, &[("name", name), ("provider", provider)])
            }
            Toast::Removed(name) => T::ToastRemoved.fill(lang, &[("name", name)]),
            Toast::Checked(name, account) => {
                T::ToastChecked.fill(lang, &[("name", name), ("account", account)])
            }
            Toast::Failed(name, error) => {
                let e = explain_for(Surface::Window, error, lang, name);
                if name.is_empty() {
                    e.line()
                } else {
                    T::ToastFailed.fill(lang, &[("name", name), ("what", &e.line())])
                }
            }
            Toast::SettingsSaved => T::SettingsSaved.tr(lang).to_owned(),
            Toast::Authorized(name) => T::ToastAuthorized.fill(lang, &[("name", name)]),
        }
    }

    /// Draws the toast line.
    pub fn show(&self, ui: &mut Ui, lang: Lang, now: Timestamp) {
        let color = match self {
            Toast::Failed(..) | Toast::SeeCard(_) => style::RED,
            _ => style::ACCENT,
        };
        style::banner_frame(color).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(self.text(lang, now));
        });
    }
}
