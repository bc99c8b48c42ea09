//! The top bar: logo, title, DEMO label, and (right to left) Settings, Add, the filter.

use egui::{Align, Layout, RichText, Ui};

use crate::gui::action::Action;
use crate::gui::style;
use crate::gui::view::account_list::FILTER_FROM;
use crate::gui::view::{ViewContext, logo};
use crate::i18n::T;

/// Draws the top bar.
pub fn top_bar(ui: &mut Ui, cx: ViewContext<'_>, filter: &mut String, actions: &mut Vec<Action>) {
    let lang = cx.lang;
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
        if cx.demo {
            style::pill(ui, T::Demo.tr(lang), style::PURPLE);
        }
        if cx.snapshot.agent_runs() {
            style::pill(ui, T::BackgroundPill.tr(lang), style::GREEN)
                .on_hover_text(T::BackgroundPillHint.tr(lang));
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui.button(T::Settings.tr(lang)).clicked() {
                actions.push(Action::OpenSettings);
            }
            let add =
                egui::Button::new(RichText::new(format!("+ {}", T::AddAccount.tr(lang))).strong());
            if ui.add_enabled(!cx.read_only, add).clicked() {
                actions.push(Action::OpenAdd);
            }
            if cx.snapshot.accounts().len() > FILTER_FROM {
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
