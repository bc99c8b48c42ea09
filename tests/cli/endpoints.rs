//! Endpoints bound to secrets: an `accounts.toml` changed behind Renova's back (by hand or by
//! another program) cannot send an account's secrets or tokens anywhere new. Renova refuses
//! with exit 2 and says how to confirm; `renova edit` with the endpoint flag confirms.

use wiremock::MockServer;

use crate::support::*;

/// Points `loja` at `to` in `accounts.toml` as a text edit, not through Renova.
fn hand_edit_base_url(env: &Env, to: &str) {
    let text = env.accounts_toml().replace(&env.rd().uri(), to);
    assert!(text.contains(to), "the edit took: {text}");
    std::fs::write(env.accounts_file(), text).unwrap();
}

#[tokio::test]
async fn secrets_never_go_to_an_endpoint_accounts_toml_gained_behind_renovas_back() {
    let env = Env::with_rd().await;
    let id = env.add_rd("loja");
    let token_url = format!("{}/auth/token", env.rd().uri());
    assert_eq!(env.entry(&id)["endpoints"]["token"], token_url.as_str());
    let elsewhere = MockServer::start().await;
    hand_edit_base_url(&env, &elsewhere.uri());
    let entry_before = env.lookup(&id).unwrap();
    let confirm = format!("renova edit loja --base-url {}", elsewhere.uri());
    for args in [
        &["refresh", "loja"][..],
        &["token", "loja"],
        &["check", "loja"],
        &["revoke", "loja"],
        &["authorize", "loja", "--no-browser", "--port", "0"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(&elsewhere.uri()), "{}", run.stderr);
        assert!(run.stderr.contains(&token_url), "{}", run.stderr);
        assert!(run.stderr.contains(&confirm), "{}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // `--due` waits out the backoff the refusals recorded (and would be refused too).
    env.run(&["refresh", "--due"]);
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "a secret went to the endpoint nobody confirmed"
    );
    assert_eq!(env.lookup(&id).unwrap(), entry_before, "the entry changed");
    // The refusal is recorded for the window and the backoff, without a secret in it.
    let state = env.state();
    let account = &state["accounts"][&id];
    assert_eq!(account["last_error"]["kind"], "input", "{account}");
    assert_eq!(account["status"], "failing", "{account}");
    let text = state.to_string();
    assert!(
        !text.contains(CLIENT_SECRET) && !text.contains(REFRESH_TOKEN),
        "{text}"
    );

    // The user confirms: `edit` with the flag rewrites both, and the refresh goes there.
    env.renova()
        .args(["edit", "loja", "--base-url", &elsewhere.uri()])
        .assert()
        .success();
    let entry = env.entry(&id);
    assert_eq!(
        entry["endpoints"]["token"],
        format!("{}/auth/token", elsewhere.uri()).as_str()
    );
    assert!(env.state()["accounts"][&id]["last_error"].is_null());
    rd::mount_refresh(&elsewhere, rd::issued("fake-access-confirmed"), 1).await;
    let run = env.run(&["token", "loja"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "fake-access-confirmed");
}

#[tokio::test]
async fn an_entry_from_before_endpoints_were_recorded_is_bound_at_its_next_refresh() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-legacy"), 1).await;
    let id = env.add_rd("loja");
    // As an older Renova wrote it: no endpoints.
    env.secret_tool_store(
        &id,
        &format!(
            r#"{{"v":1,"client_secret":"{CLIENT_SECRET}","refresh_token":"{REFRESH_TOKEN}","rev":1}}"#
        ),
    );
    assert!(env.entry(&id).get("endpoints").is_none());
    env.renova().args(["refresh", "loja"]).assert().success();
    let token_url = format!("{}/auth/token", env.rd().uri());
    assert_eq!(env.entry(&id)["endpoints"]["token"], token_url.as_str());
    // From then on, a hand edit is refused like any other.
    let elsewhere = MockServer::start().await;
    hand_edit_base_url(&env, &elsewhere.uri());
    assert_eq!(env.run(&["refresh", "loja"]).code, Some(2));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn edits_that_name_no_endpoint_confirm_nothing() {
    let env = Env::with_rd().await;
    let id = env.add_rd("loja");
    let elsewhere = MockServer::start().await;
    hand_edit_base_url(&env, &elsewhere.uri());
    // Changing something else confirms nothing.
    env.renova()
        .args(["edit", "loja", "--no-auto-refresh"])
        .assert()
        .success();
    assert_eq!(env.run(&["refresh", "loja"]).code, Some(2));
    // New secrets alone do not confirm it either: they keep the endpoints the entry knew.
    env.renova()
        .args(["edit", "loja", "--secrets"])
        .write_stdin(secrets())
        .assert()
        .success();
    assert_eq!(env.run(&["refresh", "loja"]).code, Some(2));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    assert_eq!(
        env.entry(&id)["endpoints"]["token"],
        format!("{}/auth/token", env.rd().uri()).as_str()
    );
}

#[tokio::test]
async fn a_curl_line_never_names_an_endpoint_nobody_confirmed() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-valid"), 1).await;
    env.add_rd("loja");
    env.renova().args(["refresh", "loja"]).assert().success();
    // The token is valid: no refresh, no request; but the curl line names an address.
    hand_edit_base_url(&env, "https://rd.attacker.test");
    let run = env.run(&["token", "loja", "--format", "curl"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("renova edit loja --base-url https://rd.attacker.test`"),
        "{}",
        run.stderr
    );
    // The token itself still goes to the person who asked for it.
    let run = env.run(&["token", "loja"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "fake-access-valid");
}

#[tokio::test]
async fn naming_one_endpoint_confirms_that_one_and_no_other() {
    use wiremock::matchers::{method, path};
    let idp = MockServer::start().await;
    for p in ["/token", "/token2"] {
        wiremock::Mock::given(method("POST"))
            .and(path(p))
            .respond_with(rd::issued("fake-access-idp"))
            .mount(&idp)
            .await;
    }
    let collector = MockServer::start().await;
    let env = Env::new();
    env.add_with(
        "api",
        &[
            "--provider",
            "oauth2",
            "--token-url",
            &format!("{}/token", idp.uri()),
        ],
        &secrets(),
    )
    .success();
    let id = env.account_id("api");
    // Another program adds a check endpoint that collects access tokens.
    let text = env.accounts_toml().replace(
        "token_url = ",
        &format!("check_url = \"{}/me\"\ntoken_url = ", collector.uri()),
    );
    std::fs::write(env.accounts_file(), text).unwrap();
    // The user moves the token endpoint, legitimately.
    env.renova()
        .args([
            "edit",
            "api",
            "--token-url",
            &format!("{}/token2", idp.uri()),
        ])
        .assert()
        .success();
    let entry = env.entry(&id);
    assert_eq!(
        entry["endpoints"]["token"],
        format!("{}/token2", idp.uri()).as_str()
    );
    assert!(entry["endpoints"]["check"].is_null(), "{entry}");
    let run = env.run(&["check", "api"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("--check-url"), "{}", run.stderr);
    assert!(collector.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_confirming_command_is_a_parsed_url_safe_to_paste() {
    let env = Env::with_rd().await;
    env.add_rd("loja");
    // As written in the file: TOML's \u001b is an ESC.
    hand_edit_base_url(&env, r"https://evil.test/a;$(id)\u001b[31m");
    let run = env.run(&["refresh", "loja"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("renova edit loja --base-url 'https://evil.test/a;$(id)%1B[31m'"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

/// A program asking the endpoint for such an account is told the account needs the person
/// (409 `needs_attention`, with the command that confirms), not that its own request was bad.
#[tokio::test(flavor = "multi_thread")]
async fn the_endpoint_says_an_unconfirmed_endpoint_needs_attention() {
    let env = Env::with_rd().await;
    env.add_rd("loja");
    let elsewhere = MockServer::start().await;
    hand_edit_base_url(&env, &elsewhere.uri());
    let (port, key, agent) = crate::endpoint_server::serving(&env).await;
    let (status, head, body) = crate::endpoint_server::get(port, "/v1/token/loja", &key);
    assert_eq!(status, 409, "{head}\n{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"], "needs_attention", "{json}");
    let confirm = format!("renova edit loja --base-url {}", elsewhere.uri());
    assert!(json.to_string().contains(&confirm), "{json}");
    assert!(!head.contains("Retry-After"), "{head}");
    let (code, said) = crate::agent::stop(agent);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "a secret went to the endpoint nobody confirmed"
    );
}
