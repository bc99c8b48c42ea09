//! A card's buttons: Copy with its ▾ menu (header, curl), and the … menu (check, authorize
//! again, edit, revoke, remove).

use egui::{RichText, Ui};

use crate::core::account::AccountId;
use crate::core::token_format::TokenFormat;
use crate::gui::action::{Action, Confirm};
use crate::gui::style;
use crate::gui::view::a11y::named;
use crate::i18n::{Lang, T};

/// Copy, then its ▾ menu (header, curl). `primary`: Copy is the card's main button.
pub(super) fn copy_buttons(
    ui: &mut Ui,
    (id, name): (AccountId, &str),
    enabled: bool,
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
                for (text, format) in [
                    (T::CopyHeader, TokenFormat::Header),
                    (T::CopyCurl, TokenFormat::Curl),
                ] {
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
