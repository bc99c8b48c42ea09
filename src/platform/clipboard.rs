//! The clipboard port. In the app it is arboard, with the content marked as sensitive where
//! the platform allows (Linux `x-kde-passwordManagerHint`, Windows history and cloud
//! exclusion, macOS history); in tests a recording fake. Never `ctx.copy_text` for a token: it
//! has no sensitivity flag. Runs on its own thread (X11 needs an owner that stays alive, and
//! a clipboard call must never block the UI).

use std::sync::{Arc, Mutex, mpsc};

use sha2::{Digest, Sha256};
use tokio::sync::oneshot;
use zeroize::Zeroizing;

/// A system clipboard.
pub trait Clipboard: Send {
    /// Puts text on the clipboard, marked as a secret where possible.
    fn set_sensitive(&mut self, text: &str) -> Result<(), String>;
    /// The clipboard's current text, if any.
    fn get_text(&mut self) -> Option<Zeroizing<String>>;
    /// Empties the clipboard.
    fn clear(&mut self) -> Result<(), String>;
}

/// The SHA-256 of a copied text: how Renova recognizes its copy later without keeping it.
pub(crate) type CopyHash = [u8; 32];

fn hash(text: &str) -> CopyHash {
    Sha256::digest(text.as_bytes()).into()
}

enum Request {
    Set(Zeroizing<String>, oneshot::Sender<Result<CopyHash, String>>),
    ClearIf(CopyHash, oneshot::Sender<bool>),
}

/// Sends a result back; the window may have stopped waiting (it waits at most 1 s at exit).
fn answer<T>(reply: oneshot::Sender<T>, value: T) {
    if reply.send(value).is_err() {
        tracing::debug!("a clipboard answer came after its caller stopped waiting");
    }
}

/// A handle to the clipboard thread.
#[derive(Clone)]
pub struct ClipboardHandle {
    tx: mpsc::Sender<Request>,
}

impl ClipboardHandle {
    /// Starts the thread that owns `clipboard`.
    pub fn spawn(mut clipboard: Box<dyn Clipboard>) -> Self {
        let (tx, rx) = mpsc::channel::<Request>();
        let started = std::thread::Builder::new()
            .name("renova-clipboard".to_owned())
            .spawn(move || {
                while let Ok(request) = rx.recv() {
                    match request {
                        Request::Set(text, reply) => {
                            let r = clipboard.set_sensitive(&text).map(|()| hash(&text));
                            answer(reply, r);
                        }
                        Request::ClearIf(h, reply) => {
                            let ours = clipboard.get_text().is_some_and(|t| hash(&t) == h);
                            answer(reply, ours && clipboard.clear().is_ok());
                        }
                    }
                }
            });
        if let Err(e) = started {
            tracing::error!("cannot start the clipboard thread: {e}");
        }
        Self { tx }
    }

    /// Copies `text`; returns its hash.
    pub async fn set(&self, text: Zeroizing<String>) -> Result<CopyHash, String> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(Request::Set(text, tx))
            .map_err(|_| "the clipboard thread stopped".to_owned())?;
        rx.await
            .map_err(|_| "the clipboard thread stopped".to_owned())?
    }

    /// Clears the clipboard if it still holds the text with this hash; says whether it did.
    pub async fn clear_if(&self, h: CopyHash) -> bool {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Request::ClearIf(h, tx)).is_err() {
            return false;
        }
        rx.await.unwrap_or(false)
    }

    /// [`ClipboardHandle::clear_if`] for the UI thread at exit, waiting at most `wait`.
    pub fn clear_if_blocking(&self, h: CopyHash, wait: std::time::Duration) -> bool {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Request::ClearIf(h, tx)).is_err() {
            return false;
        }
        let deadline = std::time::Instant::now() + wait;
        let mut rx = rx;
        loop {
            match rx.try_recv() {
                Ok(v) => return v,
                Err(oneshot::error::TryRecvError::Closed) => return false,
                Err(oneshot::error::TryRecvError::Empty)
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(_) => return false,
            }
        }
    }
}

/// The system clipboard through arboard, opened on first use.
#[derive(Default)]
pub(crate) struct SystemClipboard {
    inner: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    fn get(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.inner.is_none() {
            self.inner = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        self.inner.as_mut().ok_or_else(|| "no clipboard".to_owned())
    }
}

impl Clipboard for SystemClipboard {
    fn set_sensitive(&mut self, text: &str) -> Result<(), String> {
        let set = self.get()?.set();
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "android", target_os = "ios"))
        ))]
        let set = {
            use arboard::SetExtLinux;
            set.exclude_from_history()
        };
        #[cfg(target_os = "windows")]
        let set = {
            use arboard::SetExtWindows;
            set.exclude_from_history().exclude_from_cloud()
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple;
            set.exclude_from_history()
        };
        set.text(text).map_err(|e| e.to_string())
    }

    fn get_text(&mut self) -> Option<Zeroizing<String>> {
        self.get().ok()?.get_text().ok().map(Zeroizing::new)
    }

    fn clear(&mut self) -> Result<(), String> {
        self.get()?.clear().map_err(|e| e.to_string())
    }
}

/// A clipboard that records what was copied (tests).
#[derive(Clone, Default)]
pub struct RecordingClipboard {
    /// Every text set, in order.
    pub history: Arc<Mutex<Vec<String>>>,
    /// What the clipboard holds now.
    pub current: Arc<Mutex<Option<String>>>,
}

impl Clipboard for RecordingClipboard {
    fn set_sensitive(&mut self, text: &str) -> Result<(), String> {
        if let Ok(mut h) = self.history.lock() {
            h.push(text.to_owned());
        }
        if let Ok(mut c) = self.current.lock() {
            *c = Some(text.to_owned());
        }
        Ok(())
    }

    fn get_text(&mut self) -> Option<Zeroizing<String>> {
        self.current.lock().ok()?.clone().map(Zeroizing::new)
    }

    fn clear(&mut self) -> Result<(), String> {
        if let Ok(mut c) = self.current.lock() {
            *c = None;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn clears_only_what_it_copied() {
        let rec = RecordingClipboard::default();
        let handle = ClipboardHandle::spawn(Box::new(rec.clone()));
        let h = handle
            .set(Zeroizing::new("fake-token".to_owned()))
            .await
            .unwrap();
        // The user copied something else meanwhile: leave it.
        *rec.current.lock().unwrap() = Some("user text".to_owned());
        assert!(!handle.clear_if(h).await);
        assert_eq!(rec.current.lock().unwrap().as_deref(), Some("user text"));
        let h = handle
            .set(Zeroizing::new("fake-token-2".to_owned()))
            .await
            .unwrap();
        assert!(handle.clear_if(h).await);
        assert_eq!(*rec.current.lock().unwrap(), None);
    }
}
