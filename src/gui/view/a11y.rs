//! Names for a screen reader. A control whose visible text is short or a glyph ("Copy", "▾",
//! "…", "↻ Refresh") is named for what it does and to which account ("Copy token of loja"),
//! so that twelve cards do not read as twelve "Copy" buttons.

use egui::Response;

/// Gives `response`'s node the accessible name `name` (its visible text stays as it is).
pub(crate) fn named(response: Response, name: &str) -> Response {
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(name));
    response
}
