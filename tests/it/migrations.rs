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
];

#[test]
fn r97_shipped_migrations_are_unchanged() {
    let actual: Vec<(&str, String)> = sauda::journal::MIGRATIONS
        .iter()
        .map(|(name, sql)| (*name, hex::encode(Sha256::digest(sql.as_bytes()))))
        .collect();
    assert!(
        actual.len() >= SHIPPED.len(),
        "a shipped migration was removed"
    );
    for ((name, expected), (actual_name, actual_hash)) in SHIPPED.iter().zip(&actual) {
        assert_eq!(name, actual_name, "migrations were reordered or renamed");
        assert_eq!(
            expected, actual_hash,
            "migration {name} was edited after it shipped: revert it and add a new numbered migration instead"
        );
    }
}
