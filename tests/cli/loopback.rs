//! Renova's two loopback servers — the browser's authorization callback (`renova authorize`)
//! and the local token endpoint (`renova agent`) — follow one set of HTTP rules: the same
//! malformed request gets the same answer from both, and connections held open idle do not
//! keep a real caller out of either.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::agent::stop;
use crate::authorize::{authorizing, play_browser, start_authorize};
use crate::endpoint_server::serving;
use crate::support::*;

/// Sends `raw` as it is and returns the status of the answer (0: the server closed without
/// one).
fn status_of(port: u16, raw: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may answer (and close) before it has read everything.
    let _ = stream.write_all(raw);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The malformed requests, each against `path` on `port`, with what both servers must say.
fn malformed(port: u16, path: &str) -> Vec<(&'static str, Vec<u8>, u16)> {
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let big = "a".repeat(9 * 1024);
    vec![
        (
            "an oversized head",
            format!("GET {path} HTTP/1.1\r\n{host}X-Big: {big}\r\n\r\n").into_bytes(),
            431,
        ),
        (
            "a duplicate Host",
            format!("GET {path} HTTP/1.1\r\n{host}{host}\r\n").into_bytes(),
            400,
        ),
        (
            "no Host",
            format!("GET {path} HTTP/1.1\r\n\r\n").into_bytes(),
            400,
        ),
        (
            "a continuation line",
            format!("GET {path} HTTP/1.1\r\n{host}X-A: a\r\n b\r\n\r\n").into_bytes(),
            400,
        ),
        (
            "a method that is not a token",
            format!("G(T {path} HTTP/1.1\r\n{host}\r\n").into_bytes(),
            400,
        ),
        (
            "a method the route does not take",
            format!("DELETE {path} HTTP/1.1\r\n{host}\r\n").into_bytes(),
            405,
        ),
        (
            "another path with a method nobody takes",
            format!("DELETE /elsewhere HTTP/1.1\r\n{host}\r\n").into_bytes(),
            404,
        ),
        (
            "a foreign Host",
            format!("GET {path} HTTP/1.1\r\nHost: evil.example\r\n\r\n").into_bytes(),
            403,
        ),
    ]
}

/// Runs `check` with an authorization waiting for the browser on its own port (the callback)
/// and the agent serving the token endpoint: `(callback port, endpoint port, key, the
/// authorization's URL)`. Returns the authorization's exit code.
/// `exchanges`: how many codes RD is to exchange.
async fn with_both_servers(
    exchanges: u64,
    check: impl FnOnce(u16, u16, &str, &str),
) -> Option<i32> {
    let (env, _) = authorizing(
        rd::tokens("fake-access-auth", 86400, "fake-refresh-auth"),
        exchanges,
    )
    .await;
    let callback = dead_port();
    let mut authorize = start_authorize(
        &env,
        &["--port", &callback.to_string(), "--no-browser"],
        None,
    );
    let (url, _) = read_url(&mut authorize, "/auth/dialog?");
    let (endpoint, key, agent) = serving(&env).await;
    // Plain blocking sockets and a blocking HTTP client, off the runtime's own work.
    tokio::task::block_in_place(|| check(callback, endpoint, &key, &url));
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    // An authorization that got its code ends by itself; one still waiting is stopped.
    let deadline =
        std::time::Instant::now() + Duration::from_secs(if exchanges > 0 { 20 } else { 0 });
    loop {
        if let Some(status) = authorize.try_wait().unwrap() {
            return status.code();
        }
        if std::time::Instant::now() >= deadline {
            let _ = authorize.kill();
            return authorize.wait().unwrap().code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn both_loopback_servers_give_the_same_answer_to_the_same_malformed_request() {
    with_both_servers(0, |callback, endpoint, _, _| {
        for (port, path) in [(callback, "/callback"), (endpoint, "/v1/hello")] {
            for (what, raw, want) in malformed(port, path) {
                assert_eq!(
                    status_of(port, &raw),
                    want,
                    "{what} on port {port} ({path})"
                );
            }
        }
    })
    .await;
}

/// Opens `n` connections to `port` that never send a byte.
fn idle(port: u16, n: usize) -> Vec<TcpStream> {
    (0..n)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn three_hundred_idle_connections_do_not_keep_a_caller_out_of_either_server() {
    let code = with_both_servers(1, |callback, endpoint, key, url| {
        // The endpoint: a token request while 300 connections sit idle.
        let held = idle(endpoint, 300);
        let bearer = format!("Bearer {key}");
        let host = format!("127.0.0.1:{endpoint}");
        let (status, _, body) = crate::endpoint_server::ask(
            endpoint,
            "GET",
            "/v1/hello?nonce=00112233445566778899aabbccddeeff",
            &[("Host", &host), ("Authorization", &bearer)],
        );
        assert_eq!(status, 200, "{body}");
        drop(held);
        // The callback: the browser comes back while 300 connections sit idle.
        let held = idle(callback, 300);
        let answer = play_browser(url);
        assert_eq!(answer.status().as_u16(), 200);
        drop(held);
    })
    .await;
    // The code arrived: the authorization finished on its own.
    assert_eq!(code, Some(0));
}

/// 300 connections that each send one more byte of a request head every 4 s, until dropped.
struct Loris {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<usize>>,
}

impl Loris {
    fn start(port: u16, n: usize) -> Self {
        use std::io::Write;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut held: Vec<TcpStream> = idle(port, n);
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("loris".to_owned())
            .spawn(move || {
                let head = b"GET /v1/hello?nonce=00112233445566778899aabbccddeeff HTTP/1.1\r\n";
                let mut sent = 0;
                let mut i = 0;
                while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                    let byte = [head[i % head.len()]];
                    for s in &mut held {
                        if s.write_all(&byte).is_ok() {
                            sent += 1;
                        }
                    }
                    i += 1;
                    for _ in 0..40 {
                        if flag.load(std::sync::atomic::Ordering::SeqCst) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
                sent
            });
        let thread = thread.unwrap();
        Self {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops; how many bytes went out.
    fn stop(mut self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap()
    }
}

/// How long a caller waits before giving up: hundreds of times what a real answer takes here
/// (7 to 26 ms, and `scripts/bench --idle`), and less than the 14.4 s the hand-written servers
/// made a caller wait behind 300 slow connections (measured with `RENOVA_TEST_BIN` set to the
/// previous release). A liveness bound, not a speed test.
const PATIENCE: Duration = Duration::from_secs(5);

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_loris_of_300_connections_does_not_keep_a_caller_out_of_either_server() {
    use std::io::{Read, Write};
    let code = with_both_servers(1, |callback, endpoint, key, url| {
        // The callback: the browser comes back while 300 connections trickle a byte every 4 s.
        let loris = Loris::start(callback, 300);
        std::thread::sleep(Duration::from_secs(5));
        let t = std::time::Instant::now();
        let answer = crate::authorize::play_browser_within(url, PATIENCE)
            .expect("the browser got its answer while the slow connections went on");
        assert_eq!(answer.status().as_u16(), 200);
        eprintln!("callback answered in {:?}", t.elapsed());
        assert!(loris.stop() >= 300, "the loris sent its bytes");
        // The endpoint: a token request (the account is authorized now) during the same.
        let loris = Loris::start(endpoint, 300);
        std::thread::sleep(Duration::from_secs(5));
        let mut caller = TcpStream::connect(("127.0.0.1", endpoint)).unwrap();
        caller.set_read_timeout(Some(PATIENCE)).unwrap();
        let request = format!(
            "GET /v1/token/loja HTTP/1.1\r\nHost: 127.0.0.1:{endpoint}\r\nAuthorization: Bearer {key}\r\n\r\n"
        );
        let t = std::time::Instant::now();
        caller.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        caller
            .read_to_string(&mut answer)
            .expect("the caller got its answer while the slow connections went on");
        eprintln!("endpoint answered in {:?}", t.elapsed());
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("fake-access-auth"), "{answer}");
        assert!(loris.stop() >= 300, "the loris sent its bytes");
    })
    .await;
    assert_eq!(code, Some(0));
}
