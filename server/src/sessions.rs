//! Session tokens for the HTTP transport: a PIN buys a random token that stands for
//! the logged-in user until logout or until it has been idle too long.
//!
//! Tokens live in memory only: a restarted server asks for the PIN again, which is
//! what a till should do. This module checks no PIN itself (`Core::login` does).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sauda::users::Caller;

pub struct Sessions {
    idle: Duration,
    live: Mutex<HashMap<String, (Caller, Instant)>>,
}

impl Sessions {
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            idle,
            live: Mutex::new(HashMap::new()),
        }
    }

    /// A new token for `caller`.
    pub fn open(&self, caller: Caller) -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let token = hex::encode(bytes);
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        live.retain(|_, (_, used)| now.duration_since(*used) < self.idle);
        live.insert(token.clone(), (caller, now));
        Ok(token)
    }

    /// The user behind `token`, if the session is still alive; touching it keeps it so.
    pub fn caller(&self, token: &str) -> Option<Caller> {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        match live.get_mut(token) {
            Some((caller, used)) if now.duration_since(*used) < self.idle => {
                *used = now;
                Some(caller.clone())
            }
            Some(_) => {
                live.remove(token);
                None
            }
            None => None,
        }
    }

    pub fn close(&self, token: &str) {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sauda::users::Role;

    fn cashier() -> Caller {
        Caller {
            user_id: 3,
            name: "Айгүл".into(),
            role: Role::Cashier,
        }
    }

    #[test]
    fn a_token_stands_for_its_user_until_closed() {
        let s = Sessions::new(Duration::from_secs(60));
        let token = s.open(cashier()).expect("random token");
        assert_eq!(token.len(), 64);
        assert_eq!(s.caller(&token).map(|c| c.user_id), Some(3));
        assert!(s.caller("not-a-token").is_none());
        s.close(&token);
        assert!(s.caller(&token).is_none());
    }

    #[test]
    fn an_idle_session_ends() {
        let s = Sessions::new(Duration::from_millis(30));
        let token = s.open(cashier()).expect("random token");
        std::thread::sleep(Duration::from_millis(60));
        assert!(s.caller(&token).is_none());
    }
}
