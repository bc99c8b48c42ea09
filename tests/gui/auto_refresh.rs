//! Automatic refresh: lead time, wall-clock jumps (a laptop waking up), backoff, one
//! notification for a permanent failure.

use std::time::Duration;

use egui_kittest::kittest::Queryable;
use renova::Switch;
use wiremock::ResponseTemplate;

use crate::harness::{Builder, Ui};
use crate::support::rd;

/// A window with account `loja` whose RD answers `times` refreshes with `answer`.
async fn window_answering(
    answer: ResponseTemplate,
    times: u64,
    token: Option<(&str, Duration)>,
    auto_refresh: bool,
) -> Ui {
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), answer, times).await;
    b.seed("loja", token, auto_refresh);
    b.open()
}

/// A window with account `loja` holding a token valid for `valid_for`; RD issues day-long
/// tokens, `refreshes` times.
async fn window_holding(valid_for: Duration, auto_refresh: bool, refreshes: u64) -> Ui {
    let token = Some(("fake-at", valid_for));
    window_answering(
        rd::issued("fake-access-new"),
        refreshes,
        token,
        auto_refresh,
    )
    .await
}

/// Steps until the card shows a new day-long token, within 5 s.
fn until_refreshed(ui: &mut Ui, what: &str) {
    ui.until_within(what, Duration::from_secs(5), |h| {
        h.query_by_label("24:00:00").is_some()
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_inside_its_lead_time_is_refreshed_without_a_click() {
    let mut ui = window_holding(Duration::from_secs(86_400), true, 1).await;
    ui.until_label("24:00:00");
    // 10 min 1 s left: outside the 10-minute lead time, nothing happens.
    ui.clock.advance(Duration::from_secs(86_400 - 601));
    ui.until_label("00:10:01");
    ui.idle(Duration::from_millis(1500));
    assert_eq!(ui.received().await, 0);
    // 10 minutes left: due.
    ui.clock.advance(Duration::from_secs(1));
    until_refreshed(&mut ui, "the automatic refresh");
    assert_eq!(ui.received().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_sleeping_through_the_expiry_it_refreshes_within_seconds_of_waking() {
    let mut ui = window_holding(Duration::from_secs(3 * 3600), true, 1).await;
    ui.until_label("03:00:00");
    assert_eq!(ui.received().await, 0);
    // The laptop sleeps for a day: the wall clock jumps.
    ui.clock.advance(Duration::from_secs(24 * 3600));
    until_refreshed(&mut ui, "a refresh after waking");
    assert_eq!(ui.received().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn automatic_refresh_off_lets_the_token_expire() {
    let mut ui = window_holding(Duration::from_secs(60), false, 0).await;
    ui.until_text("automatic refresh off");
    ui.clock.advance(Duration::from_secs(120));
    ui.until_label("expired");
    ui.idle(Duration::from_millis(1500));
    assert_eq!(ui.received().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn transient_failures_back_off_and_show_retrying() {
    // The first attempt and one retry: the clock stands still after that.
    let mut ui = window_answering(
        ResponseTemplate::new(503).set_body_string("maintenance"),
        2,
        None,
        true,
    )
    .await;
    ui.until_text("retrying in 30 s");
    // The clock stands still: no second attempt before the backoff ends.
    ui.idle(Duration::from_millis(2500));
    assert_eq!(ui.received().await, 1);
    // The backoff's 5 s step is lifted to the 30 s between automatic attempts.
    ui.clock.advance(Duration::from_secs(7));
    ui.idle(Duration::from_millis(1500));
    assert_eq!(ui.received().await, 1);
    ui.clock.advance(Duration::from_secs(23));
    ui.until_received(2).await;
    ui.until_text("retrying in");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_failure_stops_retrying_and_notifies_once() {
    let mut ui = window_answering(rd::invalid_refresh_token(), 1, None, true).await;
    ui.until_label("needs re-authorization");
    let desktop = ui.desktop.clone();
    ui.until("one notification", move |_| {
        desktop.shown.lock().unwrap().len() == 1
    });
    ui.clock.advance(Duration::from_secs(3600));
    ui.idle(Duration::from_millis(2500));
    assert_eq!(
        ui.received().await,
        1,
        "no retries after a permanent failure"
    );
    let shown = ui.desktop.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].0.contains("loja needs authorization"), "{shown:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_provider_answering_expires_in_1_gets_one_automatic_refresh_every_30_s() {
    let mut ui = window_answering(
        rd::tokens("fake-access-1s", 1, crate::support::REFRESH_TOKEN),
        2,
        None,
        true,
    )
    .await;
    ui.until_received(1).await;
    // The token died a second later; a few seconds on, it is still not asked again.
    ui.clock.advance(Duration::from_secs(5));
    ui.idle(Duration::from_millis(1500));
    ui.clock.advance(Duration::from_secs(5));
    ui.idle(Duration::from_millis(1500));
    assert_eq!(ui.received().await, 1);
    // 30 s after the first attempt: once more.
    ui.clock.advance(Duration::from_secs(20));
    ui.until_received(2).await;
    ui.idle(Duration::from_millis(1500));
    assert_eq!(ui.received().await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_background_agent_running_the_window_leaves_automatic_refresh_to_it() {
    use renova::AgentControl;
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::issued("fake-access-new"), 0).await;
    b.agent.set(Switch::On).unwrap();
    b.seed("loja", None, true);
    let mut ui = b.open();
    ui.until_label("background on");
    ui.idle(Duration::from_millis(2500));
    assert_eq!(ui.received().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_503_the_next_try_the_card_shows_is_the_one_made() {
    // Down for the click and for the one automatic try after it.
    let mut ui = window_answering(
        ResponseTemplate::new(503).set_body_string("down"),
        2,
        Some(("fake-at", Duration::from_secs(86_400))),
        true,
    )
    .await;
    ui.until_label("24:00:00");
    ui.click("Refresh loja");
    ui.until_text("Next automatic try:");
    assert_eq!(ui.received().await, 1);
    let next = ui.renova.list(ui.renova.now()).unwrap()[0]
        .status
        .next_try
        .expect("the card shows the next try");
    // The test clock moves in whole seconds; the backoff has a fraction.
    let ceil = next.as_second() + i64::from(next.subsec_nanosecond() > 0);
    let wait = Duration::from_secs(u64::try_from(ceil - ui.renova.now().as_second()).unwrap());
    // A second before it: nothing.
    ui.clock.advance(wait - Duration::from_secs(1));
    ui.idle(Duration::from_millis(1500));
    assert_eq!(
        ui.received().await,
        1,
        "tried before the time the card showed"
    );
    // At it: exactly one attempt.
    ui.clock.advance(Duration::from_secs(1));
    ui.until_received(2).await;
    ui.idle(Duration::from_millis(2500));
    assert_eq!(ui.received().await, 2);
}
