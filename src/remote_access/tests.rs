//! Inspector accounts and the audit log on a real SQLite file in a temporary folder:
//! logins, lockouts that outlive a restart, validation, and an audit log whose every
//! kind of tampering (made with a raw connection that drops the triggers) is found.

use rusqlite::Connection;

use super::*;
use crate::error::ErrorCode;

const PASSWORD: &str = "correct horse 7";
pub(super) const T0: i64 = 1_767_225_600_000;
const MINUTE: i64 = 60_000;

pub(super) fn open() -> (tempfile::TempDir, AccessStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = AccessStore::open(dir.path()).expect("opens");
    (dir, store)
}

fn new_inspector(login: &str) -> NewInspector {
    NewInspector {
        login: login.into(),
        full_name: "Айгүл Серікқызы".into(),
        password: PASSWORD.into(),
        registers: vec![],
        valid_from_ms: None,
        valid_until_ms: None,
    }
}

fn fail_times(store: &AccessStore, login: &str, times: usize, now_ms: i64) {
    for _ in 0..times {
        let refused = store.authenticate(login, "wrong password!", now_ms);
        assert!(refused.is_err());
    }
}

/// A store with the inspector `ivanov`, allowed everywhere and always.
fn with_ivanov() -> (tempfile::TempDir, AccessStore) {
    let (dir, store) = open();
    let added = store.add_inspector(&new_inspector("ivanov"), T0);
    added.expect("added");
    (dir, store)
}

fn stored_hash(store: &AccessStore) -> String {
    let sql = "SELECT password_hash FROM inspector LIMIT 1";
    let hash = store.conn.query_row(sql, [], |r| r.get::<_, String>(0));
    hash.expect("hash")
}

#[test]
fn r84_an_added_inspector_is_listed_and_logs_in_with_the_password() {
    let (_dir, store) = open();
    let mut new = new_inspector("a.inspector");
    new.registers = vec![" KKM-1 ".into(), "KKM-2".into(), "KKM-1".into()];
    let added = store.add_inspector(&new, T0).expect("added");
    assert_eq!(added.registers, ["KKM-1", "KKM-2"], "trimmed, once each");
    assert_eq!((added.active, added.created_at_ms), (true, T0));
    let listed = store.inspectors().expect("list");
    assert_eq!(listed, std::slice::from_ref(&added));
    let logged_in = store.authenticate("A.Inspector", PASSWORD, T0 + 1);
    assert_eq!(logged_in.as_ref(), Ok(&added), "capitals are forgiven");
    assert_eq!(added.actor(), "inspector:a.inspector");
    let hash = stored_hash(&store);
    assert!(hash.starts_with("$argon2id$") && !hash.contains(PASSWORD));
}

#[test]
fn r84_a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    let (_dir, store) = with_ivanov();
    let wrong = store.authenticate("ivanov", "not the password", T0);
    let unknown = store.authenticate("nobody", PASSWORD, T0);
    assert_eq!(wrong, Err(LoginRefusal::WrongCredentials));
    assert_eq!(unknown, Err(LoginRefusal::WrongCredentials));
    let api = ApiError::from(LoginRefusal::WrongCredentials);
    let expected = ApiError::new(ErrorCode::WrongPin, "wrong login or password");
    assert_eq!(api, expected);
    // An unknown login is checked against a dummy hash; with the same parameters as a
    // real one, it takes as long.
    let params = |hash: &str| hash.rsplitn(3, '$').nth(2).map(str::to_owned);
    assert_eq!(params(accounts::dummy_hash()), params(&stored_hash(&store)));
}

