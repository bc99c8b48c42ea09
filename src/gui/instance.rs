//! One window at a time. The first window holds `window.lock` and listens on a loopback port
//! written, with a random nonce, to `window.port` (both in the private state folder). A second
//! `renova` finds the lock taken, connects, sends the nonce, and the first window comes to the
//! front.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::core::files::write_atomic;
use crate::core::lock::{self, LockGuard, LockWaitError};
use crate::core::paths::Paths;

/// The outcome of trying to be the window.
pub(crate) enum Claim {
    /// This process is the window.
    First(InstanceGuard),
    /// Another window was asked to come to the front.
    Focused,
    /// Another window holds the lock but did not answer (its pid, if known).
    NoAnswer(Option<u32>),
    /// The state folder is unusable: open a window without the check (the core will say
    /// what is wrong with the folder).
    Unchecked,
}

/// Held by the one window.
pub struct InstanceGuard {
    _lock: LockGuard,
    listener: Option<TcpListener>,
    nonce: String,
}

impl InstanceGuard {
    /// Starts answering other instances; each request arrives on the returned channel and
    /// `wake` is called.
    pub fn listen(&mut self, wake: Box<dyn Fn() + Send>) -> Option<Receiver<()>> {
        let listener = self.listener.take()?;
        let nonce = self.nonce.clone();
        let (tx, rx) = channel();
        let started = std::thread::Builder::new()
            .name("renova-instance".to_owned())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    if answer(&stream, &nonce) {
                        if tx.send(()).is_err() {
                            break;
                        }
                        wake();
                    }
                }
            });
        started.ok().map(|_| rx)
    }
}

fn answer(stream: &TcpStream, nonce: &str) -> bool {
    if stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .is_err()
    {
        return false;
    }
    let mut line = String::new();
    let mut reader = BufReader::new(stream).take_limit();
    if reader.read_line(&mut line).is_err() || line.trim() != format!("focus {nonce}") {
        return false;
    }
    let mut writer = stream;
    // The window comes forward even if the asker left without reading the answer.
    if let Err(e) = writer.write_all(b"ok\n") {
        tracing::debug!("the second renova did not wait for the answer: {e}");
    }
    true
}

trait TakeLimit: Sized {
    fn take_limit(self) -> std::io::Take<Self>;
}

impl<R: std::io::Read> TakeLimit for R {
    fn take_limit(self) -> std::io::Take<Self> {
        std::io::Read::take(self, 256)
    }
}

fn random_hex() -> String {
    // Without randomness the nonce is guessable; all it guards is bringing the window forward.
    crate::core::random::hex_string::<16>().unwrap_or_else(|e| {
        tracing::warn!("no randomness for the window's nonce: {e}");
        "0".repeat(32)
    })
}

/// Becomes the window, or asks the existing one to come to the front.
pub(crate) fn claim(paths: &Paths) -> Claim {
    let lock_path = paths.state_dir.join("window.lock");
    let port_path = paths.state_dir.join("window.port");
    match lock::lock_blocking(&lock_path, Duration::ZERO) {
        Ok(guard) => {
            let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).ok();
            let nonce = random_hex();
            if let Some(port) = listener
                .as_ref()
                .and_then(|l| l.local_addr().ok())
                .map(|a| a.port())
                && let Err(e) = write_atomic(&port_path, format!("{port} {nonce}\n").as_bytes())
            {
                tracing::warn!("cannot write {}: {e}", port_path.display());
            }
            Claim::First(InstanceGuard {
                _lock: guard,
                listener,
                nonce,
            })
        }
        Err(LockWaitError::TimedOut(held)) => {
            if ask_to_focus(&port_path) {
                Claim::Focused
            } else {
                Claim::NoAnswer(held.pid)
            }
        }
        // The state folder is unusable: open a window anyway; the core will say what is wrong.
        Err(LockWaitError::Io(e)) => {
            tracing::warn!("single-instance check failed: {e}");
            Claim::Unchecked
        }
    }
}

fn ask_to_focus(port_path: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read_to_string(port_path) else {
        return false;
    };
    let mut parts = text.split_whitespace();
    let (Some(port), Some(nonce)) = (
        parts.next().and_then(|p| p.parse::<u16>().ok()),
        parts.next(),
    ) else {
        return false;
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    if stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .is_err()
    {
        return false;
    }
    if stream
        .write_all(format!("focus {nonce}\n").as_bytes())
        .is_err()
    {
        return false;
    }
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply).is_ok() && reply.trim() == "ok"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_claim_focuses_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let Claim::First(mut first) = claim(&paths) else {
            panic!("first claim must win")
        };
        let rx = first.listen(Box::new(|| {})).unwrap();
        assert!(matches!(claim(&paths), Claim::Focused));
        rx.recv_timeout(Duration::from_secs(2)).unwrap();
        drop(first);
        assert!(matches!(claim(&paths), Claim::First(_)));
    }
}
