-- Operational records (libs/operational-monitoring): one row per exchange, after X-Road's operational monitoring
-- data — who called what, sizes, the instant of each hop, the result and the reply's signer. Metadata only: no
-- payload, no user id. Written in batches by the dispatcher (outbound) and the partner endpoint (inbound); read by
-- the admin API; rows older than OPERATIONAL_RECORDS_RETENTION_DAYS are purged in batches.
CREATE TABLE IF NOT EXISTS operational_records (
  id                 text PRIMARY KEY,
  direction          text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  client             text NOT NULL,
  service            text NOT NULL,
  partner            text NOT NULL,
  operation          text NOT NULL,
  message_id         text NOT NULL,
  correlation_id     text NOT NULL,
  reply_message_id   text,
  message_type       text,
  attempt            integer NOT NULL DEFAULT 1,
  request_size       integer NOT NULL,
  response_size      integer,
  -- The hops: accepted at the gateway / endpoint, on Kafka, taken by the dispatcher, request out to the partner,
  -- the partner's reply in, the reply or status written (and the answer out, inbound).
  request_in_at      timestamptz NOT NULL,
  request_queued_at  timestamptz,
  request_picked_at  timestamptz,
  request_out_at     timestamptz,
  response_in_at     timestamptz,
  response_out_at    timestamptz,
  total_ms           integer,
  partner_ms         integer,
  result             text NOT NULL CHECK (result IN ('succeeded', 'failed', 'dead-lettered')),
  error_code         text,
  signer_subject     text,
  signer_serial      text,
  signer_issuer      text,
  app                text NOT NULL,
  instance_id        text NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now()
);
-- Keyset paging, newest exchange first, alone and within the common filters; the purge walks the first one.
CREATE INDEX IF NOT EXISTS operational_records_page_idx ON operational_records (request_in_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS operational_records_client_idx ON operational_records (client, request_in_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS operational_records_service_idx ON operational_records (service, request_in_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS operational_records_message_idx ON operational_records (message_id);
CREATE INDEX IF NOT EXISTS operational_records_correlation_idx ON operational_records (correlation_id);
