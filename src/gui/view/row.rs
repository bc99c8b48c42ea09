//! A row with a left group and a right-aligned group, both laid out left to right so that Tab
//! moves in reading order (egui's right-to-left layouts reverse it). When the two groups do
//! not fit side by side, the right group wraps onto its own line instead of overlapping. The
//! groups' widths are measured on the frame before; a change asks egui for one more pass.

use egui::{Id, Ui, UiBuilder};

#[derive(Clone, Copy, Default, PartialEq)]
struct Widths {
    left: f32,
    right: f32,
}

/// Draws `left`, then `right` at the row's right end (or on the next line when too narrow).
pub(crate) fn split_row(
    ui: &mut Ui,
    id: Id,
    left: impl FnOnce(&mut Ui),
    right: impl FnOnce(&mut Ui),
) {
    let id = id.with("split-row");
    let known: Widths = ui.ctx().data(|d| d.get_temp(id)).unwrap_or_default();
    let spacing = ui.spacing().item_spacing.x;
    let one_line = known.left + spacing + known.right <= ui.available_width();
    let mut measured = Widths::default();
    // Each group keeps its own id on one line or two, so the keyboard focus stays on a
    // button when the row wraps.
    let left_group = UiBuilder::new().scope_id(id.with("left"));
    let right_group = UiBuilder::new().scope_id(id.with("right"));
    if one_line {
        ui.horizontal(|ui| {
            measured.left = ui.scope_builder(left_group, left).response.rect.width();
            let gap = ui.available_width() - known.right - spacing;
            ui.add_space(gap.max(0.0));
            measured.right = ui.scope_builder(right_group, right).response.rect.width();
        });
    } else {
        ui.horizontal(|ui| {
            measured.left = ui.scope_builder(left_group, left).response.rect.width();
        });
        ui.horizontal(|ui| {
            ui.add_space((ui.available_width() - known.right).max(0.0));
            measured.right = ui.scope_builder(right_group, right).response.rect.width();
        });
    }
    if (measured.left - known.left).abs() > 0.5 || (measured.right - known.right).abs() > 0.5 {
        ui.ctx().data_mut(|d| d.insert_temp(id, measured));
        ui.ctx()
            .request_discard("a split row's groups changed width");
    }
}
