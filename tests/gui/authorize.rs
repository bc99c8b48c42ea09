//! "Authorize again" from a card: the dialog shows the redirect URI and the address, the browser
//! is asked to open it, and a pasted code finishes the authorization.

use std::time::Duration;

use crate::harness::Builder;
use crate::support::{dead_port, rd};

#[tokio::test(flavor = "multi_thread")]
async fn authorize_again_with_a_pasted_code() {
    let b = Builder::with_rd().await;
    rd::code_exchange("fake-code-777")
        .respond_with(rd::tokens("fake-access-gui", 86400, "fake-refresh-gui"))
        .expect(1)
        .mount(b.rd())
        .await;
    b.seed("loja", Some(("fake-at", Duration::from_secs(600))), false);
    let redirect = format!("http://127.0.0.1:{}/callback", dead_port());
    b.edit_first_account(|account| account.redirect_uri = Some(redirect.clone()));
    let mut ui = b.open();
    ui.until_label("loja");
    ui.card_menu("Authorize again…");
    ui.until_text("Redirect URI to register");
    ui.until_label(&redirect);
    ui.until_text("/auth/dialog?client_id=");
    let opened = ui.desktop.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].contains("redirect_uri=http%3A%2F%2F127.0.0.1"),
        "{opened:?}"
    );

    ui.type_into(
        "Or paste the redirected address (or the code):",
        "fake-code-777",
    );
    ui.click("Use it");
    ui.until_text("loja authorized");
    ui.until_label("24:00:00");
}
