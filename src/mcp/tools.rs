//! The tools `renova mcp` offers, described for a model: what each does, when to use it, and
//! a JSON schema for its arguments.

use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Value, json};

use crate::core::assistants::METHODS;

/// `list_accounts`.
pub(super) const LIST: &str = "list_accounts";
/// `http_request`.
pub(super) const REQUEST: &str = "http_request";
/// `get_token`.
pub(super) const TOKEN: &str = "get_token";

fn schema(v: Value) -> Arc<JsonObject> {
    match v {
        Value::Object(o) => Arc::new(o),
        _ => Arc::new(JsonObject::new()),
    }
}

/// The `account` argument, the same in every tool that takes one.
fn account() -> Value {
    json!({
        "type": "string",
        "description": "The account's name, as list_accounts gives it."
    })
}

/// The three tools.
pub(super) fn all() -> Vec<Tool> {
    let list = Tool::new(
        LIST,
        "List the API accounts (RD Station Marketing, RD Station CRM, other OAuth 2.0 APIs) \
         that the person shared with AI assistants in Renova. For each: its name (pass it as \
         `account` to the other tools), provider, state (whether its token is valid, and if \
         the account needs the person's attention, why and what they should do), when the \
         token expires, the origins requests may go to, and whether get_token is allowed. \
         Never returns a credential. Call this first.",
        schema(json!({
            "type": "object",
            "properties": {},
            "additionalProperties": false
        })),
    )
    .annotate(ToolAnnotations::with_title("List shared API accounts").read_only(true));
    let request = Tool::new(
        REQUEST,
        "Make an HTTP request to an account's API with its access token. Renova adds \
         `Authorization: Bearer …` itself (refreshing the token when needed), so never send \
         an Authorization or Cookie header and never ask for the token. The URL must be \
         absolute and on one of the account's allowed origins (see list_accounts), e.g. \
         https://api.rd.services/platform/contacts/email:ana@example.com for RD Station \
         Marketing. Redirects to another origin are not followed. Returns the status, the \
         content type, a few safe headers and the body as text (at most 1 MiB; `truncated` \
         says when it was cut). Any credential Renova knows is replaced by [redacted] in \
         the answer.",
        schema(json!({
            "type": "object",
            "properties": {
                "account": account(),
                "method": {
                    "type": "string",
                    "enum": METHODS,
                    "description": "The HTTP method."
                },
                "url": {
                    "type": "string",
                    "description": "The absolute URL, with its query string, on an allowed origin of the account."
                },
                "headers": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "Headers to send, such as Content-Type or Accept. Not Authorization, Cookie or Host."
                },
                "body": {
                    "type": "string",
                    "description": "The request body as text (JSON as a string, with Content-Type: application/json)."
                }
            },
            "required": ["account", "method", "url"],
            "additionalProperties": false
        })),
    )
    .annotate(
        ToolAnnotations::with_title("HTTP request with an account's token")
            .read_only(false)
            .destructive(true)
            .idempotent(false)
            .open_world(true),
    );
    let token = Tool::new(
        TOKEN,
        "Get an account's raw access token and when it expires. Allowed only for accounts the \
         person set to share their token (list_accounts says `get_token_allowed`); prefer \
         http_request, which never exposes the token. The token is valid for at least 5 more \
         minutes.",
        schema(json!({
            "type": "object",
            "properties": {
                "account": account()
            },
            "required": ["account"],
            "additionalProperties": false
        })),
    )
    .annotate(ToolAnnotations::with_title("Get an account's access token").read_only(true));
    vec![list, request, token]
}
