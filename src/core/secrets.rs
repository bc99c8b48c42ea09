//! The secret half of an account: its one keychain entry. Client secret, refresh token and
//! access token change together in one write, and `rev` counts the writes so a process that
//! waited for the lock can tell that someone else already refreshed.

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The secrets of one account, as stored in its keychain entry.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// The OAuth client secret; `None` for public clients (`--client-auth none`).
    pub client_secret: Option<SecretString>,
    /// The refresh token; `None` when the account needs authorization.
    pub refresh_token: Option<SecretString>,
    /// The current access token.
    pub access_token: Option<SecretString>,
    /// When the access token expires.
    pub expires_at: Option<Timestamp>,
    /// When the access token was requested.
    pub obtained_at: Option<Timestamp>,
    /// Incremented on every write.
    pub rev: u64,
    /// Where these secrets may be sent: the endpoints Renova itself configured when it wrote
    /// them. `None` in entries written before Renova recorded them (bound at the next write).
    pub endpoints: Option<Endpoints>,
}

/// One of the endpoints an account's secrets or tokens go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// The token endpoint.
    Token,
    /// The revocation endpoint.
    Revoke,
    /// The endpoint that names the account.
    Check,
}

impl EndpointKind {
    /// All three.
    pub const ALL: [EndpointKind; 3] = [Self::Token, Self::Revoke, Self::Check];
}

/// Every URL an account's secrets or tokens are sent to, as Renova last configured them. Kept
/// in the keychain entry, so that only a program that can read the keychain can point the
/// secrets somewhere else: an `accounts.toml` edited by hand or by another program cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
    /// The token endpoint (refresh and code exchange get the client secret and tokens).
    pub token: String,
    /// The revocation endpoint, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
    /// The endpoint that names the account (gets the access token), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

impl Endpoints {
    /// The URL of one endpoint, if there is one.
    pub fn get(&self, kind: EndpointKind) -> Option<&String> {
        match kind {
            EndpointKind::Token => Some(&self.token),
            EndpointKind::Revoke => self.revoke.as_ref(),
            EndpointKind::Check => self.check.as_ref(),
        }
    }

    /// These endpoints with one of them replaced by `other`'s.
    pub fn with(mut self, kind: EndpointKind, other: &Endpoints) -> Self {
        match kind {
            EndpointKind::Token => self.token = other.token.clone(),
            EndpointKind::Revoke => self.revoke = other.revoke.clone(),
            EndpointKind::Check => self.check = other.check.clone(),
        }
        self
    }
}

/// Why an entry could not be read back (says where, never what).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryFormatError {
    /// Not valid JSON or not the expected shape.
    #[error("not valid JSON of the expected shape (line {line}, column {column})")]
    Shape {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// Written by a newer Renova.
    #[error("format version {0} is newer than this Renova understands")]
    Version(u32),
}

/// The JSON form. Private so the plain strings never leave this module.
#[derive(Serialize, Deserialize)]
struct Wire {
    v: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_at: Option<Timestamp>,
    #[serde(default)]
    obtained_at: Option<Timestamp>,
    rev: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    endpoints: Option<Endpoints>,
}

impl Drop for Wire {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for s in [
            &mut self.client_secret,
            &mut self.refresh_token,
            &mut self.access_token,
        ]
        .into_iter()
        .flatten()
        {
            s.zeroize();
        }
    }
}

fn expose(s: &Option<SecretString>) -> Option<String> {
    s.as_ref().map(|s| s.expose_secret().to_owned())
}

/// The `exp` claim of a JWT, read without verifying its signature: when a token the provider
/// issued says it dies (a static JWT's countdown; a fallback for an answer without
/// `expires_in`). The payload is decoded into a buffer wiped after use, only `exp` is read
/// from it, and nothing of it is ever logged or kept.
pub(crate) fn jwt_exp(token: &str) -> Option<Timestamp> {
    use base64::Engine;
    #[derive(Deserialize)]
    struct Claims {
        exp: Option<serde_json::Number>,
    }
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = Zeroizing::new(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?,
    );
    let claims: Claims = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.exp?;
    let seconds = exp
        .as_i64()
        .or_else(|| exp.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))?;
    Timestamp::from_second(seconds).ok()
}

