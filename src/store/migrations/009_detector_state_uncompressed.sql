-- Detector states are rewritten by every pull (tens of KB of JSON each) and
-- read back by the next: compressing them on every write cost more CPU than
-- any other part of saving a batch (about half of it on embedded PGlite).
-- EXTERNAL keeps large values out of line but uncompressed; there is one
-- live row per series, so the space this costs is small. Applies to rows
-- written from now on.
ALTER TABLE detector_state ALTER COLUMN state SET STORAGE EXTERNAL;