#[test]
fn r84_five_failures_lock_the_account_even_against_the_right_password() {
    let (_dir, store) = with_ivanov();
    fail_times(&store, "ivanov", 4, T0);
    let until_ms = T0 + 1000 + LOCK_MS;
    let locked = |seconds_left| {
        Err(LoginRefusal::Locked {
            until_ms,
            seconds_left,
        })
    };
    let fifth = store.authenticate("ivanov", "wrong password!", T0 + 1000);
    assert_eq!(fifth, locked(900), "the locking attempt says so");
    let sixth = store.authenticate("ivanov", PASSWORD, T0 + 2000);
    assert_eq!(sixth, locked(899));
    let api = ApiError::from(sixth.expect_err("locked"));
    assert_eq!(api.code, ErrorCode::LoginLocked);
    assert!(api.message.contains("899 s"), "{}", api.message);
    // The lock runs out on its own; the right password then works.
    let before = store.authenticate("ivanov", PASSWORD, until_ms - 1);
    assert!(before.is_err());
    let after = store.authenticate("ivanov", PASSWORD, until_ms);
    assert!(after.is_ok(), "15 minutes on: {after:?}");
}

#[test]
fn r84_a_made_up_login_is_answered_and_locked_exactly_like_a_real_one() {
    let (_dir, store) = with_ivanov();
    for login in ["ivanov", "nobody"] {
        for _ in 0..4 {
            assert_eq!(
                store.authenticate(login, "wrong password!", T0),
                Err(LoginRefusal::WrongCredentials),
                "{login}"
            );
        }
        let fifth = store.authenticate(login, "wrong password!", T0 + 1000);
        assert_eq!(
            fifth,
            Err(LoginRefusal::Locked {
                until_ms: T0 + 1000 + LOCK_MS,
                seconds_left: 900,
            }),
            "{login}: the same lock, so the answers do not tell which login exists"
        );
    }
}

#[test]
fn r84_a_success_resets_the_failure_count() {
    let (_dir, store) = with_ivanov();
    fail_times(&store, "ivanov", 4, T0);
    store.authenticate("ivanov", PASSWORD, T0).expect("logs in");
    fail_times(&store, "ivanov", 4, T0);
    let fifth = store.authenticate("ivanov", PASSWORD, T0);
    assert!(fifth.is_ok(), "four failures after a success do not lock");
}

#[test]
fn r84_a_lockout_survives_reopening_the_store_and_a_new_password_lifts_it() {
    let (dir, store) = with_ivanov();
    fail_times(&store, "ivanov", 5, T0);
    drop(store);
    let store = AccessStore::open(dir.path()).expect("reopens");
    let now = T0 + MINUTE;
    let refused = store.authenticate("ivanov", PASSWORD, now);
    assert!(
        matches!(refused, Err(LoginRefusal::Locked { .. })),
        "{refused:?}"
    );
    let new_password = "another secret 8";
    store
        .set_password("ivanov", new_password, now)
        .expect("set");
    let old = store.authenticate("ivanov", PASSWORD, now);
    assert_eq!(
        old,
        Err(LoginRefusal::WrongCredentials),
        "the old one is gone"
    );
    let new = store.authenticate("ivanov", new_password, now);
    assert!(new.is_ok(), "the new password works at once: {new:?}");
}

#[test]
fn r84_a_disabled_account_is_refused_and_can_be_enabled_again() {
    let (_dir, store) = with_ivanov();
    assert!(!store.set_active("ivanov", false).expect("disabled").active);
    let refusal = store.authenticate("ivanov", PASSWORD, T0);
    assert_eq!(refusal, Err(LoginRefusal::Disabled));
    let api = ApiError::from(LoginRefusal::Disabled);
    assert_eq!(api.code, ErrorCode::Forbidden);
    let guess = store.authenticate("ivanov", "wrong password!", T0);
    assert_eq!(
        guess,
        Err(LoginRefusal::WrongCredentials),
        "no hint to a guesser"
    );
    store.set_active("ivanov", true).expect("enabled");
    store.authenticate("ivanov", PASSWORD, T0).expect("logs in");
    let missing = store.set_active("nobody", true);
    assert!(matches!(missing, Err(AccessError::NotFound(_))));
}

