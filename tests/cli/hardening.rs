//! Hardening: no core dumps, no proxy between Renova and a loopback provider, secrets cut out
//! of every text a server sends back before it is shortened, no control characters, and a
//! callback port that idle connections cannot stall.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

/// Starts `renova authorize loja` (it waits for the browser) under a shell that first raises
/// the core-file limit to unlimited, and returns the child and its pid.
fn renova_with_unlimited_cores(env: &Env) -> std::process::Child {
    let port = dead_port().to_string();
    let mut cmd = Command::new("sh");
    env.apply_env(&mut cmd);
    cmd.args([
        "-c",
        r#"ulimit -c unlimited && exec "$0" authorize loja --no-browser --port "$1""#,
        assert_cmd::cargo::cargo_bin!("renova").to_str().unwrap(),
        &port,
    ]);
    spawn(&mut cmd)
}

#[test]
fn renova_turns_core_dumps_off_at_start() {
    let env = Env::new();
    env.add("loja", "http://127.0.0.1:9");
    let mut child = renova_with_unlimited_cores(&env);
    let limits = format!("/proc/{}/limits", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    let core_line = loop {
        let text = std::fs::read_to_string(&limits).unwrap_or_default();
        let line = text
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or_default()
            .to_owned();
        let renova_runs = std::fs::read_to_string(format!("/proc/{}/cmdline", child.id()))
            .is_ok_and(|c| c.contains("authorize"));
        // The shell raised it; once renova itself runs, it must be 0 again.
        if renova_runs && !line.contains("unlimited") || Instant::now() > deadline {
            break line;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    let fields: Vec<&str> = core_line.split_whitespace().collect();
    assert_eq!(
        fields.get(4..6),
        Some(&["0", "0"][..]),
        "soft and hard core limits: {core_line}"
    );
}

/// A listener standing in for a proxy: it records the first line of every connection and
/// answers 502.
struct FakeProxy {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl FakeProxy {
    fn start() -> Self {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::Builder::new()
            .name("fake-proxy".to_owned())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut line = String::new();
                    let _ = BufReader::new(&stream).read_line(&mut line);
                    record.lock().unwrap().push(line.trim().to_owned());
                    let _ = (&stream)
                        .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
                }
            })
            .unwrap();
        Self { url, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// `cmd` with every proxy variable pointing here.
    fn everywhere<'c>(&self, cmd: &'c mut assert_cmd::Command) -> &'c mut assert_cmd::Command {
        for var in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env(var, &self.url);
        }
        cmd
    }
}

#[tokio::test]
async fn a_proxy_never_sees_a_loopback_refresh() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-direct"), 1).await;
    env.add_rd("loja");
    let proxy = FakeProxy::start();
    let out = Run::of(proxy.everywhere(&mut env.renova()).args(["token", "loja"]));
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(out.stdout, "fake-access-direct\n");
    assert_eq!(
        proxy.seen(),
        Vec::<String>::new(),
        "the proxy saw the request"
    );
}

#[test]
fn https_goes_through_the_proxy_with_connect_unless_no_proxy_says_otherwise() {
    let env = Env::new();
    env.add("loja", "https://rd.example.test");
    let proxy = FakeProxy::start();
    let out = Run::of(
        proxy
            .everywhere(&mut env.renova())
            .env("RENOVA_HTTP_TIMEOUT", "3s")
            .args(["token", "loja"]),
    );
    assert_eq!(out.code, Some(4), "{}", out.stderr);
    // CONNECT: the proxy only relays the TLS stream; it never sees the request itself.
    assert_eq!(
        proxy
            .seen()
            .first()
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" ")),
        Some("CONNECT rd.example.test:443".to_owned())
    );
    let direct = FakeProxy::start();
    let out = Run::of(
        direct
            .everywhere(&mut env.renova())
            .env("NO_PROXY", "example.test")
            .env("RENOVA_HTTP_TIMEOUT", "3s")
            .args(["token", "loja"]),
    );
    assert_eq!(out.code, Some(4), "{}", out.stderr);
    assert_eq!(direct.seen(), Vec::<String>::new());
}

#[test]
fn doctor_names_the_proxy_without_its_password() {
    let env = Env::new();
    let out = env.run(&["doctor"]);
    assert!(out.stdout.contains("Proxy: none"), "{}", out.stdout);
    let out = Run::of(
        env.renova()
            .env(
                "HTTPS_PROXY",
                "http://ana:fake-proxy-pw@proxy.example.test:3128",
            )
            .arg("doctor"),
    );
    assert!(
        out.stdout
            .contains("http://proxy.example.test:3128 (from HTTPS_PROXY)"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("fake-proxy-pw"), "{}", out.stdout);
}
