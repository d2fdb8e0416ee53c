//! What the printer says about itself: the four `DLE EOT n` replies (devices.md §3.1)
//! read into one status, and whether a receipt may be printed now (items 83–84: a
//! document the printer cannot print is not printed half-way).
//!
//! Pure: the bytes come from a transport; no answer at all is the caller's "unknown".

/// `DLE EOT n` for n = 1…4: printer, offline cause, error cause, roll paper sensor.
pub fn query(n: u8) -> [u8; 3] {
    [0x10, 0x04, n]
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    pub offline: bool,
    pub cover_open: bool,
    pub paper_end: bool,
    pub near_end: bool,
    pub cutter_error: bool,
    pub unrecoverable: bool,
    pub error: bool,
}

impl PrinterStatus {
    /// From the replies to n = 1…4 (`None`: that query got no answer).
    pub fn from_replies(r: [Option<u8>; 4]) -> PrinterStatus {
        let bit = |reply: Option<u8>, mask: u8| reply.is_some_and(|b| b & mask == mask);
        PrinterStatus {
            offline: bit(r[0], 0x08),
            cover_open: bit(r[1], 0x04),
            paper_end: bit(r[3], 0x60) || bit(r[1], 0x20),
            near_end: bit(r[3], 0x0C),
            cutter_error: bit(r[2], 0x08),
            unrecoverable: bit(r[2], 0x20),
            error: bit(r[1], 0x40),
        }
    }

    /// Why a receipt cannot be printed now, in both languages, or `None` if it can.
    pub fn blocker(&self) -> Option<&'static str> {
        if self.paper_end {
            Some("Қағаз бітті / Закончилась бумага")
        } else if self.cover_open {
            Some("Қақпақ ашық / Открыта крышка принтера")
        } else if self.cutter_error || self.unrecoverable || self.error {
            Some("Принтер қатесі / Ошибка принтера")
        } else if self.offline {
            Some("Принтер желіде емес / Принтер не в сети")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// devices.md §3.1, "Typical replies".
    #[test]
    fn the_typical_replies_read_as_the_spec_says() {
        let ready = PrinterStatus::from_replies([Some(0x12); 4]);
        assert_eq!(ready, PrinterStatus::default());
        assert_eq!(ready.blocker(), None);
        let near = PrinterStatus::from_replies([Some(0x12), Some(0x12), Some(0x12), Some(0x1E)]);
        assert!(
            near.near_end && near.blocker().is_none(),
            "near end still prints"
        );
        for r4 in [0x7E, 0x72] {
            let out = PrinterStatus::from_replies([Some(0x1A), Some(0x32), Some(0x12), Some(r4)]);
            assert!(out.paper_end && out.offline, "{r4:02X}");
            assert!(out.blocker().is_some_and(|b| b.contains("бумага")));
        }
        let cover = PrinterStatus::from_replies([Some(0x1A), Some(0x16), Some(0x12), None]);
        assert!(cover.cover_open && !cover.paper_end);
        assert!(cover.blocker().is_some_and(|b| b.contains("крышка")));
    }

    #[test]
    fn silence_is_not_read_as_a_fault() {
        assert_eq!(
            PrinterStatus::from_replies([None; 4]),
            PrinterStatus::default()
        );
        assert_eq!(query(4), [0x10, 0x04, 0x04]);
    }
}