#[test]
fn r84_logins_before_or_after_the_time_window_are_refused() {
    let (_dir, store) = open();
    let mut new = new_inspector("audit.2026");
    (new.valid_from_ms, new.valid_until_ms) = (Some(T0), Some(T0 + 60 * MINUTE));
    store.add_inspector(&new, T0 - MINUTE).expect("added");
    let refusal = LoginRefusal::OutsideWindow {
        from_ms: Some(T0),
        until_ms: Some(T0 + 60 * MINUTE),
    };
    let outside = Err(refusal.clone());
    assert_eq!(store.authenticate("audit.2026", PASSWORD, T0 - 1), outside);
    let at_end = store.authenticate("audit.2026", PASSWORD, T0 + 60 * MINUTE);
    assert_eq!(at_end, outside);
    store
        .authenticate("audit.2026", PASSWORD, T0)
        .expect("inside");
    let api = ApiError::from(refusal);
    assert_eq!(api.code, ErrorCode::Forbidden);
    assert!(
        api.message.contains("from 2026-01-01 00:00 UTC"),
        "{}",
        api.message
    );
}

#[test]
fn logins_passwords_names_and_windows_are_validated_before_anything_is_stored() {
    let (_dir, store) = open();
    let too_long = "x".repeat(33);
    for login in ["ab", "Ivanov", "иванов", "a b c", too_long.as_str()] {
        let refused = store.add_inspector(&new_inspector(login), T0);
        let invalid = matches!(&refused, Err(AccessError::Validation(m)) if m.contains("login"));
        assert!(invalid, "{login}: {refused:?}");
    }
    let mut bad = vec![new_inspector("ivanov"); 4];
    bad[0].password = "123456789".into();
    bad[1].full_name = "  ".into();
    (bad[2].valid_from_ms, bad[2].valid_until_ms) = (Some(T0), Some(T0));
    bad[3].registers = vec![" ".into()];
    for new in &bad {
        let refused = store.add_inspector(new, T0);
        assert!(
            matches!(refused, Err(AccessError::Validation(_))),
            "{new:?}"
        );
    }
    assert!(store.inspectors().expect("list").is_empty());

    store
        .add_inspector(&new_inspector("ivanov"), T0)
        .expect("added");
    let twice = store.add_inspector(&new_inspector("ivanov"), T0);
    assert!(matches!(twice, Err(AccessError::Validation(m)) if m.contains("already exists")));
    let short = store.set_password("ivanov", "short", T0);
    assert!(matches!(short, Err(AccessError::Validation(m)) if m.contains("10")));
    let missing = store.set_password("nobody", "long enough 1", T0);
    let api = ApiError::from(missing.expect_err("no such login"));
    assert_eq!(api.code, ErrorCode::NotFound);
    let debug = format!("{:?}", new_inspector("ivanov"));
    assert!(!debug.contains(PASSWORD), "{debug}");
}

pub(super) fn event(actor: &str, action: &str) -> AuditEvent {
    AuditEvent {
        actor: actor.into(),
        action: action.into(),
        register: Some("KKM-1".into()),
        detail: format!("{action} by {actor}"),
        remote: "203.0.113.7:51000".into(),
        outcome: "ok".into(),
    }
}

/// A store with five entries: seq 1, 3 and 5 by ivanov, 2 and 4 anonymous.
fn logged() -> (tempfile::TempDir, AccessStore) {
    let (dir, store) = open();
    for seq in 1..=5 {
        let actor = ["anonymous", "inspector:ivanov"][seq as usize % 2];
        let recorded = store.record(&event(actor, "command"), T0 + seq);
        assert_eq!(recorded.expect("recorded"), seq);
    }
    (dir, store)
}

/// Runs `sql` on the file as an attacker without the key would, and reopens the store.
fn tamper(dir: &tempfile::TempDir, store: AccessStore, sql: &str) -> AccessStore {
    drop(store);
    let raw = Connection::open(dir.path().join(DB_FILE)).expect("raw");
    let drop_triggers = "DROP TRIGGER IF EXISTS audit_refuses_update;
                         DROP TRIGGER IF EXISTS audit_refuses_delete;";
    raw.execute_batch(&format!("{drop_triggers} {sql}"))
        .expect("tampered");
    AccessStore::open(dir.path()).expect("reopens")
}

