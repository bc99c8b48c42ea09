//! Process hardening done first thing at start: a crash must not write the secrets in memory
//! to a core file. On Unix the core-file limit is set to 0 (soft and hard, so no child can
//! raise it again); on Linux the process is also marked not dumpable, which likewise keeps
//! other programs of the same user from attaching a debugger to read its memory.

/// Turns core dumps off for this process. Failures are logged, never fatal.
pub fn no_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let zero = Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        if let Err(e) = setrlimit(Resource::Core, zero) {
            tracing::warn!("could not turn core dumps off: {e}");
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Err(e) =
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
    {
        tracing::warn!("could not mark the process not dumpable: {e}");
    }
}
