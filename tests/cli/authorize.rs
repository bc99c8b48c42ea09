//! `renova authorize`: the test plays the browser against a local server playing RD.

use std::io::Write;
use std::process::Child;
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::support::*;

/// RD's authorization dialog, after the user clicked "allow": 302 to the redirect URI with a
/// code and the same state.
struct Dialog;

impl Respond for Dialog {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = |k: &str| {
            request
                .url
                .query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let location = format!(
            "{}?code=fake-code-777&state={}",
            q("redirect_uri"),
            q("state")
        );
        ResponseTemplate::new(302).insert_header("location", location.as_str())
    }
}

/// A profile whose RD shows its authorization dialog and answers `exchanges` exchanges of
/// `fake-code-777` with `exchange`; account `loja` has a client secret and no refresh token.
pub(crate) async fn authorizing(exchange: ResponseTemplate, exchanges: u64) -> (Env, String) {
    let env = Env::with_rd().await;
    Mock::given(method("GET"))
        .and(path("/auth/dialog"))
        .respond_with(Dialog)
        .mount(env.rd())
        .await;
    rd::code_exchange("fake-code-777")
        .respond_with(exchange)
        .expect(exchanges)
        .mount(env.rd())
        .await;
    env.add_with("loja", &["--base-url", &env.rd().uri()], &secret_only())
        .success();
    let id = env.account_id("loja");
    (env, id)
}

/// An app whose callback is a real website: no listener, the code is pasted.
fn register_a_website_callback(env: &Env) {
    env.renova()
        .args([
            "edit",
            "loja",
            "--redirect-uri",
            "https://example.com/rd-callback",
        ])
        .assert()
        .success();
}

/// `renova authorize loja --no-browser` with the code pasted on stdin.
fn paste_the_code(env: &Env, lang: &str) -> Run {
    Run::of(
        env.renova()
            .env("LANG", lang)
            .args(["authorize", "loja", "--no-browser"])
            .write_stdin("fake-code-777\n"),
    )
}

/// A browser that only records the URL it was asked to open.
fn recording_browser(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = env.dir("home");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("browser.sh");
    let log = dir.join("opened-url");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", log.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (script, log)
}

pub(crate) fn start_authorize(
    env: &Env,
    args: &[&str],
    browser: Option<&std::path::Path>,
) -> Child {
    let mut cmd = env.renova_std();
    cmd.arg("authorize").arg("loja").args(args);
    if let Some(b) = browser {
        cmd.env("BROWSER", b);
    }
    spawn(&mut cmd)
}

fn free_port() -> u16 {
    dead_port()
}

/// Plays the browser: opens the authorization URL at "RD", follows the 302 to Renova.
pub(crate) fn play_browser(url: &str) -> reqwest::blocking::Response {
    play_browser_within(url, Duration::from_secs(60)).unwrap()
}

/// [`play_browser`], giving up on Renova's answer after `limit`.
pub(crate) fn play_browser_within(
    url: &str,
    limit: Duration,
) -> reqwest::Result<reqwest::blocking::Response> {
    let no_redirects = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(limit)
        .build()
        .unwrap();
    let at_rd = no_redirects.get(url).send().unwrap();
    assert_eq!(at_rd.status().as_u16(), 302);
    let location = at_rd.headers()["location"].to_str().unwrap().to_owned();
    no_redirects.get(location).send()
}

