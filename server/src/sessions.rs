//! Session tokens for the HTTP transport: a PIN (a register's user) or an inspector's
//! login and password buys a random token that stands for that person until logout,
//! until it has been idle too long, or until its absolute lifetime ends.
//!
//! A PIN session belongs to the one register it logged in to. An inspector's session
//! belongs to the address it logged in from: the same token from elsewhere is refused,
//! so a token copied off a screen or a log is worth nothing on another machine.
//! Tokens live in memory only: a restarted server asks everyone to log in again. This
//! module checks no PIN or password itself (the core and the access store do).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sauda::users::Caller;
use serde::Serialize;

/// Who a session stands for.
#[derive(Clone, Debug)]
pub enum Holder {
    /// A register's user, logged in with a PIN on `register`.
    Staff { caller: Caller, register: String },
    /// A tax inspector, who may read the listed registers (all when empty).
    Inspector {
        caller: Caller,
        login: String,
        registers: Vec<String>,
    },
}

impl Holder {
    pub fn caller(&self) -> &Caller {
        match self {
            Holder::Staff { caller, .. } | Holder::Inspector { caller, .. } => caller,
        }
    }

    /// How the audit log names this person.
    pub fn actor(&self) -> String {
        match self {
            Holder::Staff { caller, register } => format!("pin:{}@{register}", caller.name),
            Holder::Inspector { login, .. } => format!("inspector:{login}"),
        }
    }

    /// The register a request is about: the one it names, else a staff member's own;
    /// an inspector must name one on a server of several.
    pub fn register_named(&self, named: Option<String>) -> Option<String> {
        match (self, named) {
            (_, Some(id)) => Some(id),
            (Holder::Staff { register, .. }, None) => Some(register.clone()),
            (Holder::Inspector { .. }, None) => None,
        }
    }

    pub fn may_use(&self, register: &str) -> bool {
        match self {
            Holder::Staff { register: own, .. } => own == register,
            Holder::Inspector { registers, .. } => {
                registers.is_empty() || registers.iter().any(|r| r == register)
            }
        }
    }
}

/// How long sessions live.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// A session unused this long ends.
    pub idle: Duration,
    /// No session lives longer than this, used or not.
    pub absolute: Duration,
}

struct Live {
    holder: Holder,
    from: IpAddr,
    opened: Instant,
    used: Instant,
}

/// Why a token was not accepted: each is logged differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Never issued, or ended by logout (a replayed token).
    Unknown,
    Expired,
    /// An inspector's token presented from another address.
    OtherAddress,
}

/// A connected person, for the administrator's "who is connected" list.
#[derive(Clone, Debug, Serialize)]
pub struct Connected {
    pub actor: String,
    pub from: String,
    pub idle_seconds: u64,
    pub age_seconds: u64,
}

pub struct Sessions {
    staff: Lifetimes,
    inspector: Lifetimes,
    live: Mutex<HashMap<String, Live>>,
}

impl Sessions {
    /// Staff at a till stay logged in through a working day; an inspector's remote
    /// session is kept short.
    pub fn new(staff: Lifetimes, inspector: Lifetimes) -> Sessions {
        Sessions {
            staff,
            inspector,
            live: Mutex::new(HashMap::new()),
        }
    }