fn assert_broken_at(store: &AccessStore, needle: &str) {
    let check = store.verify_audit().expect("check runs");
    assert!(!check.ok, "{check:?}");
    let failure = check.failure.unwrap_or_default();
    assert!(failure.contains(needle), "{needle}: {failure}");
}

#[test]
fn r84_entries_filter_by_actor_and_page_both_ways() {
    let (_dir, store) = logged();
    let seqs = |actor: Option<&str>, after_seq: i64, limit: i64, newest_first: bool| {
        let actor = actor.map(str::to_owned);
        let filter = AuditFilter {
            actor,
            after_seq,
            limit,
            newest_first,
        };
        let entries = store.entries(&filter).expect("entries");
        entries.iter().map(|e| e.seq).collect::<Vec<_>>()
    };
    assert_eq!(seqs(None, 0, 100, false), [1, 2, 3, 4, 5]);
    assert_eq!(seqs(Some("inspector:ivanov"), 0, 100, false), [1, 3, 5]);
    assert_eq!(seqs(None, 0, 2, true), [5, 4]);
    // A limit of 0 counts as 1.
    assert_eq!(seqs(Some("inspector:ivanov"), 1, 0, false), [3]);
    assert_eq!(seqs(Some("anonymous"), 1, 5000, true), [4, 2]);
    assert!(seqs(None, 5, 100, false).is_empty());

    let first = &store.entries(&AuditFilter::default()).expect("entries")[0];
    assert_eq!(first.event, event("inspector:ivanov", "command"));
    assert_eq!((first.at_ms, first.checksum.len()), (T0 + 1, 64));
    let json = serde_json::to_value(first).expect("json");
    assert_eq!(json["action"], "command", "the event is flattened: {json}");
}

#[test]
fn r84_an_untouched_log_verifies_and_the_triggers_refuse_update_and_delete() {
    let (dir, store) = open();
    let empty = store.verify_audit().expect("check");
    assert_eq!((empty.entries, empty.ok, empty.failure), (0, true, None));
    let mut no_register = event("anonymous", "login_failed");
    no_register.register = None;
    store.record(&no_register, T0).expect("recorded");
    let check = store.verify_audit().expect("check");
    assert_eq!((check.entries, check.ok), (1, true), "{check:?}");
    let no_actor = store.record(&event(" ", "login"), T0);
    assert!(matches!(no_actor, Err(AccessError::Validation(_))));

    let raw = Connection::open(dir.path().join(DB_FILE)).expect("raw");
    let update = raw.execute("UPDATE audit SET detail = 'nothing' WHERE seq = 1", []);
    assert!(format!("{update:?}").contains("append-only"), "{update:?}");
    let delete = raw.execute("DELETE FROM audit WHERE seq = 1", []);
    assert!(format!("{delete:?}").contains("append-only"), "{delete:?}");
    assert!(raw.execute("DELETE FROM audit_tip", []).is_err());
    assert!(store.verify_audit().expect("check").ok);
}

