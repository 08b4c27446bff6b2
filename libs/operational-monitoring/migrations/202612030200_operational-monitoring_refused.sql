-- Refusals of an identified caller before anything was queued (schema, access, message type, id conflicts) are
-- operational records too, as X-Road records failed requests: result 'refused'.
ALTER TABLE operational_records DROP CONSTRAINT IF EXISTS operational_records_result_check;
ALTER TABLE operational_records ADD CONSTRAINT operational_records_result_check
  CHECK (result IN ('succeeded', 'failed', 'dead-lettered', 'refused'));
