//! Settings: language switch, shared defaults.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use renova::core::config::Config;
use std::time::Duration;

use crate::harness::{Builder, seed};

#[test]
fn switching_to_portuguese_translates_the_window() {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-at", Duration::from_secs(3600))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("loja");
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Copy")
            .is_some()
    );
    ui.harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    ui.until_label("Language");
    ui.harness.get_by_label("Language").click();
    ui.until_label("Português (Brasil)");
    ui.harness.get_by_label("Português (Brasil)").click();
    ui.until_label("Idioma");
    ui.harness
        .get_by_role_and_label(Role::Button, "Fechar")
        .click();
    ui.until("the card in Portuguese", |h| {
        h.query_by_role_and_label(Role::Button, "Copiar").is_some()
    });
    assert!(ui.harness.query_by_label("válido").is_some());
    assert!(
        ui.harness
            .query_all_by_role_and_label(Role::Button, "+ Adicionar conta")
            .next()
            .is_some()
    );
}

#[test]
fn defaults_are_saved_to_accounts_toml_for_the_cli() {
    let b = Builder::new();
    let mut ui = b.open();
    ui.until_label("No accounts yet");
    ui.harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    ui.until_label("Clear the clipboard after");
    let field = ui.harness.get_by_label("Clear the clipboard after");
    field.focus();
    ui.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    ui.harness
        .get_by_label("Clear the clipboard after")
        .type_text("30s");
    ui.harness.step();
    ui.harness
        .get_by_role_and_label(Role::Button, "Save")
        .click();
    ui.until_text("Settings saved");
    let renova = ui.renova.clone();
    ui.until("accounts.toml updated", move |_| {
        Config::load(renova.paths())
            .unwrap()
            .defaults
            .clipboard_clear
            .0
            == Duration::from_secs(30)
    });
}

#[test]
fn forget_everything_asks_then_removes_every_account() {
    let b = Builder::new();
    let renova = b.renova();
    seed(
        &renova,
        "loja-1",
        "http://127.0.0.1:9",
        Some(("fake-at", Duration::from_secs(3600))),
        true,
    );
    seed(
        &renova,
        "loja-2",
        "http://127.0.0.1:9",
        Some(("fake-at", Duration::from_secs(3600))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("loja-2");
    ui.harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    ui.until_label("Forget everything…");
    ui.harness.get_by_label("Forget everything…").click();
    ui.until_text("Forget everything?");
    ui.harness
        .get_by_role_and_label(Role::Button, "Forget everything")
        .click();
    ui.until_label("No accounts yet");
    assert!(
        Config::load(ui.renova.paths())
            .unwrap()
            .visible()
            .next()
            .is_none()
    );
}
