-- 0019: a kept report is stored gzip-compressed. The latest month's Department report at a
-- million issues is a 21.7 MB JSON document; reading it back and sending it took 0.16 s.
-- Compressed once when it is kept (libdeflate's fastest level: 1.7 MB in 0.07 s), it is
-- sent as it is to every browser (they all take gzip) and inflated only for a client that
-- does not. The kept copies are derived, so they are dropped rather than converted: each
-- is made again on its next request.
TRUNCATE report_cache;
ALTER TABLE report_cache DROP COLUMN document;
ALTER TABLE report_cache ADD COLUMN document_gzip bytea NOT NULL;
-- Already compressed: TOAST must not try again.
ALTER TABLE report_cache ALTER COLUMN document_gzip SET STORAGE EXTERNAL;
