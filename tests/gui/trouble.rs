//! A failed refresh as the card tells it: one plain sentence, one button that fixes it, the
//! token kept while it works, the provider's own words under Details, and the failure shown
//! until a refresh succeeds (as `renova list` reports it).

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use wiremock::ResponseTemplate;

use crate::harness::{Builder, Ui};
use crate::support::rd;

/// `loja` holds a token with 23 h 59 min left; RD answers the next refresh with `answer`.
async fn refused_with(answer: ResponseTemplate, lang: renova::Lang) -> Ui {
    let mut b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), answer, 1).await;
    b.lang = lang;
    b.seed(
        "loja",
        Some(("fake-at", Duration::from_secs(86_340))),
        false,
    );
    let mut ui = b.open();
    ui.until_label("23:59:00");
    ui.click(if lang == renova::Lang::En {
        "Refresh loja"
    } else {
        "Renovar loja"
    });
    ui
}

fn visible(ui: &Ui, part: &str) -> bool {
    ui.harness
        .query_all_by_label_contains(part)
        .next()
        .is_some()
}

fn button(ui: &Ui, label: &str) -> bool {
    ui.harness
        .query_by_role_and_label(Role::Button, label)
        .is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_secret_keeps_the_token_and_offers_edit_secret() {
    let mut ui = refused_with(rd::wrong_credentials(), renova::Lang::En).await;
    ui.until_text(
        "RD Station refused this app's client ID or secret. The current token still works for 23 h 59 min.",
    );
    // One action that fixes it, and the token that still works.
    assert!(button(&ui, "Edit secret: loja"));
    assert!(button(&ui, "Copy token of loja"));
    assert!(!button(&ui, "Authorize again: loja") && !button(&ui, "Authorize in browser: loja"));
    assert!(!button(&ui, "Refresh loja"), "refreshing again cannot help");
    // No HTTP codes or provider jargon until Details is opened.
    for jargon in [
        "401",
        "ACCESS_DENIED",
        "Wrong credentials provided",
        "App Publisher",
    ] {
        assert!(!visible(&ui, jargon), "{jargon} shown in the sentence");
    }
    ui.harness.get_by_label("Details of loja's problem").click();
    ui.until_text("HTTP 401");
    ui.until_text("ACCESS_DENIED: Wrong credentials provided.");
    // The fix opens the account's edit dialog.
    ui.click("Edit secret: loja");
    ui.until_text("Edit loja");
    ui.until_label("Client secret");
    // Copy still copies the token that works.
    ui.harness.key_press(egui::Key::Escape);
    ui.harness.step();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_refresh_token_offers_authorize_again_in_portuguese() {
    let mut ui = refused_with(rd::invalid_refresh_token(), renova::Lang::PtBr).await;
    ui.until_text("O RD Station não aceita mais o refresh token desta conta.");
    ui.until_text("O token atual ainda vale por 23 h 59 min.");
    assert!(button(&ui, "Autorizar de novo: loja"));
    assert!(button(&ui, "Copiar token de loja"));
    assert!(!visible(&ui, "INVALID_REFRESH_TOKEN"));
    assert!(
        !visible(&ui, "The provided refresh token"),
        "English in the sentence"
    );
    ui.harness
        .get_by_label("Detalhes do problema de loja")
        .click();
    ui.until_text("The provided refresh token is invalid or was revoked.");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_provider_outage_offers_retry_now_and_stays_shown_until_a_refresh_succeeds() {
    let b = Builder::with_rd().await;
    // Down for the click and for the automatic retry after it, then up.
    rd::refresh()
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .up_to_n_times(2)
        .expect(2)
        .mount(b.rd())
        .await;
    b.seed("loja", Some(("fake-at", Duration::from_secs(86_340))), true);
    let mut ui = b.open();
    ui.until_label("23:59:00");
    ui.click("Refresh loja");
    // RD answered, with an error of its own: not "could not reach".
    ui.until_text("RD Station is having trouble answering right now.");
    ui.until_text("Next automatic try:");
    assert!(!visible(&ui, "could not reach"));
    assert!(button(&ui, "Retry now: loja"));
    assert!(button(&ui, "Copy token of loja"));
    assert!(!visible(&ui, "503"));
    // The backoff ends: the window tries once more (the token still has a day), RD is still
    // down, and the card still tells the failure, as `renova list` does.
    ui.clock.advance(Duration::from_secs(600));
    ui.until_received(2).await;
    ui.until_text("Next automatic try:");
    assert!(visible(
        &ui,
        "RD Station is having trouble answering right now."
    ));
    let row = ui
        .renova
        .list(ui.renova.now())
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    assert!(
        row.state.last_error.is_some(),
        "the card and `renova list` agree"
    );
    // Retry now goes to RD; a success clears it.
    rd::mount_refresh(ui.rd(), rd::issued("fake-access-back"), 1).await;
    ui.click("Retry now: loja");
    ui.until_label("24:00:00");
    assert!(!visible(&ui, "having trouble"));
}

/// A window whose one account `loja` (automatic refresh off) holds `token` for `valid_for`,
/// and whose RD fails the one refresh it will be asked.
async fn down_once(token: &str, valid_for: Duration) -> Ui {
    let b = Builder::with_rd().await;
    rd::mount_refresh(
        b.rd(),
        ResponseTemplate::new(503).set_body_string("down"),
        1,
    )
    .await;
    b.seed("loja", Some((token, valid_for)), false);
    b.open()
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_gives_the_token_that_still_works_when_the_refresh_before_it_fails() {
    // Ten minutes left, under the 15-minute copy minimum; RD is down when Refresh is clicked.
    let mut ui = down_once("fake-access-short", Duration::from_secs(600)).await;
    ui.until_label("00:10:00");
    ui.click("Refresh loja");
    ui.until_text("The current token still works for 10 min.");
    // Copy still gives the token the card says works.
    ui.click("Copy token of loja");
    ui.until_copied("fake-access-short");
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_while_rd_is_down_asks_rd_once_then_gives_the_token_that_still_works() {
    // Exactly one request: the refresh the copy needs, which RD fails.
    let mut ui = down_once("fake-access-aging", Duration::from_secs(86_400)).await;
    ui.until_label("24:00:00");
    // A day later, eight minutes are left: under the 15-minute copy minimum.
    ui.clock.advance(Duration::from_secs(86_400 - 480));
    ui.until_label("00:08:00");
    assert_eq!(ui.received().await, 0);
    ui.click("Copy token of loja");
    ui.until_copied("fake-access-aging");
    assert_eq!(ui.received().await, 1, "the copy asked RD first");
    // The toast says it is the current token and how long it still works.
    ui.until_text("The refresh failed, so this is the current token: it works for 8 min more");
    // The card tells the failure, and that the token copied still works.
    ui.until_text("RD Station is having trouble answering right now.");
    ui.until_text("The current token still works for 8 min.");
}

#[tokio::test(flavor = "multi_thread")]
async fn while_rd_asks_to_wait_there_is_no_button_to_ask_again() {
    let b = Builder::with_rd().await;
    rd::mount_refresh(
        b.rd(),
        ResponseTemplate::new(429)
            .insert_header("retry-after", "600")
            .set_body_json(serde_json::json!({"errors": {"error_type": "RATE_LIMIT_EXCEDDED", "error_message": "API usage limit exceeded"}})),
        1,
    )
    .await;
    b.seed("loja", Some(("fake-at", Duration::from_secs(86_340))), true);
    let mut ui = b.open();
    ui.until_label("23:59:00");
    ui.click("Refresh loja");
    ui.until_text("RD Station asked Renova to wait a while.");
    assert!(
        !button(&ui, "Retry now: loja"),
        "asking again would only be refused"
    );
    assert!(button(&ui, "Copy token of loja"));
}
