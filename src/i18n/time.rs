//! Times and durations as a person reads them in their language: `14:02` today, else
//! `02/12/2026 07:31` (Portuguese) or `Dec 2, 2026 07:31` (English); "1 dia", "23 h 59 min".
//! The settings' editable durations keep the parseable `15m` form (`core::clock`).

use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::i18n::Lang;

/// A time: `14:02` when it falls on `now`'s day, else with its date.
pub(crate) fn date_time(t: Timestamp, now: Timestamp, lang: Lang) -> String {
    date_time_in(t, now, lang, &TimeZone::system())
}

/// A time with its date, always: `Dec 9, 2026 14:02`, `09/12/2026 14:02`.
pub(crate) fn full_date_time(t: Timestamp, lang: Lang) -> String {
    let zt = t.to_zoned_datetime(TimeZone::system());
    match lang {
        Lang::PtBr => zt.strftime("%d/%m/%Y %H:%M").to_string(),
        Lang::En => zt.strftime("%b %-d, %Y %H:%M").to_string(),
    }
}

fn date_time_in(t: Timestamp, now: Timestamp, lang: Lang, tz: &TimeZone) -> String {
    let zt = t.to_zoned_datetime(tz.clone());
    if zt.date() == now.to_zoned_datetime(tz.clone()).date() {
        return zt.strftime("%H:%M").to_string();
    }
    match lang {
        Lang::PtBr => zt.strftime("%d/%m/%Y %H:%M").to_string(),
        Lang::En => zt.strftime("%b %-d, %Y %H:%M").to_string(),
    }
}

/// A duration in at most its two largest units: "1 day", "2 days 3 h", "23 h 59 min",
/// "45 min", "30 s".
pub(crate) fn duration(d: Duration, lang: Lang) -> String {
    let s = d.as_secs();
    let (days, hours, minutes) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    let day = |n: u64| match (lang, n) {
        (Lang::En, 1) => "1 day".to_owned(),
        (Lang::En, n) => format!("{n} days"),
        (Lang::PtBr, 1) => "1 dia".to_owned(),
        (Lang::PtBr, n) => format!("{n} dias"),
    };
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => day(d),
        (d, h, _) => format!("{} {h} h", day(d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn dates_follow_the_language() {
        let utc = TimeZone::UTC;
        let now = at("2026-12-01T12:00:00Z");
        let t = at("2026-12-02T07:31:00Z");
        assert_eq!(date_time_in(t, now, Lang::PtBr, &utc), "02/12/2026 07:31");
        assert_eq!(date_time_in(t, now, Lang::En, &utc), "Dec 2, 2026 07:31");
        let today = at("2026-12-01T14:02:00Z");
        assert_eq!(date_time_in(today, now, Lang::PtBr, &utc), "14:02");
    }

    #[test]
    fn durations_follow_the_language() {
        let d = |s| Duration::from_secs(s);
        assert_eq!(duration(d(86_400), Lang::PtBr), "1 dia");
        assert_eq!(duration(d(86_400), Lang::En), "1 day");
        assert_eq!(
            duration(d(2 * 86_400 + 3 * 3600 + 60), Lang::PtBr),
            "2 dias 3 h"
        );
        assert_eq!(
            duration(d(23 * 3600 + 59 * 60 + 59), Lang::En),
            "23 h 59 min"
        );
        assert_eq!(duration(d(3600), Lang::En), "1 h");
        assert_eq!(duration(d(45 * 60 + 5), Lang::En), "45 min");
        assert_eq!(duration(d(30), Lang::PtBr), "30 s");
    }
}
