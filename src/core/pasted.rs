//! What people paste: a secret with stray whitespace or a leading `Bearer `, or RD Station's
//! whole JSON token answer (`{"access_token", "expires_in", "refresh_token"}`) copied from the
//! docs' "Try It" page or Postman. Both the window and the command line read pastes here.

use std::time::Duration;

use crate::core::expiry::believable_lifetime;

/// Cleans a pasted secret: surrounding whitespace and a leading `Bearer ` go.
pub(crate) fn clean_pasted(s: &str) -> &str {
    let s = s.trim();
    let lower_prefix = s.get(..7).map(str::to_ascii_lowercase);
    if lower_prefix.as_deref() == Some("bearer ") {
        s[7..].trim()
    } else {
        s
    }
}

/// What RD's JSON token answer holds: a refresh token and an access token with its
/// `expires_in`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct PastedAnswer {
    /// The refresh token, if present.
    pub refresh_token: Option<String>,
    /// The access token and its lifetime, if present with an `expires_in` Renova believes
    /// (the same bounds as a provider's answer: 1 s to a year). Without one, the access token
    /// is left out and the refresh token gets a fresh one.
    pub access_token: Option<(String, Duration)>,
}

impl std::fmt::Debug for PastedAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PastedAnswer")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "access_token",
                &self.access_token.as_ref().map(|(_, e)| ("[redacted]", e)),
            )
            .finish()
    }
}

/// Reads RD's JSON token answer, if `text` is one.
pub(crate) fn parse_rd_answer(text: &str) -> Option<PastedAnswer> {
    let t = text.trim();
    if !t.starts_with('{') {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let refresh = v
        .get("refresh_token")
        .and_then(|r| r.as_str())
        .map(str::to_owned);
    let access = v
        .get("access_token")
        .and_then(|a| a.as_str())
        .and_then(|a| {
            // A number, or a number in a string, as providers' answers are read.
            let life = match v.get("expires_in")? {
                serde_json::Value::Number(n) => n.as_f64(),
                serde_json::Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
            .and_then(believable_lifetime)?;
            Some((a.to_owned(), life))
        });
    (refresh.is_some() || access.is_some()).then_some(PastedAnswer {
        refresh_token: refresh,
        access_token: access,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_secrets_are_cleaned() {
        assert_eq!(clean_pasted("  abc \n"), "abc");
        assert_eq!(clean_pasted("Bearer abc"), "abc");
        assert_eq!(clean_pasted("bearer   abc "), "abc");
        assert_eq!(clean_pasted("Bearerabc"), "Bearerabc");
    }

    #[test]
    fn rd_answers_are_recognized() {
        let p = parse_rd_answer(
            r#" {"access_token":"fake-at","expires_in":86400,"refresh_token":"fake-rt"} "#,
        )
        .unwrap();
        assert_eq!(p.refresh_token.as_deref(), Some("fake-rt"));
        assert_eq!(
            p.access_token,
            Some(("fake-at".to_owned(), Duration::from_secs(86400)))
        );
        assert!(parse_rd_answer("fake-rt").is_none());
        assert!(parse_rd_answer("{\"other\":1}").is_none());
        assert!(parse_rd_answer("{broken").is_none());
    }

    #[test]
    fn a_pasted_expires_in_obeys_a_providers_bounds() {
        for bad in ["0", "-5", "31536001", "1e300", "\"soon\"", "null"] {
            let text = format!(
                r#"{{"access_token":"fake-at","expires_in":{bad},"refresh_token":"fake-rt"}}"#
            );
            let p = parse_rd_answer(&text).unwrap();
            assert_eq!(p.access_token, None, "expires_in {bad}");
            assert_eq!(p.refresh_token.as_deref(), Some("fake-rt"));
        }
        let text = r#"{"access_token":"fake-at","expires_in":"86400"}"#;
        assert_eq!(
            parse_rd_answer(text).unwrap().access_token,
            Some(("fake-at".to_owned(), Duration::from_secs(86_400)))
        );
        let year = r#"{"access_token":"fake-at","expires_in":31536000}"#;
        assert_eq!(
            parse_rd_answer(year).unwrap().access_token,
            Some(("fake-at".to_owned(), Duration::from_secs(31_536_000)))
        );
    }
}
