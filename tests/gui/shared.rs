//! The window and the CLI share one store: what the CLI does shows up within 5 s.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use renova::Paths;

use crate::harness::Builder;
use crate::support::{Env, REFRESH_TOKEN, rd, secrets};

#[tokio::test(flavor = "multi_thread")]
async fn accounts_added_refreshed_and_removed_by_the_cli_show_up_within_5_seconds() {
    // The CLI uses the real keychain of `env`; the window watches the same folders.
    let env = Env::with_rd().await;
    rd::mount_refresh(
        env.rd(),
        rd::tokens("fake-access-cli", 7200, REFRESH_TOKEN),
        1,
    )
    .await;
    let mut b = Builder::new();
    b.paths = Paths {
        config_dir: env.dir("config").join("renova"),
        state_dir: env.dir("state").join("renova"),
    };
    let mut ui = b.open();
    ui.until_label("No accounts yet");

    env.add_with(
        "from-cli",
        &["--base-url", &env.rd().uri(), "--no-auto-refresh"],
        &secrets(),
    )
    .success();
    ui.until_within("the added account", Duration::from_secs(5), |h| {
        h.query_by_role_and_label(Role::Group, "from-cli").is_some()
    });

    env.renova()
        .args(["refresh", "from-cli"])
        .assert()
        .success();
    ui.until_within("the refreshed token", Duration::from_secs(5), |h| {
        h.query_by_label("valid").is_some()
    });

    env.renova().args(["remove", "from-cli"]).assert().success();
    ui.until_within("the removal", Duration::from_secs(5), |h| {
        h.query_by_role_and_label(Role::Group, "from-cli").is_none()
    });
}
