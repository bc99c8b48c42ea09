//! Small view functions: the top bar, the banners, the account cards, the toast and the
//! confirmations. Each draws from the snapshot and pushes [`Action`]s; none of them blocks.

use egui::{Align, Layout, RichText, Ui};
use jiff::Timestamp;

use crate::core::account::AccountId;
use crate::core::clock::{countdown, seconds_until};
use crate::core::config::AccountConfig;
use crate::core::paste::TokenFormat;
use crate::gui::app::{Action, Confirm, Toast};
use crate::gui::snapshot::{Busy, CardState, KeychainHealth, Snapshot, card_status};
use crate::gui::style;
use crate::gui::worker::Command;
use crate::i18n::{Lang, Surface, T, explain_for};

/// Shown once there are more accounts than this.
pub const FILTER_FROM: usize = 5;

/// Title, DEMO label, filter, Add and Settings.
pub fn top_bar(
    ui: &mut Ui,
    snapshot: &Snapshot,
    filter: &mut String,
    demo: bool,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        if let Some(texture) = logo(ui.ctx()) {
            ui.image((texture.id(), egui::vec2(26.0, 26.0)));
        }
        ui.label(
            RichText::new("Renova")
                .size(22.0)
                .strong()
                .color(style::ACCENT),
        );
        if demo {
            style::pill(ui, T::Demo.tr(lang), style::PURPLE);
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui.button(T::Settings.tr(lang)).clicked() {
                actions.push(Action::OpenSettings);
            }
            let can_add = snapshot.config_error.is_none();
            if ui
                .add_enabled(
                    can_add,
                    egui::Button::new(
                        RichText::new(format!("+ {}", T::AddAccount.tr(lang))).strong(),
                    ),
                )
                .clicked()
            {
                actions.push(Action::OpenAdd);
            }
            if snapshot.accounts().len() > FILTER_FROM {
                ui.add(
                    egui::TextEdit::singleline(filter)
                        .hint_text(T::FilterHint.tr(lang))
                        .desired_width(200.0),
                )
                .on_hover_text(T::FilterHint.tr(lang));
            }
        });
    });
}

/// The keychain, read-only and demo banners.
pub fn banners(
    ui: &mut Ui,
    snapshot: &Snapshot,
    demo: bool,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    if demo {
        style::banner_frame(style::PURPLE).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(T::DemoBanner.tr(lang));
        });
        ui.add_space(6.0);
    }
    match &snapshot.keychain {
        KeychainHealth::Failed(k) => {
            let e = explain_for(
                Surface::Window,
                &crate::core::error::Error::Keychain(k.clone()),
                lang,
                "",
            );
            style::banner_frame(style::RED).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(ui.available_width() - 110.0);
                        ui.label(RichText::new(&e.what).strong().color(style::RED));
                        ui.label(&e.fix);
                    });
                    if ui.button(T::Retry.tr(lang)).clicked() {
                        actions.push(Action::Send(Command::RetryKeychain));
                    }
                });
            });
            ui.add_space(6.0);
        }
        KeychainHealth::Waiting => {
            style::banner_frame(style::AMBER).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(T::KeychainWaiting.tr(lang));
                });
            });
            ui.add_space(6.0);
        }
        KeychainHealth::Ok | KeychainHealth::Unknown => {}
    }
    if let Some(err) = &snapshot.config_error {
        let e = explain_for(Surface::Window, err, lang, "");
        style::banner_frame(style::AMBER).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                style::pill(ui, T::ReadOnly.tr(lang), style::AMBER);
                ui.label(RichText::new(&e.what).strong());
            });
            ui.label(&e.fix);
        });
        ui.add_space(6.0);
    }
}

fn matches_filter(account: &AccountConfig, snapshot: &Snapshot, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    if f.is_empty() {
        return true;
    }
    let rd_name = snapshot
        .state
        .get(&account.id)
        .account_name
        .unwrap_or_default();
    account.name.to_lowercase().contains(&f)
        || rd_name.to_lowercase().contains(&f)
        || account.provider.id().contains(&f)
}

