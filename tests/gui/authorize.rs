//! "Authorize again" from a card: the dialog shows the redirect URI and the address, the browser
//! is asked to open it, and a pasted code finishes the authorization.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use renova::core::config::Config;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Builder, seed};
use crate::support::{CLIENT_ID, CLIENT_SECRET, dead_port, rd_tokens};

#[tokio::test(flavor = "multi_thread")]
async fn authorize_again_with_a_pasted_code() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(body_json(json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": "fake-code-777"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens("fake-access-gui", 86400, "fake-refresh-gui")))
        .expect(1)
        .mount(&server)
        .await;
    let b = Builder::new();
    let renova = b.renova();
    seed(
        &renova,
        "loja",
        &server.uri(),
        Some(("fake-at", Duration::from_secs(600))),
        false,
    );
    let redirect = format!("http://127.0.0.1:{}/callback", dead_port());
    let uri = redirect.clone();
    Config::update(renova.paths(), move |c| {
        c.accounts[0].redirect_uri = Some(uri);
        Ok::<_, renova::core::config::ConfigError>(())
    })
    .unwrap();
    let mut ui = b.open();
    ui.until_label("loja");
    ui.harness.get_by_label("…").click();
    ui.until_label("Authorize again…");
    ui.harness.get_by_label("Authorize again…").click();
    ui.until_text("Redirect URI to register");
    ui.until_label(&redirect);
    ui.until_text("/auth/dialog?client_id=");
    let opened = ui.desktop.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].contains("redirect_uri=http%3A%2F%2F127.0.0.1"),
        "{opened:?}"
    );

    let field = ui
        .harness
        .get_by_label("Or paste the redirected address (or the code):");
    field.focus();
    field.type_text("fake-code-777");
    ui.harness.step();
    ui.harness
        .get_by_role_and_label(Role::Button, "Use it")
        .click();
    ui.until_text("loja authorized");
    ui.until_label("24:00:00");
}
