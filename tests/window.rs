//! The real window under Xvfb: it starts, stays up, draws, and a second `renova` brings the
//! first window forward instead of opening another.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

mod support;

use std::process::Command;

use support::Env;

fn need_xvfb() {
    for (bin, package) in [
        ("xvfb-run", "xvfb"),
        ("xauth", "xauth"),
        ("import", "imagemagick"),
    ] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()));
        assert!(
            found,
            "`{bin}` is not installed: the window tests need it (apt-get install {package}, or run .ci/run)"
        );
    }
}

/// Runs a shell script inside `xvfb-run` with the profile's environment.
fn in_xvfb(env: &Env, script: &str) -> std::process::Output {
    need_xvfb();
    let mut cmd = Command::new("xvfb-run");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir("home"))
        .env("DBUS_SESSION_BUS_ADDRESS", &env.bus.address)
        .env("XDG_CONFIG_HOME", env.dir("config"))
        .env("XDG_STATE_HOME", env.dir("state"))
        .env("XDG_DATA_HOME", env.dir("data"))
        .env("XDG_RUNTIME_DIR", env.dir("runtime"))
        .env("XDG_CACHE_HOME", env.dir("cache"))
        .env("LANG", "C.UTF-8")
        .env("RENOVA", assert_cmd::cargo::cargo_bin!("renova"))
        .env("OUT", env.dir("home"))
        .args(["-a", "-s", "-screen 0 1024x768x24", "sh", "-c", script]);
    cmd.output().unwrap()
}

fn colours(png: &std::path::Path) -> usize {
    let out = Command::new("identify")
        .args(["-format", "%k"])
        .arg(png)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

#[test]
fn the_demo_window_stays_up_and_draws() {
    let env = Env::without_keyring();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    let out = in_xvfb(
        &env,
        r#"
        "$RENOVA" --demo & pid=$!
        sleep 5
        kill -0 $pid || { echo "the window exited early"; exit 11; }
        import -window root "$OUT/demo.png" || exit 12
        kill $pid; wait $pid
        exit 0
        "#,
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let n = colours(&env.dir("home").join("demo.png"));
    assert!(n > 10, "the screenshot has {n} colours: nothing was drawn");
    // The demo touched no keychain, no account list and no audit log.
    assert!(!env.accounts_file().exists());
    assert!(!env.dir("state").join("renova").join("audit.jsonl").exists());
}

#[test]
fn a_second_renova_brings_the_first_window_forward() {
    let env = Env::new();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    let out = in_xvfb(
        &env,
        r#"
        "$RENOVA" & first=$!
        sleep 3
        kill -0 $first || { echo "the first window exited"; exit 11; }
        timeout 10 "$RENOVA" > "$OUT/second.out" 2>&1; code=$?
        kill -0 $first || { echo "the first window exited after the second start"; exit 12; }
        kill $first; wait $first
        exit $code
        "#,
    );
    let second = std::fs::read_to_string(env.dir("home").join("second.out")).unwrap_or_default();
    assert!(
        out.status.success(),
        "second exit: {:?}\n{second}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(second.contains("already open"), "{second}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_windows_automatic_refresh_racing_the_cli_keeps_a_working_refresh_token() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    /// Kills each refresh token on use.
    struct Rotating {
        current: Arc<Mutex<String>>,
        issued: Arc<AtomicU32>,
        refused: Arc<AtomicU32>,
    }
    impl Respond for Rotating {
        fn respond(&self, r: &Request) -> ResponseTemplate {
            let f: std::collections::HashMap<String, String> =
                url::form_urlencoded::parse(&r.body).into_owned().collect();
            let mut current = self.current.lock().unwrap();
            if f.get("refresh_token") != Some(&*current) {
                self.refused.fetch_add(1, Ordering::SeqCst);
                return ResponseTemplate::new(400)
                    .set_body_json(serde_json::json!({"error":"invalid_grant"}));
            }
            let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
            *current = format!("fake-crm-refresh-{n}");
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": format!("fake-crm-access-{n}"), "expires_in": 4, "refresh_token": *current}))
                .set_delay(std::time::Duration::from_millis(200))
        }
    }
    let server = MockServer::start().await;
    let current = Arc::new(Mutex::new(support::REFRESH_TOKEN.to_owned()));
    let issued = Arc::new(AtomicU32::new(0));
    let refused = Arc::new(AtomicU32::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(Rotating {
            current: current.clone(),
            issued: issued.clone(),
            refused: refused.clone(),
        })
        .mount(&server)
        .await;
    let env = Env::new();
    std::fs::create_dir_all(env.dir("home")).unwrap();
    env.renova()
        .args([
            "add",
            "crm",
            "--client-id",
            support::CLIENT_ID,
            "--provider",
            "rdstation-crm",
            "--base-url",
            &server.uri(),
        ])
        .write_stdin(format!(
            "{}\n{}\n",
            support::CLIENT_SECRET,
            support::REFRESH_TOKEN
        ))
        .assert()
        .success();
    // The window refreshes on its own (short tokens) while the CLI refreshes too.
    let out = tokio::task::spawn_blocking(move || {
        let out = in_xvfb(
            &env,
            r#"
            "$RENOVA" & gui=$!
            for i in 1 2 3 4; do "$RENOVA" refresh crm || exit 20; sleep 0.3; done
            sleep 3
            kill -0 $gui || exit 21
            kill $gui; wait $gui
            "$RENOVA" refresh crm || exit 22
            exit 0
            "#,
        );
        (out, env)
    })
    .await
    .unwrap();
    let (out, env) = out;
    assert!(
        out.status.success(),
        "{:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        refused.load(Ordering::SeqCst),
        0,
        "nobody used a dead refresh token"
    );
    // Five refreshes came from the CLI; 4-second tokens make the window refresh on its own too.
    assert!(
        issued.load(Ordering::SeqCst) >= 6,
        "issued {}",
        issued.load(Ordering::SeqCst)
    );
    let entry = env.entry(&env.account_id("crm"));
    assert_eq!(entry["refresh_token"], *current.lock().unwrap());
}
