//! Why an authorization in the browser did not complete, and what went wrong while waiting
//! without ending the wait. Leaf types.

/// Why an authorization did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizeError {
    /// The loopback port is taken by another program.
    #[error("port {port} on {host} is already in use")]
    PortInUse {
        /// The host the listener tried.
        host: String,
        /// The port.
        port: u16,
    },
    /// The provider (or the user) refused the authorization.
    #[error("the authorization was refused: {error}")]
    Denied {
        /// The `error` of the callback.
        error: String,
        /// Its `error_description`, if any.
        description: Option<String>,
    },
    /// Nothing came within ten minutes.
    #[error("no authorization arrived within 10 minutes")]
    TimedOut,
}

/// A problem seen while waiting, reported but not fatal (Renova keeps waiting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitProblem {
    /// A callback arrived with a wrong or missing `state` (not from this authorization).
    WrongState,
    /// A pasted text was neither a redirected URL nor a code.
    BadPaste,
    /// A pasted URL carried another authorization's `state`.
    PastedWrongState,
}
