//! Spacing between actions anyone can ask for: the tray's menu is a D-Bus object any process of
//! the user can call, so its "Refresh all now" and "Copy token" are let through at most once a
//! period. Time is a parameter (monotonic, as [`crate::core::clock::Clock::elapsed`] gives it).

use std::time::Duration;

/// "Refresh all now" from the tray: at most once per 30 s.
pub(crate) const REFRESH_ALL_EVERY: Duration = Duration::from_secs(30);

/// "Copy token" from the tray: at most once per second.
pub(crate) const COPY_EVERY: Duration = Duration::from_secs(1);

/// Lets an action through at most once per `every`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Throttle {
    every: Duration,
    /// When the last action was let through (monotonic).
    last: Option<Duration>,
}

impl Throttle {
    /// Lets the first action through at once, then one per `every`.
    pub(crate) const fn new(every: Duration) -> Self {
        Self { every, last: None }
    }

    /// Whether an action asked for at `now` may run; if so, the period starts again from `now`.
    /// A clock that went back (it should not: it is monotonic) lets the action through.
    pub(crate) fn allow(&mut self, now: Duration) -> bool {
        let open = self
            .last
            .is_none_or(|last| now < last || now - last >= self.every);
        if open {
            self.last = Some(now);
        }
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_action_per_period_and_the_refused_ones_do_not_extend_it() {
        let s = Duration::from_secs;
        let mut t = Throttle::new(s(30));
        assert!(t.allow(s(100)));
        assert!(!t.allow(s(100)));
        assert!(!t.allow(s(110)));
        assert!(!t.allow(s(129)));
        assert!(
            t.allow(s(130)),
            "refusals at 110 and 129 did not push the period on"
        );
        assert!(!t.allow(s(131)));
        assert!(
            t.allow(s(5)),
            "a clock that went back does not lock the action out"
        );
    }

    #[test]
    fn the_tray_limits() {
        let mut copy = Throttle::new(COPY_EVERY);
        let ms = Duration::from_millis;
        let allowed = (0..20).filter(|i| copy.allow(ms(i * 100))).count();
        assert_eq!(allowed, 2, "two seconds of clicks every 100 ms copy twice");
        let mut all = Throttle::new(REFRESH_ALL_EVERY);
        let allowed = (0..5).filter(|i| all.allow(ms(i * 200))).count();
        assert_eq!(
            allowed, 1,
            "five clicks in a second refresh everything once"
        );
    }
}
