//! The signals that end Renova's long-running processes the normal way: SIGTERM (`kill`,
//! logout), SIGINT (Ctrl+C) and SIGHUP (a closed terminal).

/// SIGTERM, SIGINT and SIGHUP (Ctrl+C where there are no signals).
pub(crate) struct Signals {
    #[cfg(unix)]
    each: [tokio::signal::unix::Signal; 3],
}

impl Signals {
    /// Starts watching them; `None` (logged) when the OS refuses.
    pub(crate) fn watch() -> Option<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let watched = [
                SignalKind::terminate(),
                SignalKind::interrupt(),
                SignalKind::hangup(),
            ]
            .map(signal);
            match watched {
                [Ok(term), Ok(int), Ok(hup)] => Some(Self {
                    each: [term, int, hup],
                }),
                _ => {
                    tracing::warn!("cannot watch SIGTERM, SIGINT and SIGHUP");
                    None
                }
            }
        }
        #[cfg(not(unix))]
        Some(Self {})
    }

    /// The next of them.
    pub(crate) async fn next(&mut self) {
        #[cfg(unix)]
        {
            let [term, int, hup] = &mut self.each;
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
                _ = hup.recv() => {}
            }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot watch Ctrl+C: {e}");
            std::future::pending::<()>().await;
        }
    }
}
