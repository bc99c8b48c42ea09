//! Postman environment sync against a local server playing Postman's API.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::postman::{API_KEY, ENV_ID, patches};
use crate::support::*;

/// A profile with RD issuing `fake-access-postman` for each of `refreshes` refreshes.
async fn with_rd(refreshes: u64) -> Env {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-postman"), refreshes).await;
    env
}

/// Postman's API with an environment holding `values`, accepting `patches` PATCHes.
async fn postman(values: Value, patches: u64) -> MockServer {
    let server = postman::server(API_KEY, postman::environment(&values)).await;
    postman::patch(API_KEY)
        .respond_with(postman::updated())
        .expect(patches)
        .mount(&server)
        .await;
    server
}

/// `renova postman-key` storing [`API_KEY`], checked with the Postman API at `pm`.
pub(crate) fn store_key(env: &Env, pm: &MockServer) -> assert_cmd::assert::Assert {
    env.renova()
        .env("RENOVA_POSTMAN_API_URL", pm.uri())
        .arg("postman-key")
        .write_stdin(format!("{API_KEY}\n"))
        .assert()
        .success()
}

/// `env` with account `loja` synced to ENV_ID and the Postman key stored (checked with `pm`).
fn setup(env: &Env, pm: &MockServer) {
    env.add_rd("loja");
    store_key(env, pm).stderr(predicates::str::contains("it belongs to Ana Souza"));
    env.renova()
        .args(["edit", "loja", "--postman-env", ENV_ID])
        .assert()
        .success();
}

/// `renova ARGS…` talking to the Postman API at `pm`.
pub(crate) fn with_postman(env: &Env, pm: &MockServer, args: &[&str]) -> Run {
    Run::of(
        env.renova()
            .env("RENOVA_POSTMAN_API_URL", pm.uri())
            .args(args),
    )
}

/// A profile with `loja` synced to an environment holding `base_url` and `other`: RD issues
/// one token and Postman takes one PATCH.
async fn synced_next_to(other: Value) -> (Env, MockServer) {
    let env = with_rd(1).await;
    let base_url = json!({"key": "base_url", "value": "https://api.rd.services", "enabled": true, "type": "default"});
    let pm = postman(json!([base_url, other]), 1).await;
    setup(&env, &pm);
    (env, pm)
}

/// `renova token loja` with Postman at `pm`: it refreshes and prints the token whatever
/// Postman says.
fn token_via_postman(env: &Env, pm: &MockServer) -> Run {
    let out = with_postman(env, pm, &["token", "loja"]);
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "fake-access-postman\n");
    out
}

