//! One policy on every surface: the same twelve accounts, in the states an agency's list
//! really has, need attention in the window (its summary line and its order), in `renova list
//! --json`, and in the tray (its tooltip's count and its warning icons) — the same set, because
//! all three read the core's attention rule.

use std::collections::BTreeSet;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use renova::AccountId;
use renova::Paths;
use serde_json::json;
use wiremock::matchers::body_partial_json;

use crate::harness::{Builder, block_on};
use crate::support::tray::FakeWatcher;
use crate::support::{Env, rd, spawn};

const HEALTHY: [&str; 7] = [
    "loja-sp",
    "agencia-rio",
    "padaria-pinheiros",
    "studio-recife",
    "bistro-poa",
    "pet-floripa",
    "moda-bh",
];

/// The five that need the person: a refused secret, a dead refresh token, RD down, never
/// connected, and an expired token with automatic refresh off.
const TROUBLED: [&str; 5] = [
    "cliente-bh",
    "goiania-centro",
    "otica-curitiba",
    "lab-testes",
    "academia-natal",
];

/// A StatusNotifierItem's `ToolTip`: icon name, icon pixmaps, title, description.
type ToolTip = (String, Vec<(i32, i32, Vec<u8>)>, String, String);

fn stdin(secret: &str, refresh: &str) -> String {
    format!("{secret}\n{refresh}\n")
}

/// An agency's profile, driven into its states with the real CLI against RD played by
/// wiremock and a real keyring.
async fn agency() -> Env {
    let env = Env::with_rd().await;
    let when = |refresh: &str| {
        rd::token_endpoint().and(body_partial_json(json!({"refresh_token": refresh})))
    };
    when("fake-refresh-ok")
        .respond_with(rd::issued("fake-access-ok"))
        .mount(env.rd())
        .await;
    when("fake-refresh-dead")
        .respond_with(rd::error(
            401,
            "INVALID_REFRESH_TOKEN",
            "The provided refresh token is invalid or was revoked.",
        ))
        .mount(env.rd())
        .await;
    rd::token_endpoint()
        .and(body_partial_json(
            json!({"client_secret": "fake-wrong-secret"}),
        ))
        .respond_with(rd::wrong_credentials())
        .with_priority(1)
        .mount(env.rd())
        .await;
    when("fake-refresh-down")
        .respond_with(wiremock::ResponseTemplate::new(503).set_body_string("down"))
        .mount(env.rd())
        .await;
    when("fake-refresh-short")
        .respond_with(rd::tokens("fake-access-short", 2, "fake-refresh-short"))
        .mount(env.rd())
        .await;
    let base = env.rd().uri();
    let add = |name: &str, extra: &[&str], input: &str| {
        let mut flags = vec!["--base-url", base.as_str()];
        flags.extend_from_slice(extra);
        env.add_with(name, &flags, input).success();
    };
    for name in HEALTHY {
        add(name, &[], &stdin("fake-client-secret", "fake-refresh-ok"));
        assert!(env.run(&["token", name]).success());
    }
    add(
        "cliente-bh",
        &[],
        &stdin("fake-wrong-secret", "fake-refresh-ok"),
    );
    assert_eq!(env.run(&["refresh", "cliente-bh"]).code, Some(3));
    add(
        "goiania-centro",
        &[],
        &stdin("fake-client-secret", "fake-refresh-dead"),
    );
    assert_eq!(env.run(&["refresh", "goiania-centro"]).code, Some(3));
    add(
        "otica-curitiba",
        &[],
        &stdin("fake-client-secret", "fake-refresh-down"),
    );
    assert_eq!(env.run(&["refresh", "otica-curitiba"]).code, Some(4));
    add("lab-testes", &[], "fake-client-secret\n");
    add(
        "academia-natal",
        &["--no-auto-refresh"],
        &stdin("fake-client-secret", "fake-refresh-short"),
    );
    assert!(env.run(&["token", "academia-natal"]).success());
    // Its two-second token runs out.
    tokio::time::sleep(Duration::from_secs(3)).await;
    env
}

