//! A token answer: the access token, maybe a (new) refresh token, and when the access token
//! expires (`sent_at + expires_in`; else the JWT `exp`; else the provider's documented
//! lifetime). An unusable answer that still carries a refresh token keeps it, because a
//! rotating provider has already killed the old one.

use std::time::Duration;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::core::clock;
pub(crate) use crate::core::expiry::MAX_LIFETIME;
use crate::core::expiry::believable_lifetime;
use crate::core::provider::error::{ProviderError, ProviderErrorKind};
use crate::core::secrets::jwt_exp;
use crate::core::secrets::token_is_plain;

/// Where an access token's expiry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpirySource {
    /// The answer's `expires_in`.
    ExpiresIn,
    /// The JWT's `exp` claim (the answer had no usable `expires_in`).
    Jwt,
    /// The provider's documented lifetime (the answer had no `expires_in` at all).
    ProviderDefault,
}

/// Tokens a provider issued.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    /// The new access token.
    pub access_token: SecretString,
    /// A refresh token, if the answer carried one (new or the same).
    pub refresh_token: Option<SecretString>,
    /// When the access token expires.
    pub expires_at: Timestamp,
    /// How `expires_at` was found.
    pub expiry_source: ExpirySource,
}

/// A failed token request. When the answer carried a refresh token that is unusable as a
/// whole (no access token, bad expiry), the refresh token is kept here so the caller can still
/// store it: a rotating provider has already killed the old one.
#[derive(Debug, Clone)]
pub(crate) struct GrantError {
    /// What went wrong.
    pub error: ProviderError,
    /// A refresh token found in an otherwise unusable success answer.
    pub refresh_token: Option<SecretString>,
}

impl From<ProviderError> for GrantError {
    fn from(error: ProviderError) -> Self {
        Self {
            error,
            refresh_token: None,
        }
    }
}

/// Reads a successful token answer.
pub(crate) fn parse_grant(
    body: &[u8],
    sent_at: Timestamp,
    default_lifetime: Duration,
) -> Result<Grant, GrantError> {
    let malformed = |what: &str| {
        GrantError::from(ProviderError::new(ProviderErrorKind::Malformed(
            what.to_owned(),
        )))
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(malformed("the answer is empty"));
    }
    if std::str::from_utf8(body).is_err() {
        return Err(malformed("the answer is not valid UTF-8"));
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|_| malformed("the answer is not JSON"))?;
    let Some(obj) = value.as_object() else {
        return Err(malformed("the answer is not a JSON object"));
    };
    let refresh_token = refresh_token(obj.get("refresh_token"))?;
    let keep_refresh = |error: ProviderError| GrantError {
        error,
        refresh_token: refresh_token.clone(),
    };
    let access_token = access_token(obj.get("access_token")).map_err(keep_refresh)?;
    let (expires_at, expiry_source) = expiry(
        obj.get("expires_in"),
        &access_token,
        sent_at,
        default_lifetime,
    )
    .map_err(keep_refresh)?;
    Ok(Grant {
        access_token,
        refresh_token,
        expires_at,
        expiry_source,
    })
}

/// The answer's refresh token, if it has one. A malformed one is kept all the same, trimmed,
/// with the error (a rotating provider may already have killed the old one, and a refresh
/// token only ever goes back encoded in a request body; it is never printed or put in a
/// header).
fn refresh_token(value: Option<&Value>) -> Result<Option<SecretString>, GrantError> {
    let malformed = |what: &str| ProviderError::new(ProviderErrorKind::Malformed(what.to_owned()));
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if !token_is_plain(s) => Err(GrantError {
            error: malformed("refresh_token contains spaces or control characters"),
            refresh_token: Some(SecretString::from(s.trim().to_owned())),
        }),
        Some(Value::String(s)) => Ok(Some(SecretString::from(s.clone()))),
        Some(_) => Err(malformed("refresh_token is not a string").into()),
    }
}

/// The answer's access token, usable as it is.
fn access_token(value: Option<&Value>) -> Result<SecretString, ProviderError> {
    let malformed = |what: &str| ProviderError::new(ProviderErrorKind::Malformed(what.to_owned()));
    match value {
        Some(Value::String(s)) if token_is_plain(s) => Ok(SecretString::from(s.clone())),
        Some(Value::String(s)) if !s.trim().is_empty() => Err(malformed(
            "access_token contains spaces or control characters",
        )),
        None | Some(Value::Null | Value::String(_)) => {
            Err(ProviderError::new(ProviderErrorKind::MissingAccessToken))
        }
        Some(_) => Err(malformed("access_token is not a string")),
    }
}

