-- Remote access of the server mode (R-84): the tax inspectors' accounts and the audit
-- log of every remote login and command. Lives in its own file (access.sqlite) beside
-- the fiscal journal and is not fiscal.
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

-- One row per inspector account. The failure counter and the lock live here, not in
-- memory, so restarting the server does not lift a lockout.
CREATE TABLE inspector (
    login         TEXT    PRIMARY KEY,            -- [a-z0-9._-]{3,32}
    full_name     TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,               -- argon2id PHC string, never the password
    registers     TEXT    NOT NULL DEFAULT '[]'   -- JSON array of register ids; [] = every register
                  CHECK (json_valid(registers) AND json_type(registers) = 'array'),
    valid_from    INTEGER,                        -- Unix ms, inclusive; NULL = no start
    valid_until   INTEGER,                        -- Unix ms, exclusive; NULL = no end
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,               -- Unix ms
    password_set  INTEGER NOT NULL,               -- Unix ms of the last password change
    failures      INTEGER NOT NULL DEFAULT 0,     -- consecutive failed logins
    locked_until  INTEGER NOT NULL DEFAULT 0      -- Unix ms; logins wait until then
) STRICT;

-- The audit log: append-only, each entry an HMAC-SHA256 over the previous entry's
-- checksum and its own fields, so a changed, removed or reordered entry is found by
-- the audit check. The triggers make the database itself refuse UPDATE and DELETE.
CREATE TABLE audit (
    seq      INTEGER PRIMARY KEY,   -- gapless from 1
    at       INTEGER NOT NULL,      -- Unix ms, UTC
    actor    TEXT    NOT NULL,      -- inspector:LOGIN, pin:NAME@REGISTER, anonymous
    action   TEXT    NOT NULL,      -- login, login_failed, locked, logout, command, refused, ...
    register TEXT,                  -- the register acted on, if any
    detail   TEXT    NOT NULL,
    remote   TEXT    NOT NULL,      -- the client's ip:port
    outcome  TEXT    NOT NULL,      -- ok, refused, failed
    checksum BLOB    NOT NULL       -- HMAC-SHA256(audit key, previous checksum || entry)
) STRICT;

CREATE INDEX audit_actor ON audit (actor, seq);

CREATE TRIGGER audit_refuses_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;

CREATE TRIGGER audit_refuses_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;

-- The newest entry, written in the same transaction as it. The chain alone cannot show
-- that the newest entries were cut off; the tip can, because its seal is an HMAC of
-- (seq, checksum) that nobody without the key can recompute for an earlier entry.
CREATE TABLE audit_tip (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    seq      INTEGER NOT NULL,      -- 0 while the log is empty
    checksum BLOB    NOT NULL,
    seal     BLOB                   -- NULL only while the log is empty
) STRICT;

INSERT INTO audit_tip (id, seq, checksum, seal) VALUES (1, 0, zeroblob(32), NULL);

CREATE TRIGGER audit_tip_refuses_delete BEFORE DELETE ON audit_tip
BEGIN
    SELECT RAISE(ABORT, 'the audit tip cannot be deleted');
END;
