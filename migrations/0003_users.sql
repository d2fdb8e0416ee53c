-- People who work the register. Not fiscal data: PIN hashes change and are never
-- exported. Every change is also recorded in the journal (kind 'user') without the hash.

CREATE TABLE user (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,        -- cashier, manager, admin, inspector
    pin_hash   TEXT    NOT NULL,        -- argon2id PHC string
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
) STRICT;

-- Repeated wrong PINs lock logins on this register for a growing time.
CREATE TABLE login_guard (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
) STRICT;
INSERT INTO login_guard (id, failures, locked_until) VALUES (1, 0, 0);
