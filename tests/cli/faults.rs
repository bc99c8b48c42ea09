//! The fault suite: a provider misbehaving at the socket level, odd expiries, `renova refresh`
//! killed at random moments, and the keychain daemon dying mid-refresh. After each: a clear
//! error, and credentials intact.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

/// A raw TCP "provider" that answers every connection with `answer(stream)` (after reading
/// the request, unless `read_request` is false).
fn raw_server(answer: fn(&mut std::net::TcpStream)) -> String {
    raw_server_with(true, answer)
}

fn raw_server_with(read_request: bool, answer: fn(&mut std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::Builder::new()
        .name("raw-provider".to_owned())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                if read_request {
                    let mut buf = [0u8; 4096];
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let _ = stream.read(&mut buf);
                }
                answer(&mut stream);
            }
        })
        .unwrap();
    format!("http://{addr}")
}

fn fails_cleanly(base: &str, code: i32, expect: &str) {
    let env = Env::new();
    let id = env.add("loja", base);
    let before = env.lookup(&id).unwrap();
    let out = env
        .renova()
        .env("RENOVA_HTTP_TIMEOUT", "2s")
        .args(["token", "loja"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(expect), "expected {expect:?} in {err}");
    assert_eq!(stdout(&out), "");
    assert_eq!(env.lookup(&id).unwrap(), before);
}

#[test]
fn headers_then_silence_times_out() {
    let base = raw_server(|s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"access");
        std::thread::sleep(Duration::from_secs(8));
    });
    fails_cleanly(&base, 4, "did not answer in time");
}

#[test]
fn a_connection_reset_mid_body_is_transient() {
    // The request is left unread, so closing the socket sends a TCP reset mid-body.
    let base = raw_server_with(false, |s| {
        std::thread::sleep(Duration::from_millis(300));
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"access_token\":\"fake-par");
        std::thread::sleep(Duration::from_millis(100));
    });
    fails_cleanly(&base, 4, "connection broke");
}

#[test]
fn a_connection_closed_before_any_answer_is_transient() {
    let base = raw_server(|s| {
        let _ = s.shutdown(std::net::Shutdown::Both);
    });
    fails_cleanly(&base, 4, "Network error");
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_wrong_types_and_odd_expiries_are_clear_errors() {
    let cases: Vec<(ResponseTemplate, &str)> = vec![
        (
            ResponseTemplate::new(200)
                .set_body_bytes(b"{\"access_token\":\"\xff\xfe\",\"expires_in\":86400}".to_vec()),
            "not valid UTF-8",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": ["x"], "expires_in": 86400})),
            "access_token is not a string",
        ),
        (
            ResponseTemplate::new(200).set_body_json(
                json!({"access_token": "fake-at", "expires_in": 86400, "refresh_token": 7}),
            ),
            "refresh_token is not a string",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "fake-at", "expires_in": 0})),
            "expires_in = 0",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "fake-at", "expires_in": -1})),
            "expires_in = -1",
        ),
        (
            ResponseTemplate::new(200).set_body_json(
                json!({"access_token": "fake-at", "expires_in": 1_000_000_000_000_i64}),
            ),
            "expires_in = 1000000000000",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "fake-at", "expires_in": "soon"})),
            "expires_in = a string",
        ),
    ];
    for (template, expect) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/auth/token"))
            .respond_with(template)
            .mount(&server)
            .await;
        let uri = server.uri();
        tokio::task::spawn_blocking(move || fails_cleanly(&uri, 4, expect))
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_killed_at_random_moments_never_breaks_the_account() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(rd_tokens("fake-access-killed", 86400, REFRESH_TOKEN))
                .set_delay(Duration::from_millis(40)),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    tokio::task::spawn_blocking(move || {
        let env = Env::new();
        let id = env.add("loja", &uri);
        let mut seed = std::process::id() as u64 ^ 0x9e37_79b9_7f4a_7c15;
        for round in 0..20 {
            // xorshift: a different kill moment each round, 0–120 ms after start.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let wait = Duration::from_millis(seed % 120);
            let mut child = env
                .renova_std()
                .args(["refresh", "loja"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(wait);
            let _ = child.kill();
            let _ = child.wait();
            let out = env.renova().args(["token", "loja"]).output().unwrap();
            assert!(
                out.status.success(),
                "round {round} (killed after {wait:?}): {}",
                stderr(&out)
            );
            assert_eq!(stdout(&out), "fake-access-killed\n");
            let entry = env.entry(&id);
            assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
            assert_eq!(entry["client_secret"], CLIENT_SECRET);
        }
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keychain_daemon_dying_mid_refresh_is_5_then_works_once_restarted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(rd_tokens("fake-access-after", 86400, REFRESH_TOKEN))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    tokio::task::spawn_blocking(move || {
        let mut env = Env::new();
        let id = env.add("loja", &uri);
        let before = env.lookup(&id).unwrap();
        let child = env
            .renova_std()
            .args(["refresh", "loja"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The request is in flight: the keychain goes away.
        std::thread::sleep(Duration::from_millis(800));
        env.kill_keyring();
        let start = Instant::now();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("No Secret Service"),
            "{}",
            stderr(&out)
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        env.start_keyring();
        assert_eq!(
            env.lookup(&id).unwrap(),
            before,
            "the stored entry survived"
        );
        env.renova()
            .args(["token", "loja"])
            .assert()
            .success()
            .stdout("fake-access-after\n");
    })
    .await
    .unwrap();
}
