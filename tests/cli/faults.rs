//! The fault suite: a provider misbehaving at the socket level, odd expiries, `renova refresh`
//! killed at random moments, and the keychain daemon dying mid-refresh. After each: a clear
//! error, and credentials intact.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::ResponseTemplate;

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

/// `renova token` against a provider at `base` fails cleanly with `code`, saying `expect`.
fn fails_cleanly(base: &str, code: i32, expect: &str) {
    let env = Env::new();
    env.add("loja", base);
    env.token_fails_with(code, &[expect]);
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
        Env::with_rd_answering(template)
            .await
            .token_fails_with(4, &[expect]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_killed_at_random_moments_never_breaks_the_account() {
    let env = Env::with_rd().await;
    // At most one request a round, and one more for the first `token` if the first `refresh`
    // was killed before it stored anything.
    rd::mount_refresh(
        env.rd(),
        rd::issued("fake-access-killed").set_delay(Duration::from_millis(40)),
        1..=21,
    )
    .await;
    let id = env.add_rd("loja");
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
        let out = env.run(&["token", "loja"]);
        assert!(
            out.success(),
            "round {round} (killed after {wait:?}): {}",
            out.stderr
        );
        assert_eq!(out.stdout, "fake-access-killed\n");
        let entry = env.entry(&id);
        assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
        assert_eq!(entry["client_secret"], CLIENT_SECRET);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keychain_daemon_dying_mid_refresh_is_5_then_works_once_restarted() {
    let mut env = Env::with_rd().await;
    // The refresh the dying keychain interrupts, and the one after the restart.
    rd::mount_refresh(
        env.rd(),
        rd::issued("fake-access-after").set_delay(Duration::from_secs(2)),
        2,
    )
    .await;
    let id = env.add_rd("loja");
    let before = env.lookup(&id).unwrap();
    let child = spawn(env.renova_std().args(["refresh", "loja"]));
    // The request is in flight: the keychain goes away.
    std::thread::sleep(Duration::from_millis(800));
    env.kill_keyring();
    let start = Instant::now();
    let out = Run::from(child.wait_with_output().unwrap());
    assert_eq!(out.code, Some(5), "{}", out.stderr);
    assert!(out.stderr.contains("No Secret Service"), "{}", out.stderr);
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
}
