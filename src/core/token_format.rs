//! What a token looks like when it is printed or copied: the token alone, an
//! `Authorization: Bearer …` header, or a curl command line.

use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::core::config::TokenPlacement;
use crate::core::error::{Error, InputError, Result};
use crate::core::provider::{ProviderError, ProviderErrorKind};
use crate::core::refresh::TokenOutcome;
use crate::core::secrets::token_is_plain;

/// The forms a token can be printed or copied in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenFormat {
    /// The token alone.
    #[default]
    Raw,
    /// `Authorization: Bearer …`.
    Header,
    /// `curl -H 'Authorization: Bearer …' 'URL'`.
    Curl,
    /// `{"Authorization": "Bearer …"}`: headers as JSON, for a client that runs a command to
    /// get them (Claude Code's `headersHelper`).
    HeadersJson,
}

/// The text for a token in `format`. A token with white space or a control character in it
/// is never printed or copied (it would break the header, or the terminal); a curl line is
/// made only for an address the account's keychain entry knows.
pub(crate) fn render(format: TokenFormat, outcome: &TokenOutcome) -> Result<Zeroizing<String>> {
    let token = outcome.token.expose_secret();
    if !token_is_plain(token) {
        return Err(Error::Provider(ProviderError::new(
            ProviderErrorKind::Malformed(
                "the access token contains spaces or control characters".to_owned(),
            ),
        )));
    }
    if let TokenPlacement::Query(parameter) = outcome.placement {
        return in_query(format, token, parameter, outcome);
    }
    Ok(Zeroizing::new(match format {
        TokenFormat::Raw => token.to_owned(),
        TokenFormat::Header => format!("Authorization: Bearer {token}"),
        TokenFormat::HeadersJson => {
            let value = Zeroizing::new(format!("Bearer {token}"));
            let quoted = Zeroizing::new(serde_json::to_string(value.as_str()).unwrap_or_default());
            format!("{{\"Authorization\":{}}}", quoted.as_str())
        }
        TokenFormat::Curl => {
            let url = outcome.curl_url.clone()?.unwrap_or_default();
            // Single quotes for a POSIX shell; a quote inside becomes '\''.
            let quote = |s: &str| Zeroizing::new(s.replace('\'', r"'\''"));
            format!(
                "curl -H 'Authorization: Bearer {}' '{}'",
                quote(token).as_str(),
                quote(&url).as_str()
            )
        }
    }))
}

/// A token the provider takes as a query parameter (RD Station CRM v1's `?token=`): the
/// token alone, or a curl line with it in the address. A header would not be read.
fn in_query(
    format: TokenFormat,
    token: &str,
    parameter: &'static str,
    outcome: &TokenOutcome,
) -> Result<Zeroizing<String>> {
    match format {
        TokenFormat::Raw => Ok(Zeroizing::new(token.to_owned())),
        TokenFormat::Header | TokenFormat::HeadersJson => Err(Error::Input(
            InputError::HeaderNotTaken(parameter.to_owned()),
        )),
        TokenFormat::Curl => {
            let base = outcome.curl_url.clone()?.unwrap_or_default();
            let separator = if base.contains('?') { '&' } else { '?' };
            let encoded: Zeroizing<String> =
                Zeroizing::new(url::form_urlencoded::byte_serialize(token.as_bytes()).collect());
            let address =
                Zeroizing::new(format!("{base}{separator}{parameter}={}", encoded.as_str()));
            let quoted = Zeroizing::new(address.replace('\'', r"'\''"));
            Ok(Zeroizing::new(format!("curl '{}'", quoted.as_str())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::InputError;

    fn outcome(token: &str, curl_url: Result<Option<String>, InputError>) -> TokenOutcome {
        TokenOutcome {
            token: token.into(),
            expires_at: Some("2026-12-01T12:00:00Z".parse().unwrap()),
            placement: TokenPlacement::Bearer,
            refreshed: false,
            shorter_than_asked: false,
            refresh_failed: false,
            postman: None,
            curl_url,
        }
    }

    #[test]
    fn forms() {
        let url = Ok(Some(
            "https://api.rd.services/marketing/account_info".to_owned(),
        ));
        let t = outcome("fake-at", url.clone());
        assert_eq!(render(TokenFormat::Raw, &t).unwrap().as_str(), "fake-at");
        assert_eq!(
            render(TokenFormat::Header, &t).unwrap().as_str(),
            "Authorization: Bearer fake-at"
        );
        for broken in [
            "fake at",
            "fake-at\r\nX-Injected: 1",
            "fake-\u{1b}[31mat",
            "",
        ] {
            assert!(
                render(TokenFormat::Header, &outcome(broken, url.clone())).is_err(),
                "{broken:?}"
            );
        }
        assert_eq!(
            render(TokenFormat::Curl, &t).unwrap().as_str(),
            "curl -H 'Authorization: Bearer fake-at' 'https://api.rd.services/marketing/account_info'"
        );
        let json = render(TokenFormat::HeadersJson, &outcome("fake-\"at\\", url)).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"Authorization": "Bearer fake-\"at\\"})
        );
    }

    #[test]
    fn no_curl_line_to_an_address_the_entry_does_not_know() {
        let refused = InputError::EndpointChanged(Box::new(crate::core::input::EndpointChange {
            name: "loja".to_owned(),
            kind: crate::core::secrets::EndpointKind::Token,
            url: "https://rd.attacker.test/auth/token".to_owned(),
            known: None,
            setting: crate::core::input::Setting::BaseUrl,
            value: "https://rd.attacker.test".to_owned(),
        }));
        let t = outcome("fake-at", Err(refused.clone()));
        assert!(matches!(
            render(TokenFormat::Curl, &t),
            Err(Error::Input(e)) if e == refused
        ));
        // The token itself still goes to the user who asked.
        assert_eq!(render(TokenFormat::Raw, &t).unwrap().as_str(), "fake-at");
    }
}
