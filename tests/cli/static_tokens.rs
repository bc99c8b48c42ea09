//! Static credentials against the real binary and keyring: a JWT whose `exp` drives the
//! countdown, attention 7 days before, `token` refusing an expired one (exit 3), the endpoint
//! and `run` serving the token as stored, RD Station CRM v1's token in the query, and nothing
//! of a JWT's payload in any file or log.

use std::time::Duration;

use base64::Engine;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::agent::{start_agent, start_agent_with, stop, until};
use crate::endpoint_server::{get, serving};
use crate::support::*;

/// A claim only the payload holds: found anywhere, the payload leaked.
const PAYLOAD_MARKER: &str = "fake-payload-marker-7Qx";

/// A JWT (unsigned: Renova never verifies it) expiring `exp_in` from now.
fn jwt(exp_in: Duration) -> (String, jiff::Timestamp) {
    let exp = jiff::Timestamp::now() + jiff::SignedDuration::try_from(exp_in).unwrap();
    let exp = jiff::Timestamp::from_second(exp.as_second()).unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let header = b64(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64(&format!(
        r#"{{"sub":"{PAYLOAD_MARKER}","company":"Loja Fake","exp":{}}}"#,
        exp.as_second()
    ));
    (format!("{header}.{payload}.ZmFrZS1zaWduYXR1cmU"), exp)
}

/// `renova add NAME FLAGS…` with the token on stdin (no client id).
fn add_static(env: &Env, name: &str, flags: &[&str], token: &str) {
    env.renova()
        .args(["add", name])
        .args(flags)
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
}

/// Moves a static token's expiry (entry and mirror) to `at`, as if that much time had passed.
fn expire_at(env: &Env, name: &str, at: jiff::Timestamp) {
    let id = env.account_id(name);
    let mut entry = env.entry(&id);
    entry["expires_at"] = at.to_string().into();
    env.secret_tool_store(&id, &entry.to_string());
    let mut state = env.state();
    state["accounts"][&id]["expires_at"] = at.to_string().into();
    std::fs::write(env.state_file(), state.to_string()).unwrap();
}

fn account<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap()
}

