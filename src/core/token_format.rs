//! What a token looks like when it is printed or copied: the token alone, an
//! `Authorization: Bearer …` header, or a curl command line.

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::core::config::AccountConfig;
use crate::core::provider::{Provider, ProviderError, ProviderErrorKind};
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
}

/// The text for a token of `account` in `format`. A token with white space or a control
/// character in it is never printed or copied (it would break the header, or the terminal).
pub fn render(
    format: TokenFormat,
    token: &SecretString,
    account: &AccountConfig,
) -> Result<Zeroizing<String>, ProviderError> {
    let token = token.expose_secret();
    if !token_is_plain(token) {
        return Err(ProviderError::new(ProviderErrorKind::Malformed(
            "the access token contains spaces or control characters".to_owned(),
        )));
    }
    Ok(Zeroizing::new(match format {
        TokenFormat::Raw => token.to_owned(),
        TokenFormat::Header => format!("Authorization: Bearer {token}"),
        TokenFormat::Curl => {
            let url = Provider::of(account)
                .example_url()
                .map(|u| u.to_string())
                .unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ProviderKind;

    #[test]
    fn forms() {
        let a = AccountConfig::new("loja", ProviderKind::RdStation, "id");
        let t: SecretString = "fake-at".into();
        assert_eq!(
            render(TokenFormat::Raw, &t, &a).unwrap().as_str(),
            "fake-at"
        );
        assert_eq!(
            render(TokenFormat::Header, &t, &a).unwrap().as_str(),
            "Authorization: Bearer fake-at"
        );
        for broken in [
            "fake at",
            "fake-at\r\nX-Injected: 1",
            "fake-\u{1b}[31mat",
            "",
        ] {
            assert!(
                render(TokenFormat::Header, &broken.into(), &a).is_err(),
                "{broken:?}"
            );
        }
        assert_eq!(
            render(TokenFormat::Curl, &t, &a).unwrap().as_str(),
            "curl -H 'Authorization: Bearer fake-at' 'https://api.rd.services/marketing/account_info'"
        );
    }
}
