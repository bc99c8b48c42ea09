//! The whole life of an account leaves no secret in any file or message.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::*;

#[tokio::test]
async fn add_token_refresh_revoke_remove_leaks_no_secret() {
    let env = Env::with_rd().await;
    // `token` refreshes with the first refresh token and gets a new one; `refresh` uses it.
    rd::mount_refresh(
        env.rd(),
        rd::tokens("fake-access-leak-1", 86400, "fake-refresh-leak-2"),
        1,
    )
    .await;
    rd::refresh_of("fake-refresh-leak-2")
        .respond_with(rd::tokens(
            "fake-access-leak-3",
            86400,
            "fake-refresh-leak-2",
        ))
        .expect(1)
        .mount(env.rd())
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/revoke"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(env.rd())
        .await;
    let mut stderr_all = String::new();
    let mut run = |args: &[&str], stdin: Option<String>| {
        let mut cmd = env.renova();
        cmd.args(args).env("RENOVA_LOG", "debug");
        if let Some(s) = stdin {
            cmd.write_stdin(s);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stderr_all.push_str(&stderr(&out));
        out
    };
    run(
        &[
            "add",
            "loja",
            "--client-id",
            CLIENT_ID,
            "--base-url",
            &env.rd().uri(),
        ],
        Some(secrets()),
    );
    let out = run(&["token", "loja"], None);
    assert_eq!(stdout(&out), "fake-access-leak-1\n");
    run(&["refresh", "loja"], None);
    run(&["list", "--json"], None);
    run(&["list"], None);
    run(&["doctor"], None);
    run(&["revoke", "loja"], None);
    run(&["remove", "loja"], None);
    let secrets = [
        CLIENT_SECRET,
        REFRESH_TOKEN,
        "fake-access-leak-1",
        "fake-refresh-leak-2",
        "fake-access-leak-3",
    ];
    let files = env.all_profile_text();
    assert!(
        files.iter().any(|(p, _)| p.ends_with("audit.jsonl")),
        "the audit log exists"
    );
    for (file, text) in &files {
        for s in secrets {
            assert!(!text.contains(s), "{s} found in {}", file.display());
        }
    }
    for s in secrets {
        assert!(
            !stderr_all.contains(s),
            "{s} found in stderr:\n{stderr_all}"
        );
    }
    // The audit log has the life of the account, with fingerprints only.
    let audit = env.audit();
    let actions: Vec<String> = audit
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(actions, ["add", "refresh", "refresh", "revoke", "remove"]);
}
