//! `renova token`, `refresh`, `refresh --due`, `check`, `revoke` against a local RD.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{body_json, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

async fn rd_refresh(server: &MockServer, access: &str, expires_in: i64, times: u64) {
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            access,
            expires_in,
            REFRESH_TOKEN,
        )))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn token_refreshes_once_then_serves_the_cached_token_without_network() {
    let server = MockServer::start().await;
    rd_refresh(&server, "fake-access-aaaa", 86400, 1).await;
    let env = Env::new();
    let id = env.add("loja", &server.uri());

    let out = env.renova().args(["token", "loja"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "fake-access-aaaa\n");

    // Cached: the server expects exactly one request in all.
    let out = env
        .renova()
        .args(["token", "loja", "--format", "header"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "Authorization: Bearer fake-access-aaaa\n");
    let out = env
        .renova()
        .args(["token", "loja", "--format", "curl"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        format!(
            "curl -H 'Authorization: Bearer fake-access-aaaa' '{}/marketing/account_info'\n",
            server.uri()
        )
    );
    assert_eq!(stderr(&out), "", "nothing but the token");

    let entry = env.entry(&id);
    assert_eq!(entry["v"], 1);
    assert_eq!(entry["access_token"], "fake-access-aaaa");
    assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
    assert_eq!(entry["rev"], 2);
    let obtained: jiff::Timestamp = entry["obtained_at"].as_str().unwrap().parse().unwrap();
    let expires: jiff::Timestamp = entry["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires.as_second() - obtained.as_second(), 86400);
}

#[tokio::test]
async fn a_changed_refresh_token_is_stored_with_the_new_access_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            "fake-access-bbbb",
            86400,
            "fake-refresh-new-3333",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    let id = env.add("loja", &server.uri());
    env.renova().args(["refresh", "loja"]).assert().success();
    let entry = env.entry(&id);
    assert_eq!(entry["refresh_token"], "fake-refresh-new-3333");
    assert_eq!(entry["access_token"], "fake-access-bbbb");
    assert_eq!(entry["rev"], 2);
}

#[tokio::test]
async fn min_valid_and_the_sixty_second_rule() {
    let server = MockServer::start().await;
    // The provider issues 2-minute tokens.
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            "fake-access-short",
            120,
            REFRESH_TOKEN,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    env.add("loja", &server.uri());
    let out = env
        .renova()
        .args(["token", "loja", "--min-valid", "5m"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "fake-access-short\n");
    assert!(
        stderr(&out).contains("less than --min-valid 5m"),
        "{}",
        stderr(&out)
    );
    // Obtained under a minute ago: printed again with the warning, no second request.
    let out = env
        .renova()
        .args(["token", "loja", "--min-valid", "5m"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out), "fake-access-short\n");
    assert!(stderr(&out).contains("warning"));
    // Valid long enough for a smaller minimum: no warning.
    let out = env
        .renova()
        .args(["token", "loja", "--min-valid", "90s"])
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "");
}

#[tokio::test]
async fn no_refresh_token_is_exit_3_with_a_hint() {
    let env = Env::new();
    env.renova()
        .args([
            "add",
            "semtoken",
            "--client-id",
            CLIENT_ID,
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n\n"))
        .assert()
        .success()
        .stderr(predicates::str::contains("renova authorize semtoken"));
    let out = env.renova().args(["token", "semtoken"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("renova authorize semtoken"),
        "{}",
        stderr(&out)
    );
    let list = env.renova().args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v["accounts"][0]["state"], "needs_authorization");
}

#[tokio::test]
async fn refresh_due_refreshes_only_accounts_within_their_lead_time() {
    let server = MockServer::start().await;
    rd_refresh(&server, "fake-access-due", 86400, 1).await;
    let env = Env::new();
    env.add("fresh", &server.uri());
    env.renova().args(["token", "fresh"]).assert().success();
    env.add("stale", &server.uri());
    // One refresh in all so far; `stale` has never been refreshed.
    server.verify().await;
    server.reset().await;
    rd_refresh(&server, "fake-access-due2", 86400, 1).await;
    let out = env.renova().args(["refresh", "--due"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stale: new token"),
        "{}",
        stderr(&out)
    );
    // Nothing due any more.
    server.verify().await;
    server.reset().await;
    env.renova()
        .args(["refresh", "--due"])
        .assert()
        .success()
        .stderr(predicates::str::contains("No account is due"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn check_prints_the_account_name_and_retries_once_after_a_401() {
    let server = MockServer::start().await;
    rd_refresh(&server, "fake-access-old", 86400, 1).await;
    let env = Env::new();
    env.add("loja", &server.uri());
    env.renova().args(["token", "loja"]).assert().success();
    server.reset().await;
    // The stored token is rejected (revoked elsewhere); a refresh gives a working one.
    Mock::given(method("GET"))
        .and(path("/marketing/account_info"))
        .and(header("authorization", "Bearer fake-access-old"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"errors":{"error_type":"UNAUTHORIZED","error_message":"Invalid token."}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/marketing/account_info"))
        .and(header("authorization", "Bearer fake-access-new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "Loja da Ana"})))
        .expect(1)
        .mount(&server)
        .await;
    rd_refresh(&server, "fake-access-new", 86400, 1).await;
    let out = env.renova().args(["check", "loja"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Loja da Ana\n");
    let list = env.renova().args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v["accounts"][0]["account_name"], "Loja da Ana");
}

#[tokio::test]
async fn revoke_calls_rd_and_deletes_both_stored_tokens() {
    let server = MockServer::start().await;
    rd_refresh(&server, "fake-access-rev", 86400, 1).await;
    Mock::given(method("POST"))
        .and(path("/auth/revoke"))
        .and(header("authorization", "Bearer fake-access-rev"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains(format!("token={REFRESH_TOKEN}")))
        .and(body_string_contains("token_type_hint=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    let id = env.add("loja", &server.uri());
    env.renova().args(["token", "loja"]).assert().success();
    env.renova().args(["revoke", "loja"]).assert().success();
    let entry = env.entry(&id);
    assert!(entry["access_token"].is_null());
    assert!(entry["refresh_token"].is_null());
    assert_eq!(entry["client_secret"], CLIENT_SECRET);
    let out = env.renova().args(["token", "loja"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let list = env.renova().args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v["accounts"][0]["state"], "needs_authorization");
}

#[tokio::test]
async fn list_json_has_the_documented_fields() {
    let server = MockServer::start().await;
    rd_refresh(&server, "fake-access-list", 86400, 1).await;
    let env = Env::new();
    let id = env.add("loja", &server.uri());
    env.renova().args(["token", "loja"]).assert().success();
    let out = env.renova().args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let a = &v["accounts"][0];
    let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account_name",
            "auto_refresh",
            "base_url",
            "client_id",
            "expires_at",
            "id",
            "last_refresh",
            "name",
            "provider",
            "seconds_left",
            "state"
        ]
    );
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["state"], "valid");
    assert_eq!(a["provider"], "rdstation");
    let left = a["seconds_left"].as_i64().unwrap();
    assert!((86_000..=86_400).contains(&left), "{left}");
    assert!(a["expires_at"].as_str().unwrap().ends_with('Z'));
    let human = env.renova().args(["list"]).output().unwrap();
    assert!(stdout(&human).contains("loja"));
    assert!(stdout(&human).contains("valid"));
    let _ = Duration::from_secs(0);
}

#[tokio::test]
async fn refresh_due_waits_as_long_as_the_rate_limit_says() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "error": "'lead_limiter' rate limit exceeded", "max": 24, "usage": 55, "remaining_time": 20745
        })))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    env.add("loja", &server.uri());
    env.renova().args(["refresh", "--due"]).assert().code(4);
    // The next timer run leaves it alone until RD's remaining_time has passed.
    env.renova().args(["refresh", "--due"]).assert().success();
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.state_file()).unwrap()).unwrap();
    let retry_at: jiff::Timestamp = state["accounts"][env.account_id("loja")]["retry_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_at.as_second() - jiff::Timestamp::now().as_second() > 20_000);
}

#[tokio::test]
async fn revoke_with_wrong_client_credentials_keeps_the_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error_type":"ACCESS_DENIED","error_message":"Wrong credentials provided."}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/revoke"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let env = Env::new();
    let id = env.add("loja", &server.uri());
    let before = env.lookup(&id).unwrap();
    env.renova().args(["revoke", "loja"]).assert().code(3);
    assert_eq!(
        env.lookup(&id).unwrap(),
        before,
        "a refresh token that may still live is kept"
    );
}
