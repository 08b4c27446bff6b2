-- The correlation ordering check (hasEarlierPending) looks for an earlier retrying message of one correlation id,
-- client and partner (the part of service before "/"): a partial index over the few rows that are retrying.
CREATE INDEX IF NOT EXISTS messages_pending_correlation_idx
  ON messages (correlation_id, client, (split_part(service, '/', 1)), created_at, message_id)
  WHERE status = 'retrying';