    /// A new token for `holder`, logged in from `from`.
    pub fn open(&self, holder: Holder, from: IpAddr) -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let token = hex::encode(bytes);
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        live.retain(|_, s| self.alive(s, now));
        live.insert(
            token.clone(),
            Live {
                holder,
                from,
                opened: now,
                used: now,
            },
        );
        Ok(token)
    }

    fn alive(&self, s: &Live, now: Instant) -> bool {
        let l = match s.holder {
            Holder::Staff { .. } => self.staff,
            Holder::Inspector { .. } => self.inspector,
        };
        now.duration_since(s.used) < l.idle && now.duration_since(s.opened) < l.absolute
    }

    /// The person behind `token` asking from `from`; touching it keeps it alive.
    pub fn holder(&self, token: &str, from: IpAddr) -> Result<Holder, TokenRefusal> {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let Some(s) = live.get_mut(token) else {
            return Err(TokenRefusal::Unknown);
        };
        if !self.alive(s, now) {
            live.remove(token);
            return Err(TokenRefusal::Expired);
        }
        if matches!(s.holder, Holder::Inspector { .. }) && s.from != from {
            return Err(TokenRefusal::OtherAddress);
        }
        s.used = now;
        Ok(s.holder.clone())
    }

    /// Ends the session (logout); the token is refused from now on.
    pub fn close(&self, token: &str) -> Option<Holder> {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.remove(token).map(|s| s.holder)
    }

    /// Everyone connected now.
    pub fn connected(&self) -> Vec<Connected> {
        let live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let mut out: Vec<Connected> = live
            .values()
            .filter(|s| self.alive(s, now))
            .map(|s| Connected {
                actor: s.holder.actor(),
                from: s.from.to_string(),
                idle_seconds: now.duration_since(s.used).as_secs(),
                age_seconds: now.duration_since(s.opened).as_secs(),
            })
            .collect();
        out.sort_by(|a, b| a.actor.cmp(&b.actor));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauda::users::Role;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
    const THERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 7));

    fn cashier() -> Holder {
        Holder::Staff {
            caller: Caller {
                user_id: 3,
                name: "Айгүл".into(),
                role: Role::Cashier,
            },
            register: "till-1".into(),
        }
    }

    fn inspector() -> Holder {
        Holder::Inspector {
            caller: Caller {
                user_id: -1,
                name: "Иванов".into(),
                role: Role::Inspector,
            },
            login: "ivanov".into(),
            registers: vec!["till-2".into()],
        }
    }

    fn sessions(idle_ms: u64, absolute_ms: u64) -> Sessions {
        let l = Lifetimes {
            idle: Duration::from_millis(idle_ms),
            absolute: Duration::from_millis(absolute_ms),
        };
        Sessions::new(l, l)
    }

    #[test]
    fn a_token_stands_for_its_holder_until_closed_and_is_not_replayable() {
        let s = sessions(60_000, 60_000);
        let token = s.open(cashier(), HERE).expect("random token");
        assert_eq!(token.len(), 64);
        let holder = s.holder(&token, HERE).expect("live");
        assert_eq!(holder.caller().user_id, 3);
        assert!(holder.may_use("till-1") && !holder.may_use("till-2"));
        assert_eq!(
            s.holder("not-a-token", HERE).err(),
            Some(TokenRefusal::Unknown)
        );
        assert!(s.close(&token).is_some());
        assert_eq!(s.holder(&token, HERE).err(), Some(TokenRefusal::Unknown));
    }

    #[test]
    fn idle_and_old_sessions_end() {
        let s = sessions(30, 60_000);
        let token = s.open(cashier(), HERE).expect("random token");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(s.holder(&token, HERE).err(), Some(TokenRefusal::Expired));
        // Used all the time, yet over its absolute lifetime.
        let s = sessions(60_000, 80);
        let token = s.open(cashier(), HERE).expect("random token");
        std::thread::sleep(Duration::from_millis(50));
        assert!(s.holder(&token, HERE).is_ok());
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(s.holder(&token, HERE).err(), Some(TokenRefusal::Expired));
    }

    #[test]
    fn an_inspectors_token_works_only_from_where_it_logged_in() {
        let s = sessions(60_000, 60_000);
        let token = s.open(inspector(), HERE).expect("random token");
        assert_eq!(
            s.holder(&token, THERE).err(),
            Some(TokenRefusal::OtherAddress)
        );
        let holder = s.holder(&token, HERE).expect("same address");
        assert!(holder.may_use("till-2") && !holder.may_use("till-1"));
        assert_eq!(holder.actor(), "inspector:ivanov");
        assert_eq!(s.connected().len(), 1);
    }
}
