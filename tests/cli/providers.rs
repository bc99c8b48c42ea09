//! RD Station CRM v2 (form-encoded, rotating refresh tokens) and any OAuth 2.0 provider (Basic
//! auth, public clients, PKCE, RFC 7009 revocation), against local servers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

use crate::support::crm::Rotating;
use crate::support::*;

/// A profile with a CRM account `crm` whose token endpoint is `rotating`, expecting `refreshes`
/// requests; the account's id.
async fn crm_account(rotating: &Rotating, refreshes: u64) -> (Env, String) {
    let env = Env::with_rd().await;
    rotating.mount(env.rd(), refreshes).await;
    let id = env.add_crm(Some(&env.rd().uri()));
    (env, id)
}

/// A generic OAuth 2.0 provider's token endpoint: `POST /token`.
fn oauth2_token_endpoint() -> MockBuilder {
    Mock::given(method("POST")).and(path("/token"))
}

/// `renova add NAME --client-id CLIENT_ID --provider oauth2 --token-url SERVER/token FLAGS…`
/// with `stdin`.
fn add_oauth2(env: &Env, name: &str, server: &MockServer, flags: &[&str], stdin: &str) {
    let token_url = format!("{}/token", server.uri());
    let provider = ["--provider", "oauth2", "--token-url", &token_url];
    env.add_with(name, &[&provider[..], flags].concat(), stdin)
        .success();
}

#[tokio::test(flavor = "multi_thread")]
async fn crm_refreshes_with_a_form_and_stores_each_rotated_token() {
    let rotating = Rotating::new(REFRESH_TOKEN, Duration::ZERO);
    let (env, id) = crm_account(&rotating, 3).await;
    let toml = env.accounts_toml();
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
    assert_eq!(lifetime(&env.entry(&id)), 7200);
    assert_eq!(rotating.refused(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_concurrent_crm_refreshes_make_one_request_and_lose_nothing() {
    let rotating = Rotating::new(REFRESH_TOKEN, Duration::from_millis(400));
    let (env, id) = crm_account(&rotating, 2).await;
    for out in env.run_at_once(8, &["refresh", "crm"]) {
        assert!(out.success(), "{}", out.stderr);
    }
    assert_eq!(rotating.issued(), 1, "one network refresh");
    assert_eq!(
        rotating.refused(),
        0,
        "no process used a dead refresh token"
    );
    assert_eq!(env.entry(&id)["refresh_token"], rotating.current());
    // The chain is intact: one more refresh works.
    env.renova().args(["refresh", "crm"]).assert().success();
    assert_eq!(rotating.issued(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_crm_refresh_token_is_exit_3() {
    let rotating = Rotating::new("fake-some-other-token", Duration::ZERO);
    let (env, id) = crm_account(&rotating, 1).await;
    let before = env.lookup(&id).unwrap();
    let out = env.run(&["token", "crm"]);
    assert_eq!(out.code, Some(3));
    assert!(out.stderr.contains("invalid_grant"), "{}", out.stderr);
    assert_eq!(rotating.refused(), 1);
    assert_eq!(env.lookup(&id).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crm_refresh_token_unused_for_ten_days_is_flagged_by_list() {
    let rotating = Rotating::new(REFRESH_TOKEN, Duration::ZERO);
    let (env, id) = crm_account(&rotating, 0).await;
    let eleven_days_ago = jiff::Timestamp::now().as_second() - 11 * 86_400;
    let mut state = env.state();
    state["accounts"][&id]["refresh_token_used_at"] = json!(
        jiff::Timestamp::from_second(eleven_days_ago)
            .unwrap()
            .to_string()
    );
    std::fs::write(env.state_file(), state.to_string()).unwrap();
    let out = env.run(&["list"]);
    assert!(out.success());
    assert!(
        out.stderr
            .contains("has not been used for 11 days; it dies after 14"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn crm_authorize_uses_oauth2_authorize_and_a_form_exchange() {
    let env = Env::with_rd().await;
    let server = env.rd();
    crm::token_endpoint()
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
        .mount(server)
        .await;
    env.add_with(
        "crm",
        &[
            "--provider",
            "rdstation-crm",
            "--base-url",
            &server.uri(),
            "--redirect-uri",
            "https://example.com/cb",
        ],
        &secret_only(),
    )
    .success();
    let out = Run::of(
        env.renova()
            .args(["authorize", "crm", "--no-browser"])
            .write_stdin("fake-code-crm\n"),
    );
    assert!(out.success(), "{}", out.stderr);
    let err = out.stderr;
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
        let f = crm::form(request);
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
    // A generic OAuth 2.0 provider, not RD.
    let server = &MockServer::start().await;
    let env = Env::new();
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let challenge = Arc::new(Mutex::new(None));
    oauth2_token_endpoint()
        .respond_with(OAuthProvider {
            basic: Some(basic),
            challenge: challenge.clone(),
        })
        .expect(2)
        .mount(server)
        .await;
    let u = server.uri();
    add_oauth2(
        &env,
        "gh",
        server,
        &[
            "--authorize-url",
            &format!("{u}/authorize"),
            "--client-auth",
            "basic",
            "--scope",
            "read",
            "--scope",
            "write",
            "--redirect-uri",
            "https://example.com/cb",
        ],
        &secret_only(),
    );
    let mut child = spawn(env.renova_std().args(["authorize", "gh", "--no-browser"]));
    let (url, _) = read_url(&mut child, "/authorize?");
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
    // A generic OAuth 2.0 provider, not RD.
    let server = &MockServer::start().await;
    let env = Env::new();
    oauth2_token_endpoint()
        .and(body_string_contains(format!("client_id={CLIENT_ID}")))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(|r: &Request| {
            let f = crm::form(r);
            assert!(!f.contains_key("client_secret"));
            assert!(!r.headers.contains_key("authorization"));
            ResponseTemplate::new(400).set_body_json(json!({"error":"invalid_grant","error_description":"Token has been expired or revoked."}))
        })
        .expect(1)
        .mount(server)
        .await;
    add_oauth2(
        &env,
        "pub",
        server,
        &["--client-auth", "none"],
        &format!("\n{REFRESH_TOKEN}\n"),
    );
    let out = env.run(&["token", "pub"]);
    assert_eq!(out.code, Some(3));
    assert!(out.stderr.contains("invalid_grant"), "{}", out.stderr);
    assert!(out.stderr.contains("Token has been expired or revoked."));
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth2_revoke_follows_rfc_7009_and_check_names_the_account() {
    // A generic OAuth 2.0 provider, not RD.
    let server = &MockServer::start().await;
    let env = Env::new();
    oauth2_token_endpoint()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token":"fake-oauth-at","expires_in":3600})),
        )
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Bearer fake-oauth-at"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login":"ana","id":1})))
        .expect(1)
        .mount(server)
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
        .mount(server)
        .await;
    let u = server.uri();
    add_oauth2(
        &env,
        "api",
        server,
        &[
            "--revoke-url",
            &format!("{u}/revoke"),
            "--check-url",
            &format!("{u}/me"),
        ],
        &secrets(),
    );
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
    env.add_with(
        "rd",
        &["--token-url", "https://x.example/token"],
        &secret_only(),
    )
    .code(2)
    .stderr(predicates::str::contains("only for oauth2"));
    env.add_with("o", &["--provider", "oauth2"], &secret_only())
        .code(2)
        .stderr(predicates::str::contains("--token-url"));
}
