-- Operators (libs/operators): sign-in sessions, the sign-in throttle, and the hash-chained audit trail.

-- One row per sign-in. The bearer token itself is never stored: token_hash = SHA-256 of it, hex.
CREATE TABLE IF NOT EXISTS operator_sessions (
  token_hash       text PRIMARY KEY,
  session_id       text NOT NULL UNIQUE,
  operator         text NOT NULL,
  roles            text[] NOT NULL,
  source           text NOT NULL CHECK (source IN ('directory', 'local')),
  client_address   text,
  created_at       timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  idle_expires_at  timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  ended_at         timestamptz,
  end_reason       text
);
CREATE INDEX IF NOT EXISTS operator_sessions_operator_idx ON operator_sessions (operator, created_at DESC);

-- Failed sign-ins per account ('account:<lower-case name>') and per source ('source:<address>').
CREATE TABLE IF NOT EXISTS operator_sign_in_failures (
  key               text PRIMARY KEY,
  failures          integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until      timestamptz
);

-- The operators' audit trail: who did what, when, to what, with the state before and after. Append-only and
-- hash-chained like the message log: hash = SHA-256(prev_hash || canonical serialization), seq without gaps,
-- audit_trail_head holds the last seq and hash and is row-locked by every append. (operator_audit of
-- libs/failed-messages is the trail before it was chained; it is no longer written.)
CREATE TABLE IF NOT EXISTS audit_trail (
  seq          bigint PRIMARY KEY,
  at           timestamptz NOT NULL,
  operator     text NOT NULL,
  action       text NOT NULL,
  message_ids  text[] NOT NULL,
  reason       text,
  before_state jsonb,
  after_state  jsonb,
  before_hash  text,
  after_hash   text,
  detail       jsonb NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_trail_at_idx ON audit_trail (at, seq);
CREATE INDEX IF NOT EXISTS audit_trail_operator_idx ON audit_trail (operator, seq);
CREATE INDEX IF NOT EXISTS audit_trail_action_idx ON audit_trail (action, seq);
CREATE INDEX IF NOT EXISTS audit_trail_message_ids_idx ON audit_trail USING gin (message_ids);

CREATE TABLE IF NOT EXISTS audit_trail_head (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq   bigint NOT NULL,
  hash  text NOT NULL
);
INSERT INTO audit_trail_head (id, seq, hash)
VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_trail is append-only (% refused)', TG_OP;
END;
$$;
DROP TRIGGER IF EXISTS audit_trail_append_only ON audit_trail;
CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail
  FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
