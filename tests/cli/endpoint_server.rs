//! The local token endpoint, asked over real HTTP on 127.0.0.1 while the real agent serves it
//! (private D-Bus, real keyring, RD played by wiremock): every status code, one refresh for
//! eight callers, the key only in the keychain, and rotation.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::agent::{start_agent, stop, until};
use crate::support::*;

/// One raw request; the status, the head and the body.
pub(crate) fn ask(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// GET with the right Host and this key.
pub(crate) fn get(port: u16, path: &str, key: &str) -> (u16, String, String) {
    let host = format!("127.0.0.1:{port}");
    let bearer = format!("Bearer {key}");
    ask(
        port,
        "GET",
        path,
        &[
            ("Host", &host),
            ("Authorization", &bearer),
            ("User-Agent", "renova-test/1.0"),
        ],
    )
}

/// The endpoint on a free port, its key, and the agent serving it.
pub(crate) async fn serving(
    env: &Env,
) -> (
    u16,
    String,
    (std::process::Child, std::thread::JoinHandle<String>),
) {
    let port = dead_port();
    let on = env.run(&["endpoint", "on", "--port", &port.to_string()]);
    assert_eq!(on.code, Some(0), "{}", on.stderr);
    let key = env.run(&["endpoint", "key"]);
    assert_eq!(key.code, Some(0), "{}", key.stderr);
    let key = key.stdout.trim().to_owned();
    assert_eq!(key.len(), 64, "256 bits in hex");
    let agent = start_agent(env);
    until("the endpoint to listen", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
    .await;
    (port, key, agent)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_status_code_as_a_caller_sees_it() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-Zq8Rw3XyK7served"), 1).await;
    rd::refresh_of("fake-refresh-down")
        .respond_with(wiremock::ResponseTemplate::new(503).set_body_string("down"))
        .mount(env.rd())
        .await;
    env.add_rd("loja");
    env.add_with("nova", &["--base-url", &env.rd().uri()], &secret_only())
        .success();
    env.add_with(
        "caida",
        &["--base-url", &env.rd().uri()],
        &format!("{CLIENT_SECRET}\nfake-refresh-down\n"),
    )
    .success();
    let (port, key, agent) = serving(&env).await;

    let (status, head, body) = get(port, "/v1/token/loja?min_valid=15m", &key);
    assert_eq!(status, 200, "{head}\n{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["access_token"], "fake-Zq8Rw3XyK7served");
    assert_eq!(json["token_type"], "Bearer");
    assert_eq!(json["account"], "loja");
    assert!(json["expires_in"].as_i64().unwrap() > 80_000, "{json}");
    assert!(json["expires_at"].as_str().is_some(), "{json}");
    assert!(head.contains("Cache-Control: no-store"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("access-control"),
        "{head}"
    );

    // The scheme is case-insensitive (RFC 7235).
    let lower = format!("bearer {key}");
    let host_header = format!("127.0.0.1:{port}");
    let (status, _, _) = ask(
        port,
        "GET",
        "/v1/token/loja",
        &[("Host", &host_header), ("Authorization", &lower)],
    );
    assert_eq!(status, 200);
    assert_eq!(get(port, "/v1/token/loja", "wrong-key").0, 401);
    let host = format!("127.0.0.1:{port}");
    assert_eq!(
        ask(port, "GET", "/v1/token/loja", &[("Host", &host)]).0,
        401
    );
    assert_eq!(get(port, "/v1/token/nobody", &key).0, 404);
    let (status, _, body) = get(port, "/v1/token/nova", &key);
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("needs_authorization"), "{body}");
    let (status, head, body) = get(port, "/v1/token/caida", &key);
    assert_eq!(status, 503, "{head}\n{body}");
    // Retry-After is when Renova tries RD again (the core's next try, as `renova list` shows
    // it: the backoff, never within 30 s of the agent's last try), not a guess.
    let retry_after: i64 = head
        .lines()
        .find_map(|l| l.strip_prefix("Retry-After: "))
        .unwrap_or_else(|| panic!("no Retry-After: {head}"))
        .trim()
        .parse()
        .unwrap();
    let listed = env.list_json();
    let caida = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "caida")
        .unwrap()
        .clone();
    let backoff = seconds_until(&caida["attention"]["next_try"]);
    assert!(
        (1..=3600).contains(&retry_after) && (retry_after - backoff).abs() <= 2,
        "Retry-After {retry_after} s, next try in {backoff} s"
    );

    // DNS rebinding: a page on evil.example that resolves to 127.0.0.1.
    let bearer = format!("Bearer {key}");
    let evil = ask(
        port,
        "GET",
        "/v1/token/loja",
        &[("Host", "evil.example"), ("Authorization", &bearer)],
    );
    assert_eq!(evil.0, 403, "{}", evil.2);
    // A browser's preflight.
    let preflight = ask(
        port,
        "OPTIONS",
        "/v1/token/loja",
        &[("Host", &host), ("Origin", "https://evil.example")],
    );
    assert_eq!(preflight.0, 405);
    assert!(
        !preflight
            .1
            .to_ascii_lowercase()
            .contains("access-control-allow"),
        "{}",
        preflight.1
    );

    // The hello needs no key, but the same Host check, and a nonce it can read.
    let hello = "/v1/hello?nonce=00112233445566778899aabbccddeeff";
    assert_eq!(ask(port, "GET", hello, &[("Host", "evil.example")]).0, 403);
    let (status, _, body) = ask(port, "GET", hello, &[("Host", &host)]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"proof\"") && !body.contains(&key), "{body}");
    let bad = ask(port, "GET", "/v1/hello?nonce=zz", &[("Host", &host)]);
    assert_eq!(bad.0, 400, "{}", bad.2);
    // `endpoint status` checks who answers on the port (the hello is not audited).
    let status = env.run(&["endpoint", "status"]);
    assert_eq!(status.code, Some(0), "{}", status.stderr);
    assert!(
        status.stderr.contains("Renova's agent answers there"),
        "{}",
        status.stderr
    );

    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    // Each served token is audited: account, fingerprint, the caller.
    let audit = env.audit();
    let served: Vec<&str> = audit.lines().filter(|l| l.contains("\"serve\"")).collect();
    assert_eq!(served.len(), 2, "{audit}");
    assert!(!audit.contains("hello"), "{audit}");
    assert!(
        served[0].contains("renova-test/1.0") && served[0].contains("access_fp"),
        "{}",
        served[0]
    );
    assert_no_piece(&audit, "audit.jsonl", &["fake-Zq8Rw3XyK7served"]);
}

#[test]
fn another_program_on_the_port_is_found_without_sending_it_the_key() {
    let env = Env::new();
    // It answers 200 with a made-up proof, as a program pretending to be Renova would.
    let (port, heard) = squatter(
        "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"service\":\"renova\",\"proof\":\"00ff\"}",
    );
    let on = env.run(&["endpoint", "on", "--port", &port.to_string()]);
    assert_eq!(on.code, Some(0), "{}", on.stderr);
    let key = env.run(&["endpoint", "key"]).stdout.trim().to_owned();
    let status = env.run(&["endpoint", "status"]);
    assert_eq!(status.code, Some(1), "{}", status.stderr);
    assert!(
        status
            .stderr
            .contains(&format!("another program holds port {port}, not Renova")),
        "{}",
        status.stderr
    );
    let heard = heard.join().unwrap();
    assert!(heard.starts_with("GET /v1/hello?nonce="), "{heard}");
    assert!(
        !heard.contains(&key) && !heard.to_ascii_lowercase().contains("authorization"),
        "the check sent the key: {heard}"
    );
    // The port is free again and no agent runs: that is said, and it is not an error.
    let status = Run::of(
        env.renova()
            .env("LANG", "pt_BR.UTF-8")
            .args(["endpoint", "status"]),
    );
    assert_eq!(status.code, Some(0), "{}", status.stderr);
    assert!(
        status.stderr.contains("Nenhum agente em execução"),
        "{}",
        status.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_callers_on_an_expired_token_make_one_refresh() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-once"), 1).await;
    env.add_rd("loja");
    let (port, key, agent) = serving(&env).await;
    let callers: Vec<_> = (0..8)
        .map(|i| {
            let key = key.clone();
            std::thread::Builder::new()
                .name(format!("caller-{i}"))
                .spawn(move || get(port, "/v1/token/loja", &key))
                .unwrap()
        })
        .collect();
    for caller in callers {
        let (status, _, body) = caller.join().unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("fake-access-once"), "{body}");
    }
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_lives_only_in_the_keychain_and_rotation_retires_the_old_one() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-rotate"), 1).await;
    env.add_rd("loja");
    let (port, old, agent) = serving(&env).await;
    assert_eq!(get(port, "/v1/token/loja", &old).0, 200);
    for (path, text) in env.all_profile_text() {
        assert!(!text.contains(&old), "the key is in {}", path.display());
    }
    let new = env.run(&["endpoint", "key", "--rotate"]);
    assert_eq!(new.code, Some(0), "{}", new.stderr);
    let new = new.stdout.trim().to_owned();
    assert_ne!(new, old);
    assert_eq!(
        get(port, "/v1/token/loja", &old).0,
        401,
        "the old key still works"
    );
    assert_eq!(get(port, "/v1/token/loja", &new).0, 200);
    let off = env.run(&["endpoint", "off"]);
    assert_eq!(off.code, Some(0), "{}", off.stderr);
    until("the endpoint to stop", || {
        TcpStream::connect(("127.0.0.1", port)).is_err()
    })
    .await;
    stop(agent);
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_a_caller_sends_makes_the_locked_keychain_prompt() {
    let env = Env::new();
    let port = dead_port();
    assert_eq!(
        env.run(&["endpoint", "on", "--port", &port.to_string()])
            .code,
        Some(0)
    );
    let key = env.run(&["endpoint", "key"]).stdout.trim().to_owned();
    // The person's session locks; the agent starts behind the locked keychain.
    env.lock_keyring();
    let monitor = env.watch_keychain_calls();
    let agent = start_agent(&env);
    until("the endpoint listens", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
    .await;
    let host = format!("127.0.0.1:{port}");
    let prompts_before = monitor.prompting_calls();
    for i in 0..3 {
        let nonce = format!("00112233445566778899aabbccddee{i:02}");
        let (status, _, body) = ask(
            port,
            "GET",
            &format!("/v1/hello?nonce={nonce}"),
            &[("Host", &host)],
        );
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("not_ready"), "{body}");
        let (status, head, body) = get(port, "/v1/token/nobody", &key);
        assert_eq!(status, 503, "{head}\n{body}");
        assert!(head.contains("Retry-After: 60"), "{head}");
    }
    // Time for anything a request set off.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        monitor.prompting_calls(),
        prompts_before,
        "a caller made the agent unlock the keychain"
    );
    assert_eq!(
        monitor.prompting_calls(),
        0,
        "the agent itself unlocked the keychain"
    );
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
}

/// Someone guessing keys shows in the audit log without flooding it: the first wrong key is
/// a line at once, the next ones within the minute are only counted (a later line carries the
/// count), and no guessed key is written.
#[tokio::test(flavor = "multi_thread")]
async fn wrong_keys_are_audited_at_most_once_a_minute_with_a_count() {
    let env = Env::with_rd().await;
    env.add_rd("loja");
    let (port, _key, agent) = serving(&env).await;
    for i in 0..5 {
        let (status, _, _) = get(port, "/v1/token/loja", &format!("fake-guess-{i:060}"));
        assert_eq!(status, 401);
    }
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    let audit = env.audit();
    let refused: Vec<serde_json::Value> = audit
        .lines()
        .filter(|l| l.contains("endpoint_key_refused"))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(refused.len(), 1, "{audit}");
    assert_eq!(refused[0]["outcome"], "refused");
    assert_eq!(refused[0]["count"], 1);
    assert!(!audit.contains("fake-guess"), "{audit}");
}
