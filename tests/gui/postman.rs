//! Postman in the window: the API key in Settings (checked with Postman), and the card's sync
//! line after a refresh.

use std::time::Duration;

use serde_json::json;

use egui_kittest::kittest::Queryable;

use crate::harness::{Builder, Ui};
use crate::support::postman::{self, ENV_ID};
use crate::support::rd;

const KEY: &str = "PMAK-fake-gui-key";

/// The Postman key in the keychain.
fn stored_key(ui: &Ui) -> Option<String> {
    crate::harness::block_on(ui.renova.postman().key())
        .unwrap()
        .map(|k| secrecy::ExposeSecret::expose_secret(&k).to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_is_checked_and_kept_and_refreshed_tokens_reach_postman() {
    let pm = postman::server(KEY, postman::environment(&json!([]))).await;
    postman::patch(KEY)
        .respond_with(postman::updated())
        .expect(1)
        .mount(&pm)
        .await;
    let mut b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::issued("fake-access-pm"), 1).await;
    b.postman_api = pm.uri();
    b.seed("loja", Some(("fake-at", Duration::from_secs(3600))), false);
    b.edit_first_account(|account| account.postman_env = Some(ENV_ID.to_owned()));
    let mut ui = b.open();
    ui.until_label("loja");
    ui.open_settings();
    ui.until_label("Postman API key");
    ui.until_text("No key yet. Create one in Postman");
    ui.type_into("Postman API key", KEY);
    ui.click("Save and test");
    ui.until_text("Saved. The key belongs to Ana Souza.");
    assert_eq!(stored_key(&ui), Some(KEY.to_owned()));
    ui.click("Close");
    ui.click("Refresh loja");
    ui.until_text("Postman updated");

    // Settings again: the stored key is acknowledged and can be removed.
    ui.open_settings();
    ui.until_text("A key is stored in the keychain");
    ui.click("Remove key");
    ui.until_text("No key yet. Create one in Postman");
    assert_eq!(stored_key(&ui), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_edit_dialog_warns_about_a_team_workspace_and_remembers_sync_anyway() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let pm = postman::server(KEY, postman::environment(&json!([]))).await;
    Mock::given(method("GET"))
        .and(path("/workspaces"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"workspaces": [
                {"id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team"}
            ]})),
        )
        .mount(&pm)
        .await;
    Mock::given(method("GET"))
        .and(path("/workspaces/ws-team"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"workspace": {
                "id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team",
                "environments": [{"id": ENV_ID, "name": "RD"}]
            }})),
        )
        .mount(&pm)
        .await;
    let mut ui = edit_with_postman_env(Builder::new(), &pm);
    ui.until_text("is in the workspace “RD Team”, which others can see");
    ui.harness
        .get_by_label("Sync anyway (my teammates will see the token)")
        .click();
    ui.harness.run();
    ui.click("Save");
    ui.until_text("Saved loja");
    let config = renova::Config::load(ui.renova.profile().paths()).unwrap();
    let account = config.find("loja").unwrap();
    assert_eq!(account.postman_env.as_deref(), Some(ENV_ID));
    assert!(account.postman_shared_ok, "the answer is remembered");
}

/// An answer that does not prove the environment is the person's own (a workspace that says
/// only-me and team at once): the dialog warns with the same checkbox, and a refresh writes
/// nothing and says why on the card.
#[tokio::test(flavor = "multi_thread")]
async fn an_unclear_workspace_is_warned_about_and_nothing_is_written() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let pm = postman::server(KEY, postman::environment(&json!([]))).await;
    postman::patch(KEY)
        .respond_with(postman::updated())
        .expect(0)
        .mount(&pm)
        .await;
    Mock::given(method("GET"))
        .and(path("/workspaces"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"workspaces": [
                {"id": "ws-odd", "name": "Odd", "type": "team", "visibility": "only-me"}
            ]})),
        )
        .mount(&pm)
        .await;
    Mock::given(method("GET"))
        .and(path("/workspaces/ws-odd"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"workspace": {"environments": [{"id": ENV_ID, "name": "RD"}]}}),
            ),
        )
        .mount(&pm)
        .await;
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::issued("fake-access-pm"), 1).await;
    let mut ui = edit_with_postman_env(b, &pm);
    ui.until_text("Postman's answers do not show who can see this environment (the workspace “Odd”, which holds it, does not say plainly that it is only yours)");
    ui.until_label("Sync anyway (my teammates will see the token)");
    ui.click("Save");
    ui.until_text("Saved loja");
    // The dialog's last frame can still hold the pointer: click once it is gone.
    ui.until("the dialog closed", |h| {
        h.query_by_label("Client secret").is_none()
    });
    ui.harness.run();
    ui.click("Refresh loja");
    ui.until_received(1).await;
    ui.until_text("so Renova did not write the token there");
    ui.until_text("the workspace “Odd”, which holds it, does not say plainly");
    tokio::task::block_in_place(move || drop(ui));
}

/// `loja` (a token for an hour, the Postman key stored, Postman at `pm`) in its Edit dialog,
/// Postman sync turned on and the environment id typed; leaving the field asks Postman.
fn edit_with_postman_env(mut b: Builder, pm: &wiremock::MockServer) -> Ui {
    b.postman_api = pm.uri();
    b.seed("loja", Some(("fake-at", Duration::from_secs(3600))), false);
    crate::harness::block_on(b.renova().postman().set_key(&KEY.into())).unwrap();
    let mut ui = b.open();
    ui.until_label("loja");
    ui.card_menu("Edit…");
    ui.until_label("Client secret");
    ui.harness
        .get_by_label("Send each new token to Postman")
        .click();
    ui.harness.run();
    ui.type_into("Postman environment id", ENV_ID);
    ui.harness.get_by_label("Variable").focus();
    ui
}
