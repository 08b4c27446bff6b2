-- Who may call Körpü (clients: the ministry's subsystems and partners) and which services each may use.
CREATE TABLE IF NOT EXISTS access_clients (
  client_id   text PRIMARY KEY,
  name        text NOT NULL,
  status      text NOT NULL DEFAULT 'active',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS access_rights (
  client_id   text NOT NULL REFERENCES access_clients (client_id),
  service     text NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  granted_by  text NOT NULL,
  revoked_at  timestamptz,
  revoked_by  text,
  PRIMARY KEY (client_id, service)
);
