//! Tells a keyboard-wedge scanner's bursts from a person typing, by timing alone
//! (devices.md §5.2, "Telling scans from typing").
//!
//! A scanner types a burst at 2–10 ms per key and ends it with Enter or Tab; people need
//! 50 ms or more per key. The caller feeds keys with the time they arrived and calls
//! [`KeystrokeDecoder::idle`] from its own timer: this module has no clock and no thread,
//! and it must not repair the keyboard layout (that is `normalise`'s job, after the AIM
//! prefix has been seen).

/// One key as the keyboard hook reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Tab,
    /// Ctrl+] seen by raw key decoding: the scanner's FNC1 separator (devices.md §5.2).
    GroupSeparator,
}

/// The timing rule of devices.md §5.2; the defaults are Sauda's rule there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeystrokeRules {
    /// Longest gap between two keys of one scan.
    pub max_gap_ms: u32,
    /// Fewest characters (terminator not counted) a scan has.
    pub min_len: usize,
    /// How long after the last character the terminator may come.
    pub terminator_wait_ms: u32,
}

impl Default for KeystrokeRules {
    fn default() -> Self {
        KeystrokeRules {
            max_gap_ms: 30,
            min_len: 6,
            terminator_wait_ms: 100,
        }
    }
}

/// What a run of keys turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A scanner's burst without its terminator; GS is `'\u{1d}'`.
    Scan(String),
    /// Keys a person typed, handed over as text; Enter is `'\n'` and Tab `'\t'` so the
    /// field still sees its submit key.
    Typed(String),
}

/// Collects keys into bursts and decides, at the terminator or at the idle timeout,
/// whether a burst was a scan.
#[derive(Debug, Clone)]
pub struct KeystrokeDecoder {
    rules: KeystrokeRules,
    buffer: String,
    last_at: u64,
    /// A gap above `max_gap_ms` inside the burst: a person, however fast the rest was.
    slow: bool,
}

impl KeystrokeDecoder {
    pub fn new(rules: KeystrokeRules) -> Self {
        KeystrokeDecoder {
            rules,
            buffer: String::new(),
            last_at: 0,
            slow: false,
        }
    }

    /// Feeds one key that arrived at `at_ms`; returns whatever this key completed.
    pub fn push(&mut self, key: Key, at_ms: u64) -> Vec<Decoded> {
        // A key after the terminator wait first ends the old burst, exactly as a timely
        // `idle` call would have: a human "5" then a scan 300 ms later are two things.
        let mut out = self.idle(at_ms);
        let ch = match key {
            Key::Char(c) => c,
            Key::GroupSeparator => '\u{1d}',
            Key::Enter | Key::Tab => {
                let terminator = if key == Key::Enter { '\n' } else { '\t' };
                let burst = std::mem::take(&mut self.buffer);
                let is_scan = !self.slow && burst.chars().count() >= self.rules.min_len;
                self.slow = false;
                push_merged(
                    &mut out,
                    if is_scan {
                        Decoded::Scan(burst)
                    } else {
                        Decoded::Typed(format!("{burst}{terminator}"))
                    },
                );
                return out;
            }
        };
        if !self.buffer.is_empty() && gap(self.last_at, at_ms) > u64::from(self.rules.max_gap_ms) {
            self.slow = true;
        }
        self.buffer.push(ch);
        self.last_at = at_ms;
        out
    }

    /// Tells the decoder the time is `now_ms`; a burst whose terminator did not come
    /// within the wait is handed over as typed text.
    pub fn idle(&mut self, now_ms: u64) -> Vec<Decoded> {
        if self.buffer.is_empty()
            || gap(self.last_at, now_ms) <= u64::from(self.rules.terminator_wait_ms)
        {
            return Vec::new();
        }
        self.slow = false;
        vec![Decoded::Typed(std::mem::take(&mut self.buffer))]
    }

    /// Hands over whatever is buffered as typed text (the field lost focus, the app closes).
    pub fn flush(&mut self) -> Vec<Decoded> {
        self.slow = false;
        if self.buffer.is_empty() {
            return Vec::new();
        }
        vec![Decoded::Typed(std::mem::take(&mut self.buffer))]
    }
}

/// Out-of-order timestamps (two hooks, a clock step) count as no gap at all.
fn gap(from: u64, to: u64) -> u64 {
    to.saturating_sub(from)
}

/// Adjacent typed pieces are one piece of typing for the field that receives them.
fn push_merged(out: &mut Vec<Decoded>, next: Decoded) {
    if let (Some(Decoded::Typed(prev)), Decoded::Typed(more)) = (out.last_mut(), &next) {
        prev.push_str(more);
        return;
    }
    out.push(next);
}

