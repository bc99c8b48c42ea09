//! `renova agent`: the background agent, run as a user's session would run it (no display, a
//! private D-Bus session with the real keyring, RD played by wiremock).

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::time::{Duration, Instant};

use crate::support::*;

/// Starts `renova agent` and waits for its first line on stderr; the rest is kept on a thread
/// and returned by [`stop`].
pub(crate) fn start_agent(env: &Env) -> (Child, std::thread::JoinHandle<String>) {
    start_agent_with(env.renova_std())
}

/// [`start_agent`] with this command (its environment set up), adding `agent`.
pub(crate) fn start_agent_with(
    mut cmd: std::process::Command,
) -> (Child, std::thread::JoinHandle<String>) {
    let mut child = spawn(cmd.arg("agent"));
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    assert!(first.contains("Keeping"), "the agent said: {first}");
    let rest = std::thread::Builder::new()
        .name("agent-stderr".to_owned())
        .spawn(move || {
            let mut text = first;
            let _ = std::io::Read::read_to_string(&mut err, &mut text);
            text
        })
        .unwrap();
    (child, rest)
}

/// SIGTERM, then the exit code and everything the agent said.
pub(crate) fn stop(
    (mut child, said): (Child, std::thread::JoinHandle<String>),
) -> (Option<i32>, String) {
    sigterm(&child);
    let code = child.wait().unwrap().code();
    (code, said.join().unwrap())
}

/// Sends SIGTERM to `child`.
pub(crate) fn sigterm(child: &Child) {
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
}

