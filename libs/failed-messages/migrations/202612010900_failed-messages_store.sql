-- Failed-message store: every record of the dead-letter topic, by message id, with its history, and the
-- operators' audit trail. Written by the dead-letter consumer and the admin API (libs/failed-messages).
CREATE TABLE IF NOT EXISTS failed_messages (
  message_id          text PRIMARY KEY,
  correlation_id      text,
  client              text,
  service             text,
  message_type        text,
  schema_version      text,
  content_type        text,
  record_key          text,
  original_topic      text,
  original_partition  integer,
  original_offset     bigint,
  attempts            integer NOT NULL,
  error_code          text NOT NULL,
  error_message       text NOT NULL,
  fingerprint         text NOT NULL,
  first_failed_at     timestamptz NOT NULL,
  last_failed_at      timestamptz NOT NULL,
  failure_count       integer NOT NULL DEFAULT 1,
  status              text NOT NULL DEFAULT 'unresolved'
                      CHECK (status IN ('unresolved', 'replayed', 'resolved', 'archived')),
  status_changed_at   timestamptz NOT NULL,
  status_changed_by   text,
  headers             jsonb NOT NULL,
  payload             text NOT NULL,
  edited_payload      text,
  edited_at           timestamptz,
  edited_by           text,
  replay_count        integer NOT NULL DEFAULT 0,
  last_replay_id      text,
  last_replayed_at    timestamptz,
  last_replayed_by    text,
  stored_at           timestamptz NOT NULL DEFAULT now()
);
-- Keyset paging (newest failure first), alone and within a status.
CREATE INDEX IF NOT EXISTS failed_messages_page_idx ON failed_messages (last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_status_page_idx ON failed_messages (status, last_failed_at DESC, message_id DESC);
CREATE INDEX IF NOT EXISTS failed_messages_fingerprint_idx ON failed_messages (fingerprint, status);
CREATE INDEX IF NOT EXISTS failed_messages_service_idx ON failed_messages (service, status);
CREATE INDEX IF NOT EXISTS failed_messages_error_code_idx ON failed_messages (error_code, status);
CREATE INDEX IF NOT EXISTS failed_messages_client_idx ON failed_messages (client, status);
-- Prefix search on ids ("free text" in the console).
CREATE INDEX IF NOT EXISTS failed_messages_id_prefix_idx ON failed_messages (message_id text_pattern_ops);
CREATE INDEX IF NOT EXISTS failed_messages_correlation_prefix_idx ON failed_messages (correlation_id text_pattern_ops);

-- What happened to each failed message: failures (one per dead-letter record), replays, edits, resolutions.
CREATE TABLE IF NOT EXISTS failed_message_events (
  id                    bigserial PRIMARY KEY,
  message_id            text NOT NULL REFERENCES failed_messages (message_id) ON DELETE CASCADE,
  kind                  text NOT NULL,
  at                    timestamptz NOT NULL,
  operator              text,
  detail                jsonb NOT NULL DEFAULT '{}'::jsonb,
  dead_letter_topic     text,
  dead_letter_partition integer,
  dead_letter_offset    bigint
);
CREATE INDEX IF NOT EXISTS failed_message_events_message_idx ON failed_message_events (message_id, id);
-- A dead-letter record redelivered to the consumer (crash before commit) is recognised and stored once.
CREATE UNIQUE INDEX IF NOT EXISTS failed_message_events_dead_letter_uq
  ON failed_message_events (dead_letter_topic, dead_letter_partition, dead_letter_offset);

-- Every operator action on failed messages (view, edit, replay, resolve...). Append-only.
CREATE TABLE IF NOT EXISTS operator_audit (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL,
  operator     text NOT NULL,
  action       text NOT NULL,
  message_ids  text[] NOT NULL,
  reason       text,
  before_hash  text,
  after_hash   text,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS operator_audit_at_idx ON operator_audit (at DESC, id DESC);
CREATE INDEX IF NOT EXISTS operator_audit_operator_idx ON operator_audit (operator, id DESC);
CREATE INDEX IF NOT EXISTS operator_audit_message_ids_idx ON operator_audit USING gin (message_ids);

CREATE OR REPLACE FUNCTION operator_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'operator_audit is append-only (% refused)', TG_OP;
END;
$$;
DROP TRIGGER IF EXISTS operator_audit_append_only ON operator_audit;
CREATE TRIGGER operator_audit_append_only BEFORE UPDATE OR DELETE ON operator_audit
  FOR EACH ROW EXECUTE FUNCTION operator_audit_append_only();