/// Decodes a whole recorded stream; whatever is left at the end is typed text.
pub fn classify(keys: &[(Key, u64)], rules: KeystrokeRules) -> Vec<Decoded> {
    let mut decoder = KeystrokeDecoder::new(rules);
    let mut out = Vec::new();
    for &(key, at) in keys {
        for d in decoder.push(key, at) {
            push_merged(&mut out, d);
        }
    }
    for d in decoder.flush() {
        push_merged(&mut out, d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys of `text` starting at `start`, one every `gap` ms, then `end` after `gap`.
    fn burst(text: &str, start: u64, gap: u64, end: Option<Key>) -> Vec<(Key, u64)> {
        let mut keys: Vec<(Key, u64)> = text
            .chars()
            .map(|c| {
                if c == '\u{1d}' {
                    Key::GroupSeparator
                } else {
                    Key::Char(c)
                }
            })
            .zip((0..).map(|i| start + i * gap))
            .collect();
        if let Some(k) = end {
            keys.push((k, start + keys.len() as u64 * gap));
        }
        keys
    }

    fn scan(s: &str) -> Decoded {
        Decoded::Scan(s.into())
    }

    fn typed(s: &str) -> Decoded {
        Decoded::Typed(s.into())
    }

    #[test]
    fn timed_streams() {
        let human: Vec<(Key, u64)> = "4870123"
            .chars()
            .zip([0, 80, 230, 340, 470, 600, 720])
            .map(|(c, t)| (Key::Char(c), t))
            .chain([(Key::Enter, 850)])
            .collect();
        let paused: Vec<(Key, u64)> = "123456"
            .chars()
            .zip([0, 20, 40, 85, 105, 125])
            .map(|(c, t)| (Key::Char(c), t))
            .chain([(Key::Enter, 140)])
            .collect();
        let two_scans = [
            burst("4870123456789", 0, 3, Some(Key::Enter)),
            burst("96385074", 60, 4, Some(Key::Tab)),
        ]
        .concat();
        let human_then_scan = [
            vec![(Key::Char('5'), 0)],
            burst("4870123456789", 300, 4, Some(Key::Enter)),
        ]
        .concat();
        let marking = "0104870123456789215aB7cD\u{1d}93Xy9Z";
        for (name, keys, want) in [
            (
                "fast scanner",
                burst("4870123456789", 1000, 3, Some(Key::Enter)),
                vec![scan("4870123456789")],
            ),
            ("slow typist", human, vec![typed("4870123\n")]),
            ("one pause in a fast burst", paused, vec![typed("123456\n")]),
            (
                "no terminator",
                burst("4870123456789", 0, 3, None),
                vec![typed("4870123456789")],
            ),
            (
                "Russian layout scanner",
                burst("ъв2ЦиФ12", 0, 5, Some(Key::Enter)),
                vec![scan("ъв2ЦиФ12")],
            ),
            (
                "two scans back to back",
                two_scans,
                vec![scan("4870123456789"), scan("96385074")],
            ),
            (
                "typed 5 then a scan",
                human_then_scan,
                vec![typed("5"), scan("4870123456789")],
            ),
            (
                "Ctrl+] as GS",
                burst(marking, 0, 2, Some(Key::Enter)),
                vec![scan(marking)],
            ),
            (
                "too short for a scan",
                burst("12345", 0, 3, Some(Key::Enter)),
                vec![typed("12345\n")],
            ),
            (
                "terminator too late",
                burst("4870123456789", 0, 3, None)
                    .into_iter()
                    .chain([(Key::Enter, 36 + 150)])
                    .collect(),
                vec![typed("4870123456789\n")],
            ),
            ("lone Enter", vec![(Key::Enter, 5)], vec![typed("\n")]),
        ] {
            assert_eq!(classify(&keys, KeystrokeRules::default()), want, "{name}");
        }
    }

    #[test]
    fn idle_hands_a_burst_over_only_after_the_wait() {
        let mut decoder = KeystrokeDecoder::new(KeystrokeRules::default());
        for (key, at) in burst("4870123456789", 0, 3, None) {
            assert_eq!(decoder.push(key, at), vec![]);
        }
        assert_eq!(decoder.idle(36 + 100), vec![]);
        assert_eq!(decoder.idle(36 + 101), vec![typed("4870123456789")]);
        assert_eq!(decoder.idle(1000), vec![]);
        // The decoder is clean for the next scan.
        for (key, at) in burst("4870123456789", 2000, 3, None) {
            decoder.push(key, at);
        }
        assert_eq!(decoder.push(Key::Enter, 2040), vec![scan("4870123456789")]);
    }

    #[test]
    fn rules_are_configurable() {
        let rules = KeystrokeRules {
            max_gap_ms: 60,
            min_len: 8,
            terminator_wait_ms: 200,
        };
        for (keys, want) in [
            (burst("96385074", 0, 50, Some(Key::Enter)), scan("96385074")),
            (burst("9638507", 0, 5, Some(Key::Enter)), typed("9638507\n")),
            (
                burst("96385074", 0, 70, Some(Key::Enter)),
                typed("96385074\n"),
            ),
        ] {
            assert_eq!(classify(&keys, rules), vec![want]);
        }
    }
}
