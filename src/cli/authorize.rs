//! `renova authorize NAME [--no-browser] [--port N]`: shows the redirect URI to register and the
//! address to open (stderr), opens the browser unless `--no-browser`, waits for the loopback
//! callback or a pasted redirected URL / code on stdin, exchanges the code and stores the tokens.

use std::io::BufRead;

use zeroize::Zeroizing;

use crate::cli::input::STDIN_LIMIT;
use crate::cli::{AuthorizeArgs, Out};
use crate::core::callback::WaitProblem;
use crate::core::error::{InputError, Result};
use crate::core::renova::Renova;
use crate::i18n::T;

/// Runs the command.
pub(super) async fn run(renova: &Renova, args: &AuthorizeArgs, out: &Out) -> Result<()> {
    let lang = out.lang;
    let session = renova
        .accounts()
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
    // At most 8 KiB is read: more ends the command (exit 2) instead of filling memory.
    let (tx, mut pasted) = tokio::sync::mpsc::unbounded_channel();
    let (too_much, mut too_much_rx) = tokio::sync::oneshot::channel();
    let reader = std::thread::Builder::new()
        .name("renova-stdin".to_owned())
        .spawn(move || {
            if read_pastes(std::io::stdin().lock(), &tx).is_err() {
                let _ = too_much.send(());
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
    let code = tokio::select! {
        code = session.wait(&mut pasted, &problem) => code?,
        Ok(()) = &mut too_much_rx => return Err(InputError::StdinTooLarge.into()),
    };
    let until = renova.accounts().finish_authorize(&session, &code).await?;
    out.note(&T::AuthDone.fill(
        lang,
        &[
            ("name", &name),
            ("until", &crate::cli::list::local_time(until)),
        ],
    ));
    Ok(())
}

/// Sends each non-blank line of `input` to `tx` until EOF (or until nobody listens). Reading
/// more than [`STDIN_LIMIT`] bytes in all stops it with `Err`. The lines may hold an
/// authorization code: the buffer is wiped as it goes.
fn read_pastes(
    input: impl BufRead,
    tx: &tokio::sync::mpsc::UnboundedSender<String>,
) -> std::result::Result<(), InputError> {
    let mut input = input.take(STDIN_LIMIT as u64 + 1);
    let mut line = Zeroizing::new(Vec::new());
    let mut total = 0;
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(()),
            Ok(n) => total += n,
        }
        if total > STDIN_LIMIT {
            return Err(InputError::StdinTooLarge);
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            continue;
        };
        if !text.trim().is_empty() && tx.send(text.trim_end().to_owned()).is_err() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pastes_are_read_line_by_line_up_to_8_kib() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        read_pastes(&b"\nfake-code-1\r\n  \nfake-code-2"[..], &tx).unwrap();
        assert_eq!(rx.try_recv().unwrap(), "fake-code-1");
        assert_eq!(rx.try_recv().unwrap(), "fake-code-2");
        assert!(rx.try_recv().is_err());
        let endless = std::io::repeat(b'a');
        assert_eq!(
            read_pastes(std::io::BufReader::new(endless), &tx),
            Err(InputError::StdinTooLarge)
        );
    }
}
