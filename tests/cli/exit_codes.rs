//! Every documented exit code, and after every failure the keychain entry is byte-identical.

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

#[tokio::test]
async fn wrong_client_secret_is_3() {
    Env::with_rd_answering(rd::wrong_credentials())
        .await
        .token_fails_with(
            3,
            &[
                "ACCESS_DENIED",
                "Wrong credentials provided.",
                "client secret is wrong or the app was removed",
            ],
        );
}

#[tokio::test]
async fn invalid_refresh_token_is_3() {
    Env::with_rd_answering(rd::invalid_refresh_token())
        .await
        .token_fails_with(3, &["INVALID_REFRESH_TOKEN", "renova authorize loja"]);
}

#[tokio::test]
async fn missing_field_400_is_3() {
    Env::with_rd_answering(ResponseTemplate::new(400).set_body_json(json!({"errors":[{"error_type":"CANNOT_BE_NULL","error_message":"Cannot be null.","path":"body.client_secret"}]})))
        .await
        .token_fails_with(3, &["CANNOT_BE_NULL", "body.client_secret"]);
}

#[tokio::test]
async fn server_error_500_is_4() {
    Env::with_rd_answering(ResponseTemplate::new(500).set_body_string("oops"))
        .await
        .token_fails_with(4, &["HTTP 500"]);
}

#[tokio::test]
async fn html_502_is_4_and_shown_as_one_plain_line() {
    let env = Env::with_rd_answering(
        ResponseTemplate::new(502)
            .insert_header("content-type", "text/html")
            .set_body_string("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"),
    )
    .await;
    let err = env.token_fails_with(4, &["HTTP 502", "502 Bad Gateway"]);
    assert!(!err.contains('<'), "{err}");
}

#[tokio::test]
async fn rate_limit_429_is_4_in_all_three_shapes() {
    for body in [
        json!({"errors":{"error_type":"RATE_LIMIT_EXCEDDED","error_message":"API usage limit exceeded"}}),
        json!({"error":"'lead_limiter' rate limit exceeded for 86400 second(s) period for plan LIGHT","max":24,"usage":55,"remaining_time":20745}),
        json!({"message":"API rate limit exceeded"}),
    ] {
        Env::with_rd_answering(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "30")
                .set_body_json(body),
        )
        .await
        .token_fails_with(4, &["rate limit", "HTTP 429"]);
    }
}

#[tokio::test]
async fn timeout_is_4() {
    Env::with_rd_answering(
        rd::issued("fake-access-late").set_delay(std::time::Duration::from_secs(6)),
    )
    .await
    .token_fails_with(4, &["did not answer in time"]);
}

#[tokio::test]
async fn connection_refused_is_4() {
    let env = Env::new();
    env.add("loja", &format!("http://127.0.0.1:{}", dead_port()));
    env.token_fails_with(4, &["Could not connect"]);
    // `list` and `doctor` say why the last attempt failed, until one succeeds.
    let out = env.run(&["list"]);
    assert!(out.success());
    assert!(
        out.stderr.contains("loja: the last attempt failed")
            && out.stderr.contains("Could not connect"),
        "{}",
        out.stderr
    );
    let doctor = Run::of(env.renova().env("LANG", "pt_BR.UTF-8").args(["doctor"]));
    // An account that needs attention is a problem to the doctor, as to the window and tray.
    assert_eq!(doctor.code, Some(1), "{}", doctor.stdout);
    assert!(
        doctor.stdout.contains("[PROBLEMA] Conta loja"),
        "{}",
        doctor.stdout
    );
    let text = doctor.stdout;
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
        Env::with_rd_answering(template)
            .await
            .token_fails_with(4, &[expect]);
    }
}

#[tokio::test]
async fn redirects_are_4_and_never_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(rd::issued("fake-stolen"))
        .expect(0)
        .mount(&elsewhere)
        .await;
    for status in [301, 302, 307, 308] {
        Env::with_rd_answering(
            ResponseTemplate::new(status)
                .insert_header("location", format!("{}/auth/token", elsewhere.uri())),
        )
        .await
        .token_fails_with(4, &["redirect", "never follows redirects"]);
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
        let out = env.run(cmd);
        assert_eq!(out.code, Some(6), "{cmd:?}: {}", out.stderr);
        assert!(out.stderr.contains("renova list"));
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
        assert_eq!(env.run(args).code, Some(2), "{args:?}");
    }
    env.add_with("big", &[], &"a".repeat(9000))
        .code(2)
        .stderr(predicates::str::contains("8 KiB"));
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
    env.add_crm(None);
    for cmd in ["check", "revoke"] {
        let out = env.run(&[cmd, "crm"]);
        assert_eq!(out.code, Some(2), "{cmd}: {}", out.stderr);
    }
}
