//! RD Station CRM v2 (form-encoded, rotating refresh tokens) and any OAuth 2.0 provider (Basic
//! auth, public clients, PKCE, RFC 7009 revocation), against local servers.

use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::*;

fn form(request: &Request) -> std::collections::HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// A CRM token endpoint that kills each refresh token on use: only the newest one works.
#[derive(Clone)]
pub struct Rotating {
    pub current: Arc<Mutex<String>>,
    pub issued: Arc<AtomicU32>,
    pub refused: Arc<AtomicU32>,
    delay: Duration,
}

impl Rotating {
    pub fn new(first: &str, delay: Duration) -> Self {
        Self {
            current: Arc::new(Mutex::new(first.to_owned())),
            issued: Arc::new(AtomicU32::new(0)),
            refused: Arc::new(AtomicU32::new(0)),
            delay,
        }
    }
}

impl Respond for Rotating {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let f = form(request);
        assert_eq!(
            f.get("grant_type").map(String::as_str),
            Some("refresh_token")
        );
        assert_eq!(f.get("client_id").map(String::as_str), Some(CLIENT_ID));
        assert_eq!(
            f.get("client_secret").map(String::as_str),
            Some(CLIENT_SECRET)
        );
        let mut current = self.current.lock().unwrap();
        if f.get("refresh_token") != Some(&*current) {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid_grant", "error_description": "The refresh token is invalid or was already used."}));
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let next = format!("fake-crm-refresh-{n}");
        *current = next.clone();
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": format!("fake-crm-access-{n}"), "expires_in": 7200, "refresh_token": next, "token_type": "Bearer"}))
            .set_delay(self.delay)
    }
}

