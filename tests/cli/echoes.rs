//! A hostile provider that quotes the secrets it was sent back in every encoding it can
//! think of (JSON escapes, HTML entities, percent-encoding in either case, form encoding,
//! HTTP Basic's base64, cut at every offset, a middle piece): no run of 8 characters of any
//! secret reaches stderr, `state.json`, `list --json`, the audit log or the agent's log at
//! `RENOVA_LOG=debug` (the window's card and Details: `tests/gui/hardening.rs`).

use std::sync::atomic::Ordering;

use crate::agent::stop;
use crate::support::echo::{EncodingEcho, Form};
use crate::support::*;

/// Characters in a row that must never survive.
const RUN: usize = 8;

/// Every file Renova writes for the profile, and where it is.
fn written(env: &Env) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for (path, text) in env.all_profile_text() {
        let under = |d: &str| path.starts_with(env.dir(d));
        if under("config") || under("state") || under("cache") {
            out.push((path, text));
        }
    }
    out
}

fn basic_of(secret: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{secret}"))
}

/// `loja` (RD: JSON body) and `basica` (OAuth 2.0 with HTTP Basic), both holding the odd
/// secrets, against an echo going through `forms`.
async fn two_accounts(forms: Vec<Form>) -> (Env, EncodingEcho) {
    let env = Env::with_rd().await;
    let echo = EncodingEcho::new(forms);
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(echo.clone())
        .mount(env.rd())
        .await;
    let stdin = format!("{ODD_SECRET}\n{ODD_REFRESH}\n");
    env.add_with("loja", &["--base-url", &env.rd().uri()], &stdin)
        .success();
    env.add_basic_oauth2("basica", &stdin).success();
    (env, echo)
}

#[tokio::test]
async fn no_encoding_of_a_secret_gets_through_the_command_line() {
    let forms = Form::all(ODD_REFRESH.len());
    let (env, echo) = two_accounts(forms.clone()).await;
    let basic = basic_of(ODD_SECRET);
    for name in ["loja", "basica"] {
        let secrets: Vec<&str> = match name {
            "basica" => vec![ODD_SECRET, ODD_REFRESH, &basic],
            _ => vec![ODD_SECRET, ODD_REFRESH],
        };
        echo.next.store(0, Ordering::SeqCst);
        for (i, form) in forms.iter().enumerate() {
            echo.pad.store(i % 3 * 40, Ordering::SeqCst);
            let out = Run::of(
                env.renova()
                    .env("RENOVA_LOG", "debug")
                    .args(["token", name]),
            );
            assert_ne!(out.code, Some(0), "{name} {form:?}: {}", out.stderr);
            let place = |what: &str| format!("{what} ({name}, {form:?})");
            assert_no_run(&out.stderr, &place("stderr"), &secrets, RUN);
            assert_no_run(&out.stdout, &place("stdout"), &secrets, RUN);
            let list = env.run(&["list", "--json"]);
            assert_no_run(&list.stdout, &place("list --json"), &secrets, RUN);
            assert_no_run(&list.stderr, &place("list's stderr"), &secrets, RUN);
            for (path, text) in written(&env) {
                assert_no_run(&text, &place(&path.display().to_string()), &secrets, RUN);
            }
        }
    }
    // The provider's words did reach the user, cut: the echo was read, not dropped.
    let state = env.state().to_string();
    assert!(state.contains("invalid request"), "{state}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_encoding_of_a_secret_gets_into_the_agents_debug_log() {
    // One account per form: the agent's first pass refreshes each once, in parallel.
    let forms: Vec<Form> = Form::all(ODD_REFRESH.len())
        .into_iter()
        .filter(|f| !matches!(f, Form::CutAt(k) if k % 5 != 0))
        .collect();
    let env = Env::with_rd().await;
    let echo = EncodingEcho::new(forms.clone());
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(echo.clone())
        .mount(env.rd())
        .await;
    let stdin = format!("{ODD_SECRET}\n{ODD_REFRESH}\n");
    for i in 0..forms.len() {
        env.add_with(
            &format!("conta{i}"),
            &["--base-url", &env.rd().uri()],
            &stdin,
        )
        .success();
    }
    let mut cmd = env.renova_std();
    cmd.env("RENOVA_LOG", "debug");
    let agent = crate::agent::start_agent_with(cmd);
    crate::agent::until("a refresh of every account", || {
        echo.next.load(Ordering::SeqCst) >= forms.len()
    })
    .await;
    // Let the agent record and log the last answers.
    crate::agent::until("every failure recorded", || {
        let state = env.state();
        (0..forms.len()).all(|i| {
            let id = env.account_id(&format!("conta{i}"));
            !state["accounts"][&id]["last_error"].is_null()
        })
    })
    .await;
    let (code, log) = stop(agent);
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("invalid request"),
        "the log has the provider's words: {log}"
    );
    assert_no_run(&log, "the agent's log", &[ODD_SECRET, ODD_REFRESH], RUN);
    for (path, text) in written(&env) {
        let place = path.display().to_string();
        assert_no_run(&text, &place, &[ODD_SECRET, ODD_REFRESH], RUN);
    }
}