/// `sent_at + expires_in`; else the JWT `exp`; else, when `expires_in` is absent, the
/// provider's documented lifetime. A present but unusable `expires_in` with no JWT `exp`
/// is an error.
fn expiry(
    expires_in: Option<&Value>,
    access_token: &SecretString,
    sent_at: Timestamp,
    default_lifetime: Duration,
) -> Result<(Timestamp, ExpirySource), ProviderError> {
    let seconds = match expires_in {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.as_f64().unwrap_or(f64::NAN)),
        Some(Value::String(s)) => Some(s.trim().parse::<f64>().unwrap_or(f64::NAN)),
        Some(_) => Some(f64::NAN),
    };
    if let Some(life) = seconds.and_then(believable_lifetime) {
        return Ok((clock::add(sent_at, life), ExpirySource::ExpiresIn));
    }
    if let Some(exp) = jwt_exp(access_token.expose_secret())
        && exp > sent_at
        && exp <= clock::add(sent_at, MAX_LIFETIME)
    {
        return Ok((exp, ExpirySource::Jwt));
    }
    match seconds {
        None => Ok((
            clock::add(sent_at, default_lifetime),
            ExpirySource::ProviderDefault,
        )),
        Some(_) => {
            let shown = match expires_in {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(_)) => "a string that is not a number".to_owned(),
                _ => "not a number".to_owned(),
            };
            Err(ProviderError::new(ProviderErrorKind::BadExpiry(format!(
                "expires_in = {shown}"
            ))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    const DAY: Duration = Duration::from_secs(86_400);

    fn t0() -> Timestamp {
        "2026-11-26T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn grants_are_parsed_with_expiry_from_send_time() {
        let g = parse_grant(
            br#"{"access_token":"fake-at","expires_in":86400,"refresh_token":"fake-rt"}"#,
            t0(),
            DAY,
        )
        .unwrap();
        assert_eq!(
            g.expires_at,
            "2026-11-27T12:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(g.refresh_token.unwrap().expose_secret(), "fake-rt");
        assert_eq!(g.expiry_source, ExpirySource::ExpiresIn);
        let g = parse_grant(
            br#"{"access_token":"fake-at","expires_in":"7200"}"#,
            t0(),
            DAY,
        )
        .unwrap();
        assert_eq!(g.expires_at.as_second() - t0().as_second(), 7200);
        assert!(g.refresh_token.is_none());
    }

    #[test]
    fn unusable_grants_are_errors_that_keep_the_refresh_token() {
        for bad in ["0", "-1", "1000000000000", "\"soon\"", "true"] {
            let body = format!(
                r#"{{"access_token":"fake-at","expires_in":{bad},"refresh_token":"fake-rt2"}}"#
            );
            let e = parse_grant(body.as_bytes(), t0(), DAY).unwrap_err();
            assert!(
                matches!(e.error.kind, ProviderErrorKind::BadExpiry(_)),
                "{bad}: {:?}",
                e.error
            );
            assert_eq!(e.refresh_token.unwrap().expose_secret(), "fake-rt2");
            assert!(!e.error.is_permanent());
        }
        // A rotated refresh token sent with a stray newline: the answer is malformed, the
        // token is kept (trimmed).
        let e = parse_grant(
            br#"{"access_token":"fake-at","expires_in":60,"refresh_token":"fake-rt3\n"}"#,
            t0(),
            DAY,
        )
        .unwrap_err();
        assert!(matches!(e.error.kind, ProviderErrorKind::Malformed(_)));
        assert_eq!(e.refresh_token.unwrap().expose_secret(), "fake-rt3");
        let e = parse_grant(br#"{"refresh_token":"fake-rt2"}"#, t0(), DAY).unwrap_err();
        assert_eq!(e.error.kind, ProviderErrorKind::MissingAccessToken);
        assert!(e.refresh_token.is_some());
        for body in [
            &b""[..],
            b"  ",
            b"not json",
            b"[1,2]",
            b"{\"access_token\":42}",
            b"\xff\xfe",
        ] {
            let e = parse_grant(body, t0(), DAY).unwrap_err();
            assert!(!e.error.is_permanent());
            let shown = e.error.to_string();
            assert!(!shown.contains("fake"), "{shown}");
        }
    }

    #[test]
    fn missing_expires_in_falls_back_to_jwt_then_provider_lifetime() {
        let exp = t0().as_second() + 3600;
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!(r#"{{"exp":{exp},"iat":1}}"#));
        let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{claims}.c2ln");
        let body = format!(r#"{{"access_token":"{jwt}","expires_in":0}}"#);
        let g = parse_grant(body.as_bytes(), t0(), DAY).unwrap();
        assert_eq!(g.expires_at.as_second(), exp);
        assert_eq!(g.expiry_source, ExpirySource::Jwt);
        let g = parse_grant(br#"{"access_token":"opaque"}"#, t0(), DAY).unwrap();
        assert_eq!(g.expiry_source, ExpirySource::ProviderDefault);
        assert_eq!(g.expires_at.as_second() - t0().as_second(), 86_400);
    }
}
