//! `renova token`, `refresh`, `refresh --due`, `check`, `revoke` against a local RD.

use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::*;

/// A profile with account `loja` whose one refresh (exactly as Renova sends it) gives
/// `access`, valid for a day.
async fn refreshed_once(access: &str) -> (Env, String) {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(access), 1).await;
    let id = env.add_rd("loja");
    (env, id)
}

#[tokio::test]
async fn token_refreshes_once_then_serves_the_cached_token_without_network() {
    let (env, id) = refreshed_once("fake-access-aaaa").await;

    let out = env.run(&["token", "loja"]);
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "fake-access-aaaa\n");

    // Cached: the server expects exactly one request in all.
    let out = env.run(&["token", "loja", "--format", "header"]);
    assert_eq!(out.stdout, "Authorization: Bearer fake-access-aaaa\n");
    let out = env.run(&["token", "loja", "--format", "curl"]);
    assert_eq!(
        out.stdout,
        format!(
            "curl -H 'Authorization: Bearer fake-access-aaaa' '{}/marketing/account_info'\n",
            env.rd().uri()
        )
    );
    assert_eq!(out.stderr, "", "nothing but the token");

    let entry = env.entry(&id);
    assert_eq!(entry["v"], 1);
    assert_eq!(entry["access_token"], "fake-access-aaaa");
    assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
    assert_eq!(entry["rev"], 2);
    assert_eq!(lifetime(&entry), 86400);
}

#[tokio::test]
async fn a_changed_refresh_token_is_stored_with_the_new_access_token() {
    let env = Env::with_rd().await;
    rd::mount_refresh(
        env.rd(),
        rd::tokens("fake-access-bbbb", 86400, "fake-refresh-new-3333"),
        1,
    )
    .await;
    let id = env.add_rd("loja");
    env.renova().args(["refresh", "loja"]).assert().success();
    let entry = env.entry(&id);
    assert_eq!(entry["refresh_token"], "fake-refresh-new-3333");
    assert_eq!(entry["access_token"], "fake-access-bbbb");
    assert_eq!(entry["rev"], 2);
}

#[tokio::test]
async fn min_valid_and_the_sixty_second_rule() {
    let env = Env::with_rd().await;
    // The provider issues 2-minute tokens.
    rd::mount_refresh(
        env.rd(),
        rd::tokens("fake-access-short", 120, REFRESH_TOKEN),
        1,
    )
    .await;
    env.add_rd("loja");
    let out = env.run(&["token", "loja", "--min-valid", "5m"]);
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "fake-access-short\n");
    assert!(
        out.stderr.contains("less than --min-valid 5m"),
        "{}",
        out.stderr
    );
    // Obtained under a minute ago: printed again with the warning, no second request.
    let out = env.run(&["token", "loja", "--min-valid", "5m"]);
    assert!(out.success());
    assert_eq!(out.stdout, "fake-access-short\n");
    assert!(out.stderr.contains("warning"));
    // Valid long enough for a smaller minimum: no warning.
    let out = env.run(&["token", "loja", "--min-valid", "90s"]);
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn no_refresh_token_is_exit_3_with_a_hint() {
    let env = Env::new();
    env.add_with(
        "semtoken",
        &["--base-url", "http://127.0.0.1:9"],
        &format!("{CLIENT_SECRET}\n\n"),
    )
    .success()
    .stderr(predicates::str::contains("renova authorize semtoken"));
    let out = env.run(&["token", "semtoken"]);
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("renova authorize semtoken"),
        "{}",
        out.stderr
    );
    assert_eq!(env.first_listed()["state"], "needs_authorization");
}