fn set(names: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    names.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_the_list_and_the_tray_agree_on_who_needs_attention() {
    let env = agency().await;
    let expected = set(TROUBLED.map(str::to_owned));

    // `renova list --json`.
    let listed = env.list_json();
    let accounts = listed["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 12);
    let from_list = set(accounts
        .iter()
        .filter(|a| !a["attention"].is_null())
        .map(|a| a["name"].as_str().unwrap().to_owned()));
    assert_eq!(from_list, expected, "renova list --json");
    let cause = |name: &str| {
        accounts.iter().find(|a| a["name"] == name).unwrap()["attention"]["cause"].clone()
    };
    assert_eq!(cause("cliente-bh"), "wrong_client");
    assert_eq!(cause("goiania-centro"), "refresh_refused");
    assert_eq!(cause("otica-curitiba"), "provider_failing");
    assert_eq!(cause("lab-testes"), "not_connected");
    assert_eq!(cause("academia-natal"), "expired");

    // The window, over the same files, with the same keychain entries (copied into its
    // in-memory keychain), leaving automatic work to the agent as it does when one runs.
    let mut b = Builder::new();
    b.paths = Paths {
        config_dir: env.dir("config").join("renova"),
        state_dir: env.dir("state").join("renova"),
    };
    b.clock = crate::harness::TestClock::at(&jiff::Timestamp::now().to_string());
    b.agent.state.lock().unwrap().running = true;
    for a in accounts {
        let id: AccountId = a["id"].as_str().unwrap().parse().unwrap();
        if let Some(raw) = env.lookup(&id.to_string()) {
            block_on(b.keychain.write_raw(&id, raw.into_bytes().into())).unwrap();
        }
    }
    let mut ui = b.open();
    ui.until_text("12 accounts · 5 need attention");
    let first_five: Vec<String> = ui
        .harness
        .query_all_by_role(Role::Group)
        // A card is a group named after its account, its state in the description.
        .filter(|n| n.accesskit_node().description().is_some())
        .filter_map(|n| n.accesskit_node().label())
        .take(5)
        .collect();
    assert_eq!(set(first_five), expected, "the window's first five cards");

    // The tray of a real agent, read by a stand-in host on the profile's bus.
    let watcher = FakeWatcher::start(&env.bus.address).await;
    let mut agent = spawn(env.renova_std().arg("agent"));
    let item = watcher.item().await;
    let tip = watcher.property(&item, "ToolTip").await;
    let (_, _, _, description): ToolTip = tip.try_into().unwrap();
    assert_eq!(description, "5 of 12 accounts need attention");
    // Each account's entry: "Copy token · NAME (… left)", or "NAME — why" when it has no
    // token to copy.
    let entries: Vec<(String, String)> = watcher
        .menu_with_icons(&item)
        .await
        .into_iter()
        .take(12)
        .map(|(_, label, icon)| {
            let name = match label.strip_prefix("Copy token · ") {
                Some(rest) => rest.split(" (").next().unwrap_or_default(),
                None => label.split(" — ").next().unwrap_or_default(),
            };
            (name.to_owned(), icon)
        })
        .collect();
    let warned = set(entries
        .iter()
        .filter(|(_, icon)| icon == "dialog-warning")
        .map(|(name, _)| name.clone()));
    assert_eq!(warned, expected, "the tray's warning icons");
    let tray_first_five = set(entries.iter().take(5).map(|(name, _)| name.clone()));
    assert_eq!(
        tray_first_five, expected,
        "the tray lists them first, as the window does"
    );
    let status: String = watcher.property(&item, "Status").await.try_into().unwrap();
    assert_eq!(status, "NeedsAttention");
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &agent.id().to_string()])
        .status();
    let _ = agent.wait();
}
