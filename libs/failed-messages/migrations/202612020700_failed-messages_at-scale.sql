-- Failed messages at the scale of an outage: list filters and their indexes, discard/restore, edit-and-replay
-- copies, durable bulk-replay jobs, and the retention purge's trace (libs/failed-messages).

-- The partner a message was for: the first segment of its service (`tax-service/GetTaxpayer` → `tax-service`).
ALTER TABLE failed_messages ADD COLUMN IF NOT EXISTS partner text GENERATED ALWAYS AS (split_part(service, '/', 1)) STORED;
-- Discarded (with a reason, restorable within the retention period) joins the statuses.
ALTER TABLE failed_messages DROP CONSTRAINT IF EXISTS failed_messages_status_check;
ALTER TABLE failed_messages ADD CONSTRAINT failed_messages_status_check
  CHECK (status IN ('unresolved', 'replayed', 'resolved', 'archived', 'discarded'));
ALTER TABLE failed_messages ADD COLUMN IF NOT EXISTS discard_reason text;
-- Set on an original an operator edited and replayed: the id of the copy that was sent instead.
ALTER TABLE failed_messages ADD COLUMN IF NOT EXISTS edited_to text;

-- Keyset pages within the filters an operator uses on the day of an outage (each with the page order).
CREATE INDEX IF NOT EXISTS failed_messages_partner_page_idx ON failed_messages (partner, status, last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_service_page_idx ON failed_messages (service, status, last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_error_code_page_idx ON failed_messages (error_code, status, last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_fingerprint_page_idx ON failed_messages (fingerprint, status, last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_type_page_idx
  ON failed_messages (message_type, schema_version, status, last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_correlation_idx ON failed_messages (correlation_id);
-- The purge: resolved / discarded rows by when their status last changed.
CREATE INDEX IF NOT EXISTS failed_messages_retention_idx ON failed_messages (status, status_changed_at);

-- An edit-and-replay: the copy (new message id) of an original, with what the operator changed.
CREATE TABLE IF NOT EXISTS failed_message_edits (
  copy_id       text PRIMARY KEY,
  original_id   text NOT NULL,
  at            timestamptz NOT NULL,
  operator      text NOT NULL,
  reason        text,
  -- 'json-patch' (RFC 6902, a JSON array) or 'unified-diff' (text, for XML).
  diff_format   text NOT NULL CHECK (diff_format IN ('json-patch', 'unified-diff')),
  diff          text NOT NULL,
  before_hash   text NOT NULL,
  after_hash    text NOT NULL,
  topic         text NOT NULL
);
CREATE INDEX IF NOT EXISTS failed_message_edits_original_idx ON failed_message_edits (original_id, at);

-- A bulk replay: a durable job executed in batches by a worker holding its lease.
CREATE TABLE IF NOT EXISTS replay_jobs (
  id              text PRIMARY KEY,
  state           text NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'completed')),
  created_at      timestamptz NOT NULL,
  created_by      text NOT NULL,
  reason          text,
  force           boolean NOT NULL,
  -- What the job was created from: {"ids": [...]} | {"fingerprint": ...} | {"filter": {...}}.
  selection       jsonb NOT NULL,
  total           integer NOT NULL,
  partners        jsonb NOT NULL,
  state_changed_at timestamptz NOT NULL,
  state_changed_by text,
  started_at      timestamptz,
  finished_at     timestamptz,
  lease_owner     text,
  lease_until     timestamptz
);
CREATE INDEX IF NOT EXISTS replay_jobs_runnable_idx ON replay_jobs (state, created_at);

-- One row per message of a job. `sending`: claimed by the worker, the record may be on its way to Kafka.
CREATE TABLE IF NOT EXISTS replay_job_items (
  job_id      text NOT NULL REFERENCES replay_jobs (id),
  seq         integer NOT NULL,
  message_id  text NOT NULL,
  -- '' when the message names no service.
  partner     text NOT NULL DEFAULT '',
  state       text NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'in-doubt', 'cancelled')),
  detail      text,
  updated_at  timestamptz,
  PRIMARY KEY (job_id, seq)
);
CREATE INDEX IF NOT EXISTS replay_job_items_state_idx ON replay_job_items (job_id, state, partner, seq);
-- At most one outstanding (pending or sending) replay job item per message, across all jobs.
CREATE UNIQUE INDEX IF NOT EXISTS replay_job_items_outstanding_uq ON replay_job_items (message_id) WHERE state IN ('pending', 'sending');

-- What the retention purge removed: ids and payload hashes stay, so nothing disappears without a trace.
CREATE TABLE IF NOT EXISTS failed_message_purges (
  message_id     text NOT NULL,
  purged_at      timestamptz NOT NULL,
  status         text NOT NULL,
  status_changed_at timestamptz NOT NULL,
  -- sha256 of the payload as stored (sealed), not of its plain text.
  payload_hash   text NOT NULL,
  service        text,
  error_code     text,
  audit_run      text NOT NULL
);
CREATE INDEX IF NOT EXISTS failed_message_purges_message_idx ON failed_message_purges (message_id);
