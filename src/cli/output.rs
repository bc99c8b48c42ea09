//! Where the CLI writes: results on stdout (only `token` prints a secret, and only there),
//! everything else on stderr, errors as "what happened" plus "what to do" in the user's
//! language. A closed pipe is not an error worth a panic.

use std::io::Write;

use crate::core::error::Error;
use crate::i18n::{Lang, T, explain};

/// The CLI's output, in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Out {
    /// The language of messages.
    pub lang: Lang,
}

impl Out {
    /// Output in `lang`.
    pub(crate) fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// A result line on stdout. Scripts trust the exit code, so a failed write (a full disk,
    /// a closed pipe) is an error, not silence.
    pub(crate) fn line(&self, text: &str) -> Result<(), Error> {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{text}")
            .and_then(|()| stdout.flush())
            .map_err(|e| Error::io("writing to standard output", "stdout", e))
    }

    /// A message for the person on stderr.
    pub(crate) fn note(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    /// A warning on stderr.
    pub(crate) fn warn(&self, text: &str) {
        self.note(&format!("renova: {}: {text}", T::Warning.tr(self.lang)));
    }

    /// "renova: error: …" on stderr, for a failure said in words of its own (not an [`Error`]).
    pub(crate) fn error(&self, text: &str) {
        self.note(&format!("renova: {}: {text}", T::Error.tr(self.lang)));
    }

    /// Explains an error on stderr and returns its exit code.
    pub(crate) fn fail(&self, err: &Error, name: &str) -> u8 {
        let e = explain(err, self.lang, name);
        let mut text = format!("renova: {}: {}", T::Error.tr(self.lang), e.what);
        if !e.fix.is_empty() {
            text.push_str(&format!("\n  {}: {}", T::Hint.tr(self.lang), e.fix));
        }
        self.note(&text);
        tracing::debug!("failure detail: {err}");
        err.exit_code()
    }
}
