//! Forms that help: errors as you type that go when the input is fixed, a valid name offered
//! for an invalid one, and new credentials tried once on Save.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

use crate::harness::{Builder, Ui};
use crate::support::rd;

fn visible(ui: &Ui, part: &str) -> bool {
    ui.harness
        .query_all_by_label_contains(part)
        .next()
        .is_some()
}

#[test]
fn errors_show_as_you_type_and_go_when_fixed_and_a_valid_name_is_offered() {
    let mut ui = Builder::new().open();
    ui.open_add_dialog();
    // Nothing typed yet: no error.
    assert!(!visible(&ui, "is not a valid account name"));
    ui.type_into("Name", "Loja SP");
    ui.until_text("“Loja SP” is not a valid account name");
    // Untouched fields keep quiet until Save.
    assert!(!visible(&ui, "The client secret is empty"));
    ui.harness
        .get_by_role_and_label(Role::Button, "Use “loja-sp”")
        .click();
    ui.harness.run();

    assert_eq!(
        ui.harness.get_by_label("Name").value().as_deref(),
        Some("loja-sp")
    );
    assert!(!visible(&ui, "is not a valid account name"), "fixed, gone");
    ui.type_into("Client ID", "fake client id");
    ui.until_text("The client id is empty or contains spaces");
    ui.harness.get_by_label("Client ID").focus();
    ui.harness.run();
    ui.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    ui.harness.run();
    ui.harness
        .get_by_label("Client ID")
        .type_text("fake-client-id");
    ui.harness.run();
    assert!(
        !visible(&ui, "The client id is empty or contains spaces"),
        "fixed, gone"
    );
}

/// Adds `loja` through the dialog against this window's RD, with these secrets.
fn add_through_the_dialog(ui: &mut Ui, secret: &str) {
    ui.open_add_dialog();
    ui.type_into("Name", "loja");
    ui.type_into("Client ID", "fake-client-id-0000");
    ui.type_into("Client secret", secret);
    ui.type_into("Refresh token", "fake-refresh-token-2222");
    ui.harness.get_by_label("Advanced").click();
    ui.until_label("Base URL");
    let uri = ui.rd().uri();
    ui.type_into("Base URL", &uri);
    ui.click("Save");
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_new_credentials_tries_them_once_and_says_connected() {
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::issued("fake-access-connected"), 1).await;
    let mut ui = b.open();
    add_through_the_dialog(&mut ui, "fake-client-secret-1111");
    ui.until_text("Connected — RD Station accepted the credentials of loja.");
    ui.until_label("24:00:00");
    ui.until_received(1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_secret_on_save_shows_on_the_card_with_its_fix() {
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::wrong_credentials(), 1).await;
    let mut ui = b.open();
    add_through_the_dialog(&mut ui, "fake-client-secret-1111");
    ui.until_text("Saved loja");
    ui.until_text("RD Station refused this app's client ID or secret.");
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Edit secret: loja")
            .is_some()
    );
    ui.idle(Duration::from_millis(200));
    assert!(!visible(&ui, "Connected —"));
}

/// Enter on "Use “loja-sp”" takes the name, and the focus goes on to the next field (the
/// button is gone): Tab does not start again at the top.
#[test]
fn after_taking_the_offered_name_the_focus_goes_on() {
    let mut ui = Builder::new().open();
    ui.open_add_dialog();
    ui.type_into("Name", "Loja SP");
    ui.until_text("“Loja SP” is not a valid account name");
    ui.harness
        .get_by_role_and_label(Role::Button, "Use “loja-sp”")
        .focus();
    ui.harness.run();
    ui.harness.key_press(egui::Key::Enter);
    ui.harness.run();
    assert_eq!(
        ui.harness.get_by_label("Name").value().as_deref(),
        Some("loja-sp")
    );
    assert!(
        ui.harness.get_by_label("Provider").is_focused(),
        "the focus went back to the top"
    );
}
