//! Account cards: countdown, copy, refresh, filter, empty state, keychain banner.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Builder, seed};
use crate::support::{REFRESH_TOKEN, rd_tokens};

#[test]
fn the_countdown_shows_the_time_left_at_a_fixed_now() {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-access-1", Duration::from_secs(3 * 3600 + 25 * 60 + 7))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("03:25:07");
    ui.until_label("valid");
    ui.clock.advance(Duration::from_secs(3600));
    ui.until_label("02:25:07");
}

#[test]
fn copy_puts_the_token_on_the_recording_clipboard_in_three_forms() {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-access-copy", Duration::from_secs(86_000))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("loja");
    ui.harness
        .get_by_role_and_label(Role::Button, "Copy")
        .click();
    ui.until("the token on the clipboard", |_| true);
    ui.until_text("Token copied — clipboard clears in 60 s");
    assert_eq!(ui.copied(), ["fake-access-copy"]);

    ui.harness.get_by_label("▾").click();
    ui.until_label("Copy as Authorization header");
    ui.harness
        .get_by_label("Copy as Authorization header")
        .click();
    ui.until_text("Authorization header copied");
    ui.harness.get_by_label("▾").click();
    ui.until_label("Copy as curl command");
    ui.harness.get_by_label("Copy as curl command").click();
    ui.until_text("curl command copied");
    assert_eq!(
        ui.copied(),
        [
            "fake-access-copy",
            "Authorization: Bearer fake-access-copy",
            "curl -H 'Authorization: Bearer fake-access-copy' 'http://127.0.0.1:9/marketing/account_info'",
        ]
    );
    ui.assert_no_token_in_copy_text();
}

#[test]
fn the_clipboard_is_cleared_when_its_time_is_up_only_if_it_still_holds_the_token() {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-access-clear", Duration::from_secs(86_000))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("loja");
    ui.harness
        .get_by_role_and_label(Role::Button, "Copy")
        .click();
    ui.until_text("Token copied");
    assert_eq!(
        ui.clipboard.current.lock().unwrap().as_deref(),
        Some("fake-access-clear")
    );
    ui.clock.advance(Duration::from_secs(61));
    ui.until_text("Clipboard cleared");
    assert_eq!(*ui.clipboard.current.lock().unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_click_shows_refreshing_then_valid() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(rd_tokens("fake-access-new", 86400, REFRESH_TOKEN))
                .set_delay(Duration::from_millis(700)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        &server.uri(),
        Some(("fake-access-old", Duration::from_secs(3600))),
        false,
    );
    let mut ui = b.open();
    ui.until_label("01:00:00");
    ui.harness
        .get_by_role_and_label(Role::Button, "↻ Refresh")
        .click();
    ui.until_label("refreshing…");
    ui.until_label("24:00:00");
    ui.until_label("valid");
    assert!(ui.harness.query_by_label("refreshing…").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_refresh_explains_what_to_do() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error_type":"INVALID_REFRESH_TOKEN","error_message":"The provided refresh token is invalid or was revoked."
        })))
        .mount(&server)
        .await;
    let b = Builder::new();
    seed(&b.renova(), "loja", &server.uri(), None, false);
    let mut ui = b.open();
    ui.until_label("loja");
    ui.harness
        .get_by_role_and_label(Role::Button, "↻ Refresh")
        .click();
    ui.until_label("needs re-authorization");
    ui.until_text("INVALID_REFRESH_TOKEN");
    ui.until_text("Click “Authorize in browser”, or paste a new refresh token");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_recorded_by_the_cli_is_explained_in_the_windows_language() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error_type":"ACCESS_DENIED","error_message":"Wrong credentials provided."
        })))
        .mount(&server)
        .await;
    let mut b = Builder::new();
    b.lang = renova::i18n::Lang::PtBr;
    let renova = b.renova();
    seed(&renova, "loja", &server.uri(), None, false);
    // The same refresh `renova refresh loja` runs, before the window opens.
    let account = renova.account("loja").unwrap();
    assert!(crate::harness::block_on(renova.refresh(&account)).is_err());
    let mut ui = b.open();
    ui.until_label("loja");
    ui.until_text("O provedor recusou as credenciais do cliente");
    ui.until_text("Wrong credentials provided.");
    assert!(
        ui.harness
            .query_all_by_label_contains("the provider refused")
            .next()
            .is_none(),
        "English leaked into the Portuguese window"
    );
}

