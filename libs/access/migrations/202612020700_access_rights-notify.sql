-- Every change to clients or rights, by Körpü or by hand, tells each instance's access cache to reload
-- (LISTEN korpu_access_rights): a revocation applies everywhere as soon as it commits.
CREATE OR REPLACE FUNCTION korpu_access_rights_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('korpu_access_rights', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS access_rights_changed ON access_rights;
CREATE TRIGGER access_rights_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_rights
  FOR EACH STATEMENT EXECUTE FUNCTION korpu_access_rights_changed();

DROP TRIGGER IF EXISTS access_clients_changed ON access_clients;
CREATE TRIGGER access_clients_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_clients
  FOR EACH STATEMENT EXECUTE FUNCTION korpu_access_rights_changed();
