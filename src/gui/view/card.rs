//! One account's card: name, provider badge and account name; the state chip and the … menu;
//! the countdown with expiry and last-refresh times; Copy (▾ for other forms) and Refresh, or
//! "Authorize in browser" when that is what it needs; the last failure from `state.json`,
//! explained in the window's language; Postman's sync line; the draining bar.

use egui::{Align, Layout, RichText, Ui};

use crate::core::clock::{countdown, seconds_until};
use crate::core::config::AccountConfig;
use crate::core::error::{AuthReason, Error, InputError};
use crate::core::postman::target;
use crate::core::secrets::EndpointKind;
use crate::core::state::{AccountState, StoredError};
use crate::gui::action::Action;
use crate::gui::snapshot::{Busy, CardState, card_status};
use crate::gui::style;
use crate::gui::view::card_buttons::{card_menu, copy_buttons};
use crate::gui::view::{ViewContext, short_time};
use crate::i18n::{Lang, Surface, T, explain_for};

fn state_text(state: &CardState, lang: Lang) -> String {
    match state {
        CardState::Valid => T::StateValid.tr(lang).to_owned(),
        CardState::Expiring => T::StateExpiring.tr(lang).to_owned(),
        CardState::Expired => T::StateExpired.tr(lang).to_owned(),
        CardState::NeedsAuthorization => T::StateNeedsAuth.tr(lang).to_owned(),
        CardState::KeychainError => T::StateKeychainError.tr(lang).to_owned(),
        CardState::Retrying(s) => T::StateRetrying.fill(lang, &[("seconds", &s.to_string())]),
        CardState::Busy(b) => match b {
            Busy::Refreshing => T::StateRefreshing,
            Busy::Copying => T::StateCopying,
            Busy::Checking => T::StateChecking,
            Busy::Revoking => T::StateRevoking,
            Busy::Removing => T::StateRemoving,
            Busy::Authorizing => T::StateAuthorizing,
            Busy::Confirming => T::StateConfirming,
        }
        .tr(lang)
        .to_owned(),
    }
}

/// Draws one card; returns its height.
pub fn card(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    account: &AccountConfig,
    actions: &mut Vec<Action>,
) -> f32 {
    let (lang, now) = (cx.lang, cx.now);
    let id = account.id;
    let mirror = cx.snapshot.state.get(&id);
    let status = card_status(
        &cx.snapshot.status(account, now),
        cx.snapshot.busy.get(&id).copied(),
        now,
    );
    let color = style::state_color(&status.state);
    let busy = matches!(status.state, CardState::Busy(_));
    let has_token = mirror.expires_at.is_some_and(|e| e > now) || mirror.has_refresh_token;
    let frame = style::card_frame(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.push_id(id, |ui| {
            // Name, provider, the provider's name for the account … state, menu.
            ui.horizontal(|ui| {
                ui.label(RichText::new(&account.name).size(17.0).strong());
                style::provider_badge(ui, account.provider, lang);
                if let Some(rd_name) = &mirror.account_name {
                    ui.label(RichText::new(rd_name).weak());
                }
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    card_menu(ui, id, busy || cx.read_only, lang, actions);
                    style::pill(ui, &state_text(&status.state, lang), color);
                    if busy {
                        ui.spinner();
                    }
                });
            });
            // Countdown, times … Copy, Refresh.
            ui.horizontal(|ui| {
                let left = status.seconds_left.unwrap_or(0);
                let shade = if left > 0 {
                    ui.visuals().strong_text_color()
                } else {
                    style::RED
                };
                ui.label(
                    RichText::new(countdown(left))
                        .monospace()
                        .size(28.0)
                        .color(shade),
                );
                ui.vertical(|ui| times(ui, account, &mirror, lang, now));
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    let can_act = !busy && !cx.read_only;
                    if status.state == CardState::NeedsAuthorization {
                        let button =
                            egui::Button::new(RichText::new(T::AuthInBrowser.tr(lang)).strong())
                                .fill(style::ACCENT.gamma_multiply(0.35));
                        if ui.add_enabled(can_act, button).clicked() {
                            actions.push(Action::Authorize(id));
                        }
                        return;
                    }
                    let refresh = egui::Button::new(format!("↻ {}", T::Refresh.tr(lang)));
                    if ui.add_enabled(can_act && has_token, refresh).clicked() {
                        actions.push(Action::Refresh(id));
                    }
                    copy_buttons(ui, id, can_act && has_token, lang, actions);
                });
            });
            if let Some(message) = card_message(account, &mirror, &status.state, lang) {
                ui.label(RichText::new(message).color(color).small());
            }
            if let Some((kind, url)) = endpoint_changed(&mirror) {
                let confirm = egui::Button::new(T::ConfirmEndpoint.tr(lang));
                if ui
                    .add_enabled(!busy && !cx.read_only, confirm)
                    .on_hover_text(T::ConfirmEndpointHint.fill(lang, &[("url", url)]))
                    .clicked()
                {
                    actions.push(Action::ConfirmEndpoint(id, kind, url.to_owned()));
                }
            }
            postman_line(ui, account, &mirror, lang, now);
            if status.refresh_token_ageing {
                let days = mirror
                    .refresh_token_used_at
                    .map_or(0, |t| seconds_until(t, now) / 86_400);
                ui.label(
                    RichText::new(T::CrmIdleShort.fill(lang, &[("days", &days.to_string())]))
                        .color(style::AMBER)
                        .small(),
                );
            }
            if status.fraction > 0.0 {
                ui.add(
                    egui::ProgressBar::new(status.fraction)
                        .desired_height(4.0)
                        .fill(color)
                        .corner_radius(2),
                );
            }
        });
    });
    frame.response.rect.height()
}

