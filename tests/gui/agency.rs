//! An agency's list: attention first then time left (or by name), the summary line, a filter
//! that ignores case and accents with Esc, × and Ctrl+F, columns on a wide window, a compact
//! mode that fits a dozen accounts, and a saved account scrolled into view.

use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use renova::State;

use crate::harness::{Builder, Ui, block_on};
use crate::support::{CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, rd};

const HOUR: Duration = Duration::from_secs(3600);

fn y(ui: &Ui, label: &str) -> f32 {
    ui.harness
        .get_by_role_and_label(Role::Group, label)
        .rect()
        .min
        .y
}

/// Each account's card is above the next one's.
fn assert_order(ui: &Ui, order: &[&str]) {
    for pair in order.windows(2) {
        assert!(
            y(ui, pair[0]) < y(ui, pair[1]),
            "{} before {}",
            pair[0],
            pair[1]
        );
    }
}

/// Seven accounts: one expired, one refused by RD, the rest valid for different times.
async fn seven() -> Ui {
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::wrong_credentials(), 1).await;
    for (name, hours) in [
        ("zeta", 5),
        ("alfa", 9),
        ("beta", 2),
        ("old", 0),
        ("gamma", 20),
    ] {
        let d = if hours == 0 { HOUR / 2 } else { HOUR * hours };
        b.seed(name, Some(("fake-at", d)), false);
    }
    b.seed("broken", Some(("fake-at", HOUR * 30)), false);
    b.seed("centro", Some(("fake-at", HOUR * 12)), false);
    let renova = b.renova();
    let broken = renova.account("broken").unwrap();
    assert!(block_on(renova.refresh(&broken)).is_err());
    let centro = renova.account("centro").unwrap().id;
    State::update_account(&b.paths, &centro, |a| {
        a.account_name = Some("Goiânia Centro".to_owned());
    })
    .unwrap();
    // An hour later, `old` has expired.
    b.clock.advance(HOUR);
    let mut ui = b.open();
    ui.until_label("zeta");
    ui
}

#[tokio::test(flavor = "multi_thread")]
async fn attention_first_then_time_left_or_by_name_with_a_summary() {
    let mut ui = seven().await;
    ui.until_text("7 accounts · 2 need attention");
    let order = ["old", "broken", "beta", "zeta", "alfa", "centro", "gamma"];
    assert_order(&ui, &order);
    ui.harness.get_by_label("By name").click();
    ui.harness.run();
    let order = ["alfa", "beta", "broken", "centro", "gamma", "old", "zeta"];
    assert_order(&ui, &order);
    assert_eq!(ui.harness.state().prefs.order, renova::ListOrder::Name);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_filter_ignores_accents_and_esc_ctrl_f_and_the_clear_button_work() {
    let mut ui = seven().await;
    ui.harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    ui.harness.run();
    assert!(
        ui.harness.get_by_label("Filter accounts…").is_focused(),
        "Ctrl+F"
    );
    ui.harness
        .get_by_label("Filter accounts…")
        .type_text("GOIANIA");
    ui.harness.run();
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "centro")
            .is_some()
    );
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "zeta")
            .is_none()
    );
    ui.until_text("7 accounts · 2 need attention · 1 shown");
    ui.harness.key_press(Key::Escape);
    ui.harness.run();
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "zeta")
            .is_some(),
        "Esc clears the filter"
    );
    let filter = ui.harness.get_by_label("Filter accounts…");
    filter.focus();
    filter.type_text("zeta");
    ui.harness.run();
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "alfa")
            .is_none()
    );
    ui.harness.get_by_label("×").click();
    ui.harness.run();
    assert!(
        ui.harness
            .query_by_role_and_label(Role::Group, "alfa")
            .is_some(),
        "× clears the filter"
    );
}

/// Twelve accounts on a 1280×800 window.
fn twelve() -> Ui {
    let mut b = Builder::new();
    b.size = [1280.0, 800.0];
    for i in 1..=12 {
        b.seed(
            &format!("conta-{i:02}"),
            Some(("fake-at", HOUR * (i + 1))),
            false,
        );
    }
    let mut ui = b.open();
    ui.until_label("conta-01");
    ui
}