impl Secrets {
    /// The JSON stored in the keychain.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let wire = Wire {
            v: 1,
            client_secret: expose(&self.client_secret),
            refresh_token: expose(&self.refresh_token),
            access_token: expose(&self.access_token),
            expires_at: self.expires_at,
            obtained_at: self.obtained_at,
            rev: self.rev,
            endpoints: self.endpoints.clone(),
        };
        // Serializing plain strings and numbers cannot fail; were it to, the empty result is
        // refused by `Keychain::write_raw` instead of overwriting the entry.
        Zeroizing::new(serde_json::to_vec(&wire).unwrap_or_default())
    }

    /// Reads an entry. The error never quotes the input (serde's messages can).
    pub fn from_json(bytes: &[u8]) -> Result<Self, EntryFormatError> {
        #[derive(Deserialize)]
        struct Version {
            v: u32,
        }
        if let Ok(Version { v }) = serde_json::from_slice::<Version>(bytes)
            && v > 1
        {
            return Err(EntryFormatError::Version(v));
        }
        let mut wire: Wire =
            serde_json::from_slice(bytes).map_err(|e| EntryFormatError::Shape {
                line: e.line(),
                column: e.column(),
            })?;
        let take =
            |s: &mut Option<String>| s.take().filter(|s| !s.is_empty()).map(SecretString::from);
        Ok(Self {
            client_secret: take(&mut wire.client_secret),
            refresh_token: take(&mut wire.refresh_token),
            access_token: take(&mut wire.access_token),
            expires_at: wire.expires_at,
            obtained_at: wire.obtained_at,
            rev: wire.rev,
            endpoints: wire.endpoints.take(),
        })
    }

    /// The access token, when there is one and it has not expired at `now`.
    pub fn valid_access_token(&self, now: Timestamp) -> Option<&SecretString> {
        match (&self.access_token, self.expires_at) {
            (Some(t), Some(exp)) if exp > now => Some(t),
            // Only a static token has no expiry: it does not expire.
            (Some(t), None) => Some(t),
            _ => None,
        }
    }

    /// Drops both tokens (after a revoke), keeping the client secret.
    pub fn without_tokens(&self) -> Self {
        Self {
            client_secret: self.client_secret.clone(),
            refresh_token: None,
            access_token: None,
            expires_at: None,
            obtained_at: None,
            rev: self.rev + 1,
            endpoints: self.endpoints.clone(),
        }
    }
}

/// Whether a token can go into a header, a curl line or a terminal as it is: not empty, and
/// no white space or control character anywhere in it.
pub(crate) fn token_is_plain(token: &str) -> bool {
    !token.is_empty() && !token.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// First 8 hex digits of the SHA-256 of a token, for the audit log.
pub(crate) fn fingerprint(token: &SecretString) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.expose_secret().as_bytes());
    hex::encode(&digest[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwts_exp_is_read_without_verifying_and_nothing_else_is() {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let jwt = |payload: &str| format!("{}.{}.c2ln", b64(r#"{"alg":"none"}"#), b64(payload));
        assert_eq!(
            jwt_exp(&jwt(r#"{"sub":"fake","exp":1798761600}"#)),
            Some("2027-01-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            jwt_exp(&jwt(r#"{"exp":1798761600.5}"#)),
            Some("2027-01-01T00:00:00Z".parse().unwrap())
        );
        for not in [
            jwt(r#"{"sub":"fake"}"#),
            jwt(r#"{"exp":"soon"}"#),
            jwt("not json"),
            "opaque-static-token".to_owned(),
            "a.b".to_owned(),
            format!("{}.extra", jwt(r#"{"exp":1}"#)),
        ] {
            assert_eq!(jwt_exp(&not), None, "{not}");
        }
    }

    fn sample() -> Secrets {
        Secrets {
            client_secret: Some("fake-client-secret".into()),
            refresh_token: Some("fake-refresh".into()),
            access_token: Some("fake-access".into()),
            expires_at: Some("2026-11-26T12:00:00Z".parse().unwrap()),
            obtained_at: Some("2026-11-25T12:00:00Z".parse().unwrap()),
            rev: 7,
            endpoints: Some(Endpoints {
                token: "https://api.example.test/auth/token".to_owned(),
                revoke: None,
                check: None,
            }),
        }
    }

    #[test]
    fn round_trips_and_has_version() {
        let json = sample().to_json();
        let text = std::str::from_utf8(&json).unwrap();
        assert!(text.starts_with(r#"{"v":1,"#), "{text}");
        assert!(text.contains(r#""rev":7"#));
        let back = Secrets::from_json(&json).unwrap();
        assert_eq!(back.refresh_token.unwrap().expose_secret(), "fake-refresh");
        assert_eq!(back.rev, 7);
        assert_eq!(back.expires_at, sample().expires_at);
        assert_eq!(back.endpoints, sample().endpoints);
        // An entry written before endpoints were recorded reads as unbound.
        let legacy = Secrets::from_json(br#"{"v":1,"refresh_token":"fake-refresh","rev":3}"#);
        assert_eq!(legacy.unwrap().endpoints, None);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let dbg = format!("{:?}", sample());
        for secret in ["fake-client-secret", "fake-refresh", "fake-access"] {
            assert!(!dbg.contains(secret), "{dbg}");
        }
    }

    #[test]
    fn bad_entries_do_not_echo_their_content() {
        let err = Secrets::from_json(br#"{"v":1,"rev":"fake-refresh-in-wrong-place"}"#)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("fake-refresh"), "{err}");
        assert!(matches!(
            Secrets::from_json(br#"{"v":2,"rev":1}"#),
            Err(EntryFormatError::Version(2))
        ));
        assert!(Secrets::from_json(b"not json").is_err());
    }

    #[test]
    fn fingerprints_are_8_hex() {
        let fp = fingerprint(&"fake-access".into());
        assert_eq!(fp.len(), 8);
        assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