#[test]
fn r84_every_kind_of_tampering_is_found_and_named_by_its_seq() {
    let swap_2_and_3 = "UPDATE audit SET seq = -2 WHERE seq = 2;
                        UPDATE audit SET seq = 2 WHERE seq = 3;
                        UPDATE audit SET seq = 3 WHERE seq = -2;";
    let append = "INSERT INTO audit SELECT 6, at, actor, action, register, detail, remote,
                  outcome, checksum FROM audit WHERE seq = 5";
    // Without its constraints, the table takes NULLs and numbers where texts belong.
    let loosen = "CREATE TABLE kept AS SELECT * FROM audit; DROP TABLE audit;
                  CREATE TABLE audit (seq INTEGER PRIMARY KEY, at, actor, action, register,
                                      detail, remote, outcome, checksum);
                  INSERT INTO audit SELECT * FROM kept;";
    #[rustfmt::skip]
    let cases = [
        ("UPDATE audit SET detail = 'nothing to see' WHERE seq = 3", "seq 3: MISMATCH"),
        ("UPDATE audit SET at = at + 1 WHERE seq = 2", "seq 2: MISMATCH"),
        ("UPDATE audit SET register = '' WHERE seq = 4", "seq 4: MISMATCH"),
        ("UPDATE audit SET register = NULL WHERE seq = 4", "seq 4: MISMATCH"),
        (&format!("{loosen} UPDATE audit SET actor = NULL WHERE seq = 1"), "seq 1: a field is NULL"),
        (&format!("{loosen} UPDATE audit SET at = 'noon' WHERE seq = 2"), "seq 2: a field is NULL or of the wrong"),
        (&format!("{loosen} UPDATE audit SET detail = 7 WHERE seq = 3"), "seq 3: column 5 holds a number"),
        ("DELETE FROM audit WHERE seq = 3", "seq 3 is missing"),
        ("DELETE FROM audit WHERE seq = 1", "seq 1 is missing"),
        ("DELETE FROM audit WHERE seq = 5", "seq 5 to 5 are missing"),
        ("DELETE FROM audit WHERE seq >= 4", "seq 4 to 5 are missing"),
        (swap_2_and_3, "seq 2: MISMATCH"),
        ("UPDATE audit SET checksum = zeroblob(32) WHERE seq = 4", "seq 4: MISMATCH"),
        (append, "seq 6: MISMATCH"),
        ("UPDATE audit_tip SET seal = zeroblob(32)", "the tip at seq 5 does not match"),
    ];
    for (sql, needle) in cases {
        let (dir, store) = logged();
        // MISMATCH stands for the wording of a checksum failure.
        let needle = needle.replace("MISMATCH", "the checksum does not match");
        assert_broken_at(&tamper(&dir, store, sql), &needle);
    }
}

#[test]
fn r84_cut_off_newest_entries_stay_visible_and_a_forged_tip_stops_the_log() {
    let (dir, store) = logged();
    let store = tamper(&dir, store, "DELETE FROM audit WHERE seq = 5");
    // A new entry follows the sealed tip, so the gap stays instead of closing.
    let next = store.record(&event("anonymous", "login"), T0);
    assert_eq!(next.expect("recorded"), 6);
    assert_broken_at(&store, "seq 5 is missing");
    // Moving the tip back as well breaks its seal, and the log takes no more entries.
    let move_back = "DELETE FROM audit WHERE seq = 6;
        UPDATE audit_tip SET seq = 4, checksum = (SELECT checksum FROM audit WHERE seq = 4)";
    let store = tamper(&dir, store, move_back);
    assert_broken_at(&store, "the tip at seq 4 does not match its seal");
    let refused = store.record(&event("anonymous", "login"), T0);
    let stopped = matches!(refused, Err(AccessError::AuditBroken(_)));
    assert!(stopped, "{refused:?}");

    // A tip put back from an older copy leaves the newer entries after it.
    let (dir, store) = logged();
    let save_tip = "CREATE TABLE old_tip AS SELECT * FROM audit_tip";
    let store = tamper(&dir, store, save_tip);
    store
        .record(&event("anonymous", "login"), T0)
        .expect("seq 6");
    let restore =
        "UPDATE audit_tip SET (seq, checksum, seal) = (SELECT seq, checksum, seal FROM old_tip)";
    let store = tamper(&dir, store, restore);
    assert_broken_at(&store, "seq 6 to 6 come after the sealed tip");
}

#[test]
fn r84_another_key_file_fails_the_check_from_seq_1_and_stops_the_log() {
    let (dir, store) = logged();
    drop(store);
    std::fs::write(dir.path().join(KEY_FILE), [9u8; 32]).expect("swapped");
    let store = AccessStore::open(dir.path()).expect("reopens");
    assert_broken_at(&store, "seq 1: the checksum does not match");
    let refused = store.record(&event("anonymous", "login"), T0);
    let stopped = matches!(refused, Err(AccessError::AuditBroken(_)));
    assert!(stopped, "{refused:?}");
}
