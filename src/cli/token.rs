//! `renova token NAME [--format raw|header|curl] [--min-valid D]`: one line on stdout, the
//! token and nothing else; a failed refresh prints nothing there.

use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::cli::{Out, TokenArgs, TokenFormat};
use crate::core::clock::{format_duration, seconds_until};
use crate::core::config::ProviderKind;
use crate::core::error::Result;
use crate::core::http::join;
use crate::core::provider::Provider;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub async fn run(renova: &Renova, args: &TokenArgs, out: &Out) -> Result<()> {
    let outcome = renova.token(&args.name, args.min_valid).await?;
    if outcome.shorter_than_asked {
        let left = seconds_until(renova.now(), outcome.expires_at)
            .max(0)
            .unsigned_abs();
        out.warn(&T::ShortToken.fill(
            out.lang,
            &[
                (
                    "left",
                    &format_duration(std::time::Duration::from_secs(left)),
                ),
                ("min", &format_duration(args.min_valid)),
            ],
        ));
    }
    let token = outcome.token.expose_secret();
    let line = Zeroizing::new(match args.format {
        TokenFormat::Raw => token.to_owned(),
        TokenFormat::Header => format!("Authorization: Bearer {token}"),
        TokenFormat::Curl => {
            let url = example_url(renova, &args.name).unwrap_or_default();
            format!("curl -H 'Authorization: Bearer {token}' '{url}'")
        }
    });
    out.line(&line);
    Ok(())
}

/// A URL worth calling with the token: the provider's check endpoint, or its API root.
fn example_url(renova: &Renova, name: &str) -> Option<String> {
    let config = renova.config().ok()?;
    let account = config.find(name)?;
    let provider = Provider::of(account);
    if let Ok(Some(url)) = provider.check_url() {
        return Some(url.to_string());
    }
    match account.provider {
        ProviderKind::RdStationCrm => provider
            .base_url()
            .ok()
            .map(|b| join(&b, "/crm/v2/").to_string()),
        _ => provider
            .token_url()
            .ok()
            .map(|u| format!("{}/", u.origin().ascii_serialization())),
    }
}
