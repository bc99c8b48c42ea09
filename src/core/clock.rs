//! Time as a parameter. Everything that decides on expiry takes `now`; the few places that
//! must read the clock get it from a [`Clock`], so tests and the demo can move time.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// A source of the current time: the wall clock (what expiry is measured in), and a
/// monotonic one (what timers are measured in: it never jumps when the wall clock is set).
pub trait Clock: Send + Sync {
    /// The current wall-clock time.
    fn now(&self) -> Timestamp;

    /// Monotonic time since an arbitrary start; only differences mean anything.
    fn elapsed(&self) -> Duration;
}

/// The real clocks.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn elapsed(&self) -> Duration {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
}

/// Adds a `std` duration to a timestamp, saturating at the end of time.
pub(crate) fn add(t: Timestamp, d: Duration) -> Timestamp {
    let d = SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX);
    t.checked_add(d).unwrap_or(Timestamp::MAX)
}

/// Subtracts a `std` duration from a timestamp, saturating at the start of time.
pub(crate) fn sub(t: Timestamp, d: Duration) -> Timestamp {
    let d = SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX);
    t.checked_sub(d).unwrap_or(Timestamp::MIN)
}

/// Seconds from `now` until `t` (negative when `t` is past).
pub(crate) fn seconds_until(now: Timestamp, t: Timestamp) -> i64 {
    t.as_second() - now.as_second()
}

/// Reads `90s`, `15m`, `25h`, `1h30m`, `2d`.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    humantime::parse_duration(s).ok()
}

/// Writes a duration the way `parse_duration` reads it and people say it: `90s`, `15m`,
/// `25h`, `1h30m`, `2d3h`. Under two minutes stays in seconds (`60s`, not `1m`).
pub(crate) fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 120 {
        return format!("{s}s");
    }
    let (days, hours, minutes, seconds) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let mut out = String::new();
    for (n, unit) in [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    out
}

/// `HH:MM:SS` for a countdown; hours grow past 99 if needed, negative time shows `00:00:00`.
/// From this many seconds left, a countdown is days away (a static token's weeks): said with
/// its days apart, or in words to the minute.
pub(crate) const DAYS_AWAY: i64 = 2 * 86_400;

pub(crate) fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    // Days away: the days apart, `5d 03:00:00`.
    let (days, s) = if s >= DAYS_AWAY {
        (Some(s / 86_400), s % 86_400)
    } else {
        (None, s)
    };
    let clock = format!("{:02}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60);
    match days {
        Some(d) => format!("{d}d {clock}"),
        None => clock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_write() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("25h"), Some(Duration::from_secs(90000)));
        assert_eq!(parse_duration(" 1h30m "), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("15"), None);
        assert_eq!(format_duration(Duration::from_secs(600)), "10m");
        assert_eq!(format_duration(Duration::from_secs(60)), "60s");
        assert_eq!(format_duration(Duration::from_secs(90)), "90s");
        assert_eq!(format_duration(Duration::from_secs(90000)), "1d1h");
        assert_eq!(format_duration(Duration::from_secs(5430)), "1h30m30s");
        assert_eq!(
            parse_duration(&format_duration(Duration::from_secs(5400))),
            Some(Duration::from_secs(5400))
        );
    }

    #[test]
    fn countdown_is_hh_mm_ss_with_days_apart_from_two_days() {
        assert_eq!(countdown(0), "00:00:00");
        assert_eq!(countdown(-5), "00:00:00");
        assert_eq!(countdown(86399), "23:59:59");
        assert_eq!(countdown(3661), "01:01:01");
        assert_eq!(countdown(2 * 86_400 - 1), "47:59:59");
        assert_eq!(countdown(5 * 86_400 + 3 * 3600), "5d 03:00:00");
        // Days away: the days apart (was "100:00:00" before static tokens counted weeks).
        assert_eq!(countdown(100 * 3600), "4d 04:00:00");
    }

    #[test]
    fn add_saturates() {
        assert_eq!(add(Timestamp::MAX, Duration::from_secs(5)), Timestamp::MAX);
    }
}
