-- Projections of the journal for fast reports. Everything here can be dropped and
-- rebuilt from `journal` (`sauda rebuild`); nothing here is a source of truth.

CREATE TABLE shift (
    shift_no    INTEGER PRIMARY KEY,
    opened_seq  INTEGER NOT NULL,
    opened_at   INTEGER NOT NULL,
    closed_seq  INTEGER,
    closed_at   INTEGER
) STRICT;

-- One row per fiscal document that moves money: receipts and cash in/out.
CREATE TABLE doc (
    seq          INTEGER PRIMARY KEY,
    doc_no       INTEGER NOT NULL,
    shift_no     INTEGER NOT NULL,
    kind         TEXT    NOT NULL,       -- receipt, deposit, withdrawal
    operation    INTEGER,                -- protocol operation code for receipts
    cashier_id   INTEGER NOT NULL,
    cashier_name TEXT    NOT NULL,
    total        INTEGER NOT NULL,
    discount     INTEGER NOT NULL DEFAULT 0,
    markup       INTEGER NOT NULL DEFAULT 0,
    cash         INTEGER NOT NULL DEFAULT 0,
    card         INTEGER NOT NULL DEFAULT 0,
    mobile       INTEGER NOT NULL DEFAULT 0,
    change_given INTEGER NOT NULL DEFAULT 0,
    offline      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    parent_seq   INTEGER
) STRICT;
CREATE INDEX doc_shift ON doc (shift_no, kind, operation);
CREATE INDEX doc_created ON doc (created_at);

CREATE TABLE doc_line (
    seq         INTEGER NOT NULL,
    line_no     INTEGER NOT NULL,
    shift_no    INTEGER NOT NULL,
    operation   INTEGER NOT NULL,
    section     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    price       INTEGER NOT NULL,
    quantity    INTEGER NOT NULL,
    gross       INTEGER NOT NULL,
    discount    INTEGER NOT NULL,
    markup      INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    vat_rate    INTEGER,                 -- thousandths of a percent; NULL without VAT
    vat         INTEGER NOT NULL,
    parent_seq  INTEGER,                 -- for return lines: the original receipt
    parent_line INTEGER,
    PRIMARY KEY (seq, line_no)
) STRICT;
CREATE INDEX doc_line_shift ON doc_line (shift_no, operation, section);
CREATE INDEX doc_line_parent ON doc_line (parent_seq) WHERE parent_seq IS NOT NULL;
