//! What tests have asked to go wrong (spec §6 items 22–30): switches that stay on
//! (down, blocked, a rejected command type) and a queue of one-shot faults, each spent
//! on one request in the order it was injected.
//!
//! This module only keeps the wishes. Acting on them (closing sockets, holding or
//! cutting answers, refusing) is the engine's and the server's job, so the rules of
//! the ledger never see a fault except as a forced result code.

use std::collections::VecDeque;

use super::Fault;

#[derive(Debug, Default)]
pub(crate) struct FaultState {
    /// One-shot faults, oldest first.
    queue: VecDeque<Fault>,
    /// Every connection is closed at once (item 23).
    pub down: bool,
    /// Every request answers 15 with this text (item 30).
    pub block: Option<String>,
    /// `(command, result code)` until cleared (item 27).
    rejects: Vec<(i32, u32)>,
}

impl FaultState {
    pub fn inject(&mut self, fault: Fault) {
        match fault {
            Fault::Down => self.down = true,
            Fault::Up => self.down = false,
            Fault::Block { text } => self.block = Some(text),
            Fault::Unblock => self.block = None,
            Fault::RejectCommand { command, code } => {
                self.rejects.retain(|&(c, _)| c != command);
                self.rejects.push((command, code));
            }
            one_shot => self.queue.push_back(one_shot),
        }
    }

    /// Forgets every fault, including the switches: the operator works normally again.
    pub fn clear(&mut self) {
        *self = FaultState::default();
    }

    /// The one-shot fault the next request meets, if any; it is spent.
    pub fn take_next(&mut self) -> Option<Fault> {
        self.queue.pop_front()
    }

    /// The code every request with this command gets, if its type is rejected.
    pub fn rejection(&self, command: i32) -> Option<u32> {
        self.rejects
            .iter()
            .find(|&&(c, _)| c == command)
            .map(|&(_, code)| code)
    }

    #[cfg(test)]
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_faults_are_spent_in_order() {
        let mut f = FaultState::default();
        f.inject(Fault::DropNextAnswer);
        f.inject(Fault::RefuseNext(254));
        assert_eq!(f.pending(), 2);
        assert_eq!(f.take_next(), Some(Fault::DropNextAnswer));
        assert_eq!(f.take_next(), Some(Fault::RefuseNext(254)));
        assert_eq!(f.take_next(), None);
    }

    #[test]
    fn switches_do_not_queue() {
        let mut f = FaultState::default();
        f.inject(Fault::Down);
        f.inject(Fault::Block {
            text: "stop".into(),
        });
        assert_eq!(f.pending(), 0);
        assert!(f.down);
        assert_eq!(f.block.as_deref(), Some("stop"));
        f.inject(Fault::Up);
        f.inject(Fault::Unblock);
        assert!(!f.down && f.block.is_none());
    }

    #[test]
    fn a_rejected_command_stays_rejected_until_cleared() {
        let mut f = FaultState::default();
        f.inject(Fault::RejectCommand {
            command: 6,
            code: 13,
        });
        f.inject(Fault::RejectCommand {
            command: 6,
            code: 14,
        });
        assert_eq!(f.rejection(6), Some(14));
        assert_eq!(f.rejection(6), Some(14), "not spent");
        assert_eq!(f.rejection(1), None);
        f.inject(Fault::Down);
        f.clear();
        assert_eq!(f.rejection(6), None);
        assert!(!f.down);
    }
}
