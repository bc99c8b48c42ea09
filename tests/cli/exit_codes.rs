//! Every documented exit code, and after every failure the keychain entry is byte-identical.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

/// Sets up an account against `server`, runs `renova token`, and checks the exit code, that
/// stdout is empty, that stderr says `expect`, and that the entry did not change.
async fn token_fails_with(server: &MockServer, code: i32, expect: &[&str]) -> String {
    let env = Env::new();
    let id = env.add("loja", &server.uri());
    let before = env.lookup(&id).unwrap();
    let out = env
        .renova()
        .env("RENOVA_HTTP_TIMEOUT", "2s")
        .args(["token", "loja"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert_eq!(
        stdout(&out),
        "",
        "a failed refresh prints nothing on stdout"
    );
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert!(
        !err.contains(CLIENT_SECRET) && !err.contains(REFRESH_TOKEN),
        "{err}"
    );
    assert_eq!(
        env.lookup(&id).unwrap(),
        before,
        "the entry changed after a failure"
    );
    err
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn wrong_client_secret_is_3() {
    let s = answering(ResponseTemplate::new(401).set_body_json(
        json!({"error_type":"ACCESS_DENIED","error_message":"Wrong credentials provided."}),
    ))
    .await;
    token_fails_with(
        &s,
        3,
        &[
            "ACCESS_DENIED",
            "Wrong credentials provided.",
            "client secret is wrong or the app was removed",
        ],
    )
    .await;
}

#[tokio::test]
async fn invalid_refresh_token_is_3() {
    let s = answering(ResponseTemplate::new(401).set_body_json(json!({
        "error_type":"INVALID_REFRESH_TOKEN",
        "error_message":"The provided refresh token is invalid or was revoked."
    })))
    .await;
    token_fails_with(&s, 3, &["INVALID_REFRESH_TOKEN", "renova authorize loja"]).await;
}

#[tokio::test]
async fn missing_field_400_is_3() {
    let s = answering(ResponseTemplate::new(400).set_body_json(json!({"errors":[{"error_type":"CANNOT_BE_NULL","error_message":"Cannot be null.","path":"body.client_secret"}]}))).await;
    token_fails_with(&s, 3, &["CANNOT_BE_NULL", "body.client_secret"]).await;
}

#[tokio::test]
async fn server_error_500_is_4() {
    let s = answering(ResponseTemplate::new(500).set_body_string("oops")).await;
    token_fails_with(&s, 4, &["HTTP 500"]).await;
}

#[tokio::test]
async fn html_502_is_4_and_shown_as_one_plain_line() {
    let s = answering(
        ResponseTemplate::new(502)
            .insert_header("content-type", "text/html")
            .set_body_string("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"),
    )
    .await;
    let err = token_fails_with(&s, 4, &["HTTP 502", "502 Bad Gateway"]).await;
    assert!(!err.contains('<'), "{err}");
}

#[tokio::test]
async fn rate_limit_429_is_4_in_all_three_shapes() {
    for body in [
        json!({"errors":{"error_type":"RATE_LIMIT_EXCEDDED","error_message":"API usage limit exceeded"}}),
        json!({"error":"'lead_limiter' rate limit exceeded for 86400 second(s) period for plan LIGHT","max":24,"usage":55,"remaining_time":20745}),
        json!({"message":"API rate limit exceeded"}),
    ] {
        let s = answering(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "30")
                .set_body_json(body),
        )
        .await;
        token_fails_with(&s, 4, &["rate limit", "HTTP 429"]).await;
    }
}

#[tokio::test]
async fn timeout_is_4() {
    let s = answering(
        ResponseTemplate::new(200)
            .set_body_json(rd_tokens("fake-access-late", 86400, REFRESH_TOKEN))
            .set_delay(std::time::Duration::from_secs(6)),
    )
    .await;
    token_fails_with(&s, 4, &["did not answer in time"]).await;
}

#[tokio::test]
async fn connection_refused_is_4() {
    let env = Env::new();
    let id = env.add("loja", &format!("http://127.0.0.1:{}", dead_port()));
    let before = env.lookup(&id).unwrap();
    let out = env.renova().args(["token", "loja"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Could not connect"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.lookup(&id).unwrap(), before);
    // `list` and `doctor` say why the last attempt failed, until one succeeds.
    let out = env.renova().args(["list"]).output().unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("loja: the last attempt failed") && err.contains("Could not connect"),
        "{err}"
    );
    let out = env
        .renova()
        .env("LANG", "pt_BR.UTF-8")
        .args(["doctor"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("a última tentativa falhou") && text.contains("Não foi possível conectar"),
        "{text}"
    );
    assert!(!text.contains("crates.io"), "{text}");
}

#[tokio::test]
async fn malformed_empty_and_tokenless_answers_are_4() {
    for (template, expect) in [
        (
            ResponseTemplate::new(200).set_body_string("{not json"),
            "not JSON",
        ),
        (ResponseTemplate::new(200), "empty"),
        (
            ResponseTemplate::new(200).set_body_json(json!({"expires_in": 86400})),
            "no access token",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": 42, "expires_in": 86400})),
            "not a string",
        ),
        (
            ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 2 * 1024 * 1024]),
            "1 MiB",
        ),
    ] {
        let s = answering(template).await;
        token_fails_with(&s, 4, &[expect]).await;
    }
}

#[tokio::test]
async fn redirects_are_4_and_never_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            "fake-stolen",
            86400,
            REFRESH_TOKEN,
        )))
        .expect(0)
        .mount(&elsewhere)
        .await;
    for status in [301, 302, 307, 308] {
        let s = answering(
            ResponseTemplate::new(status)
                .insert_header("location", format!("{}/auth/token", elsewhere.uri())),
        )
        .await;
        token_fails_with(&s, 4, &["redirect", "never follows redirects"]).await;
    }
}

#[tokio::test]
async fn unknown_account_is_6() {
    let env = Env::new();
    for cmd in [
        &["token", "nada"][..],
        &["refresh", "nada"],
        &["check", "nada"],
        &["revoke", "nada"],
        &["remove", "nada"],
        &["edit", "nada", "--client-id", "x"],
    ] {
        let out = env.renova().args(cmd).output().unwrap();
        assert_eq!(out.status.code(), Some(6), "{cmd:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("renova list"));
    }
}

#[tokio::test]
async fn bad_flags_and_bad_stdin_are_2() {
    let env = Env::new();
    for args in [
        &["token"][..],
        &["token", "x", "--format", "yaml"],
        &["token", "x", "--min-valid", "soon"],
        &["refresh"],
        &["add", "x"],
        &["frobnicate"],
    ] {
        let out = env.renova().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = env
        .renova()
        .args(["add", "big", "--client-id", CLIENT_ID])
        .write_stdin(vec![b'a'; 9000])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("8 KiB"));
    let out = env
        .renova()
        .args(["add", "bin", "--client-id", CLIENT_ID])
        .write_stdin(vec![0xff, 0xfe, b'\n'])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!env.accounts_file().exists());
}

#[tokio::test]
async fn check_and_revoke_are_2_for_crm() {
    let env = Env::new();
    env.renova()
        .args([
            "add",
            "crm",
            "--client-id",
            CLIENT_ID,
            "--provider",
            "rdstation-crm",
        ])
        .write_stdin(format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n"))
        .assert()
        .success();
    for cmd in ["check", "revoke"] {
        let out = env.renova().args([cmd, "crm"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
    }
}