#[test]
fn a_wide_window_has_two_columns_and_compact_mode_fits_twelve_accounts() {
    let mut ui = twelve();
    let (one, two) = (
        ui.harness
            .get_by_role_and_label(Role::Group, "conta-01")
            .rect(),
        ui.harness
            .get_by_role_and_label(Role::Group, "conta-02")
            .rect(),
    );
    assert!(
        (one.min.y - two.min.y).abs() < 1.0 && two.min.x > one.max.x,
        "two columns"
    );
    ui.harness.get_by_label("Compact").click();
    ui.harness.run();
    for i in 1..=12 {
        let rect = ui.harness.get_by_label(&format!("conta-{i:02}")).rect();
        assert!(
            rect.max.y <= 800.0,
            "conta-{i:02} at {rect:?} is out of view"
        );
    }
    assert!(ui.harness.state().prefs.compact);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_account_is_scrolled_into_view() {
    let mut b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::issued("fake-access-nova"), 1).await;
    for i in 1..=12 {
        b.seed(
            &format!("conta-{i:02}"),
            Some(("fake-at", HOUR * (i + 1))),
            false,
        );
    }
    b.size = [760.0, 600.0];
    let mut ui = b.open();
    ui.until_label("conta-01");
    ui.harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    ui.until_label("Client secret");
    ui.type_into("Name", "zz-nova");
    ui.type_into("Client ID", CLIENT_ID);
    ui.type_into("Client secret", CLIENT_SECRET);
    ui.type_into("Refresh token", REFRESH_TOKEN);
    ui.harness.get_by_label("Advanced").click();
    ui.until_label("Base URL");
    let uri = ui.rd().uri();
    ui.type_into("Base URL", &uri);
    // Enter in a field saves (Save itself may be scrolled out of this small dialog).
    ui.harness.key_press(Key::Enter);
    // Saved, then its one try of the new credentials works ("Connected" replaces the "Saved"
    // toast): with 24 h left it sorts last (attention first, then by time left), below twelve
    // cards, and the view follows it there.
    ui.until_text("Connected — RD Station accepted the credentials of zz-nova.");
    ui.until("zz-nova scrolled into view at the end", |h| {
        let nova = h
            .query_by_role_and_label(Role::Group, "zz-nova")
            .map(|n| n.rect());
        let first = h
            .query_by_role_and_label(Role::Group, "conta-01")
            .map(|n| n.rect());
        nova.is_some_and(|r| r.min.y >= 0.0 && r.max.y <= 600.0)
            && first.is_none_or(|r| r.max.y < 0.0)
    });
    ui.until_received(1).await;
}

/// The list stays still under the pointer: a background refresh that moves an account to the
/// top waits while the pointer is over the list, so the button under it stays the one it was;
/// when the pointer leaves, the list takes its new order.
#[tokio::test(flavor = "multi_thread")]
async fn a_reorder_waits_while_the_pointer_is_over_the_list() {
    let b = Builder::with_rd().await;
    rd::mount_refresh(b.rd(), rd::wrong_credentials(), 1).await;
    b.seed("loja", Some(("fake-at", HOUR * 2)), false);
    b.seed("moda", Some(("fake-at", HOUR * 5)), false);
    let renova = b.renova();
    let mut ui = b.open();
    ui.until_text("2 accounts · all fresh");
    assert_order(&ui, &["loja", "moda"]);
    let refresh = ui.harness.get_by_label("Refresh loja");
    let under_pointer = refresh.rect();
    refresh.hover();
    ui.harness.step();

    // Another process refreshes moda and RD refuses: moda now needs attention.
    let moda = renova.account("moda").unwrap();
    assert!(block_on(renova.refresh(&moda)).is_err());
    ui.until_text("2 accounts · 1 needs attention");
    ui.idle(Duration::from_millis(200));
    assert_eq!(
        ui.harness.get_by_label("Refresh loja").rect(),
        under_pointer,
        "the button under the pointer moved"
    );
    assert_order(&ui, &["loja", "moda"]);

    // The pointer leaves the window: the new order applies.
    ui.harness.event(egui::Event::PointerGone);
    ui.until("moda first", |h| {
        let y = |n: &str| h.get_by_role_and_label(Role::Group, n).rect().min.y;
        y("moda") < y("loja")
    });
}
