//! Account cards: countdown, copy, refresh, filter, empty state, keychain banner.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

use crate::harness::{Builder, Ui, window_with};
use crate::support::rd;

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn the_countdown_shows_the_time_left_at_a_fixed_now() {
    let left = Duration::from_secs(3 * 3600 + 25 * 60 + 7);
    let mut ui = window_with("fake-access-1", left);
    ui.until_label("03:25:07");
    ui.until_label("valid");
    ui.clock.advance(HOUR);
    ui.until_label("02:25:07");
}

#[test]
fn copy_puts_the_token_on_the_recording_clipboard_in_three_forms() {
    let mut ui = window_with("fake-access-copy", Duration::from_secs(86_000));
    ui.click("Copy token of loja");
    ui.until_copied("fake-access-copy");
    ui.until_text("loja's token copied — clipboard clears in 60 s");
    assert_eq!(ui.copied(), ["fake-access-copy"]);

    ui.harness
        .get_by_label("More ways to copy loja's token")
        .click();
    ui.choose("Copy as Authorization header");
    ui.until_text("loja's Authorization header copied");
    ui.harness
        .get_by_label("More ways to copy loja's token")
        .click();
    ui.choose("Copy as curl command");
    ui.until_text("curl command for loja copied");
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
    let mut ui = window_with("fake-access-clear", Duration::from_secs(86_000));
    ui.copy_token();
    assert_eq!(ui.clipboard_now().as_deref(), Some("fake-access-clear"));
    ui.clock.advance(Duration::from_secs(61));
    ui.until_text("Clipboard cleared");
    assert_eq!(ui.clipboard_now(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_click_shows_refreshing_then_valid() {
    let b = Builder::with_rd().await;
    rd::mount_refresh(
        b.rd(),
        rd::issued("fake-access-new").set_delay(Duration::from_millis(700)),
        1,
    )
    .await;
    b.seed("loja", Some(("fake-access-old", HOUR)), false);
    let mut ui = b.open();
    ui.until_label("01:00:00");
    ui.click("Refresh loja");
    ui.until_label("refreshing…");
    ui.until_label("24:00:00");
    ui.until_label("valid");
    assert!(ui.harness.query_by_label("refreshing…").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_refresh_explains_what_to_do() {
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::invalid_refresh_token(), 1).await;
    b.seed("loja", None, false);
    let mut ui = b.open();
    ui.until_label("loja");
    ui.click("Refresh loja");
    ui.until_label("needs re-authorization");
    // One plain sentence, the button that fixes it, and the story under Details.
    ui.until_text("RD Station no longer accepts this account's refresh token.");
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Authorize again: loja")
            .is_some()
    );
    ui.harness.get_by_label("Details of loja's problem").click();
    ui.until_text("INVALID_REFRESH_TOKEN");
    ui.until_text("Click “Authorize again”, or paste a new refresh token");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_recorded_by_the_cli_is_explained_in_the_windows_language() {
    let mut b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::wrong_credentials(), 1).await;
    b.lang = renova::Lang::PtBr;
    b.seed("loja", None, false);
    // The same refresh `renova refresh loja` runs, before the window opens.
    let renova = b.renova();
    let account = renova.account("loja").unwrap();
    assert!(crate::harness::block_on(renova.refresh(&account)).is_err());
    let mut ui = b.open();
    ui.until_label("loja");
    // One plain sentence and the one button that fixes it; the token kept nothing to copy.
    ui.until_text("O RD Station recusou o client ID ou a chave secreta deste app.");
    assert!(
        ui.harness
            .query_by_label("Editar chave secreta: loja")
            .is_some()
    );
    assert!(
        ui.harness
            .query_by_label("Wrong credentials provided.")
            .is_none()
    );
    // The technical story, with RD's own words, is in Detalhes.
    ui.harness
        .get_by_label("Detalhes do problema de loja")
        .click();
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
    for i in 1..=7 {
        b.seed(&format!("loja-{i}"), Some(("fake-at", HOUR)), false);
    }
    let mut ui = b.open();
    ui.until_label("loja-7");
    ui.type_into("Filter accounts…", "loja-3");
    ui.until("only loja-3", |h| {
        h.query_by_role_and_label(Role::Group, "loja-1").is_none()
    });
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "loja-3")
            .is_some()
    );
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
    let mut b = Builder::new();
    b.seed("loja", Some(("fake-at", HOUR)), true);
    b.keychain = renova::Keychain::with_store(crate::support::faulty::LockedStore::store());
    let mut ui = b.open();
    ui.until_text("The keychain is locked");
    ui.until_text("Unlock it");
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Retry")
            .is_some()
    );
    // The card still shows what state.json knows.
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "loja")
            .is_some()
    );
    assert!(ui.harness.query_by_label("01:00:00").is_some());
}

