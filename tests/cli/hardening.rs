//! Hardening: no core dumps, no proxy between Renova and a loopback provider, secrets cut out
//! of every text a server sends back before it is shortened, no control characters, and a
//! callback port that idle connections cannot stall.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::echo::Echo;
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
        // The shell has exec'd renova itself (not: the shell's own line names it).
        let renova_runs = std::fs::read_link(format!("/proc/{}/exe", child.id()))
            .is_ok_and(|exe| exe.file_name().is_some_and(|n| n == "renova"));
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

/// Runs `renova token loja` against an echoing server for each padding, shape and server-side
/// cut, and checks that no six-character piece of `secrets` reaches stderr, `state.json` or
/// `list --json`.
fn no_piece_survives(env: &Env, echo: &Echo, secrets: &[&str]) {
    use std::sync::atomic::Ordering;
    for (json, cut) in [(false, 0), (true, 0), (false, 150), (true, 150)] {
        // Every 12 characters (a 24-character secret is cut inside at least once) and around
        // the 120 characters of an excerpt.
        let pads = (0..=200).step_by(12).chain([113, 118, 119, 121]);
        for pad in pads {
            echo.pad.store(pad, Ordering::SeqCst);
            echo.cut.store(cut, Ordering::SeqCst);
            echo.json.store(json, Ordering::SeqCst);
            let out = env.run(&["token", "loja"]);
            assert_eq!(out.code, Some(3), "{}", out.stderr);
            let place = |what: &str| format!("{what} (padding {pad}, json {json}, cut {cut})");
            assert_no_piece(&out.stderr, &place("stderr"), secrets);
            assert_no_piece(&env.state().to_string(), &place("state.json"), secrets);
            let list = env.run(&["list", "--json"]);
            assert_no_piece(&list.stdout, &place("list --json"), secrets);
        }
    }
}

#[tokio::test]
async fn no_piece_of_a_secret_survives_a_provider_that_quotes_the_request() {
    let env = Env::with_rd().await;
    let echo = Echo::default();
    rd::token_endpoint()
        .respond_with(echo.clone())
        .mount(env.rd())
        .await;
    env.add_with(
        "loja",
        &["--base-url", &env.rd().uri()],
        &format!("{LONE_SECRET}\n{LONE_REFRESH}\n"),
    )
    .success();
    no_piece_survives(&env, &echo, &[LONE_SECRET, LONE_REFRESH]);
}

#[tokio::test]
async fn basic_auth_echoed_back_is_cut_out_too() {
    use base64::Engine;
    let env = Env::with_rd().await;
    let echo = Echo::default();
    wiremock::Mock::given(wiremock::matchers::path("/token"))
        .respond_with(echo.clone())
        .mount(env.rd())
        .await;
    env.add_basic_oauth2("loja", &format!("{LONE_SECRET}\n{LONE_REFRESH}\n"))
        .success();
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{LONE_SECRET}"));
    no_piece_survives(&env, &echo, &[LONE_SECRET, LONE_REFRESH, &basic]);
}

#[tokio::test]
async fn control_characters_from_a_provider_never_reach_the_terminal_or_a_file() {
    let env = Env::with_rd_answering(rd::error(
        401,
        "ACCESS\u{1b}[2J_DENIED",
        "Wrong\u{7} credentials\r\nX-Injected: yes \u{1b}]0;owned\u{7}",
    ))
    .await;
    let err = env.token_fails_with(3, &["Wrong credentials X-Injected: yes"]);
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
    let state = env.state().to_string();
    for escaped in ["\\u001b", "\\u0007", "\\r"] {
        assert!(!state.contains(escaped), "{escaped} in {state}");
    }
}

#[tokio::test]
async fn a_token_with_spaces_or_control_characters_is_a_malformed_answer() {
    for answer in [
        rd::tokens("fake-access\u{1b}[31m", 86400, REFRESH_TOKEN),
        rd::tokens("fake access", 86400, REFRESH_TOKEN),
        rd::tokens("fake-access\r\nX-Injected: 1", 86400, REFRESH_TOKEN),
        rd::tokens("fake-access-ok", 86400, "fake-refresh\nX"),
    ] {
        let env = Env::with_rd_answering(answer).await;
        env.token_fails_with(4, &["spaces or control characters"]);
    }
}

#[test]
fn a_pasted_token_with_a_space_inside_is_refused_before_anything_is_stored() {
    let env = Env::new();
    let out = Run::of(
        env.renova()
            .args(["add", "loja", "--client-id", CLIENT_ID])
            .write_stdin(format!("{CLIENT_SECRET}\nfake-refresh with-a-space\n")),
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("spaces or control characters"),
        "{}",
        out.stderr
    );
    assert_eq!(env.keychain_entries(), 0);
}

#[test]
fn doctor_reports_keychain_entries_of_no_account_and_fix_deletes_them() {
    let env = Env::new();
    let id = env.add("loja", "http://127.0.0.1:9");
    // What `add` leaves when it is killed between its two writes: an entry, no account, and
    // the note it made in this profile's state.json before writing the entry.
    let orphan = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    env.secret_tool_store(
        orphan,
        &format!(r#"{{"v":1,"client_secret":"{LONE_SECRET}","rev":1}}"#),
    );
    let mut state = env.state();
    state["accounts"][orphan] = serde_json::json!({"adding": true});
    std::fs::write(env.state_file(), state.to_string()).unwrap();
    // Another profile's account on the same keychain.
    let other_profile = [
        ("XDG_CONFIG_HOME", env.dir("other-config")),
        ("XDG_STATE_HOME", env.dir("other-state")),
    ];
    env.renova()
        .envs(other_profile.clone())
        .args([
            "add",
            "kept",
            "--client-id",
            CLIENT_ID,
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .write_stdin(secrets())
        .assert()
        .success();
    let other: toml::Table = toml::from_str(
        &std::fs::read_to_string(env.dir("other-config").join("renova/accounts.toml")).unwrap(),
    )
    .unwrap();
    let other_id = other["account"][0]["id"].as_str().unwrap().to_owned();

    let out = env.run(&["doctor"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(out.stdout.contains(orphan), "{}", out.stdout);
    assert!(out.stdout.contains("renova doctor --fix"), "{}", out.stdout);
    assert!(
        out.stdout.contains(&other_id),
        "named, not a problem: {}",
        out.stdout
    );
    assert!(env.lookup(orphan).is_some(), "doctor alone changes nothing");
    let out = env.run(&["doctor", "--fix"]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(env.lookup(orphan).is_none());
    assert!(env.lookup(&id).is_some(), "the account's own entry stays");
    assert!(
        env.lookup(&other_id).is_some(),
        "another profile's entry stays"
    );
    assert_no_piece(&out.stdout, "doctor's output", &[LONE_SECRET]);
    // And the other profile's doctor --fix leaves this profile's entries alone.
    // Its doctor names this profile's entries as "other" and leaves them.
    let _named = env
        .renova()
        .envs(other_profile)
        .args(["doctor", "--fix"])
        .output()
        .unwrap();
    assert!(env.lookup(&id).is_some(), "{id} deleted by another profile");
}
