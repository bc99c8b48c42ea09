//! `renova agent`: Renova in the background, without a window or GL. It keeps every account
//! with automatic refresh fresh by the core's status rule (the window's lead times and
//! backoff), syncs Postman after each new token, shows one notification per permanent
//! failure, and sleeps until something is due. One runs per user; it starts at login when the
//! user turns that on; on Linux it puts an icon in the system tray when there is one.

pub mod autostart;
pub mod control;
pub mod endpoint;
pub mod engine;
pub mod instance;
pub mod probe;
#[cfg(target_os = "linux")]
pub mod tray;
pub mod watch;

pub use engine::{Agent, Wake};
