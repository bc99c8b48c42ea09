//! `renova endpoint on [--port N] | off | status | key [--rotate]`: the local token endpoint
//! the agent serves. The key goes to stdout (for pasting into Postman or a script) and lives
//! only in the keychain.

use secrecy::ExposeSecret;

use crate::cli::{EndpointCommand, Out};
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub async fn run(renova: &Renova, command: &EndpointCommand, out: &Out) -> Result<()> {
    let lang = out.lang;
    match command {
        EndpointCommand::On { port } => {
            let settings = renova.set_endpoint(true, *port)?;
            // The key exists from now on, so a caller can be set up right away.
            renova.endpoint_key().await?;
            let url = format!("http://127.0.0.1:{}", settings.port());
            out.note(&T::EndpointOn.fill(lang, &[("url", &url)]));
            say_agent(renova, out)?;
        }
        EndpointCommand::Off => {
            renova.set_endpoint(false, None)?;
            out.note(T::EndpointOff.tr(lang));
        }
        EndpointCommand::Status => {
            let settings = renova.config()?.endpoint;
            if settings.enabled {
                let url = format!("http://127.0.0.1:{}", settings.port());
                out.line(&T::EndpointOn.fill(lang, &[("url", &url)]))?;
                say_agent(renova, out)?;
            } else {
                out.line(T::EndpointOff.tr(lang))?;
            }
        }
        EndpointCommand::Key { rotate } => {
            let key = if *rotate {
                renova.rotate_endpoint_key().await?
            } else {
                renova.endpoint_key().await?
            };
            out.line(key.expose_secret())?;
        }
    }
    Ok(())
}

/// Whether an agent serves it now.
fn say_agent(renova: &Renova, out: &Out) -> Result<()> {
    let text = match crate::agent::instance::running(renova.paths())? {
        Some(_) => T::EndpointServed,
        None => T::EndpointNoAgent,
    };
    out.note(text.tr(out.lang));
    Ok(())
}
