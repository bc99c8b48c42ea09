//! The one timed copy of a secret, for the window, the tray and the agent: the token as the
//! core hands it over for copying (refreshed first when less than the copy minimum is left,
//! the stored one when that refresh fails and it still works), put on the clipboard with the
//! sensitivity hint, and cleared when `[defaults] clipboard_clear` is up on the monotonic
//! clock (setting the wall clock neither hastens nor delays it) — only if the clipboard still
//! holds it. Nothing keeps the text: only its hash.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use zeroize::Zeroizing;

use crate::core::clock;
use crate::core::config::AccountConfig;
use crate::core::error::{Error, Result};
use crate::core::renova::Renova;
use crate::core::token_format::{self, TokenFormat};
use crate::platform::clipboard::{ClipboardHandle, CopyHash};

/// What the clipboard holds of ours, and when (monotonic) it is cleared.
type Held = Arc<Mutex<Option<(CopyHash, Duration)>>>;

/// A copy made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Copied {
    /// When the clipboard clears (wall clock, for the toast).
    pub clear_at: Timestamp,
    /// The refresh before the copy failed; the token copied is the stored one, which still
    /// works until then.
    pub fallback_until: Option<Timestamp>,
}

/// The timed copy of one process. Cheap to clone; clones share what is held.
#[derive(Clone)]
pub(crate) struct TimedCopy {
    renova: Renova,
    clipboard: ClipboardHandle,
    held: Held,
}

impl TimedCopy {
    /// Copies through `clipboard`, timed by `renova`'s clock and `[defaults]`.
    pub(crate) fn new(renova: Renova, clipboard: ClipboardHandle) -> Self {
        Self {
            renova,
            clipboard,
            held: Arc::default(),
        }
    }

    /// Copies an account's token in `format`.
    pub(crate) async fn token(
        &self,
        account: &AccountConfig,
        format: TokenFormat,
    ) -> Result<Copied> {
        let outcome = self.renova.token_to_copy(account).await?;
        let text = token_format::render(format, &outcome)?;
        let mut copied = self.secret(text).await?;
        copied.fallback_until = outcome.expires_at.filter(|_| outcome.refresh_failed);
        Ok(copied)
    }

    /// Copies a secret that is not an account's token (the endpoint key), hinted and cleared
    /// like one.
    pub(crate) async fn secret(&self, text: Zeroizing<String>) -> Result<Copied> {
        let hash = self.clipboard.set(text).await.map_err(clipboard_error)?;
        let after = self
            .renova
            .config()
            .map_or(Duration::from_secs(60), |c| c.defaults.clipboard_clear.0);
        if let Ok(mut held) = self.held.lock() {
            *held = Some((hash, self.renova.elapsed() + after));
        }
        Ok(Copied {
            clear_at: clock::add(self.renova.now(), after),
            fallback_until: None,
        })
    }

    /// Copies text that is no secret (the Postman script): no timer.
    pub(crate) async fn plain(&self, text: Zeroizing<String>) -> Result<()> {
        self.clipboard
            .set(text)
            .await
            .map(drop)
            .map_err(clipboard_error)
    }

    /// Clears the clipboard when its time is up, if it still holds the copy; `true` when it
    /// did.
    pub(crate) async fn clear_if_due(&self) -> bool {
        let now = self.renova.elapsed();
        self.clear_taken(|deadline| now >= deadline).await
    }

    /// Clears the clipboard now, if it still holds the copy (quitting).
    pub(crate) async fn clear_now(&self) -> bool {
        self.clear_taken(|_| true).await
    }

    /// [`TimedCopy::clear_now`] from a thread without a runtime (the window's UI thread at
    /// exit), waiting at most `wait`.
    pub(crate) fn clear_now_blocking(&self, wait: Duration) {
        if let Some((hash, _)) = self.held.lock().ok().and_then(|mut h| h.take()) {
            self.clipboard.clear_if_blocking(hash, wait);
        }
    }

    /// How long until the clipboard is to be cleared, if it holds a copy.
    pub(crate) fn until_clear(&self) -> Option<Duration> {
        let held = self.held.lock().ok()?;
        let (_, deadline) = held.as_ref()?;
        Some(deadline.saturating_sub(self.renova.elapsed()))
    }

    async fn clear_taken(&self, due: impl Fn(Duration) -> bool) -> bool {
        let taken = self
            .held
            .lock()
            .ok()
            .and_then(|mut h| h.take_if(|(_, deadline)| due(*deadline)));
        match taken {
            Some((hash, _)) => self.clipboard.clear_if(hash).await,
            None => false,
        }
    }
}

fn clipboard_error(e: impl std::fmt::Display) -> Error {
    Error::io(
        "copying to the clipboard",
        "clipboard",
        std::io::Error::other(e.to_string()),
    )
}
