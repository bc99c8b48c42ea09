//! RD Station CRM's token endpoint (`POST /oauth2/token`, form-encoded), played by wiremock,
//! with refresh tokens that die on use.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate, Times};

use super::{CLIENT_ID, CLIENT_SECRET};

/// Any request to CRM's token endpoint: `POST /oauth2/token`.
pub fn token_endpoint() -> MockBuilder {
    Mock::given(method("POST")).and(path("/oauth2/token"))
}

/// The form fields of a request body.
pub fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// A CRM token endpoint that kills each refresh token on use: only the newest one works. It
/// checks the fake client credentials and counts what it issued and refused.
#[derive(Clone)]
pub struct Rotating {
    /// The one refresh token that works now.
    pub current: Arc<Mutex<String>>,
    /// Refreshes answered with new tokens.
    pub issued: Arc<AtomicU32>,
    /// Refreshes refused because their refresh token was dead.
    pub refused: Arc<AtomicU32>,
    delay: Duration,
    expires_in: u64,
}

impl Rotating {
    /// Accepts `first`, answers after `delay` with 2-hour tokens (CRM's own lifetime).
    pub fn new(first: &str, delay: Duration) -> Self {
        Self {
            current: Arc::new(Mutex::new(first.to_owned())),
            issued: Arc::new(AtomicU32::new(0)),
            refused: Arc::new(AtomicU32::new(0)),
            delay,
            expires_in: 7200,
        }
    }

    /// Issues tokens valid for `seconds`.
    pub fn expiring_in(self, seconds: u64) -> Self {
        Self {
            expires_in: seconds,
            ..self
        }
    }

    /// How many refreshes were answered with new tokens.
    pub fn issued(&self) -> u32 {
        self.issued.load(Ordering::SeqCst)
    }

    /// How many refreshes came with a dead refresh token.
    pub fn refused(&self) -> u32 {
        self.refused.load(Ordering::SeqCst)
    }

    /// The one refresh token that works now.
    pub fn current(&self) -> String {
        self.current.lock().unwrap().clone()
    }

    /// Answers form-encoded requests to `/oauth2/token` on `server`, expecting `times` of them.
    pub async fn mount(&self, server: &MockServer, times: impl Into<Times>) {
        token_endpoint()
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .respond_with(self.clone())
            .expect(times)
            .mount(server)
            .await;
    }
}

impl Respond for Rotating {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let f = form(request);
        assert_eq!(
            f.get("grant_type").map(String::as_str),
            Some("refresh_token")
        );
        assert_eq!(f.get("client_id").map(String::as_str), Some(CLIENT_ID));
        assert_eq!(
            f.get("client_secret").map(String::as_str),
            Some(CLIENT_SECRET)
        );
        let mut current = self.current.lock().unwrap();
        if f.get("refresh_token") != Some(&*current) {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid_grant", "error_description": "The refresh token is invalid or was already used."}));
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let next = format!("fake-crm-refresh-{n}");
        *current = next.clone();
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": format!("fake-crm-access-{n}"), "expires_in": self.expires_in, "refresh_token": next, "token_type": "Bearer"}))
            .set_delay(self.delay)
    }
}