/// The list of account cards (or the empty state).
#[allow(clippy::too_many_arguments)]
pub fn accounts(
    ui: &mut Ui,
    snapshot: &Snapshot,
    filter: &str,
    read_only: bool,
    lang: Lang,
    now: Timestamp,
    heights: &mut std::collections::HashMap<AccountId, f32>,
    actions: &mut Vec<Action>,
) {
    let all = snapshot.accounts();
    if all.is_empty() && snapshot.config_error.is_none() {
        empty_state(ui, lang, actions);
        return;
    }
    let filter = if all.len() > FILTER_FROM { filter } else { "" };
    let shown: Vec<&AccountConfig> = all
        .into_iter()
        .filter(|a| matches_filter(a, snapshot, filter))
        .collect();
    if shown.is_empty() && !filter.trim().is_empty() {
        ui.add_space(20.0);
        ui.vertical_centered(|ui| ui.label(T::NoMatch.fill(lang, &[("filter", filter.trim())])));
        return;
    }
    // Only the cards in view are drawn; the others take their last measured height. With
    // dozens of accounts this keeps the once-a-second repaint as cheap as with a handful.
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let width = ui.available_width();
            let gap = 10.0;
            let mut y = 0.0;
            for account in shown {
                let guess = heights
                    .get(&account.id)
                    .copied()
                    .unwrap_or(CARD_HEIGHT_GUESS);
                let in_view = y + guess >= viewport.min.y && y <= viewport.max.y;
                let height = if in_view {
                    let drawn = card(ui, snapshot, account, read_only, lang, now, actions);
                    heights.insert(account.id, drawn);
                    drawn
                } else {
                    ui.allocate_space(egui::vec2(width, guess));
                    guess
                };
                ui.add_space(gap);
                y += height + gap + ui.spacing().item_spacing.y;
            }
        });
}

/// Height assumed for a card never drawn yet.
const CARD_HEIGHT_GUESS: f32 = 110.0;

fn empty_state(ui: &mut Ui, lang: Lang, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.18);
        if let Some(texture) = logo(ui.ctx()) {
            ui.image((texture.id(), egui::vec2(72.0, 72.0)));
        }
        ui.add_space(8.0);
        ui.label(RichText::new(T::EmptyTitle.tr(lang)).size(20.0).strong());
        ui.add_space(4.0);
        ui.scope(|ui| {
            ui.set_max_width(420.0);
            ui.label(T::EmptyBody.tr(lang));
        });
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let width = 320.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            if ui
                .add(
                    egui::Button::new(
                        RichText::new(format!("+ {}", T::AddAccount.tr(lang))).strong(),
                    )
                    .fill(style::ACCENT.gamma_multiply(0.35)),
                )
                .clicked()
            {
                actions.push(Action::OpenAdd);
            }
            if ui.button(T::TryDemo.tr(lang)).clicked() {
                actions.push(Action::StartDemo);
            }
        });
    });
}

/// The app icon as a texture, loaded once per context.
fn logo(ctx: &egui::Context) -> Option<egui::TextureHandle> {
    let id = egui::Id::unique("renova-logo");
    if let Some(t) = ctx.data(|d| d.get_temp::<egui::TextureHandle>(id)) {
        return Some(t);
    }
    let icon = crate::gui::icon()?;
    let image = egui::ColorImage::from_rgba_unmultiplied(
        [icon.width as usize, icon.height as usize],
        &icon.rgba,
    );
    let texture = ctx.load_texture("renova-logo", image, egui::TextureOptions::LINEAR);
    ctx.data_mut(|d| d.insert_temp(id, texture.clone()));
    Some(texture)
}

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
        }
        .tr(lang)
        .to_owned(),
    }
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

