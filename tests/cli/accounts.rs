//! `add`, `edit`, `remove`: validation, write ordering, read-only mode.

use crate::support::*;

fn add(env: &Env, args: &[&str], stdin: &str) -> Run {
    Run::of(
        env.renova()
            .arg("add")
            .args(args)
            .write_stdin(stdin.to_owned()),
    )
}

/// The account list cannot be written: its temporary file is blocked by a folder (running as
/// root ignores permissions). Returns the folder, to remove.
fn block_the_account_list(env: &Env) -> std::path::PathBuf {
    let blocker = env.dir("config").join("renova").join(".accounts.toml.tmp");
    std::fs::create_dir_all(&blocker).unwrap();
    blocker
}

#[test]
fn bad_input_is_2_and_stores_nothing() {
    let env = Env::new();
    env.add("loja", "https://api.rd.services");
    let ok = secrets();
    let cases: Vec<(Vec<&str>, String, &str)> = vec![
        (
            vec!["Loja!", "--client-id", CLIENT_ID],
            ok.clone(),
            "not a valid account name",
        ),
        (vec!["-x", "--client-id", CLIENT_ID], ok.clone(), ""),
        (
            vec!["LOJA", "--client-id", CLIENT_ID],
            ok.clone(),
            "not a valid account name",
        ),
        (
            vec!["loja", "--client-id", CLIENT_ID],
            ok.clone(),
            "already exists",
        ),
        (
            vec!["outra", "--client-id", CLIENT_ID],
            "\n\n".to_owned(),
            "client secret is empty",
        ),
        (
            vec!["outra", "--client-id", CLIENT_ID],
            "   \n".to_owned(),
            "client secret is empty",
        ),
        (
            vec![
                "outra",
                "--client-id",
                CLIENT_ID,
                "--base-url",
                "http://api.rd.services",
            ],
            ok.clone(),
            "plain http is allowed only",
        ),
        (
            vec!["outra", "--client-id", "has space"],
            ok.clone(),
            "client id",
        ),
        (
            vec!["outra", "--client-id", CLIENT_ID],
            "x".repeat(8193),
            "8 KiB",
        ),
    ];
    let before_toml = env.accounts_toml();
    for (args, stdin, needle) in cases {
        let out = add(&env, &args, &stdin);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
    }
    assert_eq!(env.accounts_toml(), before_toml);
    assert_eq!(env.keychain_entries(), 1);
}

#[test]
fn pasted_whitespace_and_bearer_are_cleaned() {
    let env = Env::new();
    let out = add(
        &env,
        &["loja", "--client-id", CLIENT_ID],
        &format!("  {CLIENT_SECRET}  \r\nBearer {REFRESH_TOKEN}\t\n"),
    );
    assert!(out.success(), "{}", out.stderr);
    let entry = env.entry(&env.account_id("loja"));
    assert_eq!(entry["client_secret"], CLIENT_SECRET);
    assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
}

#[test]
fn add_deletes_the_keychain_entry_when_the_account_list_cannot_be_written() {
    let env = Env::new();
    env.add("first", "https://api.rd.services");
    let blocker = block_the_account_list(&env);
    env.add_with("second", &[], &secrets()).code(1);
    assert_eq!(
        env.keychain_entries(),
        1,
        "the new entry was not rolled back"
    );
    std::fs::remove_dir(&blocker).unwrap();
    env.renova()
        .args(["list"])
        .assert()
        .success()
        .stdout(predicates::str::contains("second").not());
}

#[test]
fn remove_deletes_entry_then_account() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    env.renova().args(["remove", "loja"]).assert().success();
    assert!(env.lookup(&id).is_none());
    assert!(!env.accounts_toml().contains(&id));
    // The name is free again.
    env.add("loja", "https://api.rd.services");
}