/// A window whose token has just been copied.
fn window_after_copy() -> Ui {
    let mut ui = window_with("fake-access-quit", Duration::from_secs(86_000));
    ui.copy_token();
    assert_eq!(ui.clipboard_now().as_deref(), Some("fake-access-quit"));
    ui
}

#[test]
fn quitting_clears_the_clipboard_if_it_still_holds_the_token() {
    let mut ui = window_after_copy();
    ui.quit();
    assert_eq!(ui.clipboard_now(), None);
}

#[test]
fn quitting_leaves_the_clipboard_alone_when_the_user_copied_something_else() {
    let mut ui = window_after_copy();
    *ui.clipboard.current.lock().unwrap() = Some("the user's own text".to_owned());
    ui.quit();
    assert_eq!(ui.clipboard_now().as_deref(), Some("the user's own text"));
}

#[test]
fn remove_asks_first_then_deletes_the_account() {
    let mut ui = window_with("fake-at", HOUR);
    ui.card_menu("Remove…");
    ui.until_text("Remove loja?");
    ui.click("Remove");
    ui.until_text("Removed loja");
    ui.until_label("No accounts yet");
    assert!(
        renova::Config::load(ui.renova.profile().paths())
            .unwrap()
            .accounts
            .is_empty()
    );
}

#[test]
fn one_repaint_a_second_while_visible_and_none_while_minimized() {
    let mut ui = window_with("fake-at", HOUR);
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

/// An expired token with automatic refresh off says what happened and what to do, with the
/// button that does it (not a red 00:00:00 alone).
#[test]
fn an_expired_card_with_automatic_refresh_off_says_what_to_do() {
    let b = Builder::new();
    b.seed("loja", Some(("fake-at", HOUR)), false);
    b.clock.advance(HOUR * 2);
    let mut ui = b.open();
    ui.until_text("The token expired and automatic refresh is off: refresh it to get a new one.");
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Button, "Refresh loja")
            .is_some()
    );
}

/// At the precision shown: without the focus the countdown shows whole minutes and the
/// window asks to be drawn again at the next minute, not the next second; hidden (occluded),
/// not at all.
#[test]
fn without_the_focus_one_repaint_a_minute_and_none_while_hidden() {
    let mut ui = window_with("fake-at", HOUR);
    ui.until_label("01:00:00");
    let root = egui::ViewportId::ROOT;
    let viewport = |ui: &mut crate::harness::Ui| {
        ui.harness
            .input_mut()
            .viewports
            .entry(root)
            .or_default()
            .clone()
    };
    let mut info = viewport(&mut ui);
    info.focused = Some(false);
    ui.harness.input_mut().viewports.insert(root, info);
    ui.harness.step();
    ui.harness.step();
    ui.until_label("1 h");
    let delay = ui.harness.output().viewport_output[&root].repaint_delay;
    assert!(
        delay > Duration::from_millis(1010) && delay <= Duration::from_secs(61),
        "unfocused: {delay:?}"
    );
    let mut info = viewport(&mut ui);
    info.occluded = Some(true);
    ui.harness.input_mut().viewports.insert(root, info);
    ui.harness.step();
    ui.harness.step();
    let delay = ui.harness.output().viewport_output[&root].repaint_delay;
    assert_eq!(delay, Duration::MAX, "hidden: no repaint requested");
}

/// Without the focus, an account with no time left still reads 00:00:00 (nothing to round),
/// and one with seconds left reads "< 1 min", never "0 s".
#[test]
fn without_the_focus_no_time_left_reads_as_zero_and_seconds_as_under_a_minute() {
    let b = Builder::new();
    b.seed("loja", Some(("fake-at", Duration::from_secs(30))), false);
    b.seed("nova", None, false);
    let mut ui = b.open();
    ui.until_label("loja");
    let root = egui::ViewportId::ROOT;
    let mut info = ui
        .harness
        .input_mut()
        .viewports
        .entry(root)
        .or_default()
        .clone();
    info.focused = Some(false);
    ui.harness.input_mut().viewports.insert(root, info);
    ui.until_label("< 1 min");
    ui.until_label("00:00:00");
}