/// One account's card.
pub fn card(
    ui: &mut Ui,
    snapshot: &Snapshot,
    account: &AccountConfig,
    read_only: bool,
    lang: Lang,
    now: Timestamp,
    actions: &mut Vec<Action>,
) -> f32 {
    let id = account.id;
    let mirror = snapshot.state.get(&id);
    let live = snapshot.live.get(&id);
    let status = card_status(account, &mirror, live, snapshot.lead_time(account), now);
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
                    card_menu(ui, account, &status.state, busy || read_only, lang, actions);
                    style::pill(ui, &state_text(&status.state, lang), color);
                    if busy {
                        ui.spinner();
                    }
                });
            });
            // Countdown, times … Copy, Refresh.
            ui.horizontal(|ui| {
                let left = status.seconds_left.unwrap_or(0);
                ui.label(RichText::new(countdown(left)).monospace().size(28.0).color(
                    if left > 0 {
                        ui.visuals().strong_text_color()
                    } else {
                        style::RED
                    },
                ));
                ui.vertical(|ui| {
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
                });
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    let can_act = !busy && !read_only;
                    if status.state == CardState::NeedsAuthorization {
                        let button =
                            egui::Button::new(RichText::new(T::AuthInBrowser.tr(lang)).strong())
                                .fill(style::ACCENT.gamma_multiply(0.35));
                        if ui.add_enabled(can_act, button).clicked() {
                            actions.push(Action::Authorize(id));
                        }
                        return;
                    }
                    if ui
                        .add_enabled(
                            can_act && has_token,
                            egui::Button::new(format!("↻ {}", T::Refresh.tr(lang))),
                        )
                        .clicked()
                    {
                        actions.push(Action::Send(Command::Refresh(id)));
                    }
                    copy_buttons(ui, id, can_act && has_token, lang, actions);
                });
            });
            if let Some(message) = card_message(snapshot, account, &status.state, lang) {
                ui.label(RichText::new(message).color(color).small());
            }
            if crate::core::postman::target(account).is_some() {
                match (&mirror.postman_error, mirror.postman_synced_at) {
                    (Some(e), _) => {
                        let e = explain_for(
                            Surface::Window,
                            &crate::core::error::Error::Postman(e.clone()),
                            lang,
                            &account.name,
                        );
                        let text = T::PostmanNotUpdated.fill(lang, &[("reason", &e.line())]);
                        ui.label(RichText::new(text).color(style::AMBER).small());
                    }
                    (None, Some(t)) => {
                        ui.label(
                            RichText::new(
                                T::PostmanUpdated.fill(lang, &[("time", &short_time(t, now))]),
                            )
                            .weak()
                            .small(),
                        );
                    }
                    (None, None) => {}
                }
            }
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

fn copy_buttons(ui: &mut Ui, id: AccountId, enabled: bool, lang: Lang, actions: &mut Vec<Action>) {
    ui.add_enabled_ui(enabled, |ui| {
        ui.menu_button("▾", |ui| {
            if ui.button(T::CopyHeader.tr(lang)).clicked() {
                actions.push(Action::Send(Command::Copy(id, TokenFormat::Header)));
                ui.close();
            }
            if ui.button(T::CopyCurl.tr(lang)).clicked() {
                actions.push(Action::Send(Command::Copy(id, TokenFormat::Curl)));
                ui.close();
            }
        })
        .response
        .on_hover_text(T::CopyMore.tr(lang));
        if ui
            .add(
                egui::Button::new(RichText::new(T::Copy.tr(lang)).strong())
                    .fill(style::ACCENT.gamma_multiply(0.35)),
            )
            .clicked()
        {
            actions.push(Action::Send(Command::Copy(id, TokenFormat::Raw)));
        }
    });
}

fn card_menu(
    ui: &mut Ui,
    account: &AccountConfig,
    state: &CardState,
    disabled: bool,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    let id = account.id;
    let _ = state;
    ui.add_enabled_ui(!disabled, |ui| {
        ui.menu_button("…", |ui| {
            if ui.button(T::MenuCheck.tr(lang)).clicked() {
                actions.push(Action::Send(Command::Check(id)));
                ui.close();
            }
            if ui.button(T::MenuAuthorize.tr(lang)).clicked() {
                actions.push(Action::Authorize(id));
                ui.close();
            }
            if ui.button(T::MenuEdit.tr(lang)).clicked() {
                actions.push(Action::OpenEdit(id));
                ui.close();
            }
            ui.separator();
            if ui.button(T::MenuRevoke.tr(lang)).clicked() {
                actions.push(Action::Confirm(Confirm::Revoke(id)));
                ui.close();
            }
            if ui
                .button(RichText::new(T::MenuRemove.tr(lang)).color(style::RED))
                .clicked()
            {
                actions.push(Action::Confirm(Confirm::Remove(id)));
                ui.close();
            }
        })
        .response
        .on_hover_text(T::AccountMenu.tr(lang));
    });
}

