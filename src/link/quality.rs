//! The connection quality the register reports in every service block
//! (`ServiceRequest.comm_quality`, spec §3.7): smoothed exchange time and the share of
//! exchanges that got no answer. The protocol names no units (gap 5); we send
//! milliseconds and percent, and say so in the notes.
//!
//! Pure bookkeeping in memory: it restarts with the process and never blocks a sale.

use sauda_ofd::v204::service_request::CommQuality;

/// Exponentially smoothed over roughly the last 16 exchanges.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quality {
    /// Smoothed exchange time, in 1/16 ms.
    time_x16: u64,
    /// Smoothed share of failed exchanges, in 1/16 percent.
    loss_x16: u64,
    samples: u32,
}

impl Quality {
    pub fn answered(&mut self, elapsed_ms: u64) {
        self.add(elapsed_ms, 0);
    }

    pub fn unanswered(&mut self, waited_ms: u64) {
        self.add(waited_ms, 100);
    }

    fn add(&mut self, ms: u64, loss_percent: u64) {
        if self.samples == 0 {
            self.time_x16 = ms * 16;
            self.loss_x16 = loss_percent * 16;
        } else {
            self.time_x16 = self.time_x16 - self.time_x16 / 16 + ms;
            self.loss_x16 = self.loss_x16 - self.loss_x16 / 16 + loss_percent;
        }
        self.samples = self.samples.saturating_add(1);
    }

    /// Nothing before the first exchange: there is nothing to report yet.
    pub fn report(&self) -> Option<CommQuality> {
        (self.samples > 0).then(|| CommQuality {
            avg_connect_time: u32::try_from(self.time_x16 / 16).unwrap_or(u32::MAX),
            avg_ping: None,
            loss_ratio: Some(u32::try_from(self.loss_x16 / 16).unwrap_or(100).min(100)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sample_sets_the_figures_and_later_ones_move_them_slowly() {
        let mut q = Quality::default();
        assert!(q.report().is_none());
        q.answered(40);
        let r = q.report().expect("one sample");
        assert_eq!((r.avg_connect_time, r.loss_ratio), (40, Some(0)));
        q.unanswered(5_000);
        let r = q.report().expect("two samples");
        assert!(r.avg_connect_time > 40 && r.avg_connect_time < 5_000);
        assert_eq!(r.loss_ratio, Some(6));
        for _ in 0..200 {
            q.unanswered(5_000);
        }
        assert_eq!(q.report().and_then(|r| r.loss_ratio), Some(100));
    }
}
