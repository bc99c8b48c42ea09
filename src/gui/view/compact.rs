//! One line per account (the compact mode): name, state chip, time left, and the card's
//! buttons (the fix, or Copy ▾). Fits about 16 accounts on an 800 px high window.

use egui::{CornerRadius, Frame, Margin, RichText, Stroke, Ui};

use crate::core::config::AccountConfig;
use crate::gui::action::Action;
use crate::gui::style;
use crate::gui::view::ViewContext;
use crate::gui::view::card::{look, state_text};
use crate::gui::view::card_buttons::buttons;
use crate::gui::view::row::split_row;

/// Draws one line; returns its height.
pub(super) fn compact_row(
    ui: &mut Ui,
    cx: ViewContext<'_>,
    account: &AccountConfig,
    actions: &mut Vec<Action>,
) -> f32 {
    let mirror = cx.snapshot.state.get(&account.id);
    let look = look(cx, account, &mirror);
    let stroke = if cx.highlight == Some(account.id) {
        Stroke::new(2.0, style::ACCENT)
    } else {
        Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color)
    };
    let frame = Frame::new()
        .stroke(stroke)
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(10, 3));
    let shown = frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.push_id(account.id, |ui| {
            split_row(
                ui,
                ui.scope_id().with("line"),
                |ui| {
                    ui.label(RichText::new(&account.name).strong());
                    let state = state_text(&look, cx.lang, cx.now);
                    style::pill(ui, &state, look.color);
                },
                |ui| {
                    let left = look.status.seconds_left.unwrap_or(0);
                    ui.label(RichText::new(cx.countdown(left)).monospace().size(16.0));
                    let can_act = look.busy.is_none() && !cx.read_only;
                    buttons(ui, account, &look, can_act, cx.read_only, cx.lang, actions);
                },
            );
            if let Some(t) = &look.trouble {
                ui.label(RichText::new(&t.sentence).color(style::readable(ui, look.color)));
            }
        });
    });
    shown.response.rect.height()
}
