//! The top bar: logo, title, DEMO and background labels; then, at the right end, the filter
//! (with its clear button), Add and Settings, in reading order for Tab.

use egui::{Key, RichText, Ui};

use crate::gui::action::Action;
use crate::gui::shortcuts;
use crate::gui::style;
use crate::gui::view::account_list::FILTER_FROM;
use crate::gui::view::row::split_row;
use crate::gui::view::{ViewContext, logo};
use crate::i18n::T;

/// Draws the top bar. `filter` is the filter's text and whether to put the cursor in it.
pub(crate) fn top_bar(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    (filter, focus_filter): (&mut String, &mut bool),
    actions: &mut Vec<Action>,
) {
    let lang = cx.lang;
    // Taken every frame: a Ctrl+F with no filter shown must not steal the focus later.
    let focus = std::mem::take(focus_filter);
    let left = |ui: &mut Ui| {
        if let Some(texture) = logo(ui.ctx()) {
            ui.add(egui::Image::new((texture.id(), egui::vec2(26.0, 26.0))).alt_text("Renova"));
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
    };
    let right = |ui: &mut Ui| {
        if cx.snapshot.accounts().len() > FILTER_FROM {
            filter_box(ui, cx, filter, focus);
        }
        let ctx = ui.ctx().clone();
        let add =
            egui::Button::new(RichText::new(format!("+ {}", T::AddAccount.tr(lang))).strong());
        if ui
            .add_enabled(!cx.read_only, add)
            .on_hover_text(shortcuts::label(&ctx, &shortcuts::ADD, lang))
            .clicked()
        {
            actions.push(Action::OpenAdd);
        }
        if ui
            .button(T::Settings.tr(lang))
            .on_hover_text(shortcuts::label(&ctx, &shortcuts::SETTINGS, lang))
            .clicked()
        {
            actions.push(Action::OpenSettings);
        }
    };
    split_row(ui, egui::Id::unique("top-bar"), left, right);
}

/// The filter: Ctrl+F puts the cursor here, Esc or × empties it.
fn filter_box(ui: &mut Ui, cx: ViewContext<'_>, filter: &mut String, focus: bool) {
    let lang = cx.lang;
    let edit = ui
        .add(
            egui::TextEdit::singleline(filter)
                .hint_text(T::FilterHint.tr(lang))
                .desired_width(180.0),
        )
        .on_hover_text(T::FilterHint.tr(lang));
    if focus {
        edit.request_focus();
    }
    // egui gives up the field's focus on Esc; the text goes with it.
    if edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
        filter.clear();
    }
    if !filter.is_empty()
        && ui
            .small_button("×")
            .on_hover_text(T::FilterClear.tr(lang))
            .clicked()
    {
        filter.clear();
    }
}
