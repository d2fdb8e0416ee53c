//! Shipped migrations are never edited: their checksums are pinned here. To change the
//! schema, add a new numbered file under migrations/ and append its checksum.

use sha2::{Digest, Sha256};

const SHIPPED: &[(&str, &str)] = &[
    (
        "0001_journal.sql",
        "c171ea354dd5be2265abc93f3e20b07ad0a37f8696663cbe55e8b2a506541f3d",
    ),
    (
        "0002_projections.sql",
        "98516e25ea61791d9abb6f630bd1ae8508880ad38abd6f05016ae1d458d81ef7",
    ),
    (
        "0003_users.sql",
        "fd619f8bab4373ebc713fb5cfe5a69e7746d345849d4f7b292e25e13b32ff861",
    ),
    (
        "0004_leaner_sale.sql",
        "87b86775afd5ed5ab8491095836288f362e7130e05cafc0f64548afa38da7ca9",
    ),
    (
        "0005_link.sql",
        "c07c046c347c37040879167da76540b49ec3d7d450665fb467bffb4f76a0e0fa",
    ),
    (
        "0006_marks.sql",
        "4d97d122a305507994b081002be750c4094a77d6cff4ae176dbe5e95d2416b0c",
    ),
];

/// The catalogue's own forward-only set (migrations/catalogue/).
const CATALOGUE_SHIPPED: &[(&str, &str)] = &[
    (
        "0001_goods.sql",
        "b6d4e7694ca363f582f0c8735a17640abb093ea07d4dc9ededad6d08af5cb9e8",
    ),
    (
        "0002_marking_group.sql",
        "2043579a7fae32ef37fe5b1bd4cdd0724c663b0423916c6891aa37aee158756a",
    ),
];

/// The server's inspector accounts and access log (migrations/access/).
const ACCESS_SHIPPED: &[(&str, &str)] = &[(
    "0001_access.sql",
    "ecf3b014e47122db8104ece46246779d0e604eb919f960171f18204e2acc8c09",
)];

/// Every pinned file of `set` is still there, in order, byte for byte.
fn assert_unchanged(set: &str, shipped: &[(&str, &str)], migrations: &[(&str, &str)]) {
    let actual: Vec<(&str, String)> = migrations
        .iter()
        .map(|(name, sql)| (*name, hex::encode(Sha256::digest(sql.as_bytes()))))
        .collect();
    assert!(
        actual.len() >= shipped.len(),
        "a shipped {set} migration was removed"
    );
    for ((name, expected), (actual_name, actual_hash)) in shipped.iter().zip(&actual) {
        assert_eq!(
            name, actual_name,
            "{set} migrations were reordered or renamed"
        );
        assert_eq!(
            expected, actual_hash,
            "{set} migration {name} was edited after it shipped: revert it and add a new numbered migration instead"
        );
    }
}

#[test]
fn r97_shipped_migrations_are_unchanged() {
    assert_unchanged("journal", SHIPPED, sauda::journal::MIGRATIONS);
}

#[test]
fn shipped_catalogue_migrations_are_unchanged() {
    assert_unchanged("catalogue", CATALOGUE_SHIPPED, sauda::catalogue::MIGRATIONS);
}

#[test]
fn shipped_access_migrations_are_unchanged() {
    assert_unchanged("access", ACCESS_SHIPPED, sauda::remote_access::MIGRATIONS);
}

/// A register created before 0004 keeps its report rows when it is upgraded.
#[test]
fn upgrading_from_0003_keeps_the_report_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(sauda::journal::DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for (index, (_name, sql)) in sauda::journal::MIGRATIONS.iter().take(3).enumerate() {
            conn.execute_batch(sql).expect("old migration");
            conn.pragma_update(None, "user_version", index as i64 + 1)
                .expect("version");
        }
        conn.execute_batch(
            "INSERT INTO shift (shift_no, opened_seq, opened_at) VALUES (1, 2, 0);
             INSERT INTO doc_line VALUES (3, 1, 1, 2, '1', 'Нан', 25000, 2000, 50000, 0, 0, 50000, 16000, 6897, NULL, NULL);",
        )
        .expect("old rows");
    }
    let store = sauda::journal::Store::open(dir.path()).expect("upgrade");
    let (count, amount): (i64, i64) = store
        .conn()
        .query_row("SELECT count(*), sum(amount) FROM doc_line", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("lines");
    assert_eq!((count, amount), (1, 50_000));
    let version: i64 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, sauda::journal::MIGRATIONS.len() as i64);
}
