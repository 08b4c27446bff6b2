-- Tamper-evident log of every message that enters or leaves Körpü (libs/message-log).
-- Each record carries prev_hash and hash = SHA-256(prev_hash || canonical serialization of its fields);
-- message_log_head holds the last seq and hash and is row-locked by every append, which serialises appenders
-- across instances. Records are only ever inserted, and deleted by the archiver (oldest first).
CREATE TABLE IF NOT EXISTS message_log (
  seq                    bigint PRIMARY KEY,
  event                  text NOT NULL,
  message_id             text NOT NULL,
  correlation_id         text NOT NULL,
  direction              text NOT NULL,
  client                 text NOT NULL,
  service                text NOT NULL,
  message_type           text NOT NULL,
  schema_version         text NOT NULL,
  occurred_at            timestamptz NOT NULL,
  logged_at              timestamptz NOT NULL,
  content_type           text,
  payload                text,          -- plaintext, or the AES-256-GCM ciphertext when payload_key_id is set
  payload_key_id         text,
  in_reply_to            text,
  signature_format       text,
  signature_value        text,
  signer_certificate     text,
  signature_verification text,
  detail                 jsonb,
  prev_hash              text NOT NULL,
  hash                   text NOT NULL
);
CREATE INDEX IF NOT EXISTS message_log_message_idx ON message_log (message_id, seq);
CREATE INDEX IF NOT EXISTS message_log_correlation_idx ON message_log (correlation_id, seq);
CREATE INDEX IF NOT EXISTS message_log_logged_at_idx ON message_log (logged_at);

-- The single chain head: last appended seq and its hash (seq 0 / 64 zeros before the first record).
CREATE TABLE IF NOT EXISTS message_log_head (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq   bigint NOT NULL,
  hash  text NOT NULL
);
INSERT INTO message_log_head (id, seq, hash)
VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;

-- One row per archive file: the records first_seq..last_seq were moved out of message_log into it.
-- manifest is the exact signed text (canonical JSON); signature is over its UTF-8 bytes.
CREATE TABLE IF NOT EXISTS message_log_archives (
  id                  bigserial PRIMARY KEY,
  first_seq           bigint NOT NULL UNIQUE,
  last_seq            bigint NOT NULL UNIQUE,
  record_count        bigint NOT NULL,
  first_prev_hash     text NOT NULL,
  last_hash           text NOT NULL,
  file_name           text NOT NULL,
  file_sha256         text NOT NULL,
  manifest            text NOT NULL,
  signature_algorithm text NOT NULL,
  signature           text NOT NULL,
  signer_certificate  text NOT NULL,
  archived_at         timestamptz NOT NULL DEFAULT now()
);
