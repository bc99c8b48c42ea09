//! Static tokens in the window: the card counts down to a JWT's `exp` and offers Replace
//! token instead of Refresh; Replace token opens the dialog with the paste field focused; the
//! Add dialog's "Static token (no refresh)" choice asks only for the token.

use std::time::Duration;

use base64::Engine;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use renova::ProviderKind;
use secrecy::ExposeSecret;

use crate::harness::{Builder, block_on};

/// A JWT (unsigned) whose `exp` is `exp` (the harness's clock starts 2026-11-26T12:00:00Z).
fn jwt(exp: &str, marker: &str) -> String {
    let exp: jiff::Timestamp = exp.parse().unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.ZmFrZS1zaWc",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(&format!(
            r#"{{"sub":"{marker}","exp":{}}}"#,
            exp.as_second()
        ))
    )
}

#[test]
fn replace_token_opens_the_dialog_with_the_paste_field_focused_and_keeps_the_new_one() {
    let b = Builder::new();
    // Three days left: inside the 7 days' warning.
    let old = jwt("2026-11-29T12:00:00Z", "fake-old-sub");
    b.seed_static("conversas", ProviderKind::RdStationConversas, &old);
    let mut ui = b.open();
    ui.until_label("conversas");
    ui.until_label("expires soon");
    ui.until_text("This token expires on");
    ui.until_label("3 days");
    assert_eq!(
        ui.harness.query_all_by_label("Refresh conversas").count(),
        0,
        "a static token has no Refresh"
    );
    ui.click("Replace token: conversas");
    ui.until("the dialog", |h| {
        h.query_all_by_label("Edit conversas").count() > 0
    });
    assert!(
        ui.harness.get_by_label("Token").is_focused(),
        "the paste field has the focus"
    );
    assert_eq!(ui.harness.query_all_by_label("Client secret").count(), 0);
    // Pasted as it is copied from RD Station Conversas.
    let new = jwt("2027-01-25T12:00:00Z", "fake-new-sub");
    ui.harness.get_by_label("Token").type_text(&new);
    ui.harness.step();
    ui.until_text("Expires on");
    ui.click("Save");
    ui.until("the dialog to close", |h| {
        h.query_all_by_label("Edit conversas").count() == 0
    });
    ui.until_label("valid");
    let renova = ui.renova.clone();
    let account = renova.account("conversas").unwrap();
    let outcome = block_on(async move { renova.token(&account, Duration::ZERO).await }).unwrap();
    assert_eq!(outcome.token.expose_secret(), new);
    assert_eq!(
        outcome.expires_at.map(|t| t.to_string()).as_deref(),
        Some("2027-01-25T12:00:00Z")
    );
    // 60 days: said in days, not as a 1440-hour clock.
    ui.until_label("60 days");
}

#[test]
fn the_add_dialog_takes_a_static_token_without_client_or_refresh() {
    let mut ui = Builder::new().open();
    ui.open_add_dialog();
    ui.type_into("Name", "fixo");
    ui.harness.get_by_label("Provider").click();
    ui.choose("Static token (no refresh) (static)");
    ui.until_label("Token");
    assert_eq!(ui.harness.query_all_by_label("Client ID").count(), 0);
    assert_eq!(ui.harness.query_all_by_label("Refresh token").count(), 0);
    ui.type_into("Token", "fake-opaque-static-token");
    ui.until_text("No expiry in the token");
    ui.click("Save");
    ui.until_label("fixo");
    ui.until_label("does not expire");
    // A screen reader hears it too, in the card's description.
    let described: Vec<String> = ui
        .harness
        .query_all_by_role(Role::Group)
        .filter(|n| n.accesskit_node().label().as_deref() == Some("fixo"))
        .filter_map(|n| n.accesskit_node().description())
        .collect();
    assert_eq!(described, ["valid, does not expire"]);
    // A date the token does not carry: said in the dialog, in days.
    ui.click("Replace token: fixo");
    ui.until("the dialog", |h| {
        h.query_all_by_label("Edit fixo").count() > 0
    });
    ui.harness
        .get_by_label("Token")
        .type_text("fake-opaque-static-token-2");
    ui.harness.step();
    ui.harness.get_by_label("It expires in").click();
    ui.harness.step();
    ui.click("Save");
    ui.until_label("90 days");
    ui.until_label("Replace token: fixo");
    ui.click("Copy token of fixo");
    ui.until_copied("fake-opaque-static-token-2");
    assert_eq!(
        ui.harness
            .query_all_by_role_and_label(Role::Button, "Refresh fixo")
            .count(),
        0
    );
}
