//! A card's buttons: the fix, Copy with its ▾ menu (header, curl), Refresh (Replace token
//! for a static token), and the … menu (check, authorize again, edit, revoke, remove).

use egui::{RichText, Ui};

use crate::core::account::AccountId;
use crate::core::config::AccountConfig;
use crate::core::status::Action as Fix;
use crate::core::token_format::TokenFormat;
use crate::gui::action::{Action, Confirm};
use crate::gui::style;
use crate::gui::view::a11y::named;
use crate::gui::view::card::Look;
use crate::i18n::attention::action_label;
use crate::i18n::{Lang, T};

/// Copy, then its ▾ menu (header, curl). `primary`: Copy is the card's main button.
fn copy_buttons(
    ui: &mut Ui,
    (id, name): (AccountId, &str),
    (enabled, header): (bool, bool),
    primary: bool,
    lang: Lang,
    mut push: impl FnMut(Action),
) {
    ui.add_enabled_ui(enabled, |ui| {
        let mut copy = egui::Button::new(RichText::new(T::Copy.tr(lang)).strong());
        if primary {
            copy = copy.fill(style::main_fill());
        }
        let copy = named(ui.add(copy), &T::A11yCopy.fill(lang, &[("name", name)]));
        if copy.on_hover_text(T::CopyEnterHint.tr(lang)).clicked() {
            push(Action::Copy(id, TokenFormat::Raw));
        }
        let more = ui
            .menu_button("▾", |ui| {
                // A token taken in the query (RD Station CRM v1) has no header form.
                let forms = [
                    (T::CopyHeader, TokenFormat::Header),
                    (T::CopyCurl, TokenFormat::Curl),
                ];
                for (text, format) in forms
                    .into_iter()
                    .filter(|f| header || f.1 != TokenFormat::Header)
                {
                    if ui.button(text.tr(lang)).clicked() {
                        push(Action::Copy(id, format));
                        ui.close();
                    }
                }
            })
            .response
            .on_hover_text(T::CopyMore.tr(lang));
        named(more, &T::A11yCopyMore.fill(lang, &[("name", name)]));
    });
}

/// The … menu.
pub(super) fn card_menu(
    ui: &mut Ui,
    (id, name): (AccountId, &str),
    disabled: bool,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    ui.add_enabled_ui(!disabled, |ui| {
        let menu = ui
            .menu_button("…", |ui| {
                let mut item = |ui: &mut Ui, text: RichText, action: Action| {
                    if ui.button(text).clicked() {
                        actions.push(action);
                        ui.close();
                    }
                };
                item(ui, T::MenuCheck.tr(lang).into(), Action::Check(id));
                item(ui, T::MenuAuthorize.tr(lang).into(), Action::Authorize(id));
                item(ui, T::MenuEdit.tr(lang).into(), Action::OpenEdit(id));
                ui.separator();
                item(
                    ui,
                    T::MenuRevoke.tr(lang).into(),
                    Action::Ask(Confirm::Revoke(id)),
                );
                item(
                    ui,
                    RichText::new(T::MenuRemove.tr(lang)).color(style::readable(ui, style::RED)),
                    Action::Ask(Confirm::Remove(id)),
                );
            })
            .response
            .on_hover_text(T::AccountMenu.tr(lang));
        named(menu, &T::A11yActions.fill(lang, &[("name", name)]));
    });
}

/// The fix (accented), then Copy ▾ (accented when nothing needs fixing), then Refresh. Busy
/// buttons stay enabled (a disabled button loses the keyboard focus) and ignore clicks.
pub(super) fn buttons(
    ui: &mut Ui,
    account: &AccountConfig,
    look: &Look,
    can_act: bool,
    read_only: bool,
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    let (id, name) = (account.id, account.name.as_str());
    // Confirm is drawn under the sentence (it names the address); Refresh is the button
    // that is always there.
    let fix = look
        .trouble
        .as_ref()
        .and_then(|t| t.action)
        .filter(|a| !matches!(a, Fix::ConfirmEndpoint | Fix::Refresh));
    if let Some(fix) = fix {
        let button = egui::Button::new(RichText::new(action_label(fix, lang)).strong())
            .fill(style::main_fill());
        let label = action_label(fix, lang);
        let button = named(
            ui.add_enabled(!read_only, button),
            &T::A11yFix.fill(lang, &[("action", label), ("name", name)]),
        );
        if button.clicked() && can_act {
            actions.push(match fix {
                Fix::EditSecret | Fix::EditSettings => Action::OpenEdit(id),
                Fix::ReplaceToken => Action::ReplaceToken(id),
                Fix::Connect | Fix::Authorize => Action::Authorize(id),
                // Reading this account's entry again is what clears its keychain error.
                Fix::RetryNow | Fix::RetryKeychain | Fix::Refresh | Fix::ConfirmEndpoint => {
                    Action::Refresh(id)
                }
            });
        }
    }
    if look.status.copyable {
        let header = account.provider.placement().takes_header();
        copy_buttons(
            ui,
            (id, name),
            (!read_only, header),
            fix.is_none(),
            lang,
            |a| {
                if can_act {
                    actions.push(a);
                }
            },
        );
    }
    // A static token is never refreshed: its own button pastes a new one.
    if fix.is_none() && !look.status.refreshable {
        let label = T::FixReplaceToken.tr(lang);
        let replace = named(
            ui.add_enabled(!read_only, egui::Button::new(label)),
            &T::A11yFix.fill(lang, &[("action", label), ("name", name)]),
        );
        if replace.clicked() && can_act {
            actions.push(Action::ReplaceToken(id));
        }
    } else if fix.is_none() && look.status.copyable {
        let refresh = egui::Button::new(format!("↻ {}", T::Refresh.tr(lang)));
        let refresh = named(
            ui.add_enabled(!read_only, refresh),
            &T::A11yRefresh.fill(lang, &[("name", name)]),
        );
        if refresh.clicked() && can_act {
            actions.push(Action::Refresh(id));
        }
    }
}
