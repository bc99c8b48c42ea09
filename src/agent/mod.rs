//! `renova agent`: Renova in the background, without a window or GL. It keeps every account
//! with automatic refresh fresh by the core's status rule (the window's lead times and
//! backoff), syncs Postman after each new token, shows one notification per permanent
//! failure, and sleeps until something is due. One runs per user; it starts at login when the
//! user turns that on; on Linux it puts an icon in the system tray when there is one.

pub(crate) mod autostart;
pub(crate) mod control;
pub(crate) mod endpoint;
pub(crate) mod engine;
pub(crate) mod instance;
#[cfg(target_os = "linux")]
pub(crate) mod tray;
pub(crate) mod watch;

pub(crate) use engine::{Agent, Wake};
