//! Other API clients take their token from Renova's endpoint with their own runtime: Bruno's
//! CLI (`bru run`) runs the example collection in `examples/bruno`, whose pre-request script
//! asks the endpoint for a token (the key from the environment, never a file).

use std::path::PathBuf;
use std::process::Command;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::agent::stop;
use crate::endpoint_server::serving;
use crate::support::{Env, rd};

const TOKEN: &str = "fake-access-bruno-77";

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

#[tokio::test(flavor = "multi_thread")]
async fn brunos_cli_gets_its_token_from_the_endpoint_with_the_example_script() {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(TOKEN), 1).await;
    // The API answers only the right token.
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
    let mut said = String::from_utf8_lossy(&out.stdout).to_string();
    said.push_str(&String::from_utf8_lossy(&out.stderr));
    let (code, log) = stop(agent);
    assert_eq!(code, Some(0), "{log}");
    assert!(out.status.success(), "bru run failed: {said}");
    assert!(said.contains("res.status: eq 200"), "{said}");
    assert!(
        !said.contains(TOKEN) && !said.contains(&key),
        "bru printed a secret: {said}"
    );
    assert_eq!(
        env.audit().matches("\"serve\"").count(),
        1,
        "{}",
        env.audit()
    );
}
