//! `renova authorize NAME [--no-browser] [--port N]`: shows the redirect URI to register and the
//! address to open (stderr), opens the browser unless `--no-browser`, waits for the loopback
//! callback or a pasted redirected URL / code on stdin, exchanges the code and stores the tokens.

use std::io::BufRead;

use crate::cli::{AuthorizeArgs, Out};
use crate::core::callback::WaitProblem;
use crate::core::error::Result;
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub async fn run(renova: &Renova, args: &AuthorizeArgs, out: &Out) -> Result<()> {
    let lang = out.lang;
    let session = renova
        .begin_authorize(&renova.account(&args.name)?, args.port)
        .await?;
    let name = session.account.name.clone();
    out.note(T::AuthRegister.tr(lang));
    out.note(&format!("  {}\n", session.redirect_uri));
    out.note(&T::AuthOpen.fill(lang, &[("name", &name)]));
    out.note(&format!("  {}\n", session.url));
    if !args.no_browser {
        let url = session.url.to_string();
        let opened = tokio::task::spawn_blocking(move || webbrowser::open(&url)).await;
        match opened {
            Ok(Ok(())) => out.note(T::AuthBrowserOpened.tr(lang)),
            Ok(Err(e)) => out.note(&T::AuthBrowserFailed.fill(lang, &[("why", &e.to_string())])),
            Err(e) => out.note(&T::AuthBrowserFailed.fill(lang, &[("why", &e.to_string())])),
        }
    }
    out.note(
        if session.listens() {
            T::AuthWaiting
        } else {
            T::AuthWaitingPasteOnly
        }
        .tr(lang),
    );

    // Lines typed or piped on stdin are pastes; EOF only stops this source, not the wait.
    let (tx, mut pasted) = tokio::sync::mpsc::unbounded_channel();
    let reader = std::thread::Builder::new()
        .name("renova-stdin".to_owned())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if line.trim().is_empty() {
                    continue;
                }
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = reader {
        tracing::warn!("cannot read standard input: {e}");
    }
    let problem = move |p: WaitProblem| {
        let text = match p {
            WaitProblem::WrongState => T::AuthWrongState,
            WaitProblem::BadPaste => T::AuthBadPaste,
            WaitProblem::PastedWrongState => T::AuthPastedWrongState,
        };
        out.warn(text.tr(lang));
    };
    let code = session.wait(&mut pasted, &problem).await?;
    let until = renova.finish_authorize(&session, &code).await?;
    out.note(&T::AuthDone.fill(
        lang,
        &[
            ("name", &name),
            ("until", &crate::cli::list::local_time(until)),
        ],
    ));
    Ok(())
}
