-- The IS MPT product group of a marked item (devices.md §6.1–6.2): tobacco, shoes,
-- light_industry, medicines, beer, drinks or oils. A scanned code must have the shape
-- of its group's codes; NULL means "any marking code" (issue 7, R-101).
-- Forward-only: never edit this file once shipped; add a new numbered file instead.

ALTER TABLE goods ADD COLUMN marking_group TEXT;