#[test]
fn an_interrupted_remove_is_finished_at_the_next_start() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    let text = env.accounts_toml();
    std::fs::write(
        env.accounts_file(),
        text.replace(
            "auto_refresh = true",
            "auto_refresh = true\npending_delete = true",
        ),
    )
    .unwrap();
    // Hidden at once; `token` never pays for finishing it, `refresh --due` does.
    env.renova().args(["token", "loja"]).assert().code(6);
    assert!(env.lookup(&id).is_some());
    env.renova().args(["refresh", "--due"]).assert().success();
    assert!(env.lookup(&id).is_none());
    assert!(!env.accounts_toml().contains(&id));
}

#[test]
fn edit_renames_changes_settings_and_secrets() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    env.renova()
        .args([
            "edit",
            "loja",
            "--rename",
            "loja2",
            "--no-auto-refresh",
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .assert()
        .success();
    let toml = env.accounts_toml();
    assert!(toml.contains("name = \"loja2\"") && toml.contains("auto_refresh = false"));
    assert_eq!(env.account_id("loja2"), id);
    env.renova()
        .args(["edit", "loja2", "--secrets"])
        .write_stdin(" fake-new-secret-4444 \nfake-new-refresh-5555\n")
        .assert()
        .success();
    let entry = env.entry(&id);
    assert_eq!(entry["client_secret"], "fake-new-secret-4444");
    assert_eq!(entry["refresh_token"], "fake-new-refresh-5555");
    // Three writes: the add, the new base URL bound into the entry, the new secrets.
    assert_eq!(entry["rev"], 3);
    assert_eq!(entry["endpoints"]["token"], "http://127.0.0.1:9/auth/token");
    let out = env.run(&["edit", "loja2", "--base-url", "http://example.com"]);
    assert_eq!(out.code, Some(2));
}

#[tokio::test]
async fn new_secrets_keep_an_access_token_that_still_works() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-kept"), 1).await;
    let id = env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    // The person pastes the three values again: a new client secret, the same refresh token.
    env.renova()
        .args(["edit", "loja", "--secrets"])
        .write_stdin(format!("fake-new-secret-4444\n{REFRESH_TOKEN}\n"))
        .assert()
        .success();
    let entry = env.entry(&id);
    assert_eq!(entry["client_secret"], "fake-new-secret-4444");
    assert_eq!(entry["access_token"], "fake-access-kept");
    let left = env.first_listed()["seconds_left"].as_i64().unwrap();
    assert!(left > 86_000, "the card dropped to {left} s");
    // The token is served as it is: no second request to RD.
    let run = env.run(&["token", "loja"]);
    assert_eq!(run.stdout.trim(), "fake-access-kept");
    // The client secret alone, likewise.
    env.renova()
        .args(["edit", "loja", "--secrets"])
        .write_stdin("fake-newer-secret-5555\n")
        .assert()
        .success();
    assert_eq!(env.entry(&id)["access_token"], "fake-access-kept");
}

#[test]
fn edit_puts_the_entry_back_when_the_account_list_cannot_be_written() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    let before = env.lookup(&id).unwrap();
    block_the_account_list(&env);
    env.renova()
        .args(["edit", "loja", "--secrets", "--rename", "loja2"])
        .write_stdin("fake-new-secret-4444\nfake-new-refresh-5555\n")
        .assert()
        .code(1);
    assert_eq!(env.lookup(&id).unwrap(), before);
}

#[test]
fn an_unparsable_account_list_means_read_only() {
    let env = Env::new();
    env.add("loja", "https://api.rd.services");
    std::fs::write(env.accounts_file(), "version = 1\n[[account]\nbroken = ").unwrap();
    env.add_with("x", &[], &secret_only())
        .code(1)
        .stderr(predicates::str::contains("read-only"));
    assert_eq!(env.accounts_toml(), "version = 1\n[[account]\nbroken = ");
}

#[test]
fn completions_are_printed() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        assert!(out.success());
        assert!(out.stdout.contains("renova"));
    }
}

use predicates::prelude::PredicateBooleanExt;
