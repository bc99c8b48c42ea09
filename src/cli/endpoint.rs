//! `renova endpoint on [--port N] | off | status | key [--rotate]`: the local token endpoint
//! the agent serves. The key goes to stdout (for pasting into Postman or a script) and lives
//! only in the keychain. `status` checks who holds the port (without sending the key) and
//! exits 1 when it is another program.

use secrecy::ExposeSecret;

use crate::agent::instance::Presence;
use crate::cli::{EndpointCommand, Out};
use crate::core::config::Switch;
use crate::core::endpoint::probe::{Holder, PATIENCE_SECONDS, who_holds};
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command; returns the exit code.
pub(super) async fn run(renova: &Renova, command: &EndpointCommand, out: &Out) -> u8 {
    let done = match command {
        EndpointCommand::Status => status(renova, out).await,
        _ => change(renova, command, out).await.map(|()| 0),
    };
    done.unwrap_or_else(|e| out.fail(&e, ""))
}

async fn change(renova: &Renova, command: &EndpointCommand, out: &Out) -> Result<()> {
    let lang = out.lang;
    match command {
        EndpointCommand::On { port } => {
            let settings = renova.endpoint().set(Switch::On, *port)?;
            // The key exists from now on, so a caller can be set up right away.
            renova.endpoint().key().await?;
            let url = format!("http://127.0.0.1:{}", settings.port());
            out.note(&T::EndpointOn.fill(lang, &[("url", &url)]));
            say_agent(renova, out)?;
        }
        EndpointCommand::Off => {
            renova.endpoint().set(Switch::Off, None)?;
            out.note(T::EndpointOff.tr(lang));
        }
        // `run` answers it with its own exit code.
        EndpointCommand::Status => {}
        EndpointCommand::Key { rotate } => {
            let key = if *rotate {
                renova.endpoint().rotate_key().await?
            } else {
                renova.endpoint().key().await?
            };
            out.line(key.expose_secret())?;
        }
    }
    Ok(())
}

/// On or off, and when on, who answers on the port: 1 when it is not Renova.
async fn status(renova: &Renova, out: &Out) -> Result<u8> {
    let lang = out.lang;
    let settings = renova.config()?.endpoint;
    if !settings.enabled {
        out.line(T::EndpointOff.tr(lang))?;
        return Ok(0);
    }
    let port = settings.port();
    let url = format!("http://127.0.0.1:{port}");
    out.line(&T::EndpointOn.fill(lang, &[("url", &url)]))?;
    // Read, never made here: `status` changes nothing.
    let Some(key) = renova.endpoint().stored_key().await? else {
        out.note(T::EndpointNoKey.tr(lang));
        return Ok(0);
    };
    let agent = crate::agent::instance::running(renova.profile().paths())?;
    let port_text = port.to_string();
    Ok(match who_holds(port, &key).await {
        Holder::Renova => {
            out.note(T::EndpointVerified.tr(lang));
            0
        }
        Holder::Nobody => {
            match agent {
                Presence::Running(pid) => {
                    let pid = pid.map_or_else(|| "?".to_owned(), |p| p.to_string());
                    let args = [("url", url.as_str()), ("pid", &pid)];
                    out.note(&T::EndpointNotListening.fill(lang, &args));
                }
                Presence::Absent => out.note(T::EndpointNoAgent.tr(lang)),
            }
            0
        }
        Holder::NotReady => {
            out.error(&T::EndpointNotReady.fill(lang, &[("port", port_text.as_str())]));
            1
        }
        Holder::Other(what) => {
            let args = [("port", port_text.as_str()), ("answer", &what)];
            out.error(&T::EndpointSquatted.fill(lang, &args));
            1
        }
        Holder::Unverified(said) => {
            let text = match said {
                Some(what) => {
                    let args = [("port", port_text.as_str()), ("answer", &what)];
                    T::EndpointUnverified.fill(lang, &args)
                }
                None => {
                    let seconds = PATIENCE_SECONDS.to_string();
                    let args = [("port", port_text.as_str()), ("seconds", &seconds)];
                    T::EndpointSilent.fill(lang, &args)
                }
            };
            out.error(&text);
            1
        }
    })
}

/// Whether an agent serves it now.
fn say_agent(renova: &Renova, out: &Out) -> Result<()> {
    let text = match crate::agent::instance::running(renova.profile().paths())? {
        Presence::Running(_) => T::EndpointServed,
        Presence::Absent => T::EndpointNoAgent,
    };
    out.note(text.tr(out.lang));
    Ok(())
}
