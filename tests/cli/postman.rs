//! Postman environment sync against a local server playing Postman's API.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::*;

const API_KEY: &str = "PMAK-fake-0000-key";
const ENV_ID: &str = "12345678-abcd-ef01-2345-6789abcdef01";

async fn rd() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            "fake-access-postman",
            86400,
            REFRESH_TOKEN,
        )))
        .mount(&server)
        .await;
    server
}

async fn postman(values: Value) -> MockServer {
    postman_with(
        values,
        ResponseTemplate::new(200)
            .set_body_json(json!({"environment": {"id": ENV_ID, "name": "RD"}})),
    )
    .await
}

/// Postman's API with this environment, answering each PATCH with `patch`.
async fn postman_with(values: Value, patch: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("x-api-key", API_KEY))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"user": {"id": 1, "username": "ana", "fullName": "Ana Souza"}}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/environments/{ENV_ID}")))
        .and(header("x-api-key", API_KEY))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"environment": {"id": ENV_ID, "name": "RD", "values": values}}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/environments/{ENV_ID}")))
        .and(header("x-api-key", API_KEY))
        .respond_with(patch)
        .mount(&server)
        .await;
    server
}

/// A profile with a synced account and the Postman key stored.
fn setup(postman_uri: &str, rd_uri: &str) -> Env {
    let env = Env::new();
    env.add("loja", rd_uri);
    env.renova()
        .env("RENOVA_POSTMAN_API_URL", postman_uri)
        .arg("postman-key")
        .write_stdin(format!("{API_KEY}\n"))
        .assert()
        .success()
        .stderr(predicates::str::contains("it belongs to Ana Souza"));
    env.renova()
        .args(["edit", "loja", "--postman-env", ENV_ID])
        .assert()
        .success();
    env
}