/// Waits up to 20 s for `cond`.
pub(crate) async fn until(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_agent_refreshes_what_is_due_and_leaves_the_rest_alone() {
    let env = Env::with_rd().await;
    // Exactly one refresh in the whole test: the due account's.
    rd::mount_refresh(env.rd(), rd::issued("fake-access-agent"), 1).await;
    let id = env.add_rd("loja");
    env.add_with(
        "manual",
        &["--base-url", &env.rd().uri(), "--no-auto-refresh"],
        &secrets(),
    )
    .success();
    env.add_with("later", &["--base-url", &env.rd().uri()], &secret_only())
        .success();
    let agent = start_agent(&env);
    until("the due account refreshed", || {
        env.lookup(&id)
            .is_some_and(|e| e.contains("fake-access-agent"))
    })
    .await;
    // Nothing else is asked for: not again, not the others.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    // The private bus has no tray host: the agent says so once and works all the same.
    assert_eq!(said.matches("No system tray here").count(), 1, "{said}");
    let list = env.list_json();
    let later = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "later")
        .unwrap();
    assert_eq!(later["state"], "needs_authorization", "{later}");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_agent_per_user_and_status_says_whether_it_runs() {
    let env = Env::with_rd().await;
    env.add_with("later", &["--base-url", &env.rd().uri()], &secret_only())
        .success();
    let status = env.run(&["agent", "--status"]);
    assert_eq!(status.code, Some(1), "{}", status.stderr);
    let agent = start_agent(&env);
    let status = env.run(&["agent", "--status"]);
    assert_eq!(status.code, Some(0), "{}", status.stderr);
    let second = env.run(&["agent"]);
    assert_eq!(second.code, Some(0));
    assert_eq!(second.stderr.lines().count(), 1, "{}", second.stderr);
    assert!(
        second.stderr.contains("an agent is already running"),
        "{}",
        second.stderr
    );
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    let status = env.run(&["agent", "--status"]);
    assert_eq!(status.code, Some(1), "{}", status.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_agent_survives_the_keychain_daemon_restarting() {
    let mut env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-after-restart"), 1).await;
    env.add_with("later", &["--base-url", &env.rd().uri()], &secret_only())
        .success();
    let agent = start_agent(&env);
    // The agent has read the keychain (the account needs authorization: nothing to do).
    tokio::time::sleep(Duration::from_millis(500)).await;
    env.kill_keyring();
    env.start_keyring();
    // A new account makes the agent read the keychain again, through the new daemon.
    let id = env.add_rd("loja");
    until("the account added after the restart refreshed", || {
        env.lookup(&id)
            .is_some_and(|e| e.contains("fake-access-after-restart"))
    })
    .await;
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
}

#[test]
fn install_and_uninstall_are_idempotent_and_the_entry_validates() {
    let env = Env::new();
    let entry = env.dir("config").join("autostart/renova-agent.desktop");
    for _ in 0..2 {
        let run = env.run(&["agent", "--install"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(entry.is_file());
    }
    let text = std::fs::read_to_string(&entry).unwrap();
    assert!(text.contains(" agent\n"), "{text}");
    if let Some(validate) = which("desktop-file-validate") {
        let out = std::process::Command::new(validate)
            .arg(&entry)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout.is_empty(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        panic!(
            "desktop-file-validate is not installed: run scripts/test, which installs it (desktop-file-utils)"
        );
    }
    for _ in 0..2 {
        let run = env.run(&["agent", "--uninstall"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(!entry.exists());
    }
}

/// A command on `PATH`.
fn which(bin: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|p| p.join(bin))
        .find(|p| p.is_file())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_failure_is_one_notification_whatever_runs_afterwards() {
    use crate::support::tray::FakeNotifications;
    let env = Env::with_rd().await;
    // RD refuses the refresh token: a permanent failure, asked for once.
    rd::mount_refresh(env.rd(), rd::invalid_refresh_token(), 1).await;
    env.add_rd("loja");
    let desktop = FakeNotifications::start(&env.bus.address).await;
    let agent = start_agent(&env);
    until("one notification", || desktop.shown().len() == 1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    // A second agent (or the window) finds the incident already told.
    let again = start_agent(&env);
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop(again);
    let shown = desktop.shown();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].0.contains("loja"), "{shown:?}");
}

/// A provider's words in markup (a link to a phishing page) never become markup in a
/// notification, on a server that reads markup: the body carries only Renova's own words,
/// escaped.
#[tokio::test(flavor = "multi_thread")]
async fn a_providers_markup_never_reaches_a_notification() {
    use crate::support::tray::FakeNotifications;
    let env = Env::with_rd().await;
    let evil = r#"invalid redirect_uri: <a href="https://evil.example/login">sign in again</a> & <b>now</b>"#;
    rd::mount_refresh(
        env.rd(),
        wiremock::ResponseTemplate::new(400).set_body_json(
            serde_json::json!({"error_type": "ACCESS_DENIED", "error_message": evil}),
        ),
        1,
    )
    .await;
    env.add_rd("loja");
    let desktop = FakeNotifications::with_capabilities(
        &env.bus.address,
        &["body", "body-markup", "body-hyperlinks"],
    )
    .await;
    let agent = start_agent(&env);
    until("one notification", || desktop.shown().len() == 1).await;
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    let (summary, body) = desktop.shown().remove(0);
    assert!(summary.contains("loja"), "{summary}");
    for markup in ["<", ">", "evil.example", "href"] {
        assert!(!body.contains(markup), "{markup} in the body: {body}");
    }
    // Any & left is an entity (the server shows it as &).
    for (i, _) in body.match_indices('&') {
        assert!(
            ["&amp;", "&lt;", "&gt;"]
                .iter()
                .any(|e| body[i..].starts_with(e)),
            "a bare & in the body: {body}"
        );
    }
    assert!(body.contains("the window says why"), "{body}");
    // The window and `renova list` still tell the whole story, the provider's words included.
    let list = env.run(&["list"]);
    assert!(list.stderr.contains("sign in again"), "{}", list.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_503_the_agent_tries_again_when_the_list_says_and_only_then() {
    use wiremock::ResponseTemplate;
    let env = Env::with_rd().await;
    let once = |answer: ResponseTemplate| {
        rd::refresh()
            .respond_with(answer)
            .up_to_n_times(1)
            .expect(1)
    };
    once(rd::issued("fake-access-first")).mount(env.rd()).await;
    let id = env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    // RD fails the refresh asked by hand; the token still has a day.
    once(ResponseTemplate::new(503).set_body_string("down"))
        .mount(env.rd())
        .await;
    assert_eq!(env.run(&["refresh", "loja"]).code, Some(4));
    let shown = env.first_listed()["attention"]["next_try"].clone();
    let next = timestamp(&shown);
    once(rd::issued("fake-access-back")).mount(env.rd()).await;
    let agent = start_agent(&env);
    until("the agent's one try after the backoff", || {
        env.lookup(&id)
            .is_some_and(|e| e.contains("fake-access-back"))
    })
    .await;
    // Sent no earlier than the time `renova list` (and the card) showed.
    let sent = timestamp(&env.entry(&id)["obtained_at"]);
    assert!(sent >= next, "tried at {sent}, shown {next}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let requests = env.rd().received_requests().await.unwrap().len();
    assert_eq!(
        requests, 3,
        "one token, the failed refresh, one automatic try"
    );
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
}

/// An agent starting with many accounts due at once, against a slow provider: its endpoint
/// answers before the first pass ends, no more than 4 refreshes run at once, and a SIGTERM in
/// the middle ends it at once (requests still waiting for RD are abandoned, as a timeout would
/// leave them: every entry is as good as before, and no failure is recorded for them).
#[tokio::test(flavor = "multi_thread")]
async fn a_long_first_pass_keeps_the_endpoint_and_signals_answered() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let env = Env::with_rd().await;
    rd::refresh()
        .respond_with(rd::issued("fake-access-slow").set_delay(Duration::from_secs(2)))
        .mount(env.rd())
        .await;
    let ids: Vec<String> = (0..20).map(|i| env.add_rd(&format!("conta{i}"))).collect();
    let entries_before: Vec<String> = ids.iter().map(|id| env.lookup(id).unwrap()).collect();
    let port = dead_port();
    assert_eq!(
        env.run(&["endpoint", "on", "--port", &port.to_string()])
            .code,
        Some(0)
    );
    assert_eq!(env.run(&["endpoint", "key"]).code, Some(0));
    let mut agent = start_agent(&env);
    // The endpoint answers while the pass is still on its first accounts (4 at a time, 2 s
    // each: 20 take 10 s).
    until("the endpoint to listen", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
    .await;
    let mut hello = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        hello,
        "GET /v1/hello?nonce=00112233445566778899aabbccddeeff HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    hello.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let asked = env.rd().received_requests().await.unwrap().len();
    assert!(
        asked < 20,
        "the endpoint waited for the pass ({asked} refreshes asked)"
    );
    assert!(
        asked <= 8,
        "more than 4 at once: {asked} asked within the first 2 s"
    );
    // SIGTERM while refreshes wait for RD.
    let sent = std::time::Instant::now();
    sigterm(&agent.0);
    let deadline = sent + Duration::from_secs(5);
    let code = loop {
        if let Some(status) = agent.0.try_wait().unwrap() {
            break status.code();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the agent was still running 5 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let said = agent.1.join().unwrap();
    assert_eq!(code, Some(0), "{said}");
    let asked = env.rd().received_requests().await.unwrap().len();
    assert!(
        asked < 20,
        "the pass went on after SIGTERM ({asked} refreshes asked)"
    );
    // Nothing lost: each entry is the old one or a refreshed one; no failure recorded.
    let state = env.state();
    for (id, before) in ids.iter().zip(&entries_before) {
        let now = env.lookup(id).unwrap();
        assert!(
            &now == before || now.contains("fake-access-slow"),
            "{id}: {now}"
        );
        assert!(
            state["accounts"][id]["last_error"].is_null(),
            "{}",
            state["accounts"][id]
        );
    }
}

/// The tray's menu is a D-Bus object any process of the user's can call. Five "Refresh all
/// now" clicks within a second refresh each account once (the previous release refreshed
/// them five times), and a burst of "Copy token" clicks copies once per second.
#[tokio::test(flavor = "multi_thread")]
async fn the_trays_refresh_all_and_copy_are_rate_limited() {
    use crate::support::tray::{FakeNotifications, FakeWatcher};
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-limited"), 2).await;
    for name in ["loja", "agencia"] {
        env.add_with(
            name,
            &["--base-url", &env.rd().uri(), "--no-auto-refresh"],
            &secrets(),
        )
        .success();
    }
    // A third account the provider knows nothing of: each Copy of it fails, and each failure
    // is a notification, so the notifications count the copies that ran.
    env.add_with(
        "orfa",
        &["--base-url", "http://127.0.0.1:9", "--no-auto-refresh"],
        &secrets(),
    )
    .success();
    let watcher = FakeWatcher::start(&env.bus.address).await;
    let desktop = FakeNotifications::start(&env.bus.address).await;
    let agent = start_agent(&env);
    let item = watcher.item().await;
    let menu = watcher.menu(&item).await;
    let entry = |what: &str| {
        menu.iter()
            .find(|(_, label)| label.contains(what))
            .unwrap_or_else(|| panic!("no {what} in {menu:?}"))
            .0
    };
    let (refresh_all, copy_orfa) = (entry("Refresh all now"), entry("orfa"));
    let refreshes = || {
        let rd = env.rd();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(rd.received_requests())
        })
        .unwrap_or_default()
        .len()
    };
    for _ in 0..5 {
        watcher.click(&item, refresh_all).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    until("both accounts refreshed", || refreshes() >= 2).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        refreshes(),
        2,
        "five clicks of Refresh all refreshed more than once"
    );
    let copy_failures = || {
        desktop
            .shown()
            .iter()
            .filter(|(summary, _)| summary.contains("could not copy"))
            .count()
    };
    for _ in 0..5 {
        watcher.click(&item, copy_orfa).await;
    }
    until("one copy failed", || copy_failures() >= 1).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    watcher.click(&item, copy_orfa).await;
    until("a second copy failed", || copy_failures() >= 2).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (code, said) = stop(agent);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(refreshes(), 2, "Refresh all ran more than once: {said}");
    assert_eq!(copy_failures(), 2, "{:?}\n{said}", desktop.shown());
}
