//! The window's view and control of the agent, behind a port (tests record): whether it runs,
//! whether it starts at login, and the Settings switch that turns both on or off.

use std::sync::Mutex;

use crate::agent::{autostart, instance};
use crate::core::config::Switch;
use crate::core::error::{Error, Result};
use crate::core::paths::Paths;

/// What the window shows of the agent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Background {
    /// An agent runs now.
    pub running: bool,
    /// It starts at login.
    pub at_login: bool,
}

/// The window's control of the agent.
pub trait AgentControl: Send + Sync {
    /// How things stand now.
    fn status(&self) -> Background;
    /// "Keep tokens fresh when Renova is closed": on installs the login item and starts the
    /// agent; off removes the login item and stops the agent.
    fn set(&self, switch: Switch) -> Result<()>;
}

/// The real agent of this profile.
#[derive(Debug, Clone)]
pub(crate) struct SystemAgent {
    paths: Paths,
}

impl SystemAgent {
    /// Control of the agent of the profile at `paths`.
    pub(crate) fn new(paths: Paths) -> Self {
        Self { paths }
    }

    fn runs(&self) -> bool {
        matches!(
            instance::running(&self.paths),
            Ok(instance::Presence::Running(_))
        )
    }
}

impl AgentControl for SystemAgent {
    fn status(&self) -> Background {
        Background {
            running: self.runs(),
            at_login: autostart::installed(),
        }
    }

    fn set(&self, switch: Switch) -> Result<()> {
        match switch {
            Switch::On => {
                autostart::install()?;
                if !self.runs() {
                    start()?;
                }
            }
            Switch::Off => {
                autostart::uninstall()?;
                if let Ok(instance::Presence::Running(Some(pid))) = instance::running(&self.paths) {
                    stop(pid)?;
                }
            }
        }
        Ok(())
    }
}

/// Starts `renova agent` on its own: outside this process group, so closing the terminal the
/// window was started from does not end it (tokio reaps it if it ends first).
fn start() -> Result<()> {
    let exe =
        std::env::current_exe().map_err(|e| Error::io("finding renova's own path", "renova", e))?;
    let mut cmd = tokio::process::Command::new(exe);
    cmd.arg("agent")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    #[cfg(unix)]
    cmd.process_group(0);
    cmd.spawn()
        .map(drop)
        .map_err(|e| Error::io("starting the agent", "renova agent", e))
}

/// Asks the agent to end the normal way (SIGTERM: it clears its clipboard first).
fn stop(pid: u32) -> Result<()> {
    #[cfg(unix)]
    {
        let raw = i32::try_from(pid).ok();
        let Some(pid) = raw.and_then(rustix::process::Pid::from_raw) else {
            return Ok(());
        };
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .map_err(|e| Error::io("stopping the agent", "renova agent", e.into()))
    }
    #[cfg(not(unix))]
    {
        let _unused = pid;
        Ok(())
    }
}

/// Records the switch (tests).
#[derive(Debug, Default)]
pub struct RecordingAgent {
    /// How things stand.
    pub state: Mutex<Background>,
}

impl AgentControl for RecordingAgent {
    fn status(&self) -> Background {
        self.state.lock().map(|s| *s).unwrap_or_default()
    }

    fn set(&self, switch: Switch) -> Result<()> {
        if let Ok(mut s) = self.state.lock() {
            *s = Background {
                running: switch.is_on(),
                at_login: switch.is_on(),
            };
        }
        Ok(())
    }
}
