//! Projections of the journal into the `shift`, `doc` and `doc_line` tables that the
//! reports aggregate. The same [`project`] runs when a record is appended and when
//! [`rebuild`] replays the whole journal, so a rebuilt projection equals the live one.
//!
//! Projections are conveniences, never evidence: `verify` checks the journal itself.

use rusqlite::{Connection, params};

use super::JournalError;
use super::record::{
    AutonomousPayload, CashPayload, OfdAnswerPayload, OfdResolutionPayload, ReceiptPayload,
    RecordKind, ShiftOpenPayload, ZReportPayload,
};

pub fn project(
    conn: &Connection,
    seq: i64,
    kind: RecordKind,
    created_at: i64,
    bytes: &[u8],
) -> Result<(), JournalError> {
    let decode_err = |e: serde_json::Error| JournalError::Payload {
        seq,
        kind: kind.as_str().to_string(),
        detail: e.to_string(),
    };
    match kind {
        RecordKind::ShiftOpen => {
            let p: ShiftOpenPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            conn.prepare_cached(
                "INSERT INTO shift (shift_no, opened_seq, opened_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![p.shift_no, seq, created_at])?;
        }
        RecordKind::ZReport => {
            let p: ZReportPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            conn.prepare_cached(
                "UPDATE shift SET closed_seq = ?2, closed_at = ?3 WHERE shift_no = ?1",
            )?
            .execute(params![p.shift_no, seq, created_at])?;
        }
        RecordKind::Receipt => {
            let p: ReceiptPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            project_receipt(conn, seq, created_at, &p)?;
        }
        RecordKind::Cash => {
            let p: CashPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            conn.prepare_cached(
                "INSERT INTO doc (seq, doc_no, shift_no, kind, cashier_id, cashier_name, total,
                                  cash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            )?
            .execute(params![
                seq,
                p.doc_no,
                p.shift_no,
                p.direction,
                p.cashier.id,
                p.cashier.name,
                p.amount,
                created_at
            ])?;
        }
        RecordKind::Autonomous => {
            let p: AutonomousPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            conn.prepare_cached(
                "INSERT INTO doc_fiscal (doc_seq, queued, autonomous_sign) VALUES (?1, 1, ?2)
                 ON CONFLICT (doc_seq) DO UPDATE SET queued = 1,
                     autonomous_sign = excluded.autonomous_sign",
            )?
            .execute(params![p.doc_seq, p.sign])?;
            // The Z report counts documents made offline (ZXReport offline_count).
            conn.prepare_cached("UPDATE doc SET offline = 1 WHERE seq = ?1")?
                .execute(params![p.doc_seq])?;
        }
        RecordKind::OfdAnswer => {
            let p: OfdAnswerPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            if let (Some(doc_seq), 0) = (p.doc_seq, p.result_code) {
                conn.prepare_cached(
                    "INSERT INTO doc_fiscal (doc_seq, fiscal_sign, qr, answered_seq)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (doc_seq) DO UPDATE SET fiscal_sign = excluded.fiscal_sign,
                         qr = excluded.qr, answered_seq = excluded.answered_seq",
                )?
                .execute(params![doc_seq, p.fiscal_sign, p.qr, seq])?;
            }
        }
        RecordKind::OfdResolution => {
            let p: OfdResolutionPayload = serde_json::from_slice(bytes).map_err(decode_err)?;
            if p.action == "remove" {
                // Off the queue: counted as answered, with no fiscal sign.
                conn.prepare_cached(
                    "INSERT INTO doc_fiscal (doc_seq, answered_seq) VALUES (?1, ?2)
                     ON CONFLICT (doc_seq) DO UPDATE SET answered_seq = excluded.answered_seq",
                )?
                .execute(params![p.doc_seq, seq])?;
            }
        }
        RecordKind::Registration
        | RecordKind::Settings
        | RecordKind::User
        | RecordKind::Software
        | RecordKind::IntegrityCheck
        | RecordKind::OfdRequest
        | RecordKind::LinkMode
        | RecordKind::Printing => {}
    }
    Ok(())
}

fn project_receipt(
    conn: &Connection,
    seq: i64,
    created_at: i64,
    p: &ReceiptPayload,
) -> Result<(), JournalError> {
    let paid = |kind: &str| -> i64 {
        p.payments
            .iter()
            .filter(|x| x.kind == kind)
            .map(|x| x.amount)
            .sum()
    };
    conn.prepare_cached(
        "INSERT INTO doc (seq, doc_no, shift_no, kind, operation, cashier_id, cashier_name, total,
                          discount, markup, cash, card, mobile, change_given, created_at, parent_seq)
         VALUES (?1, ?2, ?3, 'receipt', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        seq,
        p.doc_no,
        p.shift_no,
        p.operation,
        p.cashier.id,
        p.cashier.name,
        p.total,
        p.discount,
        p.markup,
        paid("cash"),
        paid("card"),
        paid("mobile"),
        p.change,
        created_at,
        p.parent.as_ref().map(|x| x.seq)
    ])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO doc_line (seq, line_no, shift_no, operation, section, name, price, quantity,
                               gross, discount, markup, amount, vat_rate, vat, parent_seq, parent_line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for (i, line) in p.lines.iter().enumerate() {
        insert.execute(params![
            seq,
            i as i64 + 1,
            p.shift_no,
            p.operation,
            line.section,
            line.name,
            line.price,
            line.quantity,
            line.gross,
            line.discount,
            line.markup,
            line.amount,
            line.vat_rate,
            line.vat,
            p.parent.as_ref().map(|x| x.seq),
            line.parent_line
        ])?;
    }
    let mut mark = conn.prepare_cached(
        "INSERT OR IGNORE INTO mark (ident, seq, line_no, operation, doc_no) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, line) in p.lines.iter().enumerate() {
        for code in &line.marks {
            mark.execute(params![
                crate::devices::marking::identification_of(code),
                seq,
                i as i64 + 1,
                p.operation,
                p.doc_no
            ])?;
        }
    }
    Ok(())
}

/// Projects the receipts and cash slips that have no `doc` row yet, in journal order:
/// the ones a sale transaction left for later (`Store::write_sale`), or a crash cut off.
/// Rows are written in `seq` order, so every record after the last `doc` row is missing.
pub fn catch_up(conn: &Connection) -> Result<usize, JournalError> {
    project_all(
        conn,
        "SELECT seq, kind, created_at, payload FROM journal
         WHERE seq > (SELECT coalesce(max(seq), 0) FROM doc) AND kind IN ('receipt', 'cash')
         ORDER BY seq",
    )
}

/// Projects every record `sql` selects (`seq, kind, created_at, payload`, in order).
fn project_all(conn: &Connection, sql: &str) -> Result<usize, JournalError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let kind: String = row.get(1)?;
        let created_at: i64 = row.get(2)?;
        let payload = row.get_ref(3)?.as_blob()?;
        let kind = RecordKind::parse(&kind).ok_or_else(|| JournalError::Payload {
            seq,
            kind: kind.clone(),
            detail: "unknown record kind".into(),
        })?;
        project(conn, seq, kind, created_at, payload)?;
        count += 1;
    }
    Ok(count)
}

/// Whether some receipt or cash slip has no `doc` row yet (cheap: stops at the first).
pub fn behind(conn: &Connection) -> Result<bool, JournalError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM journal
             WHERE seq > (SELECT coalesce(max(seq), 0) FROM doc) AND kind IN ('receipt', 'cash'))",
        )?
        .query_row([], |r| r.get(0))?)
}

/// Drops and recreates every projection from the journal; returns the records read.
pub fn rebuild(conn: &Connection) -> Result<i64, JournalError> {
    conn.execute_batch(
        "DELETE FROM doc_line; DELETE FROM doc; DELETE FROM shift; DELETE FROM doc_fiscal;
         DELETE FROM mark;",
    )?;
    let count = project_all(
        conn,
        "SELECT seq, kind, created_at, payload FROM journal ORDER BY seq",
    )?;
    Ok(count as i64)
}
