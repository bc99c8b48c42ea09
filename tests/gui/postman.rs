//! Postman in the window: the API key in Settings (checked with Postman), and the card's sync
//! line after a refresh.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use renova::core::config::Config;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Builder, seed};
use crate::support::{REFRESH_TOKEN, rd_tokens};

const ENV_ID: &str = "12345678-abcd-ef01-2345-6789abcdef01";

#[tokio::test(flavor = "multi_thread")]
async fn the_key_is_checked_and_kept_and_refreshed_tokens_reach_postman() {
    let pm = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": {"username": "ana", "fullName": "Ana Souza"}})),
        )
        .mount(&pm)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/environments/{ENV_ID}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"environment": {"id": ENV_ID, "values": []}})),
        )
        .mount(&pm)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/environments/{ENV_ID}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"environment": {"id": ENV_ID}})),
        )
        .expect(1)
        .mount(&pm)
        .await;
    let rd = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            "fake-access-pm",
            86400,
            REFRESH_TOKEN,
        )))
        .mount(&rd)
        .await;
    let mut b = Builder::new();
    b.postman_api = pm.uri();
    let renova = b.renova();
    seed(
        &renova,
        "loja",
        &rd.uri(),
        Some(("fake-at", Duration::from_secs(3600))),
        false,
    );
    Config::update(renova.paths(), |c| {
        c.accounts[0].postman_env = Some(ENV_ID.to_owned());
        Ok::<_, renova::core::config::ConfigError>(())
    })
    .unwrap();
    let mut ui = b.open();
    ui.until_label("loja");
    ui.harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    ui.until_label("Postman API key");
    ui.until_text("No key yet. Create one in Postman");
    let field = ui.harness.get_by_label("Postman API key");
    field.focus();
    field.type_text("PMAK-fake-gui-key");
    ui.harness.step();
    ui.harness
        .get_by_role_and_label(Role::Button, "Save and test")
        .click();
    ui.until_text("Saved. The key belongs to Ana Souza.");
    assert_eq!(
        crate::harness::block_on(ui.renova.postman_key())
            .unwrap()
            .map(|k| secrecy::ExposeSecret::expose_secret(&k).to_owned()),
        Some("PMAK-fake-gui-key".to_owned())
    );
    ui.harness
        .get_by_role_and_label(Role::Button, "Close")
        .click();
    ui.harness
        .get_by_role_and_label(Role::Button, "↻ Refresh")
        .click();
    ui.until_text("Postman updated");

    // Settings again: the stored key is acknowledged and can be removed.
    ui.harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    ui.until_text("A key is stored in the keychain");
    ui.harness
        .get_by_role_and_label(Role::Button, "Remove key")
        .click();
    ui.until_text("No key yet. Create one in Postman");
    assert!(
        crate::harness::block_on(ui.renova.postman_key())
            .unwrap()
            .is_none()
    );
}