/// "expires 14:02 · automatic refresh off" and "last refresh 13:02".
fn times(
    ui: &mut Ui,
    account: &AccountConfig,
    mirror: &AccountState,
    lang: Lang,
    now: jiff::Timestamp,
) {
    let mut first = match mirror.expires_at {
        Some(exp) => T::ExpiresAt.fill(lang, &[("time", &short_time(exp, now))]),
        None => String::new(),
    };
    if !account.auto_refresh {
        if !first.is_empty() {
            first.push_str(" · ");
        }
        first.push_str(T::AutoRefreshOff.tr(lang));
    }
    if !first.is_empty() {
        ui.label(RichText::new(first).weak().small());
    }
    let last = match mirror.last_refresh {
        Some(t) => T::LastRefresh.fill(lang, &[("time", &short_time(t, now))]),
        None => T::NotRefreshedYet.tr(lang).to_owned(),
    };
    ui.label(RichText::new(last).weak().small());
}

/// The line under the state: the last failure recorded in `state.json` (by this window, the
/// CLI or a timer), in the window's language with the provider's own words. Quiet while the
/// token is valid or another operation runs.
fn card_message(
    account: &AccountConfig,
    mirror: &AccountState,
    state: &CardState,
    lang: Lang,
) -> Option<String> {
    let quiet = match state {
        CardState::Valid => !matches!(mirror.last_error, Some(StoredError::Input(_))),
        CardState::Busy(b) => *b != Busy::Refreshing,
        _ => false,
    };
    if quiet {
        return None;
    }
    if let Some(stored) = &mirror.last_error {
        let error = stored.to_error(&account.name);
        return Some(explain_for(Surface::Window, &error, lang, &account.name).line());
    }
    match state {
        CardState::NeedsAuthorization => {
            let error = Error::NeedsAuthorization {
                name: account.name.clone(),
                reason: AuthReason::NoRefreshToken,
            };
            let e = explain_for(Surface::Window, &error, lang, &account.name);
            Some(match &mirror.provider_message {
                Some(m) => format!("{m} — {}", e.fix),
                None => e.line(),
            })
        }
        CardState::Retrying(_) | CardState::KeychainError => mirror.provider_message.clone(),
        _ => None,
    }
}

/// The endpoint and address that the last attempt refused because `accounts.toml` names an
/// endpoint the keychain entry was not set up for (the card then offers Confirm).
fn endpoint_changed(mirror: &AccountState) -> Option<(EndpointKind, &str)> {
    match &mirror.last_error {
        Some(StoredError::Input(InputError::EndpointChanged(change))) => {
            Some((change.kind, change.url.as_str()))
        }
        _ => None,
    }
}

/// "Postman updated 14:02", or why it was not.
fn postman_line(
    ui: &mut Ui,
    account: &AccountConfig,
    mirror: &AccountState,
    lang: Lang,
    now: jiff::Timestamp,
) {
    if target(account).is_none() {
        return;
    }
    match (&mirror.postman_error, mirror.postman_synced_at) {
        (Some(e), _) => {
            let e = explain_for(
                Surface::Window,
                &Error::Postman(e.clone()),
                lang,
                &account.name,
            );
            let text = T::PostmanNotUpdated.fill(lang, &[("reason", &e.line())]);
            ui.label(RichText::new(text).color(style::AMBER).small());
        }
        (None, Some(t)) => {
            let text = T::PostmanUpdated.fill(lang, &[("time", &short_time(t, now))]);
            ui.label(RichText::new(text).weak().small());
        }
        (None, None) => {}
    }
}
