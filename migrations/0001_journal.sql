-- The fiscal accumulator (R-23, R-24, R-104): one append-only table of records.
-- Every record carries an HMAC-SHA256 checksum chained to the previous record's
-- checksum (R-25), so editing, deleting, reordering or truncating records is found by
-- `verify`. The triggers make the database itself refuse UPDATE and DELETE (R-97.2).
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,      -- gapless from 1
    kind       TEXT    NOT NULL,         -- registration, receipt, cash, z_report, ...
    created_at INTEGER NOT NULL,         -- Unix time in milliseconds, UTC
    shift_no   INTEGER,                  -- the shift a fiscal document belongs to
    doc_no     INTEGER,                  -- continuous document number, fiscal documents only
    payload    BLOB    NOT NULL,         -- canonical bytes of the document (JSON, see ARCHITECTURE.md)
    checksum   BLOB    NOT NULL          -- HMAC-SHA256(key, previous checksum || record)
) STRICT;

CREATE INDEX journal_kind ON journal (kind, seq);
CREATE INDEX journal_shift ON journal (shift_no, seq);
CREATE UNIQUE INDEX journal_doc_no ON journal (doc_no) WHERE doc_no IS NOT NULL;

CREATE TRIGGER journal_refuses_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the fiscal journal is append-only: records cannot be changed');
END;

CREATE TRIGGER journal_refuses_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the fiscal journal is append-only: records cannot be deleted');
END;
