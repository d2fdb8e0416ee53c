-- The shop's catalogue (issue 7): goods, their barcodes, quick keys and the history of
-- price changes. It lives in catalogue.sqlite beside the fiscal journal, never inside
-- it: a receipt keeps its own copy of name, price and codes, so changing or archiving
-- goods here never alters an issued receipt. Amounts are integer tiyn.
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

CREATE TABLE goods (
    id             INTEGER PRIMARY KEY,
    -- The shop's article or PLU; what CSV rows and label scales refer to.
    code           TEXT NOT NULL UNIQUE,
    -- `code` without leading zeros when it is all digits: the PLU a weighing scale
    -- puts into a weight-embedded EAN-13 (devices.md §5.7).
    plu            TEXT,
    name_kk        TEXT NOT NULL,
    name_ru        TEXT NOT NULL,
    -- Lower-cased names and code, for search as the cashier types.
    search_text    TEXT NOT NULL,
    price          INTEGER NOT NULL CHECK (price >= 0),
    -- ИС ЭСФ unit code (R-2 element 9).
    unit           TEXT NOT NULL,
    -- A group of the register's tax table; the register's default when NULL.
    vat_group      TEXT,
    section        TEXT NOT NULL DEFAULT '',
    -- National Catalogue code (R-2 element 8, R-103).
    ntin           TEXT,
    weighted       INTEGER NOT NULL DEFAULT 0,
    -- Sold one scanned marking code per unit (R-101).
    marked         INTEGER NOT NULL DEFAULT 0,
    age_restricted INTEGER NOT NULL DEFAULT 0,
    quick_key      INTEGER UNIQUE,
    archived       INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX goods_plu ON goods (plu) WHERE plu IS NOT NULL;

-- Many barcodes per item. EAN/UPC codes are kept as GTIN-14 so that EAN-8, UPC-A,
-- EAN-13 and the GTIN inside a marking code meet in one key (devices.md §5.6).
CREATE TABLE barcodes (
    code     TEXT PRIMARY KEY,
    goods_id INTEGER NOT NULL REFERENCES goods (id)
) WITHOUT ROWID;
CREATE INDEX barcodes_goods ON barcodes (goods_id);

CREATE TABLE price_changes (
    id       INTEGER PRIMARY KEY,
    goods_id INTEGER NOT NULL REFERENCES goods (id),
    at       INTEGER NOT NULL,
    -- Who changed it: a user's name, or 'import FILE'.
    by_whom  TEXT NOT NULL,
    old      INTEGER,
    new      INTEGER NOT NULL
);

-- How this till's scanners talk (prefix, suffix, GS substitute, keyboard layout) and
-- how its label scales lay out weight-embedded barcodes: shop setup, not fiscal data.
CREATE TABLE preferences (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
