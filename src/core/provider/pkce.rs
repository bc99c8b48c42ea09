//! PKCE (RFC 7636): a one-time verifier kept in memory, and its S256 challenge sent on
//! authorize, so a stolen code is useless without the verifier.

use base64::Engine;
use secrecy::SecretString;

/// PKCE (RFC 7636) values for one authorization.
#[derive(Debug, Clone)]
pub(crate) struct Pkce {
    /// The verifier, sent with the code exchange.
    pub verifier: SecretString,
    /// `BASE64URL(SHA256(verifier))`, sent on authorize.
    pub challenge: String,
}

impl Pkce {
    /// A fresh verifier (32 random bytes, 43 characters) and its S256 challenge.
    pub(crate) fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let verifier = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let challenge = Self::challenge_of(&verifier);
        Ok(Self {
            verifier: verifier.into(),
            challenge,
        })
    }

    /// The S256 challenge of a verifier.
    pub(crate) fn challenge_of(verifier: &str) -> String {
        use sha2::{Digest, Sha256};
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn pkce_challenge_matches_rfc7636_example() {
        assert_eq!(
            Pkce::challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let p = Pkce::generate().unwrap();
        assert_eq!(p.verifier.expose_secret().len(), 43);
    }
}
