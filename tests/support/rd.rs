//! RD Station Marketing's token endpoint (`POST /auth/token`), played by wiremock: the requests
//! Renova sends it and the answers RD gives.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate, Times};

use super::{CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN};

/// Any request to RD's token endpoint: `POST /auth/token`.
pub fn token_endpoint() -> MockBuilder {
    Mock::given(method("POST")).and(path("/auth/token"))
}

/// A refresh exactly as Renova sends it for the fake account: JSON in, JSON out, the fake
/// client credentials and the fake refresh token.
pub fn refresh() -> MockBuilder {
    refresh_of(REFRESH_TOKEN)
}

/// A refresh exactly as Renova sends it for the fake client, with this refresh token.
pub fn refresh_of(refresh_token: &str) -> MockBuilder {
    token_endpoint()
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": refresh_token,
        })))
}

/// The exchange of an authorization `code` for the fake client.
pub fn code_exchange(code: &str) -> MockBuilder {
    token_endpoint().and(body_json(json!({
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code,
    })))
}

/// RD's success answer: 200 with these tokens.
pub fn tokens(access: &str, expires_in: i64, refresh: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access,
        "expires_in": expires_in,
        "refresh_token": refresh,
    }))
}

/// RD's usual success answer: `access`, valid for a day, and the same fake refresh token.
pub fn issued(access: &str) -> ResponseTemplate {
    tokens(access, 86_400, REFRESH_TOKEN)
}

/// RD's error answer: `status` with `{error_type, error_message}`.
pub fn error(status: u16, error_type: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error_type": error_type, "error_message": message}))
}

/// RD refusing the client credentials (401 `ACCESS_DENIED`).
pub fn wrong_credentials() -> ResponseTemplate {
    error(401, "ACCESS_DENIED", "Wrong credentials provided.")
}

/// RD refusing the refresh token (401 `INVALID_REFRESH_TOKEN`).
pub fn invalid_refresh_token() -> ResponseTemplate {
    error(
        401,
        "INVALID_REFRESH_TOKEN",
        "The provided refresh token is invalid or was revoked.",
    )
}

/// Mounts on `server` a refresh of the fake account, answered with `answer`, expected `times`.
pub async fn mount_refresh(server: &MockServer, answer: ResponseTemplate, times: impl Into<Times>) {
    refresh()
        .respond_with(answer)
        .expect(times)
        .mount(server)
        .await;
}