#[test]
fn a_jwts_exp_drives_list_json_and_its_payload_is_nowhere() {
    let env = Env::new();
    let (token, exp) = jwt(Duration::from_secs(30 * 86_400));
    let added = Run::of(
        env.renova()
            .env("RENOVA_LOG", "trace")
            .args(["add", "conversas", "--provider", "rdstation-conversas"])
            .write_stdin(format!("{token}\n")),
    );
    assert_eq!(added.code, Some(0), "{}", added.stderr);
    let list = env.list_json();
    let conversas = account(&list, "conversas");
    assert_eq!(conversas["provider"], "rdstation-conversas");
    assert_eq!(timestamp(&conversas["expires_at"]), exp, "{conversas}");
    assert_eq!(conversas["state"], "valid", "{conversas}");
    assert!(conversas["attention"].is_null(), "{conversas}");
    let left = seconds_until(&conversas["expires_at"]);
    assert!((30 * 86_400 - 60..=30 * 86_400).contains(&left), "{left}");
    // The token, as Bearer, exactly as stored.
    let header = env.run(&["token", "conversas", "--format", "header"]);
    assert_eq!(
        header.stdout.trim(),
        format!("Authorization: Bearer {token}")
    );
    // Refresh is not something a static token does.
    let refresh = env.run(&["refresh", "conversas"]);
    assert_eq!(refresh.code, Some(2), "{}", refresh.stderr);
    // Nothing of the payload (nor the token) in a file, a log line or the keychain's
    // neighbours: only the keychain entry holds it.
    let payload = token.split('.').nth(1).unwrap().to_owned();
    let traced = Run::of(env.renova().env("RENOVA_LOG", "trace").args(["list"]));
    for (place, text) in [
        ("add's stderr", added.stderr.as_str()),
        ("add's stdout", added.stdout.as_str()),
        ("list's stderr (trace)", traced.stderr.as_str()),
        ("list's stdout", traced.stdout.as_str()),
        ("refresh's stderr", refresh.stderr.as_str()),
    ] {
        assert!(!text.contains(PAYLOAD_MARKER), "payload in {place}: {text}");
        assert_no_run(text, place, &[&payload, &token], 12);
    }
    for (file, text) in env.all_profile_text() {
        assert!(
            !text.contains(PAYLOAD_MARKER),
            "payload in {}",
            file.display()
        );
        assert_no_run(&text, &file.display().to_string(), &[&payload, &token], 12);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn attention_starts_seven_days_before_with_one_notification() {
    use crate::support::tray::FakeNotifications;
    let env = Env::new();
    let (soon, _) = jwt(Duration::from_secs(3 * 86_400));
    let (later, _) = jwt(Duration::from_secs(8 * 86_400));
    add_static(&env, "soon", &["--provider", "rdstation-conversas"], &soon);
    add_static(&env, "later", &["--provider", "static"], &later);
    let list = env.list_json();
    let soon_row = account(&list, "soon");
    assert_eq!(soon_row["state"], "expiring", "{soon_row}");
    assert_eq!(soon_row["attention"]["cause"], "expires_soon", "{soon_row}");
    assert_eq!(
        soon_row["attention"]["action"], "replace_token",
        "{soon_row}"
    );
    assert!(account(&list, "later")["attention"].is_null(), "{list}");
    let human = env.run(&["list"]);
    assert!(human.stdout.contains("expires soon"), "{}", human.stdout);
    // One notification, claimed in state.json: a second agent does not repeat it.
    let desktop = FakeNotifications::start(&env.bus.address).await;
    let agent = start_agent_with({
        let mut cmd = env.renova_std();
        cmd.env("RENOVA_LOG", "trace");
        cmd
    });
    until("one notification", || desktop.shown().len() == 1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, said) = stop(agent);
    assert!(
        !said.contains(PAYLOAD_MARKER),
        "the payload in the agent's log: {said}"
    );
    assert_no_run(&said, "the agent's trace log", &[&soon], 12);
    let again = start_agent(&env);
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop(again);
    let shown = desktop.shown();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].0.contains("soon"), "{shown:?}");
    assert!(shown[0].1.contains("Replace token"), "{shown:?}");
    assert!(!shown[0].1.contains(&soon), "{shown:?}");
    // `[defaults] static_warning` moves the start.
    let toml = env.accounts_toml();
    assert!(toml.contains("static_warning = \"7d\""), "{toml}");
    std::fs::write(
        env.accounts_file(),
        toml.replacen("static_warning = \"7d\"", "static_warning = \"2d\"", 1),
    )
    .unwrap();
    let list = env.list_json();
    assert!(account(&list, "soon")["attention"].is_null(), "{list}");
}

