//! Hardening, as the window shows it: no piece of a secret on a card or a toast, however a
//! provider quotes the request back.

use std::sync::atomic::Ordering;

use egui_kittest::kittest::Queryable;

use crate::harness::Builder;
use crate::support::echo::Echo;
use crate::support::{LONE_REFRESH, LONE_SECRET, pieces, rd};

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
        ui.click("↻ Refresh");
        ui.until_label("needs re-authorization");
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
    }
}
