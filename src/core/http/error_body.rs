//! What an error answer says, read from any of the shapes RD Station, RFC 6749 servers and
//! Postman send (`{"error_type","error_message"}`, `{"errors": {…}}`, `{"errors": [{…}]}`,
//! `{"error","error_description"}`, `{"error": {"name","message"}}`, `{"message"}`), or a short
//! plain-text excerpt of anything else (an HTML proxy page). Every text is redacted before it
//! is cut or kept.

use std::time::Duration;

use serde_json::Value;

use crate::core::http::redact::Redactor;

/// Longest excerpt kept from an answer that is not JSON, in characters.
pub(crate) const EXCERPT_CHARS: usize = 120;

/// A server's error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    /// `error_type` / `error` / Postman's `name`.
    pub error_type: Option<String>,
    /// `error_message` / `error_description` / `message`, or a plain-text excerpt.
    pub message: Option<String>,
    /// RD's `remaining_time` on rate limits.
    pub remaining_time: Option<Duration>,
}

impl ErrorBody {
    /// Reads an error body; every text in it is cleaned by `redactor` first.
    pub(crate) fn parse(body: &[u8], redactor: &Redactor) -> Self {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => {
                let mut out = Self::from_json(&v).unwrap_or_default();
                out.error_type = out.error_type.map(|t| redactor.clean(&t));
                out.message = out.message.map(|m| redactor.clean(&m));
                out.remaining_time = v
                    .get("remaining_time")
                    .and_then(Value::as_u64)
                    .map(Duration::from_secs);
                out
            }
            Err(_) => Self {
                message: excerpt(&redactor.clean(&String::from_utf8_lossy(body))),
                ..Self::default()
            },
        }
    }

    fn from_json(v: &Value) -> Option<Self> {
        let obj = v.as_object()?;
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        let found = |error_type, message| {
            Some(Self {
                error_type,
                message,
                remaining_time: None,
            })
        };
        // Postman: {"error": {"name": "AuthenticationError", "message": "…"}}.
        if let (Some(name), Some(message)) = (text("name"), text("message")) {
            return found(Some(name), Some(message));
        }
        if obj.contains_key("error_type") || obj.contains_key("error_message") {
            let mut message = text("error_message");
            if let (Some(m), Some(path)) = (&message, text("path")) {
                message = Some(format!("{m} ({path})"));
            }
            return found(text("error_type"), message);
        }
        match obj.get("errors") {
            Some(inner @ Value::Object(_)) => return Self::from_json(inner),
            Some(Value::Array(items)) => {
                let parsed: Vec<Self> = items.iter().filter_map(Self::from_json).collect();
                let first = parsed.first()?.clone();
                let messages: Vec<String> =
                    parsed.iter().filter_map(|p| p.message.clone()).collect();
                return found(
                    first.error_type,
                    (!messages.is_empty()).then(|| messages.join("; ")),
                );
            }
            _ => {}
        }
        match obj.get("error") {
            Some(Value::String(e)) => {
                return found(
                    Some(e.clone()),
                    text("error_description").or_else(|| text("message")),
                );
            }
            Some(inner @ Value::Object(_)) => return Self::from_json(inner),
            _ => {}
        }
        text("message").and_then(|m| found(None, Some(m)))
    }
}

/// A short plain-text line from a non-JSON answer: the `<title>` if there is one, else the
/// text without tags, at most [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let source = match (lower.find("<title>"), lower.find("</title>")) {
        (Some(a), Some(b)) if b > a + 7 => text[a + 7..b].to_owned(),
        _ => strip_tags(text),
    };
    let plain: String = source
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if plain.is_empty() {
        return None;
    }
    let mut cut: String = plain.chars().take(EXCERPT_CHARS).collect();
    if plain.chars().count() > EXCERPT_CHARS {
        cut.push('…');
    }
    Some(cut)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &[u8]) -> ErrorBody {
        ErrorBody::parse(body, &Redactor::default())
    }

    #[test]
    fn every_rd_error_shape_is_read() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                r#"{"error_type":"ACCESS_DENIED","error_message":"Wrong credentials provided."}"#,
                Some("ACCESS_DENIED"),
                Some("Wrong credentials provided."),
            ),
            (
                r#"{"error_type":"INVALID_REFRESH_TOKEN","error_message":"The provided refresh token is invalid or was revoked."}"#,
                Some("INVALID_REFRESH_TOKEN"),
                Some("The provided refresh token is invalid or was revoked."),
            ),
            (
                r#"{"errors":{"error_type":"UNAUTHORIZED","error_message":"Invalid token."}}"#,
                Some("UNAUTHORIZED"),
                Some("Invalid token."),
            ),
            (
                r#"{"errors":[{"error_type":"CANNOT_BE_NULL","error_message":"Cannot be null.","path":"body.client_secret"}]}"#,
                Some("CANNOT_BE_NULL"),
                Some("Cannot be null. (body.client_secret)"),
            ),
            (
                r#"{"error":"invalid_token","error_description":"The access token is invalid or has expired"}"#,
                Some("invalid_token"),
                Some("The access token is invalid or has expired"),
            ),
            (
                r#"{"errors":{"error_type":"RATE_LIMIT_EXCEDDED","error_message":"API usage limit exceeded"}}"#,
                Some("RATE_LIMIT_EXCEDDED"),
                Some("API usage limit exceeded"),
            ),
            (
                r#"{"error":"'lead_limiter' rate limit exceeded for 86400 second(s) period for plan LIGHT","max":24,"usage":55,"remaining_time":20745}"#,
                Some(
                    "'lead_limiter' rate limit exceeded for 86400 second(s) period for plan LIGHT",
                ),
                None,
            ),
            (
                r#"{"message":"API rate limit exceeded"}"#,
                None,
                Some("API rate limit exceeded"),
            ),
        ];
        for (body, ty, msg) in cases {
            let p = parse(body.as_bytes());
            assert_eq!(p.error_type.as_deref(), *ty, "{body}");
            assert_eq!(p.message.as_deref(), *msg, "{body}");
        }
        let p = parse(br#"{"error":"x","max":24,"usage":55,"remaining_time":20745}"#);
        assert_eq!(p.remaining_time, Some(Duration::from_secs(20745)));
    }

    #[test]
    fn html_becomes_one_plain_line() {
        let html = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>";
        let p = parse(html);
        assert_eq!(p.message.as_deref(), Some("502 Bad Gateway"));
        let p = parse(b"<html><body><p>Upstream   error\n\n</p><script>x</script></body></html>");
        let m = p.message.unwrap();
        assert!(!m.contains('<') && !m.contains('\n'), "{m}");
        let long = "word ".repeat(100);
        assert!(excerpt(&long).unwrap().chars().count() <= 121);
        assert_eq!(excerpt("   "), None);
    }

    #[test]
    fn secrets_are_cut_before_the_text_is() {
        // The secret straddles the excerpt's end: cut first, it would leave its first half.
        let body = format!("{}fake-secret-abcdef", "x ".repeat(55));
        let p = ErrorBody::parse(body.as_bytes(), &Redactor::of(&["fake-secret-abcdef"]));
        let m = p.message.unwrap();
        assert!(!m.contains("fake-sec"), "{m}");
    }
}
