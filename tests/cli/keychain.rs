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
    let toml = env.accounts_toml();
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

/// `renova token loja` fails with 5, saying `needle`, within 30 s.
fn fails_with_5(env: &Env, needle: &str) {
    let start = Instant::now();
    let out = env.run(&["token", "loja"]);
    assert_eq!(out.code, Some(5), "{}", out.stderr);
    assert!(
        out.stderr.contains(needle),
        "expected {needle:?} in {}",
        out.stderr
    );
    assert!(start.elapsed().as_secs() < 30);
}

/// `renova token loja`, run by `cmd`, finds no session bus.
fn finds_no_session_bus(cmd: &mut assert_cmd::Command) {
    let out = Run::of(cmd.args(["token", "loja"]));
    assert_eq!(out.code, Some(5));
    assert!(
        out.stderr.contains("No D-Bus session bus"),
        "{}",
        out.stderr
    );
}

fn with_account() -> (Env, String) {
    let env = Env::new();
    let id = env.add("loja", "http://127.0.0.1:9");
    (env, id)
}

#[test]
fn no_dbus_session_is_5_and_says_so() {
    let (env, _) = with_account();
    finds_no_session_bus(env.renova().env_remove("DBUS_SESSION_BUS_ADDRESS"));
}

#[test]
fn a_stale_dbus_address_is_no_session_not_no_service() {
    let (env, _) = with_account();
    finds_no_session_bus(env.renova().env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/renova-test-bus",
    ));
}

#[test]
fn no_secret_service_is_5_and_says_so() {
    let (mut env, _) = with_account();
    env.kill_keyring();
    fails_with_5(&env, "No Secret Service (org.freedesktop.secrets)");
    // The doctor says the same and exits 5.
    let out = env.run(&["doctor"]);
    assert_eq!(out.code, Some(5));
    assert!(out.stdout.contains("gnome-keyring"), "{}", out.stdout);
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
    let out = env.run(&["token", "loja"]);
    let took = start.elapsed();
    env.freeze_keyring(false);
    assert_eq!(out.code, Some(5), "{}", out.stderr);
    assert!(
        out.stderr.contains("did not answer within 5 s"),
        "{}",
        out.stderr
    );
    assert!(took.as_secs() < 15, "took {took:?}");
    assert!(env.lookup(&id).is_some());
}

#[test]
fn missing_entry_is_3_and_unreadable_entry_is_1_left_untouched() {
    let (env, id) = with_account();
    env.secret_tool_store(&id, "this is not json");
    let out = env.run(&["token", "loja"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("not readable"), "{}", out.stderr);
    assert_eq!(env.lookup(&id).unwrap(), "this is not json");
    env.secret_tool_clear(&id);
    let out = env.run(&["token", "loja"]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("renova authorize loja"));
}

#[test]
fn doctor_reports_all_well_with_exit_0() {
    let (env, _) = with_account();
    let out = env.run(&["doctor"]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let text = out.stdout;
    assert!(text.contains("D-Bus session bus"));
    assert!(text.contains("reachable, unlocked and writable"));
    assert!(text.contains("Account loja"));
    assert!(text.contains("All is well."));
}

#[test]
fn doctor_counts_an_account_that_needs_authorization_as_a_problem() {
    let (env, _) = with_account();
    env.add_with(
        "nova",
        &["--base-url", &format!("http://127.0.0.1:{}", dead_port())],
        &secret_only(),
    )
    .success();
    let out = env.run(&["doctor"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    let text = out.stdout;
    assert!(text.contains("[ok] Account loja"), "{text}");
    assert!(text.contains("[PROBLEM] Account nova"), "{text}");
    assert!(text.contains("renova authorize nova"), "{text}");
    assert!(text.contains("1 problem"), "{text}");
}

#[test]
fn messages_follow_the_locale() {
    let (env, _) = with_account();
    let out = Run::of(
        env.renova()
            .env("LANG", "pt_BR.UTF-8")
            .args(["token", "nada"]),
    );
    assert_eq!(out.code, Some(6));
    assert!(
        out.stderr.contains("Não existe conta chamada"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn with_a_display_renova_waits_for_an_unlock_and_says_so() {
    let env = Env::with_rd_answering(rd::issued("fake-access-wait")).await;
    env.freeze_keyring(true);
    // A display means an unlock prompt can be on screen: Renova waits (up to 120 s) and says
    // so, instead of giving up after 5 s.
    let child = spawn(
        env.renova_std()
            .env("DISPLAY", ":4242")
            .args(["token", "loja"]),
    );
    std::thread::sleep(std::time::Duration::from_secs(7));
    env.freeze_keyring(false);
    let out = Run::from(child.wait_with_output().unwrap());
    assert!(out.success(), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Waiting for the keychain to be unlocked"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "fake-access-wait\n");
}