/// The line under the state: the last failure, in the user's language with the provider's own
/// words.
fn card_message(
    snapshot: &Snapshot,
    account: &AccountConfig,
    state: &CardState,
    lang: Lang,
) -> Option<String> {
    let live = snapshot.live.get(&account.id);
    if let Some(error) = live.and_then(|l| l.error.as_ref()) {
        if matches!(state, CardState::Valid | CardState::Busy(_))
            && !matches!(state, CardState::Busy(Busy::Refreshing))
        {
            return None;
        }
        let e = explain_for(Surface::Window, error, lang, &account.name);
        return Some(e.line());
    }
    let mirror = snapshot.state.get(&account.id);
    let attention = matches!(
        state,
        CardState::NeedsAuthorization | CardState::Retrying(_) | CardState::KeychainError
    );
    // A failure recorded by another process (the CLI, a timer), explained here in `lang`.
    if attention && let Some(stored) = &mirror.last_error {
        let error = stored.to_error(&account.name);
        let e = explain_for(Surface::Window, &error, lang, &account.name);
        return Some(e.line());
    }
    match state {
        CardState::NeedsAuthorization => {
            let e = explain_for(
                Surface::Window,
                &crate::core::error::Error::NeedsAuthorization {
                    name: account.name.clone(),
                    reason: crate::core::error::AuthReason::NoRefreshToken,
                },
                lang,
                &account.name,
            );
            Some(match mirror.provider_message {
                Some(m) => format!("{m} — {}", e.fix),
                None => e.line(),
            })
        }
        CardState::Retrying(_) | CardState::KeychainError => mirror.provider_message,
        _ => None,
    }
}

/// The toast's text at `now`.
pub fn toast_text(toast: &Toast, lang: Lang, now: Timestamp) -> String {
    match toast {
        Toast::Copied(format, clear_at) => {
            let seconds = seconds_until(now, *clear_at).max(0).to_string();
            let t = match format {
                TokenFormat::Raw => T::ToastCopied,
                TokenFormat::Header => T::ToastCopiedHeader,
                TokenFormat::Curl => T::ToastCopiedCurl,
            };
            t.fill(lang, &[("seconds", &seconds)])
        }
        Toast::Cleared => T::ToastCleared.tr(lang).to_owned(),
        Toast::Saved(name) => T::ToastSaved.fill(lang, &[("name", name)]),
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

/// The toast line at the bottom.
pub fn toast(ui: &mut Ui, toast: &Toast, lang: Lang, now: Timestamp) {
    let color = match toast {
        Toast::Failed(..) => style::RED,
        _ => style::ACCENT,
    };
    style::banner_frame(color).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(toast_text(toast, lang, now));
    });
}

/// A confirmation dialog; `Some(true)` confirmed, `Some(false)` cancelled.
pub fn confirm(ctx: &egui::Context, what: Confirm, name: &str, lang: Lang) -> Option<bool> {
    let (title, body, button) = match what {
        Confirm::Remove(_) => (T::ConfirmRemoveTitle, T::ConfirmRemoveBody, T::Remove),
        Confirm::Revoke(_) => (T::ConfirmRevokeTitle, T::ConfirmRevokeBody, T::Revoke),
        Confirm::ForgetEverything => (T::ConfirmForgetTitle, T::ConfirmForgetBody, T::Forget),
    };
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(title.fill(lang, &[("name", name)]));
        ui.add_space(6.0);
        ui.label(body.tr(lang));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui
                .add(
                    egui::Button::new(
                        RichText::new(button.tr(lang))
                            .strong()
                            .color(egui::Color32::WHITE),
                    )
                    .fill(style::RED),
                )
                .clicked()
            {
                answer = Some(true);
            }
            if ui.button(T::Cancel.tr(lang)).clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}