#[tokio::test]
async fn refresh_due_refreshes_only_accounts_within_their_lead_time() {
    let env = Env::with_rd().await;
    let server = env.rd();
    rd::mount_refresh(server, rd::issued("fake-access-due"), 1).await;
    env.add_rd("fresh");
    env.renova().args(["token", "fresh"]).assert().success();
    env.add_rd("stale");
    // One refresh in all so far; `stale` has never been refreshed.
    server.verify().await;
    server.reset().await;
    rd::mount_refresh(server, rd::issued("fake-access-due2"), 1).await;
    let out = env.run(&["refresh", "--due"]);
    assert!(out.success(), "{}", out.stderr);
    assert!(out.stderr.contains("stale: new token"), "{}", out.stderr);
    // Nothing due any more.
    server.verify().await;
    server.reset().await;
    rd::token_endpoint()
        .respond_with(rd::issued("fake-access-due3"))
        .expect(0)
        .mount(server)
        .await;
    env.renova()
        .args(["refresh", "--due"])
        .assert()
        .success()
        .stderr(predicates::str::contains("No account is due"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn check_prints_the_account_name_and_retries_once_after_a_401() {
    let (env, _) = refreshed_once("fake-access-old").await;
    let server = env.rd();
    env.renova().args(["token", "loja"]).assert().success();
    server.verify().await;
    server.reset().await;
    // The stored token is rejected (revoked elsewhere); a refresh gives a working one.
    Mock::given(method("GET"))
        .and(path("/marketing/account_info"))
        .and(header("authorization", "Bearer fake-access-old"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"errors":{"error_type":"UNAUTHORIZED","error_message":"Invalid token."}}),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/marketing/account_info"))
        .and(header("authorization", "Bearer fake-access-new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "Loja da Ana"})))
        .expect(1)
        .mount(server)
        .await;
    rd::mount_refresh(server, rd::issued("fake-access-new"), 1).await;
    let out = env.run(&["check", "loja"]);
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "Loja da Ana\n");
    assert_eq!(env.first_listed()["account_name"], "Loja da Ana");
}

#[tokio::test]
async fn revoke_calls_rd_and_deletes_both_stored_tokens() {
    let (env, id) = refreshed_once("fake-access-rev").await;
    Mock::given(method("POST"))
        .and(path("/auth/revoke"))
        .and(header("authorization", "Bearer fake-access-rev"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains(format!("token={REFRESH_TOKEN}")))
        .and(body_string_contains("token_type_hint=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(env.rd())
        .await;
    env.renova().args(["token", "loja"]).assert().success();
    env.renova().args(["revoke", "loja"]).assert().success();
    let entry = env.entry(&id);
    assert!(entry["access_token"].is_null());
    assert!(entry["refresh_token"].is_null());
    assert_eq!(entry["client_secret"], CLIENT_SECRET);
    assert_eq!(env.run(&["token", "loja"]).code, Some(3));
    assert_eq!(env.first_listed()["state"], "needs_authorization");
}

#[tokio::test]
async fn list_json_has_the_documented_fields() {
    let (env, id) = refreshed_once("fake-access-list").await;
    env.renova().args(["token", "loja"]).assert().success();
    let v = env.list_json();
    assert_eq!(v["version"], 1);
    let a = &v["accounts"][0];
    let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account_name",
            "attention",
            "auto_refresh",
            "base_url",
            "client_id",
            "expires_at",
            "id",
            "last_refresh",
            "name",
            "provider",
            "refreshable",
            "seconds_left",
            "state"
        ]
    );
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["state"], "valid");
    assert!(a["attention"].is_null(), "{a}");
    assert_eq!(a["provider"], "rdstation");
    let left = a["seconds_left"].as_i64().unwrap();
    assert!((86_000..=86_400).contains(&left), "{left}");
    assert!(a["expires_at"].as_str().unwrap().ends_with('Z'));
    let human = env.run(&["list"]);
    assert!(human.stdout.contains("loja"));
    assert!(human.stdout.contains("valid"));
}

#[tokio::test]
async fn refresh_due_waits_as_long_as_the_rate_limit_says() {
    let env = Env::with_rd().await;
    let limited = ResponseTemplate::new(429).set_body_json(json!({
        "error": "'lead_limiter' rate limit exceeded", "max": 24, "usage": 55, "remaining_time": 20745
    }));
    rd::mount_refresh(env.rd(), limited, 1).await;
    let id = env.add_rd("loja");
    env.renova().args(["refresh", "--due"]).assert().code(4);
    // The next timer run leaves it alone until RD's remaining_time has passed.
    env.renova().args(["refresh", "--due"]).assert().success();
    assert!(seconds_until(&env.state()["accounts"][&id]["retry_at"]) > 20_000);
}

#[tokio::test]
async fn revoke_with_wrong_client_credentials_keeps_the_tokens() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::wrong_credentials(), 1).await;
    Mock::given(method("POST"))
        .and(path("/auth/revoke"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(env.rd())
        .await;
    let id = env.add_rd("loja");
    let before = env.lookup(&id).unwrap();
    env.renova().args(["revoke", "loja"]).assert().code(3);
    assert_eq!(
        env.lookup(&id).unwrap(),
        before,
        "a refresh token that may still live is kept"
    );
}
