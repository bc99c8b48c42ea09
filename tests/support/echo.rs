//! A provider that quotes back what it was sent: the worst case for secrets in error texts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use wiremock::{Request, Respond, ResponseTemplate};

/// A provider that answers 400 quoting what it was sent (the `Authorization` header, its
/// credentials alone, and the body) after `pad` characters of padding, maybe cut short after
/// `cut` characters as servers shorten their messages, as plain text or inside RD's JSON
/// error.
#[derive(Clone, Default)]
pub struct Echo {
    /// Characters of padding before the quote.
    pub pad: Arc<AtomicUsize>,
    /// The server keeps only this many characters of its quote (0: all of it).
    pub cut: Arc<AtomicUsize>,
    /// Quote inside RD's JSON error rather than as plain text.
    pub json: Arc<AtomicBool>,
}

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let credentials = auth.split_once(' ').map_or("", |(_, c)| c);
        let mut quoted = format!(
            "{}{auth} {credentials} {}",
            "x".repeat(self.pad.load(Ordering::SeqCst)),
            String::from_utf8_lossy(&request.body)
        );
        let cut = self.cut.load(Ordering::SeqCst);
        if cut > 0 {
            quoted = quoted.chars().take(cut).collect();
        }
        if self.json.load(Ordering::SeqCst) {
            ResponseTemplate::new(400).set_body_json(
                serde_json::json!({"error_type": "BAD_REQUEST", "error_message": quoted}),
            )
        } else {
            ResponseTemplate::new(400)
                .insert_header("content-type", "text/plain")
                .set_body_string(quoted)
        }
    }
}
