-- A sale should write as few pages as possible to the write-ahead log, because every
-- page is written and fsynced before the receipt is printed (the bench measures the
-- sale rate against one-row commits, README "Performance").
--
-- The records of a shift are one contiguous range of `seq` (from just after the
-- previous Z to its own Z), so reports now select a shift by that range of the primary
-- key and the per-shift and per-date indexes go. Receipts and cash slips, nearly every
-- record, are never looked up by kind, so the index by kind keeps only the rare kinds;
-- a query must repeat the index's condition to use it (see `journal::last_of`).
-- `doc_line` becomes a WITHOUT ROWID table: one b-tree instead of a table plus its
-- primary-key index. `journal` keeps its rows and triggers.
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

DROP INDEX journal_shift;
DROP INDEX journal_kind;
CREATE INDEX journal_rare_kind ON journal (kind, seq) WHERE kind NOT IN ('receipt', 'cash');

DROP INDEX doc_shift;
DROP INDEX doc_created;
DROP INDEX doc_line_shift;
DROP INDEX doc_line_parent;

CREATE TABLE doc_line_by_seq (
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
) STRICT, WITHOUT ROWID;
INSERT INTO doc_line_by_seq SELECT * FROM doc_line;
DROP TABLE doc_line;
ALTER TABLE doc_line_by_seq RENAME TO doc_line;
CREATE INDEX doc_line_parent ON doc_line (parent_seq) WHERE parent_seq IS NOT NULL;
