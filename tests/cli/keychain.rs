//! The real keychain: what is stored, and what happens when it is missing, locked or hung.

use std::time::Instant;

use crate::support::*;

#[test]
fn secrets_live_in_the_real_keychain_and_only_there() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    // A second client (libsecret's secret-tool) reads what Renova stored.
    let raw = env.lookup(&id).expect("secret-tool finds the entry");
    let entry: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(entry["v"], 1);
    assert_eq!(entry["client_secret"], CLIENT_SECRET);
    assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
    assert!(entry["access_token"].is_null());
    assert_eq!(entry["rev"], 1);
    let toml = std::fs::read_to_string(env.accounts_file()).unwrap();
    assert!(
        toml.contains("version = 1") && toml.contains("[defaults]") && toml.contains("[[account]]")
    );
    assert!(toml.contains(&format!("id = \"{id}\"")));
    assert!(!toml.contains(CLIENT_SECRET) && !toml.contains(REFRESH_TOKEN));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&env.accounts_file()), 0o600);
        assert_eq!(mode(&env.state_file()), 0o600);
        assert_eq!(mode(&env.dir("state").join("renova").join("locks")), 0o700);
    }
}

fn fails_with_5(env: &Env, needle: &str) {
    let start = Instant::now();
    let out = env.renova().args(["token", "loja"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(needle),
        "expected {needle:?} in {}",
        stderr(&out)
    );
    assert!(start.elapsed().as_secs() < 30);
}

fn with_account() -> (Env, String) {
    let env = Env::new();
    let id = env.add("loja", "http://127.0.0.1:9");
    (env, id)
}

#[test]
fn no_dbus_session_is_5_and_says_so() {
    let (env, _) = with_account();
    let out = env
        .renova()
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .args(["token", "loja"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("No D-Bus session bus"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stale_dbus_address_is_no_session_not_no_service() {
    let (env, _) = with_account();
    let out = env
        .renova()
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/renova-test-bus",
        )
        .args(["token", "loja"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("No D-Bus session bus"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_secret_service_is_5_and_says_so() {
    let (mut env, _) = with_account();
    env.kill_keyring();
    fails_with_5(&env, "No Secret Service (org.freedesktop.secrets)");
    // The doctor says the same and exits 5.
    let out = env.renova().arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(stdout(&out).contains("gnome-keyring"), "{}", stdout(&out));
}

#[test]
fn a_locked_keychain_is_5_and_says_so_and_list_still_works() {
    let (env, _) = with_account();
    env.lock_keyring();
    fails_with_5(&env, "keychain is locked");
    env.renova().args(["list"]).assert().success();
}

#[test]
fn a_hung_keychain_times_out_after_5_seconds_with_5() {
    let (env, id) = with_account();
    env.freeze_keyring(true);
    let start = Instant::now();
    let out = env.renova().args(["token", "loja"]).output().unwrap();
    let took = start.elapsed();
    env.freeze_keyring(false);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did not answer within 5 s"),
        "{}",
        stderr(&out)
    );
    assert!(took.as_secs() < 15, "took {took:?}");
    assert!(env.lookup(&id).is_some());
}

#[test]
fn missing_entry_is_3_and_unreadable_entry_is_1_left_untouched() {
    let (env, id) = with_account();
    env.secret_tool_store(&id, "this is not json");
    let out = env.renova().args(["token", "loja"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not readable"), "{}", stderr(&out));
    assert_eq!(env.lookup(&id).unwrap(), "this is not json");
    env.secret_tool_clear(&id);
    let out = env.renova().args(["token", "loja"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("renova authorize loja"));
}

#[test]
fn doctor_reports_all_well_with_exit_0() {
    let (env, _) = with_account();
    let out = env.renova().arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("D-Bus session bus"));
    assert!(text.contains("reachable, unlocked and writable"));
    assert!(text.contains("Account loja"));
    assert!(text.contains("All is well."));
}

#[test]
fn messages_follow_the_locale() {
    let (env, _) = with_account();
    let out = env
        .renova()
        .env("LANG", "pt_BR.UTF-8")
        .args(["token", "nada"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("Não existe conta chamada"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn with_a_display_renova_waits_for_an_unlock_and_says_so() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rd_tokens(
            "fake-access-wait",
            86400,
            REFRESH_TOKEN,
        )))
        .mount(&server)
        .await;
    let env = Env::new();
    env.add("loja", &server.uri());
    env.freeze_keyring(true);
    // A display means an unlock prompt can be on screen: Renova waits (up to 120 s) and says
    // so, instead of giving up after 5 s.
    let child = env
        .renova_std()
        .env("DISPLAY", ":4242")
        .args(["token", "loja"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(7));
    env.freeze_keyring(false);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Waiting for the keychain to be unlocked"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "fake-access-wait\n");
}
