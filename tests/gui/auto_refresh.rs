//! Automatic refresh: lead time, wall-clock jumps (a laptop waking up), backoff, one
//! notification for a permanent failure.

use std::time::Duration;

use egui_kittest::kittest::Queryable;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::{Builder, seed};
use crate::support::{REFRESH_TOKEN, rd_tokens};

async fn rd(server: &MockServer, access: &str) {
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            access,
            86400,
            REFRESH_TOKEN,
        )))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_inside_its_lead_time_is_refreshed_without_a_click() {
    let server = MockServer::start().await;
    rd(&server, "fake-access-auto").await;
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        &server.uri(),
        Some(("fake-at", Duration::from_secs(86_400))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("24:00:00");
    // 10 min 1 s left: outside the 10-minute lead time, nothing happens.
    ui.clock.advance(Duration::from_secs(86_400 - 601));
    ui.until_label("00:10:01");
    std::thread::sleep(Duration::from_millis(1500));
    ui.harness.step();
    assert!(server.received_requests().await.unwrap().is_empty());
    // 10 minutes left: due.
    ui.clock.advance(Duration::from_secs(1));
    ui.until_within("the automatic refresh", Duration::from_secs(5), |h| {
        h.query_by_label("24:00:00").is_some()
    });
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_sleeping_through_the_expiry_it_refreshes_within_seconds_of_waking() {
    let server = MockServer::start().await;
    rd(&server, "fake-access-woke").await;
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        &server.uri(),
        Some(("fake-at", Duration::from_secs(3 * 3600))),
        true,
    );
    let mut ui = b.open();
    ui.until_label("03:00:00");
    assert!(server.received_requests().await.unwrap().is_empty());
    // The laptop sleeps for a day: the wall clock jumps.
    ui.clock.advance(Duration::from_secs(24 * 3600));
    ui.until_within("a refresh after waking", Duration::from_secs(5), |h| {
        h.query_by_label("24:00:00").is_some()
    });
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn automatic_refresh_off_lets_the_token_expire() {
    let server = MockServer::start().await;
    rd(&server, "fake-access-never").await;
    let b = Builder::new();
    seed(
        &b.renova(),
        "loja",
        &server.uri(),
        Some(("fake-at", Duration::from_secs(60))),
        false,
    );
    let mut ui = b.open();
    ui.until_text("automatic refresh off");
    ui.clock.advance(Duration::from_secs(120));
    ui.until_label("expired");
    std::thread::sleep(Duration::from_millis(1500));
    ui.harness.step();
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn transient_failures_back_off_and_show_retrying() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(503).set_body_string("maintenance"))
        .mount(&server)
        .await;
    let b = Builder::new();
    seed(&b.renova(), "loja", &server.uri(), None, true);
    let mut ui = b.open();
    ui.until_text("retrying in");
    // The clock stands still: no second attempt before the backoff ends.
    std::thread::sleep(Duration::from_millis(2500));
    ui.harness.step();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    ui.clock.advance(Duration::from_secs(7));
    ui.until("a second attempt", |_| true);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while server.received_requests().await.unwrap().len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "no retry after the backoff"
        );
        ui.harness.step();
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_failure_stops_retrying_and_notifies_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error_type":"INVALID_REFRESH_TOKEN","error_message":"The provided refresh token is invalid or was revoked."
        })))
        .mount(&server)
        .await;
    let b = Builder::new();
    seed(&b.renova(), "loja", &server.uri(), None, true);
    let mut ui = b.open();
    ui.until_label("needs re-authorization");
    let desktop = ui.desktop.clone();
    ui.until("one notification", move |_| {
        desktop.shown.lock().unwrap().len() == 1
    });
    ui.clock.advance(Duration::from_secs(3600));
    std::thread::sleep(Duration::from_millis(2500));
    ui.harness.step();
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "no retries after a permanent failure"
    );
    let shown = ui.desktop.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].0.contains("loja needs authorization"), "{shown:?}");
}
