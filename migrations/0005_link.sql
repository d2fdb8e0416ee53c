-- The operator link (issue 4): what each fiscal document got from the operator, or in
-- autonomous mode from the register itself (R-58). A projection of the journal's
-- `ofd_answer` and `autonomous` records, rebuilt with the others; the evidence stays
-- in the journal. One row per document that has either sign; `doc_seq` is the
-- document's journal `seq`.
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

CREATE TABLE doc_fiscal (
    doc_seq          INTEGER PRIMARY KEY,
    -- 1 once the document was queued in autonomous mode (R-58…R-66).
    queued           INTEGER NOT NULL DEFAULT 0,
    autonomous_sign  INTEGER,
    fiscal_sign      TEXT,
    qr               TEXT,
    answered_seq     INTEGER
);
