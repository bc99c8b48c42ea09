//! `renova edit --postman-env` warns when the environment is in a workspace others can see
//! (Postman's API played by wiremock: /workspaces and /workspaces/{id}), and remembers the
//! person's `--postman-shared-ok`.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::postman::{store_key, with_postman};
use crate::support::postman::{API_KEY, ENV_ID};
use crate::support::*;

/// Postman's API: the key's owner, the environment, and two workspaces (the owner's own and
/// "RD Team"); `in_team` puts the environment in the team one, else in the personal one.
async fn postman_with_workspaces(in_team: bool) -> MockServer {
    let listed = json!([{"id": ENV_ID, "name": "RD", "uid": format!("1234-{ENV_ID}")}]);
    let (mine, team) = if in_team {
        (json!([]), listed)
    } else {
        (listed, json!([]))
    };
    postman_answering(
        json!({"workspaces": [
            {"id": "ws-mine", "name": "My Workspace", "type": "personal", "visibility": "only-me"},
            {"id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team"},
        ]}),
        &[
            (
                "ws-mine",
                json!({"workspace": {"id": "ws-mine", "environments": mine}}),
            ),
            (
                "ws-team",
                json!({"workspace": {"id": "ws-team", "environments": team}}),
            ),
        ],
    )
    .await
}

/// Postman's API answering `GET /workspaces` with `list` and `GET /workspaces/{id}` with
/// each of `details`; PATCHes are accepted (and counted by [`postman::patches`]).
async fn postman_answering(
    list: serde_json::Value,
    details: &[(&str, serde_json::Value)],
) -> MockServer {
    let pm = postman::server(API_KEY, postman::environment(&json!([]))).await;
    postman::patch(API_KEY)
        .respond_with(postman::updated())
        .mount(&pm)
        .await;
    Mock::given(method("GET"))
        .and(path("/workspaces"))
        .and(header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(list))
        .mount(&pm)
        .await;
    for (id, detail) in details {
        Mock::given(method("GET"))
            .and(path(format!("/workspaces/{id}")))
            .and(header("x-api-key", API_KEY))
            .respond_with(ResponseTemplate::new(200).set_body_json(detail.clone()))
            .mount(&pm)
            .await;
    }
    pm
}

/// `renova edit loja ARGS…` against the Postman API at `pm`.
fn edit(env: &Env, pm: &MockServer, args: &[&str]) -> Run {
    let mut all = vec!["edit", "loja"];
    all.extend_from_slice(args);
    with_postman(env, pm, &all)
}

