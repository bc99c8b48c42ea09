//! `renova token NAME [--format raw|header|curl] [--min-valid D]`: one line on stdout, the
//! token and nothing else; a failed refresh prints nothing there.

use crate::cli::{Out, TokenArgs, TokenFormat};
use crate::core::clock::{format_duration, seconds_until};
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::core::token_format;
use crate::i18n::T;

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &TokenArgs, out: &Out) -> Result<()> {
    let account = renova.account(&args.name)?;
    let outcome = renova.token(&account, args.min_valid).await?;
    if outcome.shorter_than_asked {
        let left = outcome.expires_at.map_or(0, |at| {
            seconds_until(renova.now(), at).max(0).unsigned_abs()
        });
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
    if let Some(e) = &outcome.postman {
        out.warn(&crate::cli::postman_key::not_updated(e, out.lang));
    }
    let format = match args.format {
        TokenFormat::Raw => token_format::TokenFormat::Raw,
        TokenFormat::Header => token_format::TokenFormat::Header,
        TokenFormat::Curl => token_format::TokenFormat::Curl,
        TokenFormat::HeadersJson => token_format::TokenFormat::HeadersJson,
    };
    out.line(&token_format::render(format, &outcome)?)
}