#[tokio::test(flavor = "multi_thread")]
async fn end_to_end_the_browser_comes_back_and_token_works() {
    let (env, id) = authorizing(
        rd::tokens("fake-access-auth", 86400, "fake-refresh-auth"),
        1,
    )
    .await;
    let (browser, opened) = recording_browser(&env);
    let port = free_port();
    let mut child = start_authorize(&env, &["--port", &port.to_string()], Some(&browser));
    let (url, said) = read_url(&mut child, "/auth/dialog?");
    let redirect = format!("http://127.0.0.1:{port}/callback");
    assert!(
        said.contains(&redirect),
        "the redirect URI to register is shown:\n{said}"
    );
    assert!(said.contains("up to an hour"), "{said}");
    // The browser was asked to open exactly this URL.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !opened.exists() {
        assert!(Instant::now() < deadline, "the browser was not opened");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), url);
    let parsed = url::Url::parse(&url).unwrap();
    let q = |k: &str| {
        parsed
            .query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    assert_eq!(parsed.path(), "/auth/dialog");
    assert_eq!(q("client_id"), CLIENT_ID);
    assert_eq!(q("redirect_uri"), redirect);
    assert_eq!(q("state").len(), 32, "128 random bits in hex");

    let (status, cache, referrer, body) = tokio::task::spawn_blocking(move || {
        let answer = play_browser(&url);
        let h = |k: &str| answer.headers()[k].to_str().unwrap().to_owned();
        (
            answer.status().as_u16(),
            h("cache-control"),
            h("referrer-policy"),
            answer.text().unwrap(),
        )
    })
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(cache, "no-store");
    assert_eq!(referrer, "no-referrer");
    assert!(body.contains("close this tab"));

    let status = child.wait().unwrap();
    assert!(status.success());
    let entry = env.entry(&id);
    assert_eq!(entry["refresh_token"], "fake-refresh-auth");
    assert_eq!(entry["client_secret"], CLIENT_SECRET);
    env.renova()
        .args(["token", "loja"])
        .assert()
        .success()
        .stdout("fake-access-auth\n");
    let toml = env.accounts_toml();
    assert!(
        toml.contains(&format!("redirect_uri = \"{redirect}\"")),
        "{toml}"
    );
    let audit = env.audit();
    assert!(audit.contains("\"action\":\"authorize\""));
    assert!(!audit.contains("fake-code-777") && !audit.contains("fake-refresh-auth"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_state_is_rejected_and_the_wait_goes_on() {
    let (env, _) = authorizing(
        rd::tokens("fake-access-auth", 86400, "fake-refresh-auth"),
        1,
    )
    .await;
    let port = free_port();
    let mut child = start_authorize(&env, &["--port", &port.to_string(), "--no-browser"], None);
    let (url, _) = read_url(&mut child, "/auth/dialog?");
    let base = format!("http://127.0.0.1:{port}");
    let answers = tokio::task::spawn_blocking(move || {
        let c = reqwest::blocking::Client::new();
        let status = |r: reqwest::blocking::RequestBuilder| r.send().unwrap().status().as_u16();
        let wrong = status(c.get(format!(
            "{base}/callback?code=fake-code-777&state=not-the-state"
        )));
        let missing = status(c.get(format!("{base}/callback?code=fake-code-777")));
        let other = status(c.get(format!("{base}/favicon.ico")));
        let evil_host = status(
            c.get(format!("{base}/callback?code=x&state=y"))
                .header("host", "evil.example"),
        );
        // Only the address bound counts (127.0.0.1 here): not localhost, not ::1, even with
        // the right state.
        let state = reqwest::Url::parse(&url)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        let unbound_hosts: Vec<u16> = [format!("localhost:{port}"), format!("[::1]:{port}")]
            .iter()
            .map(|h| {
                status(
                    c.get(format!("{base}/callback?code=fake-code-777&state={state}"))
                        .header("host", h),
                )
            })
            .collect();
        let ok = play_browser(&url).status().as_u16();
        (wrong, missing, other, evil_host, unbound_hosts, ok)
    })
    .await
    .unwrap();
    // A Host the listener did not bind is 403, as at the token endpoint (one set of rules for
    // both loopback servers).
    assert_eq!(answers, (400, 400, 404, 403, vec![403, 403], 200));
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_code_is_exit_3_and_explained() {
    let (env, id) = authorizing(
        rd::error(
            401,
            "EXPIRED_CODE_GRANT",
            "The authorization code grant has expired.",
        ),
        1,
    )
    .await;
    register_a_website_callback(&env);
    let before = env.lookup(&id).unwrap();
    let out = paste_the_code(&env, "C.UTF-8");
    assert_eq!(out.code, Some(3));
    let err = out.stderr;
    assert!(err.contains("EXPIRED_CODE_GRANT"), "{err}");
    assert!(
        err.contains("already used or is older than 60 minutes"),
        "{err}"
    );
    assert!(
        !err.contains("fake-code-777"),
        "the code is a secret: {err}"
    );
    assert_eq!(env.lookup(&id).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn rds_redirect_uri_error_is_explained() {
    let (env, _) = authorizing(
        rd::error(
            401,
            "ACCESS_DENIED",
            "O parâmetro redirect_uri não contém um valor válido.",
        ),
        2,
    )
    .await;
    register_a_website_callback(&env);
    for (lang, expected) in [
        ("C.UTF-8", "RD Station does not accept this redirect URI"),
        ("pt_BR.UTF-8", "não aceita esta URI"),
    ] {
        let out = paste_the_code(&env, lang);
        assert_eq!(out.code, Some(3));
        assert!(out.stderr.contains(expected), "{}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pasting_the_redirected_url_or_the_code_works() {
    for paste_code_only in [false, true] {
        let (env, id) = authorizing(
            rd::tokens("fake-access-paste", 86400, "fake-refresh-paste"),
            1,
        )
        .await;
        register_a_website_callback(&env);
        let mut child = start_authorize(&env, &["--no-browser"], None);
        let (url, _) = read_url(&mut child, "/auth/dialog?");
        let state = url::Url::parse(&url)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "state")
            .unwrap()
            .1
            .into_owned();
        let paste = if paste_code_only {
            "fake-code-777\n".to_owned()
        } else {
            format!("https://example.com/rd-callback?code=fake-code-777&state={state}\n")
        };
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(paste.as_bytes()).unwrap();
        drop(stdin);
        let status = child.wait().unwrap();
        assert!(status.success(), "paste {paste:?}");
        assert_eq!(env.entry(&id)["refresh_token"], "fake-refresh-paste");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_port_in_use_is_a_clear_error() {
    let (env, _) = authorizing(ResponseTemplate::new(200), 0).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Run::of(
        env.renova()
            .args([
                "authorize",
                "loja",
                "--no-browser",
                "--port",
                &port.to_string(),
            ])
            .write_stdin(""),
    );
    assert_eq!(out.code, Some(1));
    let err = out.stderr;
    assert!(
        err.contains(&format!(
            "Port {port} on 127.0.0.1 is already used by another program"
        )),
        "{err}"
    );
    assert!(err.contains("--port N"), "{err}");
}

#[test]
fn help_names_the_redirect_uri_to_register() {
    let env = Env::new();
    let text = env.run(&["authorize", "--help"]).stdout;
    assert!(text.contains("http://127.0.0.1:8787/callback"), "{text}");
    assert!(text.contains("up to an") && text.contains("hour"), "{text}");
    assert!(text.contains("App Publisher"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_cannot_stall_the_callback() {
    let (env, id) = authorizing(rd::issued("fake-access-busy-port"), 1).await;
    let port = free_port();
    let mut child = start_authorize(&env, &["--port", &port.to_string(), "--no-browser"], None);
    let (url, _) = read_url(&mut child, "/auth/dialog?");
    // A browser's preconnections: open, and never a word.
    let idle: Vec<std::net::TcpStream> = (0..12)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let answer = tokio::task::spawn_blocking(move || {
        // Served one at a time, each idle connection would hold the callback for 5 s.
        play_browser_within(&url, Duration::from_secs(3)).map(|r| r.status().as_u16())
    })
    .await
    .unwrap();
    assert_eq!(
        answer.ok(),
        Some(200),
        "the callback waited behind idle connections"
    );
    drop(idle);
    assert!(child.wait().unwrap().success());
    assert_eq!(env.entry(&id)["access_token"], "fake-access-busy-port");
}

#[tokio::test(flavor = "multi_thread")]
async fn for_localhost_an_ipv6_loopback_taken_by_another_program_is_an_error() {
    let (env, _) = authorizing(rd::issued("fake-access-never"), 0).await;
    let taken = std::net::TcpListener::bind("[::1]:0").expect("an IPv6 loopback to test with");
    let port = taken.local_addr().unwrap().port();
    env.renova()
        .args([
            "edit",
            "loja",
            "--redirect-uri",
            &format!("http://localhost:{port}/callback"),
        ])
        .assert()
        .success();
    let out = Run::of(
        env.renova()
            .args(["authorize", "loja", "--no-browser"])
            .write_stdin(""),
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "Port {port} on ::1 is already used by another program"
        )),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn authorize_reads_at_most_8_kib_from_stdin() {
    let (env, _) = authorizing(rd::issued("fake-access-unused"), 0).await;
    register_a_website_callback(&env);
    // 9 KiB and no newline: one endless "line".
    let run = Run::of(
        env.renova()
            .timeout(Duration::from_secs(20))
            .args(["authorize", "loja", "--no-browser"])
            .write_stdin("a".repeat(9 * 1024)),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("More than 8 KiB arrived on standard input"),
        "{}",
        run.stderr
    );
}
