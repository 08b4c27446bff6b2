-- A claim on a caller-chosen message id names the process that holds it (claimed_by), and each holder says it is
-- alive (claim_holders.alive_at, every few seconds). A claim whose holder stopped saying so — a gateway killed
-- between claim and queueing — is taken over at once by the same client's next submit, not after the whole lease.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS claimed_by text;
CREATE TABLE IF NOT EXISTS claim_holders (
  holder   text PRIMARY KEY,
  alive_at timestamptz NOT NULL DEFAULT now()
);
