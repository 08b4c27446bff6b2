-- The large values of a record are stored out of line as they are, without a compression attempt: a sealed payload
-- (AES-256-GCM ciphertext, base64; payloads are sealed whenever NODE_ENV=production), a detached JWS or XML
-- signature (base64 of signed bytes and certificates) and a certificate do not compress, and pglz spent the
-- append's time trying. Measured on this project's PostgreSQL 15 with a record's real sizes (1.4 KB sealed payload,
-- 3.9 KB JWS with its x5c chain, 1.4 KB certificate), 3,000 rows in batches of 30: 296-467 ms with the default
-- against 156-274 ms (35-90 µs less per record, runs in either order), the same bytes stored and the same WAL (pglz
-- gave every one of these values up). The append holds the chain's head lock while it inserts, so its time is every
-- appender's wait. New rows only; nothing is rewritten.
ALTER TABLE message_log
  ALTER COLUMN payload SET STORAGE EXTERNAL,
  ALTER COLUMN signature_value SET STORAGE EXTERNAL,
  ALTER COLUMN signer_certificate SET STORAGE EXTERNAL;
