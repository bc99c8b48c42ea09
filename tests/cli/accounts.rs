//! `add`, `edit`, `remove`: validation, write ordering, read-only mode.

use crate::support::*;

fn keychain_entries(env: &Env) -> usize {
    let mut cmd = std::process::Command::new("secret-tool");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DBUS_SESSION_BUS_ADDRESS", &env.bus.address)
        .args(["search", "--all", "service", "renova"]);
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stderr)
        .matches("attribute.username")
        .count()
        + String::from_utf8_lossy(&out.stdout)
            .matches("attribute.username")
            .count()
}

fn add(env: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    env.renova()
        .arg("add")
        .args(args)
        .write_stdin(stdin.to_owned())
        .output()
        .unwrap()
}

#[test]
fn bad_input_is_2_and_stores_nothing() {
    let env = Env::new();
    env.add("loja", "https://api.rd.services");
    let ok = format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n");
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
    let before_toml = std::fs::read_to_string(env.accounts_file()).unwrap();
    for (args, stdin, needle) in cases {
        let out = add(&env, &args, &stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(
        std::fs::read_to_string(env.accounts_file()).unwrap(),
        before_toml
    );
    assert_eq!(keychain_entries(&env), 1);
}

#[test]
fn pasted_whitespace_and_bearer_are_cleaned() {
    let env = Env::new();
    let out = add(
        &env,
        &["loja", "--client-id", CLIENT_ID],
        &format!("  {CLIENT_SECRET}  \r\nBearer {REFRESH_TOKEN}\t\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let entry = env.entry(&env.account_id("loja"));
    assert_eq!(entry["client_secret"], CLIENT_SECRET);
    assert_eq!(entry["refresh_token"], REFRESH_TOKEN);
}

#[test]
fn add_deletes_the_keychain_entry_when_the_account_list_cannot_be_written() {
    let env = Env::new();
    env.add("first", "https://api.rd.services");
    // Running as root ignores permissions, so block the temporary file with a folder.
    let blocker = env.dir("config").join("renova").join(".accounts.toml.tmp");
    std::fs::create_dir_all(&blocker).unwrap();
    let out = add(
        &env,
        &["second", "--client-id", CLIENT_ID],
        &format!("{CLIENT_SECRET}\n{REFRESH_TOKEN}\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        keychain_entries(&env),
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
    assert!(
        !std::fs::read_to_string(env.accounts_file())
            .unwrap()
            .contains(&id)
    );
    // The name is free again.
    env.add("loja", "https://api.rd.services");
}

#[test]
fn an_interrupted_remove_is_finished_at_the_next_start() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    let path = env.accounts_file();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
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
    assert!(!std::fs::read_to_string(&path).unwrap().contains(&id));
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
    let toml = std::fs::read_to_string(env.accounts_file()).unwrap();
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
    assert_eq!(entry["rev"], 2);
    let out = env
        .renova()
        .args(["edit", "loja2", "--base-url", "http://example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn edit_puts_the_entry_back_when_the_account_list_cannot_be_written() {
    let env = Env::new();
    let id = env.add("loja", "https://api.rd.services");
    let before = env.lookup(&id).unwrap();
    let blocker = env.dir("config").join("renova").join(".accounts.toml.tmp");
    std::fs::create_dir_all(&blocker).unwrap();
    let out = env
        .renova()
        .args(["edit", "loja", "--secrets", "--rename", "loja2"])
        .write_stdin("fake-new-secret-4444\nfake-new-refresh-5555\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(env.lookup(&id).unwrap(), before);
}

#[test]
fn an_unparsable_account_list_means_read_only() {
    let env = Env::new();
    env.add("loja", "https://api.rd.services");
    let path = env.accounts_file();
    std::fs::write(&path, "version = 1\n[[account]\nbroken = ").unwrap();
    let out = env
        .renova()
        .args(["add", "x", "--client-id", CLIENT_ID])
        .write_stdin(format!("{CLIENT_SECRET}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "version = 1\n[[account]\nbroken = "
    );
}

#[test]
fn completions_are_printed() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.renova().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(stdout(&out).contains("renova"));
    }
}

use predicates::prelude::PredicateBooleanExt;
