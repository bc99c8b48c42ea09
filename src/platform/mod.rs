//! The desktop around Renova's front-ends, behind ports so tests can record what happened: the
//! clipboard (with its sensitivity hint and clear-if-still-ours) and the one timed copy of a
//! token over it, notifications, opening a
//! URL, and the signals that end a long-running process. The window and the background agent both use them.

pub(crate) mod clipboard;
pub(crate) mod copy;
pub(crate) mod desktop;
pub(crate) mod signals;