async fn patches(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "PATCH")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
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
    let rd = rd().await;
    let pm = postman(json!([
        {"key": "base_url", "value": "https://api.rd.services", "enabled": true, "type": "default"},
        {"key": "other_secret", "value": "keep-me", "enabled": true, "type": "secret"}
    ]))
    .await;
    let (pm_uri, rd_uri) = (pm.uri(), rd.uri());
    let env = tokio::task::spawn_blocking(move || {
        let env = setup(&pm_uri, &rd_uri);
        env.renova()
            .env("RENOVA_POSTMAN_API_URL", &pm_uri)
            .args(["token", "loja"])
            .assert()
            .success()
            .stdout("fake-access-postman\n");
        env
    })
    .await
    .unwrap();
    let sent = patches(&pm).await;
    assert_eq!(
        sent,
        [
            json!([{"op": "add", "path": "/values/2", "value": {"key": "rd_access_token", "value": "fake-access-postman", "type": "secret", "enabled": true}}])
        ]
    );
    others_only_untouched(&pm.received_requests().await.unwrap());
    // RD never sees the Postman key.
    for r in rd.received_requests().await.unwrap() {
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
    let toml = std::fs::read_to_string(env.accounts_file()).unwrap();
    assert!(toml.contains(&format!("postman_env = \"{ENV_ID}\"")));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_variable_is_replaced_in_place() {
    let rd = rd().await;
    let pm = postman(json!([
        {"key": "base_url", "value": "https://api.rd.services", "enabled": true, "type": "default"},
        {"key": "token_rd", "value": "old", "enabled": true, "type": "secret"}
    ]))
    .await;
    let (pm_uri, rd_uri) = (pm.uri(), rd.uri());
    tokio::task::spawn_blocking(move || {
        let env = setup(&pm_uri, &rd_uri);
        env.renova()
            .args(["edit", "loja", "--postman-var", "token_rd"])
            .assert()
            .success();
        env.renova()
            .env("RENOVA_POSTMAN_API_URL", &pm_uri)
            .args(["refresh", "loja"])
            .assert()
            .success();
    })
    .await
    .unwrap();
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
        let rd = rd().await;
        let pm = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/me"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"user": {"username": "ana", "fullName": "Ana Souza"}})),
            )
            .mount(&pm)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/environments/{ENV_ID}")))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after", "120")
                    .set_body_json(body),
            )
            .mount(&pm)
            .await;
        let (pm_uri, rd_uri) = (pm.uri(), rd.uri());
        let env = tokio::task::spawn_blocking(move || {
            let env = setup(&pm_uri, &rd_uri);
            for lang in ["C.UTF-8", "pt_BR.UTF-8"] {
                // `token` refreshes (first time) and still prints the token; `refresh` forces one.
                let args: &[&str] = if lang == "C.UTF-8" {
                    &["token", "loja"]
                } else {
                    &["refresh", "loja"]
                };
                let out = env
                    .renova()
                    .env("RENOVA_POSTMAN_API_URL", &pm_uri)
                    .env("LANG", lang)
                    .args(args)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{status}: {}", stderr(&out));
                if lang == "C.UTF-8" {
                    assert_eq!(stdout(&out), "fake-access-postman\n");
                }
                let err = stderr(&out);
                if lang == "C.UTF-8" {
                    assert!(
                        err.contains("Postman: not updated") && err.contains(expect),
                        "{status}: {err}"
                    );
                } else {
                    assert!(err.contains("Postman: não atualizado"), "{status}: {err}");
                }
            }
            env
        })
        .await
        .unwrap();
        let state: Value =
            serde_json::from_str(&std::fs::read_to_string(env.state_file()).unwrap()).unwrap();
        let mirror = &state["accounts"][env.account_id("loja")];
        assert!(mirror["postman_error"].is_object(), "{mirror}");
        if status == 429 {
            let retry: jiff::Timestamp = mirror["postman_retry_at"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                retry.as_second() - jiff::Timestamp::now().as_second() >= 100,
                "Retry-After honoured"
            );
        }
        let audit =
            std::fs::read_to_string(env.dir("state").join("renova").join("audit.jsonl")).unwrap();
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
        .mount(&pm)
        .await;
    let pm_uri = pm.uri();
    tokio::task::spawn_blocking(move || {
        let env = Env::new();
        let out = env
            .renova()
            .env("RENOVA_POSTMAN_API_URL", &pm_uri)
            .arg("postman-key")
            .write_stdin(format!("{API_KEY}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("Postman refused the API key"),
            "{}",
            stderr(&out)
        );
        assert!(env.lookup("postman-api-key").is_none());
        let out = env
            .renova()
            .env("RENOVA_POSTMAN_API_URL", "http://postman.example.com")
            .arg("postman-key")
            .write_stdin(format!("{API_KEY}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("plain http is allowed only"),
            "{}",
            stderr(&out)
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postman_error_quoting_the_token_is_kept_without_it() {
    let rd = rd().await;
    // A server that quotes back what it was sent.
    let pm = postman_with(
        json!([]),
        ResponseTemplate::new(400).set_body_json(json!({"error": {
            "name": "invalidParamsError",
            "message": "value fake-access-postman is not allowed"
        }})),
    )
    .await;
    let (pm_uri, rd_uri) = (pm.uri(), rd.uri());
    tokio::task::spawn_blocking(move || {
        let env = setup(&pm_uri, &rd_uri);
        let out = env
            .renova()
            .env("RENOVA_POSTMAN_API_URL", &pm_uri)
            .args(["token", "loja"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), "fake-access-postman\n");
        let err = stderr(&out);
        assert!(err.contains("Postman: not updated"), "{err}");
        assert!(!err.contains("fake-access-postman"), "{err}");
        let state = std::fs::read_to_string(env.state_file()).unwrap();
        assert!(state.contains("is not allowed"), "{state}");
        assert!(!state.contains("fake-access-postman"), "{state}");
        let audit =
            std::fs::read_to_string(env.dir("state").join("renova").join("audit.jsonl")).unwrap();
        assert!(!audit.contains("fake-access-postman"), "{audit}");
    })
    .await
    .unwrap();
}
