//! The keyboard: Ctrl+N, Ctrl+, and Ctrl+F; Enter on a focused card copies; a button keeps the
//! focus after it acts. (Tab order in a real window: tests/window_input.rs.)

use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::harness::{Builder, window_with};

#[test]
fn ctrl_n_adds_and_ctrl_comma_opens_the_settings() {
    let mut ui = Builder::new().open();
    ui.until_label("No accounts yet");
    ui.harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    ui.until_label("Client secret");
    ui.click("Cancel");
    ui.harness.run();
    ui.harness
        .key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    ui.until_label("Language");
}

#[test]
fn enter_on_a_focused_card_copies_and_copy_keeps_the_focus() {
    let mut ui = window_with("fake-access-keys", Duration::from_secs(86_000));
    ui.until_label("loja");
    ui.harness
        .get_by_role_and_label(Role::Group, "loja")
        .focus();
    ui.harness.run();
    ui.harness.key_press(Key::Enter);
    ui.until_copied("fake-access-keys");
    // Copy pressed from the keyboard: it acts, and the focus stays on it.
    let copy = ui.harness.get_by_label("Copy token of loja");
    copy.focus();
    ui.harness.run();
    ui.harness.key_press(Key::Enter);
    ui.until_text("loja's token copied");
    ui.idle(Duration::from_millis(300));
    ui.harness.run();
    assert!(
        ui.harness.get_by_label("Copy token of loja").is_focused(),
        "Copy lost the focus"
    );
    assert_eq!(ui.copied().len(), 2);
}
