//! The one way Renova opens a dialog: a modal anchored near the top of the window (so it does
//! not jump when its errors appear), no wider than the window, scrolling when the window is
//! shorter than the dialog, and, for a question, always above the dialog that asked it.

use egui::{Align2, Context, Id, ModalResponse, Order, Ui, UiBuilder};

/// Which part of a dialog to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// What scrolls when the window is short.
    Body,
    /// The buttons at the bottom, always in view.
    Footer,
}

/// Shows a modal `width` wide (or the window's width), named `title` for a screen reader (a
/// dialog); `on_top`: above every other modal (confirmations). `content` draws the body, then
/// the footer: the body scrolls when the window is too short for both, the footer stays.
pub(crate) fn modal(
    ctx: &Context,
    (id, title): (Id, &str),
    width: f32,
    on_top: bool,
    mut content: impl FnMut(&mut Ui, Part),
) -> ModalResponse<()> {
    let window = ctx.content_rect();
    let area = egui::Modal::default_area(id).anchor(Align2::CENTER_TOP, egui::vec2(0.0, 16.0));
    if on_top {
        ctx.move_to_top(egui::LayerId::new(Order::Foreground, id));
    }
    let width = width.min(window.width() - 48.0).max(160.0);
    let footer_id = id.with("footer-height");
    let footer: f32 = ctx.data(|d| d.get_temp(footer_id)).unwrap_or(40.0);
    let room = (window.height() - 64.0 - footer).max(80.0);
    let height_id = id.with("content-height");
    let needed: f32 = ctx.data(|d| d.get_temp(height_id)).unwrap_or(0.0);
    let dialog = UiBuilder::new()
        .scope_id(id.with("dialog"))
        .accessibility_role(egui::accesskit::Role::Dialog)
        .accessibility_label(title);
    // The body keeps its ids (focus, open sections) whether it scrolls or not.
    let body = || UiBuilder::new().scope_id(id.with("content"));
    egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(width);
        ui.scope_builder(dialog, |ui| {
            if needed <= room {
                let shown = ui.scope_builder(body(), |ui| content(ui, Part::Body));
                let height = shown.response.rect.height();
                ui.ctx().data_mut(|d| d.insert_temp(height_id, height));
                if height > room {
                    ui.ctx().request_discard("a dialog outgrew the window");
                }
            } else {
                // The modal's area offers only last frame's size; asking for `room` lets the
                // dialog grow again when the window does.
                let shown = egui::ScrollArea::vertical()
                    .max_height(room)
                    .min_scrolled_height(room)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        ui.scope_builder(body(), |ui| content(ui, Part::Body))
                    });
                let height = shown.content_size.y;
                ui.ctx().data_mut(|d| d.insert_temp(height_id, height));
            }
            let shown = ui.scope(|ui| content(ui, Part::Footer));
            let height = shown.response.rect.height();
            ui.ctx().data_mut(|d| d.insert_temp(footer_id, height));
        });
    })
}