fn others_only_untouched(requests: &[Request]) {
    for r in requests {
        // The key travels in the header only.
        assert_eq!(r.headers.get("x-api-key").unwrap(), API_KEY);
        assert!(!String::from_utf8_lossy(&r.body).contains(API_KEY));
        assert!(!r.url.as_str().contains(API_KEY));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_variable_is_created_as_secret_and_others_are_untouched() {
    let (env, pm) = synced_next_to(
        json!({"key": "other_secret", "value": "keep-me", "enabled": true, "type": "secret"}),
    )
    .await;
    token_via_postman(&env, &pm);
    let sent = patches(&pm).await;
    assert_eq!(
        sent,
        [
            json!([{"op": "add", "path": "/values/2", "value": {"key": "rd_access_token", "value": "fake-access-postman", "type": "secret", "enabled": true}}])
        ]
    );
    others_only_untouched(&pm.received_requests().await.unwrap());
    // RD never sees the Postman key.
    for r in env.rd().received_requests().await.unwrap() {
        assert!(!r.headers.contains_key("x-api-key"));
    }
    // The key lives in its own keychain entry.
    assert_eq!(env.lookup("postman-api-key").as_deref(), Some(API_KEY));
    for (file, text) in env.all_profile_text() {
        assert!(
            !text.contains(API_KEY),
            "the Postman key is in {}",
            file.display()
        );
    }
    assert!(
        env.accounts_toml()
            .contains(&format!("postman_env = \"{ENV_ID}\""))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_variable_is_replaced_in_place() {
    let (env, pm) = synced_next_to(
        json!({"key": "token_rd", "value": "old", "enabled": true, "type": "secret"}),
    )
    .await;
    env.renova()
        .args(["edit", "loja", "--postman-var", "token_rd"])
        .assert()
        .success();
    let out = with_postman(&env, &pm, &["refresh", "loja"]);
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(
        patches(&pm).await.last().unwrap(),
        &json!([{"op": "replace", "path": "/values/1/value", "value": "fake-access-postman"}])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_postman_failure_is_explained_and_the_refresh_still_succeeds() {
    for (status, body, expect) in [
        (
            401,
            json!({"error": {"name": "AuthenticationError", "message": "Invalid API Key. Every request requires a valid API Key to be sent."}}),
            "Postman refused the API key",
        ),
        (
            404,
            json!({"error": {"name": "instanceNotFoundError", "message": "We could not find the environment you are looking for"}}),
            "no such environment",
        ),
        (
            429,
            json!({"error": "rateLimited", "message": "Rate limit exceeded. Please retry after some time."}),
            "rate limit",
        ),
        (
            503,
            json!({"message": "Service Unavailable"}),
            "could not be reached",
        ),
    ] {
        // `token` refreshes (first time) and still prints the token; `refresh` forces one.
        let env = with_rd(2).await;
        let pm = postman::server(
            API_KEY,
            ResponseTemplate::new(status)
                .insert_header("retry-after", "120")
                .set_body_json(body),
        )
        .await;
        postman::patch(API_KEY)
            .respond_with(postman::updated())
            .expect(0)
            .mount(&pm)
            .await;
        setup(&env, &pm);
        let out = token_via_postman(&env, &pm);
        assert!(
            out.stderr.contains("Postman: not updated") && out.stderr.contains(expect),
            "{status}: {}",
            out.stderr
        );
        let out = Run::of(
            env.renova()
                .env("RENOVA_POSTMAN_API_URL", pm.uri())
                .env("LANG", "pt_BR.UTF-8")
                .args(["refresh", "loja"]),
        );
        assert!(out.success(), "{status}: {}", out.stderr);
        assert!(
            out.stderr.contains("Postman: não atualizado"),
            "{status}: {}",
            out.stderr
        );
        let mirror = &env.state()["accounts"][env.account_id("loja")];
        assert!(mirror["postman_error"].is_object(), "{mirror}");
        if status == 429 {
            assert!(
                seconds_until(&mirror["postman_retry_at"]) >= 100,
                "Retry-After honoured"
            );
        }
        let audit = env.audit();
        assert!(audit.contains("\"action\":\"postman_sync\""));
        assert!(!audit.contains("fake-access-postman"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_is_not_stored_and_the_api_url_must_be_https() {
    let pm = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"name": "AuthenticationError", "message": "Invalid API Key."}}),
        ))
        .expect(1)
        .mount(&pm)
        .await;
    let env = Env::new();
    let store_key = |api_url: &str| {
        Run::of(
            env.renova()
                .env("RENOVA_POSTMAN_API_URL", api_url)
                .arg("postman-key")
                .write_stdin(format!("{API_KEY}\n")),
        )
    };
    let out = store_key(&pm.uri());
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("Postman refused the API key"),
        "{}",
        out.stderr
    );
    assert!(env.lookup("postman-api-key").is_none());
    let out = store_key("http://postman.example.com");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("plain http is allowed only"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postman_error_quoting_the_token_is_kept_without_it() {
    let env = with_rd(1).await;
    // A server that quotes back what it was sent.
    let pm = postman::server(API_KEY, postman::environment(&json!([]))).await;
    postman::patch(API_KEY)
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "name": "invalidParamsError",
            "message": "value fake-access-postman is not allowed"
        }})))
        .expect(1)
        .mount(&pm)
        .await;
    setup(&env, &pm);
    let out = token_via_postman(&env, &pm);
    let err = out.stderr;
    assert!(err.contains("Postman: not updated"), "{err}");
    assert!(!err.contains("fake-access-postman"), "{err}");
    let state = std::fs::read_to_string(env.state_file()).unwrap();
    assert!(state.contains("is not allowed"), "{state}");
    assert!(!state.contains("fake-access-postman"), "{state}");
    let audit = env.audit();
    assert!(!audit.contains("fake-access-postman"), "{audit}");
}