#[test]
fn the_filter_appears_after_five_accounts_and_filters() {
    let b = Builder::new();
    let renova = b.renova();
    for i in 1..=7 {
        seed(
            &renova,
            &format!("loja-{i}"),
            "http://127.0.0.1:9",
            Some(("fake-at", Duration::from_secs(3600))),
            false,
        );
    }
    let mut ui = b.open();
    ui.until_label("loja-7");
    let filter = ui.harness.get_by_label("Filter accounts…");
    filter.focus();
    filter.type_text("loja-3");
    ui.until("only loja-3", |h| h.query_by_label("loja-1").is_none());
    assert!(ui.harness.query_by_label("loja-3").is_some());
}

#[test]
fn no_filter_with_few_accounts_and_an_empty_state_with_none() {
    let b = Builder::new();
    let mut ui = b.open();
    ui.until_label("No accounts yet");
    assert!(
        ui.harness
            .query_all_by_role_and_label(Role::Button, "+ Add account")
            .next()
            .is_some()
    );
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Try the demo")
            .is_some()
    );
    assert!(ui.harness.query_by_label("Filter accounts…").is_none());
}

#[test]
fn a_locked_keychain_shows_a_banner_with_retry_and_the_window_still_works() {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-at", Duration::from_secs(3600))),
        true,
    );
    let b = Builder {
        keychain: renova::core::keychain::Keychain::with_store(
            crate::support::faulty::LockedStore::store(),
        ),
        ..b
    };
    let mut ui = b.open();
    ui.until_text("The keychain is locked");
    ui.until_text("Unlock it");
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Retry")
            .is_some()
    );
    // The card still shows what state.json knows.
    assert!(ui.harness.query_by_label("loja").is_some());
    assert!(ui.harness.query_by_label("01:00:00").is_some());
}

/// A window whose token has just been copied.
fn window_after_copy() -> crate::harness::Ui {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-access-quit", Duration::from_secs(86_000))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("loja");
    ui.harness
        .get_by_role_and_label(Role::Button, "Copy")
        .click();
    ui.until_text("Token copied");
    ui
}

#[test]
fn quitting_clears_the_clipboard_if_it_still_holds_the_token() {
    let ui = window_after_copy();
    // What eframe calls on quit.
    ui.harness.state().worker.clear_clipboard_at_exit();
    assert_eq!(*ui.clipboard.current.lock().unwrap(), None);
}

#[test]
fn quitting_leaves_the_clipboard_alone_when_the_user_copied_something_else() {
    let ui = window_after_copy();
    *ui.clipboard.current.lock().unwrap() = Some("the user's own text".to_owned());
    ui.harness.state().worker.clear_clipboard_at_exit();
    assert_eq!(
        ui.clipboard.current.lock().unwrap().as_deref(),
        Some("the user's own text")
    );
}

#[test]
fn remove_asks_first_then_deletes_the_account() {
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
    ui.harness.get_by_label("…").click();
    ui.until_label("Remove…");
    ui.harness.get_by_label("Remove…").click();
    ui.until_text("Remove loja?");
    ui.harness
        .get_by_role_and_label(Role::Button, "Remove")
        .click();
    ui.until_text("Removed loja");
    ui.until_label("No accounts yet");
    assert!(
        renova::core::config::Config::load(ui.renova.paths())
            .unwrap()
            .accounts
            .is_empty()
    );
}

#[test]
fn one_repaint_a_second_while_visible_and_none_while_minimized() {
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        "http://127.0.0.1:9",
        Some(("fake-at", Duration::from_secs(3600))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("01:00:00");
    ui.harness.step();
    let root = egui::ViewportId::ROOT;
    let delay = ui.harness.output().viewport_output[&root].repaint_delay;
    assert!(
        delay > Duration::from_millis(0) && delay <= Duration::from_millis(1010),
        "visible: {delay:?}"
    );
    ui.harness
        .input_mut()
        .viewports
        .entry(root)
        .or_default()
        .minimized = Some(true);
    ui.harness.step();
    ui.harness.step();
    let delay = ui.harness.output().viewport_output[&root].repaint_delay;
    assert_eq!(delay, Duration::MAX, "minimized: no repaint requested");
}