async fn profile(pm: &MockServer) -> Env {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued("fake-access-shared"), 0..).await;
    env.add_rd("loja");
    store_key(&env, pm);
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn a_team_workspace_is_warned_about_until_the_person_accepts_it() {
    let pm = postman_with_workspaces(true).await;
    let env = profile(&pm).await;
    let run = edit(&env, &pm, &["--postman-env", ENV_ID]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("in the workspace “RD Team”, which others can see"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--postman-shared-ok"), "{}", run.stderr);
    // Until the person accepts, no token is written there.
    let refresh = |env: &Env| with_postman(env, &pm, &["refresh", "loja"]);
    let run = refresh(&env);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("so Renova did not write the token there"),
        "{}",
        run.stderr
    );
    assert!(
        postman::patches(&pm).await.is_empty(),
        "written before consent"
    );
    // Accepted: remembered for the account, no warning again for the same environment.
    let run = edit(&env, &pm, &["--postman-env", ENV_ID, "--postman-shared-ok"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("RD Team"), "{}", run.stderr);
    assert!(env.accounts_toml().contains("postman_shared_ok = true"));
    let run = edit(&env, &pm, &["--postman-env", ENV_ID]);
    assert!(!run.stderr.contains("RD Team"), "{}", run.stderr);
    let run = refresh(&env);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        !postman::patches(&pm).await.is_empty(),
        "not written after consent"
    );
    // Another environment is another question.
    let run = edit(&env, &pm, &["--postman-env", "another-environment"]);
    assert!(
        !env.accounts_toml().contains("postman_shared_ok"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_of_ones_own_is_not_warned_about() {
    let pm = postman_with_workspaces(false).await;
    let env = profile(&pm).await;
    let run = edit(&env, &pm, &["--postman-env", ENV_ID]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        !run.stderr.contains("which others can see"),
        "{}",
        run.stderr
    );
}

/// Postman's environment as a sequence of answers: each GET gets the next one (the last one
/// repeats), as if someone edited the environment while Renova looked.
async fn environment_changing(answers: Vec<serde_json::Value>) -> MockServer {
    let pm = postman::server(API_KEY, postman::environment(answers.last().unwrap())).await;
    // Mounted after `server`'s steady answer, these take priority while they last.
    for values in answers.iter().take(answers.len() - 1).rev() {
        Mock::given(method("GET"))
            .and(path(format!("/environments/{ENV_ID}")))
            .respond_with(postman::environment(values))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&pm)
            .await;
    }
    postman::patch(API_KEY)
        .respond_with(postman::updated())
        .mount(&pm)
        .await;
    pm
}

#[tokio::test(flavor = "multi_thread")]
async fn a_variable_that_moves_while_renova_looks_is_read_again_not_overwritten() {
    let token_var =
        json!({"key": "rd_access_token", "value": "old", "enabled": true, "type": "secret"});
    let base_url = json!({"key": "base_url", "value": "https://api.rd.services", "enabled": true});
    // First look: the variable is at 0. Someone then adds base_url in front of it: at 1 from
    // then on.
    let pm = environment_changing(vec![
        json!([token_var.clone()]),
        json!([base_url.clone(), token_var.clone()]),
    ])
    .await;
    let env = profile(&pm).await;
    let run = edit(&env, &pm, &["--postman-env", ENV_ID, "--postman-shared-ok"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // A new token: synced to Postman.
    let run = with_postman(&env, &pm, &["token", "loja"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("Postman"), "{}", run.stderr);
    let sent = postman::patches(&pm).await;
    assert!(!sent.is_empty(), "nothing was written");
    for patch in &sent {
        assert_eq!(
            patch[0]["path"], "/values/1/value",
            "written where base_url is now: {sent:?}"
        );
    }
}

/// What a case is: its name, Postman's workspace list, each workspace's details, and the
/// words that must explain it.
type Case<'a> = (
    &'a str,
    serde_json::Value,
    Vec<(&'a str, serde_json::Value)>,
    &'a str,
);

/// Each answer Renova cannot judge, from the security review: nothing is written, and
/// `renova token` says why (and how to accept).
#[tokio::test(flavor = "multi_thread")]
async fn answers_that_do_not_prove_the_environment_is_yours_write_nothing() {
    let listed = json!([{"id": ENV_ID, "uid": format!("1234-{ENV_ID}")}]);
    let upper = json!([{"id": ENV_ID.to_uppercase()}]);
    let mine = json!({"id": "ws-mine", "name": "My Workspace", "type": "personal", "visibility": "only-me"});
    let mine_holds = ("ws-mine", json!({"workspace": {"environments": listed}}));
    let cases: Vec<Case> = vec![
        (
            "a workspace's details without `environments`",
            json!({"workspaces": [mine, {"id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team"}]}),
            vec![
                mine_holds.clone(),
                (
                    "ws-team",
                    json!({"workspace": {"id": "ws-team", "name": "RD Team"}}),
                ),
            ],
            "the workspace “RD Team” lists no environments",
        ),
        (
            "a team workspace entry without an id",
            json!({"workspaces": [mine, {"name": "RD Team", "type": "team", "visibility": "team"}]}),
            vec![mine_holds.clone()],
            "a workspace in its list has no id",
        ),
        (
            "visibility only-me with type team",
            json!({"workspaces": [{"id": "ws-odd", "name": "Odd", "type": "team", "visibility": "only-me"}]}),
            vec![("ws-odd", json!({"workspace": {"environments": listed}}))],
            "the workspace “Odd”, which holds it, does not say plainly that it is only yours",
        ),
        (
            "the environment's id in another case in a team workspace",
            json!({"workspaces": [mine, {"id": "ws-team", "name": "RD Team", "type": "team", "visibility": "team"}]}),
            vec![
                mine_holds.clone(),
                ("ws-team", json!({"workspace": {"environments": upper}})),
            ],
            "in the workspace “RD Team”, which others can see",
        ),
        (
            "no `workspaces` in the list",
            json!({"data": []}),
            vec![],
            "it listed no workspaces",
        ),
        (
            "the environment in no workspace",
            json!({"workspaces": [mine]}),
            vec![("ws-mine", json!({"workspace": {"environments": []}}))],
            "no workspace this API key can see lists it",
        ),
    ];
    for (what, list, details, why) in cases {
        let pm = postman_answering(list, &details).await;
        let env = profile(&pm).await;
        // The account is pointed at the environment (the warning is the same words).
        let run = edit(&env, &pm, &["--postman-env", ENV_ID]);
        assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
        assert!(run.stderr.contains(why), "{what}: {}", run.stderr);
        let run = with_postman(&env, &pm, &["token", "loja"]);
        assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
        assert_eq!(run.stdout.trim(), "fake-access-shared", "{what}");
        assert!(run.stderr.contains(why), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("did not write the token there"),
            "{what}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--postman-shared-ok"),
            "{what}: {}",
            run.stderr
        );
        assert!(
            postman::patches(&pm).await.is_empty(),
            "{what}: written without consent"
        );
    }
}

/// The one shape that lets the write go ahead: the environment listed in a workspace whose
/// `visibility` is only-me **and** `type` personal.
#[tokio::test(flavor = "multi_thread")]
async fn an_environment_in_a_provably_personal_workspace_is_written() {
    let pm = postman_with_workspaces(false).await;
    let env = profile(&pm).await;
    let run = edit(&env, &pm, &["--postman-env", ENV_ID]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let run = with_postman(&env, &pm, &["token", "loja"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("Postman"), "{}", run.stderr);
    assert!(!postman::patches(&pm).await.is_empty(), "not written");
}
