-- Status and history of every message that entered Körpü, for GET /v1/messages/{id} and idempotency.
CREATE TABLE IF NOT EXISTS messages (
  message_id        text PRIMARY KEY,
  correlation_id    text NOT NULL,
  client            text NOT NULL,
  service           text NOT NULL,
  message_type      text NOT NULL,
  schema_version    text NOT NULL,
  direction         text NOT NULL,
  status            text NOT NULL,
  status_rank       smallint NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  attempts          integer NOT NULL DEFAULT 0,
  reply_message_id  text,
  reply_type        text,
  reply_version     text,
  reply_content_type text,
  reply_payload     text,
  error_code        text,
  error_message     text
);
CREATE INDEX IF NOT EXISTS messages_correlation_idx ON messages (correlation_id);
CREATE INDEX IF NOT EXISTS messages_status_idx ON messages (status, updated_at);

CREATE TABLE IF NOT EXISTS message_events (
  id          bigserial PRIMARY KEY,
  message_id  text NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
  status      text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  detail      jsonb
);
CREATE INDEX IF NOT EXISTS message_events_message_idx ON message_events (message_id, id);