#[test]
fn token_exits_3_after_a_static_token_expires_and_a_new_one_is_pasted() {
    let env = Env::new();
    add_static(
        &env,
        "fixo",
        &["--provider", "static", "--expires-in", "30d"],
        "fake-static-token-1",
    );
    assert_eq!(
        env.run(&["token", "fixo"]).stdout.trim(),
        "fake-static-token-1"
    );
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    expire_at(&env, "fixo", past);
    let out = env.run(&["token", "fixo"]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("expired on"), "{}", out.stderr);
    assert!(
        out.stderr.contains("renova edit fixo --secrets"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("fake-static-token-1"),
        "{}",
        out.stderr
    );
    let row = env.first_listed();
    assert_eq!(row["state"], "expired", "{row}");
    assert_eq!(row["attention"]["action"], "replace_token", "{row}");
    // A new token, pasted: it works, without an expiry it does not expire.
    let replaced = Run::of(
        env.renova()
            .args(["edit", "fixo", "--secrets"])
            .write_stdin("fake-static-token-2\n"),
    );
    assert_eq!(replaced.code, Some(0), "{}", replaced.stderr);
    assert!(
        replaced.stderr.contains("does not expire"),
        "{}",
        replaced.stderr
    );
    assert_eq!(
        env.run(&["token", "fixo"]).stdout.trim(),
        "fake-static-token-2"
    );
    let row = env.first_listed();
    assert!(row["expires_at"].is_null(), "{row}");
    assert_eq!(row["state"], "valid", "{row}");
    // An expiry is only for a static token, and a token already dead is refused.
    let refused = env.run(&["add", "rd", "--client-id", "x", "--expires-in", "1d"]);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    let (dead, _) = jwt(Duration::ZERO);
    let out = Run::of(
        env.renova()
            .args(["edit", "fixo", "--secrets", "--expires-at", "2020-01-01"])
            .write_stdin(format!("{dead}\n")),
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("already expired"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_endpoint_and_run_serve_the_static_value() {
    let env = Env::new();
    let (token, exp) = jwt(Duration::from_secs(20 * 86_400));
    add_static(
        &env,
        "conversas",
        &["--provider", "rdstation-conversas"],
        &token,
    );
    let ran = Run::of(env.renova().args([
        "run",
        "conversas",
        "--",
        "sh",
        "-c",
        "printf %s \"$ACCESS_TOKEN\"",
    ]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, token);
    let (port, key, agent) = serving(&env).await;
    let (status, _, body) = get(port, "/v1/token/conversas", &key);
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["access_token"], token.as_str());
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(timestamp(&body["expires_at"]), exp);
    // After its expiry: 409, the person's to fix.
    expire_at(
        &env,
        "conversas",
        jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60),
    );
    let (status, _, body) = get(port, "/v1/token/conversas", &key);
    assert_eq!(status, 409, "{body}");
    assert!(!body.contains(&token), "{body}");
    stop(agent);
}

#[tokio::test(flavor = "multi_thread")]
async fn crm_v1_takes_its_token_in_the_query_for_curl_check_and_run() {
    let env = Env::with_rd().await;
    // Signs a query must encode: the curl line and the check carry it percent-encoded.
    let token = "fake/crm+v1=token0123456789";
    let encoded = "fake%2Fcrm%2Bv1%3Dtoken0123456789";
    Mock::given(method("GET"))
        .and(path("/token/check"))
        .and(query_param("token", token))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "name": "Loja Fake CRM"
        })))
        .expect(1)
        .mount(env.rd())
        .await;
    let base = env.rd().uri();
    add_static(
        &env,
        "crm1",
        &["--provider", "rdstation-crm-v1", "--base-url", &base],
        token,
    );
    let curl = env.run(&["token", "crm1", "--format", "curl"]);
    assert_eq!(curl.code, Some(0), "{}", curl.stderr);
    assert_eq!(
        curl.stdout.trim(),
        format!("curl '{base}/token/check?token={encoded}'")
    );
    // The curl line works as printed.
    let line = curl
        .stdout
        .trim()
        .trim_start_matches("curl ")
        .trim_matches('\'');
    // (the check below is the one expected call; the line's address is checked by equality)
    assert!(line.starts_with(&base));
    let header = env.run(&["token", "crm1", "--format", "header"]);
    assert_eq!(header.code, Some(2), "{}", header.stderr);
    assert!(header.stdout.is_empty());
    assert!(
        header.stderr.contains("not from an Authorization header")
            && header.stderr.contains("--format curl"),
        "{}",
        header.stderr
    );
    let check = env.run(&["check", "crm1"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(check.stdout.contains("Loja Fake CRM"), "{}", check.stdout);
    let ran = Run::of(env.renova().args([
        "run",
        "crm1",
        "--",
        "sh",
        "-c",
        "printf %s \"$ACCESS_TOKEN\"",
    ]));
    assert_eq!(ran.stdout, token, "{}", ran.stderr);
    let row = env.first_listed();
    assert!(row["expires_at"].is_null(), "{row}");
    assert_eq!(row["state"], "valid", "{row}");
    // A refusal that quotes the address it was sent to: the token is cut out of what is said.
    Mock::given(method("GET"))
        .and(path("/token/check"))
        .and(query_param("token", "fake/crm2+refused=token0123"))
        .respond_with(QuotesItsUrl)
        .mount(env.rd())
        .await;
    add_static(
        &env,
        "crm2",
        &["--provider", "rdstation-crm-v1", "--base-url", &base],
        "fake/crm2+refused=token0123",
    );
    let refused = env.run(&["check", "crm2"]);
    assert_eq!(refused.code, Some(3), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("renova edit crm2 --secrets")
            && !refused.stderr.contains("authorize"),
        "{}",
        refused.stderr
    );
    assert_no_run(
        &refused.stderr,
        "check's stderr",
        &[
            "fake/crm2+refused=token0123",
            "fake%2Fcrm2%2Brefused%3Dtoken0123",
        ],
        10,
    );
}

/// An API that refuses and quotes the whole address it was asked at, query included.
struct QuotesItsUrl;

impl wiremock::Respond for QuotesItsUrl {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        ResponseTemplate::new(401).set_body_string(format!("invalid token in {}", request.url))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_switch_between_oauth_and_a_static_token_takes_new_secrets_and_keeps_none() {
    let env = Env::with_rd().await;
    let id = env.add_rd("loja");
    let refused = env.run(&["edit", "loja", "--provider", "static"]);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("No token was given"),
        "{}",
        refused.stderr
    );
    env.renova()
        .args(["edit", "loja", "--provider", "static", "--secrets"])
        .write_stdin("fake-static-after-switch\n")
        .assert()
        .success();
    let entry = env.entry(&id);
    assert_eq!(entry["access_token"], "fake-static-after-switch", "{entry}");
    assert!(
        entry["refresh_token"].is_null(),
        "the OAuth refresh token stayed: {entry}"
    );
    assert!(
        entry.get("client_secret").is_none_or(|s| s.is_null()),
        "{entry}"
    );
    assert!(entry["expires_at"].is_null(), "{entry}");
    let row = env.first_listed();
    assert_eq!(row["provider"], "static");
    assert_eq!(row["state"], "valid", "{row}");
    // And back: the static token is not an OAuth access token.
    let base = env.rd().uri();
    env.renova()
        .args([
            "edit",
            "loja",
            "--provider",
            "rdstation",
            "--base-url",
            &base,
            "--secrets",
        ])
        .write_stdin(secrets())
        .assert()
        .success();
    let entry = env.entry(&id);
    assert!(
        entry["access_token"].is_null(),
        "the static token stayed: {entry}"
    );
    assert_eq!(entry["refresh_token"], REFRESH_TOKEN, "{entry}");
}

#[test]
fn a_static_token_whose_entry_is_gone_says_so_and_offers_no_copy() {
    let env = Env::new();
    add_static(&env, "fixo", &["--provider", "static"], "fake-static-gone");
    let id = env.account_id("fixo");
    env.secret_tool_clear(&id);
    let out = env.run(&["token", "fixo"]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(
        out.stderr.contains("renova edit fixo --secrets") && !out.stderr.contains("authorize"),
        "{}",
        out.stderr
    );
    let row = env.first_listed();
    assert_eq!(row["state"], "needs_authorization", "{row}");
    assert_eq!(row["attention"]["action"], "replace_token", "{row}");
}

/// The tray lists static tokens as the window does: the one that expires soon with the warning
/// icon and its days, the one that does not expire said so; its count is the window's.
#[tokio::test(flavor = "multi_thread")]
async fn the_tray_says_when_a_static_token_does_not_expire() {
    use crate::support::tray::FakeWatcher;
    let env = Env::new();
    // Three days and an hour: whatever second the menu is read in, "3d 0…".
    let (soon, _) = jwt(Duration::from_secs(3 * 86_400 + 3600));
    add_static(
        &env,
        "conversas",
        &["--provider", "rdstation-conversas"],
        &soon,
    );
    add_static(
        &env,
        "crm1",
        &["--provider", "rdstation-crm-v1"],
        "fakecrmv1traytoken",
    );
    let watcher = FakeWatcher::start(&env.bus.address).await;
    let agent = start_agent(&env);
    let item = watcher.item().await;
    let menu = watcher.menu_with_icons(&item).await;
    stop(agent);
    let entry = |name: &str| {
        menu.iter()
            .find(|(_, label, _)| label.contains(name))
            .unwrap_or_else(|| panic!("no {name} in {menu:?}"))
            .clone()
    };
    let (_, label, icon) = entry("crm1");
    assert_eq!(label, "Copy token · crm1 (does not expire)");
    assert_eq!(icon, "edit-copy");
    let (_, label, icon) = entry("conversas");
    assert!(label.starts_with("Copy token · conversas (3d 0"), "{label}");
    assert_eq!(icon, "dialog-warning");
}
