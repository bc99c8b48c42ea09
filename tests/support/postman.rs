//! Postman's API (`/me`, `/environments/{id}`), played by wiremock.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// A fake Postman API key.
pub const API_KEY: &str = "PMAK-fake-0000-key";
/// The id of the synced Postman environment.
pub const ENV_ID: &str = "12345678-abcd-ef01-2345-6789abcdef01";

fn environment_path() -> String {
    format!("/environments/{ENV_ID}")
}

/// A Postman API where `key` belongs to Ana Souza and `GET /environments/ENV_ID` answers
/// `environment`; both only with the key in the `x-api-key` header. PATCH is left to the test
/// ([`patch`]).
pub async fn server(key: &str, environment: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("x-api-key", key))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"user": {"id": 1, "username": "ana", "fullName": "Ana Souza"}}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(environment_path()))
        .and(header("x-api-key", key))
        .respond_with(environment)
        .mount(&server)
        .await;
    // Only the key owner's own workspace, unless a test mounts others (its mocks come first)…
    Mock::given(method("GET"))
        .and(path("/workspaces"))
        .and(header("x-api-key", key))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"workspaces": [
            {"id": "ws-own", "name": "My Workspace", "type": "personal", "visibility": "only-me"}
        ]})))
        .with_priority(10)
        .mount(&server)
        .await;
    // …which holds the environment.
    Mock::given(method("GET"))
        .and(path("/workspaces/ws-own"))
        .and(header("x-api-key", key))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"workspace": {
                "id": "ws-own", "name": "My Workspace", "type": "personal", "visibility": "only-me",
                "environments": [{"id": ENV_ID, "name": "RD", "uid": format!("1234-{ENV_ID}")}]
            }})),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// The environment ENV_ID with these variables.
pub fn environment(values: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"environment": {"id": ENV_ID, "name": "RD", "values": values}}))
}

/// `PATCH /environments/ENV_ID` with `key` in the `x-api-key` header.
pub fn patch(key: &str) -> MockBuilder {
    Mock::given(method("PATCH"))
        .and(path(environment_path()))
        .and(header("x-api-key", key))
}

/// Postman's answer to a PATCH it accepted.
pub fn updated() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"environment": {"id": ENV_ID, "name": "RD"}}))
}

/// The bodies of the PATCH requests `server` received, in order.
pub async fn patches(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "PATCH")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}
