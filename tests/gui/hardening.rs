//! Hardening, as the window shows it: no piece of a secret on a card or a toast, however a
//! provider quotes the request back; an endpoint changed behind Renova's back is refused on
//! the card, with Confirm.

use std::sync::atomic::Ordering;

use egui_kittest::kittest::Queryable;

use crate::harness::Builder;
use crate::support::echo::Echo;
use crate::support::{LONE_REFRESH, LONE_SECRET, pieces, rd};

const DAY: std::time::Duration = std::time::Duration::from_secs(86_000);

#[tokio::test(flavor = "multi_thread")]
async fn no_piece_of_a_secret_reaches_a_card_or_a_toast() {
    for (pad, json) in [(0, false), (113, false), (118, true), (200, false)] {
        let b = Builder::with_rd().await;
        let echo = Echo::default();
        echo.pad.store(pad, Ordering::SeqCst);
        echo.json.store(json, Ordering::SeqCst);
        rd::token_endpoint()
            .respond_with(echo)
            .expect(1)
            .mount(b.rd())
            .await;
        b.seed_with("loja", None, false, (LONE_SECRET, LONE_REFRESH));
        let mut ui = b.open();
        ui.until_label("loja");
        ui.click("Refresh loja");
        ui.until_label("needs re-authorization");
        // The provider's own words (the echo) are under Details: open it.
        ui.harness.get_by_label("Details of loja's problem").click();
        ui.until_text("The provider refused the request (HTTP 400)");
        for piece in pieces(&[LONE_SECRET, LONE_REFRESH]) {
            let found: Vec<String> = ui
                .harness
                .query_all_by_label_contains(&piece)
                .map(|n| format!("{n:?}"))
                .collect();
            assert!(
                found.is_empty(),
                "{piece} (padding {pad}) on screen: {found:?}"
            );
        }
        // wiremock checks its expectations when dropped, blocking: not on a runtime thread.
        tokio::task::block_in_place(move || drop(ui));
    }
}

/// The card and its Details, for every encoding a provider may quote the secrets in (the
/// same echo as `tests/cli/echoes.rs`): no run of 8 characters of a secret on screen.
#[tokio::test(flavor = "multi_thread")]
async fn no_encoding_of_a_secret_reaches_the_card_or_its_details() {
    use crate::support::echo::{EncodingEcho, Form};
    use crate::support::{ODD_REFRESH, ODD_SECRET};
    for form in Form::all(ODD_REFRESH.len()) {
        let b = Builder::with_rd().await;
        let echo = EncodingEcho::new(vec![form.clone()]);
        echo.pad.store(17, Ordering::SeqCst);
        rd::token_endpoint()
            .respond_with(echo)
            .expect(1)
            .mount(b.rd())
            .await;
        b.seed_with("loja", None, false, (ODD_SECRET, ODD_REFRESH));
        let mut ui = b.open();
        ui.until_label("loja");
        ui.click("Refresh loja");
        ui.until_label("needs re-authorization");
        ui.harness.get_by_label("Details of loja's problem").click();
        ui.until_text("invalid request");
        let secret: Vec<char> = ODD_SECRET.chars().collect();
        let refresh: Vec<char> = ODD_REFRESH.chars().collect();
        for run in secret.windows(8).chain(refresh.windows(8)) {
            let run: String = run.iter().collect();
            let found: Vec<String> = ui
                .harness
                .query_all_by_label_contains(&run)
                .map(|n| format!("{n:?}"))
                .collect();
            assert!(found.is_empty(), "{run} ({form:?}) on screen: {found:?}");
        }
        // wiremock checks its expectations when dropped, blocking: not on a runtime thread.
        tokio::task::block_in_place(move || drop(ui));
    }
}

#[test]
fn the_clipboard_clears_on_a_monotonic_clock_not_the_wall_clock() {
    use renova::Clock;
    let mut ui =
        crate::harness::window_with("fake-access-mono", std::time::Duration::from_secs(86_000));
    ui.copy_token();
    // Someone sets the wall clock an hour ahead: no time has passed, the copy stays.
    let an_hour_on = ui.clock.now() + jiff::SignedDuration::from_secs(3600);
    ui.clock.set(an_hour_on);
    ui.idle(std::time::Duration::from_millis(1500));
    assert_eq!(ui.clipboard_now().as_deref(), Some("fake-access-mono"));
    // A minute really passes: it goes.
    ui.clock.advance(std::time::Duration::from_secs(61));
    ui.until_text("Clipboard cleared");
    assert_eq!(ui.clipboard_now(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_changed_behind_renovas_back_is_a_card_error_with_a_confirm_button() {
    let b = Builder::with_rd().await;
    b.seed("loja", Some(("fake-access-bound", DAY)), false);
    let elsewhere = wiremock::MockServer::start().await;
    rd::mount_refresh(&elsewhere, rd::issued("fake-access-elsewhere"), 1).await;
    let moved = elsewhere.uri();
    b.edit_first_account(|account| account.base_url = Some(moved.clone()));
    let mut ui = b.open();
    ui.until_label("loja");
    ui.click("Refresh loja");
    // The card says it (the toast only points there, as for any failure the card keeps).
    ui.until_text("loja was not refreshed — its card says what to do.");
    ui.until_text("Accounts.toml now sends the secrets of “loja”");
    ui.until_label("Confirm");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    // The toast goes; the card keeps saying it until the user acts.
    ui.clock.advance(std::time::Duration::from_secs(30));
    ui.idle(std::time::Duration::from_millis(200));
    ui.until_text("If you made that change, press Confirm");
    ui.click("Confirm");
    // The card's sentence starts with a capital ("Accounts.toml now sends…"); the toast has
    // gone already, so the card is what must lose it, with its Confirm button.
    ui.until("the card's error gone", |h| {
        h.query_all_by_label_contains("now sends the secrets of")
            .next()
            .is_none()
            && h.query_all_by_label("Confirm").next().is_none()
    });
    // The card stays busy until the confirmation is written; a click before then is ignored.
    ui.until_label("valid");
    ui.click("Refresh loja");
    ui.until_async("the refresh at the confirmed endpoint", || async {
        elsewhere.received_requests().await.unwrap().len() == 1
    })
    .await;
}
