//! The simulator's fault-control line protocol, for scripts and end-to-end tests that
//! must cut the operator off and bring it back: one command per line (`down`, `up`,
//! `delay MS`, `drop`, `unreachable`, `cut`, `garbage`, `refuse CODE`, `block TEXT`,
//! `unblock`, `clear`), answered `ok` or `error: …`. It only injects faults; it never
//! touches a ledger.

use super::{Fault, Simulator};

/// Serves the fault-control line protocol, one connection after another.
pub fn serve(listener: std::net::TcpListener, sim: Simulator) {
    serve_with(listener, sim, |_| None);
}

/// The same, with lines the simulator does not know offered first to `extra` (the
/// demo register's own controls): `Some(reply)` when it took the line.
pub fn serve_with(
    listener: std::net::TcpListener,
    sim: Simulator,
    extra: impl Fn(&str) -> Option<String>,
) {
    use std::io::{BufRead, BufReader, Write};
    for stream in listener.incoming().flatten() {
        let Ok(reader) = stream.try_clone() else {
            continue;
        };
        let mut writer = stream;
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            let reply = if let Some(reply) = extra(line.trim()) {
                reply
            } else {
                match fault(line.trim()) {
                    Ok(Some(f)) => {
                        sim.inject(f);
                        "ok".to_string()
                    }
                    Ok(None) => {
                        sim.clear_faults();
                        "ok".to_string()
                    }
                    Err(e) => format!("error: {e}"),
                }
            };
            eprintln!("ofd-sim: control '{}': {reply}", line.trim());
            if writeln!(writer, "{reply}").is_err() {
                break;
            }
        }
    }
}

/// One control line as a fault; `Ok(None)` is `clear`.
pub fn fault(line: &str) -> Result<Option<Fault>, String> {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let number = |what: &str| -> Result<u64, String> {
        rest.trim()
            .parse()
            .map_err(|_| format!("{what} needs a number, got '{rest}'"))
    };
    Ok(Some(match word {
        "down" => Fault::Down,
        "up" => Fault::Up,
        "delay" => Fault::DelayNextMs(number("delay")?),
        "drop" => Fault::DropNextAnswer,
        "unreachable" => Fault::UnreachableNext,
        "cut" => Fault::CloseMidFrame,
        "garbage" => Fault::GarbageNext,
        "refuse" => Fault::RefuseNext(
            u32::try_from(number("refuse")?).map_err(|_| "the code is too large".to_string())?,
        ),
        "block" => Fault::Block {
            text: rest.trim().to_string(),
        },
        "unblock" => Fault::Unblock,
        "clear" => return Ok(None),
        other => return Err(format!("unknown command '{other}'")),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_lines_become_faults_and_bad_lines_say_why() {
        assert!(matches!(fault("down"), Ok(Some(Fault::Down))));
        assert!(matches!(
            fault("delay 6000"),
            Ok(Some(Fault::DelayNextMs(6000)))
        ));
        assert!(matches!(
            fault("refuse 13"),
            Ok(Some(Fault::RefuseNext(13)))
        ));
        assert!(
            matches!(fault("block Тоқтатылды"), Ok(Some(Fault::Block { text })) if text == "Тоқтатылды")
        );
        assert!(matches!(fault("clear"), Ok(None)));
        assert!(fault("delay soon").is_err_and(|e| e.contains("number")));
        assert!(fault("explode").is_err_and(|e| e.contains("unknown command")));
    }
}
