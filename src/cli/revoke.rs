//! `renova revoke NAME`: revoke at the provider, delete both stored tokens.

use crate::cli::Out;
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub(super) async fn run(renova: &Renova, name: &str, out: &Out) -> Result<()> {
    let revoked = renova.accounts().revoke(&renova.account(name)?).await?;
    let text = if revoked {
        T::RevokedOk
    } else {
        T::RevokedAlreadyInvalid
    };
    out.note(&text.fill(out.lang, &[("name", name)]));
    Ok(())
}
