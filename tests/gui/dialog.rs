//! The add/edit dialog: inline validation, nothing stored before the input is valid, JSON paste.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use renova::Config;
use secrecy::ExposeSecret;

use crate::harness::{Builder, Ui};

/// An empty window with the Add dialog open.
fn add_dialog() -> Ui {
    let mut ui = Builder::new().open();
    ui.open_add_dialog();
    ui
}

#[test]
fn invalid_input_shows_inline_errors_and_stores_nothing() {
    let mut ui = add_dialog();
    ui.type_into("Name", "Loja Nova!");
    ui.type_into("Client ID", "fake client id");
    ui.click("Save");
    ui.until_text("is not a valid account name");
    ui.until_text("The client id is empty or contains spaces");
    ui.until_text("The client secret is empty");
    assert!(
        Config::load(ui.renova.profile().paths())
            .unwrap()
            .accounts
            .is_empty()
    );
}

/// The add dialog filled in for `loja` with `client_secret`, and RD's whole JSON `answer`
/// pasted into the name field (it fills the token fields instead); waits for `said`.
fn paste_answer(client_secret: &str, answer: &str, said: &str) -> Ui {
    let mut ui = add_dialog();
    ui.type_into("Name", "loja");
    ui.type_into("Client ID", "fake-client-id");
    ui.type_into("Client secret", client_secret);
    ui.harness.get_by_label("Name").focus();
    ui.harness.event(egui::Event::Paste(answer.to_owned()));
    ui.until_text(said);
    ui
}

/// Saves the dialog and reads back the keychain entry of `loja`.
fn save_and_read_entry(ui: &mut Ui) -> renova::Secrets {
    ui.click("Save");
    ui.until_text("Saved loja");
    let config = Config::load(ui.renova.profile().paths()).unwrap();
    let account = config.find("loja").unwrap().clone();
    crate::harness::block_on(ui.keychain.read(&account.id))
        .unwrap()
        .unwrap()
        .secrets
}

#[test]
fn pasting_rds_json_answer_fills_the_tokens_and_saving_stores_them() {
    let mut ui = paste_answer(
        "  Bearer fake-client-secret  ",
        r#"{"access_token":"fake-access-pasted","expires_in":86400,"refresh_token":"fake-refresh-pasted"}"#,
        "Filled from the pasted JSON answer",
    );
    let entry = save_and_read_entry(&mut ui);
    ui.until_label("24:00:00");
    assert_eq!(
        entry.client_secret.unwrap().expose_secret(),
        "fake-client-secret"
    );
    assert_eq!(
        entry.refresh_token.unwrap().expose_secret(),
        "fake-refresh-pasted"
    );
    assert_eq!(
        entry.access_token.unwrap().expose_secret(),
        "fake-access-pasted"
    );
}

#[test]
fn a_pasted_answer_claiming_ten_years_keeps_its_refresh_token_and_drops_its_access_token() {
    let mut ui = paste_answer(
        "fake-client-secret",
        r#"{"access_token":"fake-access-forever","expires_in":315360000,"refresh_token":"fake-refresh-pasted"}"#,
        "Its expires_in is not believable",
    );
    let entry = save_and_read_entry(&mut ui);
    assert!(entry.access_token.is_none(), "a 10-year token kept");
    assert_eq!(
        entry.refresh_token.unwrap().expose_secret(),
        "fake-refresh-pasted"
    );
}

#[test]
fn secrets_are_masked_until_shown() {
    let mut ui = add_dialog();
    ui.type_into("Client secret", "fake-visible-secret");
    assert!(
        ui.harness.query_by_value("fake-visible-secret").is_none(),
        "masked"
    );
    ui.harness
        .get_all_by_role_and_label(Role::Button, "Show client secret")
        .next()
        .unwrap()
        .click();
    ui.until("the secret shown", |h| {
        h.query_all_by_value("fake-visible-secret").next().is_some()
    });
}

#[test]
fn saving_an_edit_keeps_what_another_process_changed_while_the_dialog_was_open() {
    let mut ui =
        crate::harness::window_with("fake-access-edit", std::time::Duration::from_secs(3600));
    ui.card_menu("Edit…");
    ui.until_label("Client secret");
    // While the dialog is open, `renova authorize` records its redirect URI and another
    // `renova edit` turns automatic refresh off.
    Config::update(ui.renova.profile().paths(), |c| {
        c.accounts[0].redirect_uri = Some("http://127.0.0.1:9999/callback".to_owned());
        c.accounts[0].auto_refresh = false;
        Ok::<_, renova::ConfigError>(())
    })
    .unwrap();
    ui.type_into("Client ID", "-2");
    ui.click("Save");
    ui.until_text("Saved loja");
    let account = Config::load(ui.renova.profile().paths()).unwrap().accounts[0].clone();
    assert!(account.client_id.ends_with("-2"), "{}", account.client_id);
    assert_eq!(
        account.redirect_uri.as_deref(),
        Some("http://127.0.0.1:9999/callback")
    );
    assert!(!account.auto_refresh);
}