fn add_crm(env: &Env, server: &MockServer) -> String {
    env.renova()
        .args([
            "add",
            "crm",
            "--client-id",
            CLIENT_ID,
            "--provider",
            "rdstation-crm",
            "--base-url",
            &server.uri(),
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n"))
        .assert()
        .success();
    env.account_id("crm")
}

#[tokio::test(flavor = "multi_thread")]
async fn crm_refreshes_with_a_form_and_stores_each_rotated_token() {
    let server = MockServer::start().await;
    let rotating = Rotating::new(REFRESH_TOKEN, Duration::ZERO);
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(rotating.clone())
        .mount(&server)
        .await;
    let env = Env::new();
    let id = add_crm(&env, &server);
    let toml = std::fs::read_to_string(env.accounts_file()).unwrap();
    assert!(
        toml.contains("lead_time = \"5m\""),
        "CRM's default lead time:\n{toml}"
    );
    for n in 1..=3 {
        env.renova().args(["refresh", "crm"]).assert().success();
        let entry = env.entry(&id);
        assert_eq!(entry["refresh_token"], format!("fake-crm-refresh-{n}"));
        assert_eq!(entry["access_token"], format!("fake-crm-access-{n}"));
    }
    let entry = env.entry(&id);
    let obtained: jiff::Timestamp = entry["obtained_at"].as_str().unwrap().parse().unwrap();
    let expires: jiff::Timestamp = entry["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires.as_second() - obtained.as_second(), 7200);
    assert_eq!(rotating.refused.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_concurrent_crm_refreshes_make_one_request_and_lose_nothing() {
    let server = MockServer::start().await;
    let rotating = Rotating::new(REFRESH_TOKEN, Duration::from_millis(400));
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(rotating.clone())
        .mount(&server)
        .await;
    let env = Env::new();
    let id = add_crm(&env, &server);
    let children: Vec<_> = (0..8)
        .map(|_| {
            env.renova_std()
                .args(["refresh", "crm"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(
        rotating.issued.load(Ordering::SeqCst),
        1,
        "one network refresh"
    );
    assert_eq!(
        rotating.refused.load(Ordering::SeqCst),
        0,
        "no process used a dead refresh token"
    );
    assert_eq!(
        env.entry(&id)["refresh_token"],
        *rotating.current.lock().unwrap()
    );
    // The chain is intact: one more refresh works.
    env.renova().args(["refresh", "crm"]).assert().success();
    assert_eq!(rotating.issued.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_crm_refresh_token_is_exit_3() {
    let server = MockServer::start().await;
    let rotating = Rotating::new("fake-some-other-token", Duration::ZERO);
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(rotating)
        .mount(&server)
        .await;
    let env = Env::new();
    let id = add_crm(&env, &server);
    let before = env.lookup(&id).unwrap();
    let out = env.renova().args(["token", "crm"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("invalid_grant"), "{}", stderr(&out));
    assert_eq!(env.lookup(&id).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crm_refresh_token_unused_for_ten_days_is_flagged_by_list() {
    let server = MockServer::start().await;
    let env = Env::new();
    let id = add_crm(&env, &server);
    let eleven_days_ago = jiff::Timestamp::now().as_second() - 11 * 86_400;
    let path = env.state_file();
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    state["accounts"][&id]["refresh_token_used_at"] = json!(
        jiff::Timestamp::from_second(eleven_days_ago)
            .unwrap()
            .to_string()
    );
    std::fs::write(&path, state.to_string()).unwrap();
    let out = env.renova().args(["list"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("has not been used for 11 days; it dies after 14"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn crm_authorize_uses_oauth2_authorize_and_a_form_exchange() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=fake-code-crm"))
        .and(body_string_contains(
            "redirect_uri=https%3A%2F%2Fexample.com%2Fcb",
        ))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token":"fake-crm-at","expires_in":7200,"refresh_token":"fake-crm-rt"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    env.renova()
        .args([
            "add",
            "crm",
            "--client-id",
            CLIENT_ID,
            "--provider",
            "rdstation-crm",
            "--base-url",
            &server.uri(),
            "--redirect-uri",
            "https://example.com/cb",
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .assert()
        .success();
    let out = env
        .renova()
        .args(["authorize", "crm", "--no-browser"])
        .write_stdin("fake-code-crm\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let url = err
        .lines()
        .map(str::trim)
        .find(|l| l.contains("/oauth2/authorize?"))
        .unwrap();
    let parsed = url::Url::parse(url).unwrap();
    assert_eq!(parsed.path(), "/oauth2/authorize");
    let q: std::collections::HashMap<String, String> = parsed.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["redirect_uri"], "https://example.com/cb");
    assert_eq!(q["state"].len(), 32);
    assert_eq!(
        env.entry(&env.account_id("crm"))["refresh_token"],
        "fake-crm-rt"
    );
}

/// An OAuth 2.0 provider: token endpoint checks client authentication; authorize checks PKCE.
struct OAuthProvider {
    basic: Option<String>,
    challenge: Arc<Mutex<Option<String>>>,
}

impl Respond for OAuthProvider {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let f = form(request);
        let auth = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned());
        if let Some(expected) = &self.basic
            && (auth.as_deref() != Some(expected.as_str()) || f.contains_key("client_secret"))
        {
            return ResponseTemplate::new(401).set_body_json(json!({"error":"invalid_client"}));
        }
        match f.get("grant_type").map(String::as_str) {
            Some("authorization_code") => {
                let verifier = f.get("code_verifier").cloned().unwrap_or_default();
                let digest = <sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes());
                let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
                if Some(computed) != *self.challenge.lock().unwrap() {
                    return ResponseTemplate::new(400).set_body_json(json!({"error":"invalid_grant","error_description":"PKCE verification failed"}));
                }
                ResponseTemplate::new(200).set_body_json(json!({"access_token":"fake-oauth-at","expires_in":3600,"refresh_token":"fake-oauth-rt","token_type":"Bearer"}))
            }
            Some("refresh_token") => ResponseTemplate::new(200).set_body_json(
                json!({"access_token":"fake-oauth-at2","expires_in":3600,"token_type":"Bearer"}),
            ),
            _ => {
                ResponseTemplate::new(400).set_body_json(json!({"error":"unsupported_grant_type"}))
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth2_with_basic_auth_scopes_and_pkce() {
    let server = MockServer::start().await;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let challenge = Arc::new(Mutex::new(None));
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(OAuthProvider {
            basic: Some(basic),
            challenge: challenge.clone(),
        })
        .mount(&server)
        .await;
    let env = Env::new();
    env.renova()
        .args([
            "add",
            "gh",
            "--client-id",
            CLIENT_ID,
            "--provider",
            "oauth2",
            "--token-url",
            &format!("{}/token", server.uri()),
            "--authorize-url",
            &format!("{}/authorize", server.uri()),
            "--client-auth",
            "basic",
            "--scope",
            "read",
            "--scope",
            "write",
            "--redirect-uri",
            "https://example.com/cb",
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .assert()
        .success();
    let mut child = env
        .renova_std()
        .args(["authorize", "gh", "--no-browser"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert!(
            std::io::BufRead::read_line(&mut err, &mut line).unwrap() > 0,
            "no URL"
        );
        if line.trim_start().starts_with("http") && line.contains("/authorize?") {
            break line.trim().to_owned();
        }
    };
    let q: std::collections::HashMap<String, String> = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(q["scope"], "read write");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43);
    *challenge.lock().unwrap() = Some(q["code_challenge"].clone());
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        format!(
            "https://example.com/cb?code=fake-code-oauth&state={}\n",
            q["state"]
        )
        .as_bytes(),
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    let id = env.account_id("gh");
    assert_eq!(env.entry(&id)["refresh_token"], "fake-oauth-rt");
    // A refresh without a new refresh token keeps the stored one.
    env.renova().args(["refresh", "gh"]).assert().success();
    let entry = env.entry(&id);
    assert_eq!(entry["access_token"], "fake-oauth-at2");
    assert_eq!(entry["refresh_token"], "fake-oauth-rt");
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth2_public_clients_send_no_secret_and_invalid_grant_is_3() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains(format!("client_id={CLIENT_ID}")))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(|r: &Request| {
            let f = form(r);
            assert!(!f.contains_key("client_secret"));
            assert!(!r.headers.contains_key("authorization"));
            ResponseTemplate::new(400).set_body_json(json!({"error":"invalid_grant","error_description":"Token has been expired or revoked."}))
        })
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    env.renova()
        .args([
            "add",
            "pub",
            "--client-id",
            CLIENT_ID,
            "--provider",
            "oauth2",
            "--token-url",
            &format!("{}/token", server.uri()),
            "--client-auth",
            "none",
        ])
        .write_stdin(format!("\n{REFRESH_TOKEN}\n"))
        .assert()
        .success();
    let out = env.renova().args(["token", "pub"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("invalid_grant"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Token has been expired or revoked."));
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth2_revoke_follows_rfc_7009_and_check_names_the_account() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token":"fake-oauth-at","expires_in":3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer fake-oauth-at"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login":"ana","id":1})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/revoke"))
        .and(body_string_contains(format!("token={REFRESH_TOKEN}")))
        .and(body_string_contains("token_type_hint=refresh_token"))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    let u = server.uri();
    env.renova()
        .args([
            "add",
            "api",
            "--client-id",
            CLIENT_ID,
            "--provider",
            "oauth2",
            "--token-url",
            &format!("{u}/token"),
            "--revoke-url",
            &format!("{u}/revoke"),
            "--check-url",
            &format!("{u}/me"),
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n"))
        .assert()
        .success();
    env.renova()
        .args(["check", "api"])
        .assert()
        .success()
        .stdout("ana\n");
    env.renova().args(["revoke", "api"]).assert().success();
    assert!(env.entry(&env.account_id("api"))["refresh_token"].is_null());
}

#[test]
fn endpoint_flags_are_only_for_oauth2() {
    let env = Env::new();
    let out = env
        .renova()
        .args([
            "add",
            "rd",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            "https://x.example/token",
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only for oauth2"), "{}", stderr(&out));
    let out = env
        .renova()
        .args(["add", "o", "--client-id", CLIENT_ID, "--provider", "oauth2"])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--token-url"), "{}", stderr(&out));
}
