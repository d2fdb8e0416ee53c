//! `sauda inspector …`: the tax inspector's accounts on a server and its access
//! log, for the administrator at the server's console. Passwords come from
//! `SAUDA_PASSWORD` or standard input, never from the command line, where other users
//! of the computer could read them.
//!
//! Wiring and printing only; the rules live in `sauda::remote_access`.

use std::io::BufRead;
use std::path::Path;

use anyhow::{Result, anyhow};
use sauda::remote_access::{AccessStore, AuditFilter, NewInspector};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::args::InspectorCommand;

pub fn run(data: &Path, command: InspectorCommand) -> Result<i32> {
    let now = OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let open = |state: &Option<std::path::PathBuf>| -> Result<AccessStore> {
        let dir = state.as_deref().unwrap_or(data);
        std::fs::create_dir_all(dir)?;
        Ok(AccessStore::open(dir)?)
    };
    match command {
        InspectorCommand::Add {
            login,
            name,
            registers,
            from,
            until,
            state,
        } => {
            let store = open(&state.state)?;
            let password = password()?;
            let valid_from_ms = from.as_deref().map(|d| day_ms(d, 0)).transpose()?;
            let valid_until_ms = until.as_deref().map(|d| day_ms(d, 1)).transpose()?;
            let added = store.add_inspector(
                &NewInspector {
                    login,
                    full_name: name,
                    password,
                    registers,
                    valid_from_ms,
                    valid_until_ms,
                },
                now,
            )?;
            println!("inspector '{}' added", added.login);
        }
        InspectorCommand::List(state) => {
            for i in open(&state.state)?.inspectors()? {
                println!(
                    "{}\t{}\t{}\tregisters: {}",
                    i.login,
                    i.full_name,
                    if i.active { "active" } else { "disabled" },
                    if i.registers.is_empty() {
                        "all".to_string()
                    } else {
                        i.registers.join(",")
                    }
                );
            }
        }
        InspectorCommand::Disable { login, state } => {
            open(&state.state)?.set_active(&login, false)?;
            println!("inspector '{login}' can no longer log in");
        }
        InspectorCommand::Password { login, state } => {
            let store = open(&state.state)?;
            store.set_password(&login, &password()?, now)?;
            println!("password of '{login}' changed");
        }
        InspectorCommand::Log {
            actor,
            limit,
            state,
        } => {
            let store = open(&state.state)?;
            let entries = store.entries(&AuditFilter {
                actor,
                after_seq: 0,
                limit,
                newest_first: true,
            })?;
            for e in entries {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    e.seq,
                    e.at_ms,
                    e.event.actor,
                    e.event.action,
                    e.event.register.as_deref().unwrap_or("-"),
                    e.event.outcome,
                    e.event.remote,
                    e.event.detail
                );
            }
            let check = store.verify_audit()?;
            if !check.ok {
                eprintln!(
                    "sauda: the access log is damaged: {}",
                    check.failure.unwrap_or_default()
                );
                return Ok(1);
            }
            eprintln!("access log: {} entries, chain intact", check.entries);
        }
    }
    Ok(0)
}

fn password() -> Result<String> {
    if let Ok(p) = std::env::var("SAUDA_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        return Err(anyhow!(
            "no password: set SAUDA_PASSWORD or type it on standard input"
        ));
    }
    Ok(p)
}

/// Midnight (UTC) of `day` plus `days_after` days, in Unix ms.
fn day_ms(day: &str, days_after: i64) -> Result<i64> {
    let date = Date::parse(day.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| anyhow!("'{day}' is not a date: write it as YYYY-MM-DD"))?;
    let t = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc()
        + time::Duration::days(days_after);
    Ok(t.unix_timestamp() * 1000)
}
