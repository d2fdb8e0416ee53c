-- Marking codes sold and returned (issue 7; R-101, R-102): a projection of the
-- receipts' line `marks`, rebuilt with the others. It answers "is this unit already
-- sold?" and "was it returned?" without reading every receipt. `ident` is the code's
-- identification part (01 + GTIN + 21 + serial, or a tobacco pack's first 21
-- characters); `operation` is the receipt's protocol operation code.
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

CREATE TABLE mark (
    ident      TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    line_no    INTEGER NOT NULL,
    operation  INTEGER NOT NULL,
    doc_no     INTEGER NOT NULL,
    PRIMARY KEY (ident, seq)
) WITHOUT ROWID;
