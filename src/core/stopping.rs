//! A process that is stopping (a signal, Quit): work not yet begun is not begun, a wait for an
//! account's lock ends, and a provider request still waiting for its answer is abandoned, as
//! a timeout would leave it: nothing was received, so nothing is lost. Storing what a
//! provider already answered is never cut short.

use std::sync::Arc;

use tokio::sync::watch;

/// Whether this process is stopping. Cheap to clone; clones share the flag.
#[derive(Debug, Clone)]
pub(crate) struct Stopping(Arc<watch::Sender<bool>>);

impl Default for Stopping {
    fn default() -> Self {
        Self(Arc::new(watch::Sender::new(false)))
    }
}

impl Stopping {
    /// Starts stopping (for good).
    pub(crate) fn stop(&self) {
        self.0.send_replace(true);
    }

    /// Whether stopping has begun.
    pub(crate) fn is_set(&self) -> bool {
        *self.0.borrow()
    }

    /// Returns once stopping has begun.
    pub(crate) async fn begun(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives as long as `self`: `wait_for` ends only when the flag is set.
        let _set = rx.wait_for(|s| *s).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_when_stopping_begins() {
        let stopping = Stopping::default();
        assert!(!stopping.is_set());
        let waiter = {
            let s = stopping.clone();
            tokio::spawn(async move { s.begun().await })
        };
        stopping.stop();
        waiter.await.unwrap();
        assert!(stopping.is_set());
        // Once set, a new waiter returns at once.
        stopping.begun().await;
    }
}
