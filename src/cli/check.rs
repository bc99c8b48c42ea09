//! `renova check NAME`: prints the account's name at the provider.

use crate::cli::Out;
use crate::core::error::Result;
use crate::core::renova::Renova;

/// Runs the command.
pub(super) async fn run(renova: &Renova, name: &str, out: &Out) -> Result<()> {
    let account_name = renova.accounts().check(&renova.account(name)?).await?;
    out.line(&account_name)?;
    Ok(())
}
