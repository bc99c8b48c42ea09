//! What the window shows with no accounts: the logo, what to add and where RD Station gives
//! it (with a link to RD's page), Add and Try the demo.

use egui::{RichText, Ui};

use crate::gui::action::Action;
use crate::gui::style;
use crate::gui::view::logo;
use crate::i18n::{Lang, T};

/// RD Station's page on getting the three values (App Publisher, then the "Try It" page).
pub(super) const RD_AUTH_DOCS: &str = "https://developers.rdstation.com/reference/autenticacao";

/// Draws the empty state.
pub(super) fn empty_state(ui: &mut Ui, lang: Lang, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.18);
        if let Some(texture) = logo(ui.ctx()) {
            ui.add(egui::Image::new((texture.id(), egui::vec2(72.0, 72.0))).alt_text("Renova"));
        }
        ui.add_space(8.0);
        ui.label(RichText::new(T::EmptyTitle.tr(lang)).size(20.0).strong());
        ui.add_space(4.0);
        ui.scope(|ui| {
            ui.set_max_width(460.0);
            ui.label(T::EmptyBody.tr(lang));
            ui.add_space(6.0);
            ui.label(RichText::new(T::EmptyWhere.tr(lang)).color(style::weak(ui)));
            if ui.link(T::EmptyWhereLink.tr(lang)).clicked() {
                actions.push(Action::OpenUrl(RD_AUTH_DOCS.to_owned()));
            }
        });
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let width = 320.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            let add =
                egui::Button::new(RichText::new(format!("+ {}", T::AddAccount.tr(lang))).strong())
                    .fill(style::main_fill());
            if ui.add(add).clicked() {
                actions.push(Action::OpenAdd);
            }
            if ui.button(T::TryDemo.tr(lang)).clicked() {
                actions.push(Action::StartDemo);
            }
        });
    });
}
