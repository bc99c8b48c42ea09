//! `renova remove NAME`: the account and its keychain entry.

use crate::cli::Out;
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub(super) async fn run(renova: &Renova, name: &str, out: &Out) -> Result<()> {
    renova.accounts().remove(&renova.account(name)?).await?;
    out.note(&T::Removed.fill(out.lang, &[("name", name)]));
    Ok(())
}
