//! The simulator's clock and the calendar arithmetic it needs: "now" is either the
//! system clock or a time a test pinned with `Simulator::set_now`, and protocol dates
//! are local wall-clock values (spec §0.2), so a Unix time is turned into a civil date
//! in Kazakhstan's zone (UTC+5) here.
//!
//! Only the simulator uses this; it must not grow into a general date library. Dates
//! that arrive in requests are never converted: the operator stores them as received.

use std::time::{SystemTime, UNIX_EPOCH};

/// Kazakhstan has used one zone, UTC+5, since March 2024.
const ZONE_OFFSET_MS: i64 = 5 * 3_600_000;

/// A local date and time as the protocol's `DateTime` carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Civil {
    /// The local civil time of a Unix time in milliseconds.
    pub fn from_unix_ms(unix_ms: i64) -> Civil {
        let local = unix_ms.saturating_add(ZONE_OFFSET_MS);
        let days = local.div_euclid(86_400_000);
        let in_day = local.rem_euclid(86_400_000) / 1000;
        let (year, month, day) = civil_from_days(days);
        // `in_day` is below 86 400, so these fit in u32.
        let secs = u32::try_from(in_day).unwrap_or(0);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }

    /// `YYYYMMDDTHHMMSS`, the `t` parameter of the receipt-check link.
    pub fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `DD.MM.YYYY HH:MM:SS`, as printed on a receipt.
    pub fn printed(&self) -> String {
        format!(
            "{:02}.{:02}.{:04} {:02}:{:02}:{:02}",
            self.day, self.month, self.year, self.hour, self.minute, self.second
        )
    }
}

/// The current time in Unix milliseconds: the pinned value if a test set one.
pub(crate) fn now_ms(pinned: Option<i64>) -> i64 {
    pinned.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    })
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day) in
/// the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let to_u32 = |v: i64| u32::try_from(v).unwrap_or(0);
    (to_u32(year), to_u32(month), to_u32(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_is_five_in_the_morning_in_almaty() {
        let c = Civil::from_unix_ms(0);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute),
            (1970, 1, 1, 5, 0)
        );
    }

    #[test]
    fn a_known_instant_converts() {
        // 2024-02-29T18:30:15Z is 23:30:15 local on a leap day.
        let c = Civil::from_unix_ms(1_709_231_415_000);
        assert_eq!(
            c,
            Civil {
                year: 2024,
                month: 2,
                day: 29,
                hour: 23,
                minute: 30,
                second: 15
            }
        );
        assert_eq!(c.compact(), "20240229T233015");
        assert_eq!(c.printed(), "29.02.2024 23:30:15");
    }

    #[test]
    fn a_local_midnight_rolls_the_date() {
        // 2025-12-31T19:00:00Z is 2026-01-01 00:00 local.
        let c = Civil::from_unix_ms(1_767_207_600_000);
        assert_eq!((c.year, c.month, c.day, c.hour), (2026, 1, 1, 0));
    }

    #[test]
    fn a_pinned_clock_wins() {
        assert_eq!(now_ms(Some(42)), 42);
        assert!(now_ms(None) > 1_700_000_000_000);
    }
}
