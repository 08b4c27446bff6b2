import { PgliteDatabase } from '../pglite-database.adapter';
import { StoreErrorCode } from '../store-error-code';
import { Migration, migrationFrom, orderMigrations } from './migration';
import { MigrationRunner } from './migration-runner';

const m = (file: string, sql: string): Migration => migrationFrom(file, sql, `libs/x/migrations/${file}`);

describe('MigrationRunner (PGlite in memory)', () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
  });

  afterAll(async () => {
    await db.close();
  });

  beforeEach(async () => {
    await db.execScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  });

  const tables = async (): Promise<string[]> =>
    (await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);

  it('applies the migrations of several libs in global name order and records each with its checksum', async () => {
    const b = m('202601020000_beta_add-col.sql', 'ALTER TABLE alpha ADD COLUMN extra text;');
    const a = m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int); CREATE TABLE alpha_log (id int);');
    const report = await new MigrationRunner(db).run([b, a]);
    expect(report).toEqual({ applied: [a.name, b.name], alreadyApplied: 0 });
    expect(await tables()).toEqual(['alpha', 'alpha_log', 'schema_migrations']);
    const recorded = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
    expect(recorded.rows).toEqual([
      { name: a.name, checksum: a.checksum },
      { name: b.name, checksum: b.checksum },
    ]);
  });

  it('applies nothing the second time', async () => {
    const all = [m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int);')];
    await new MigrationRunner(db).run(all);
    expect(await new MigrationRunner(db).run(all)).toEqual({ applied: [], alreadyApplied: 1 });
  });

  it('refuses to run when an applied migration was edited, naming its file, and applies nothing new', async () => {
    await new MigrationRunner(db).run([m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int);')]);
    const edited = m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id bigint);');
    const added = m('202601020000_alpha_more.sql', 'CREATE TABLE more (id int);');
    const error = await new MigrationRunner(db).run([edited, added]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: StoreErrorCode.MIGRATION_CHECKSUM_MISMATCH });
    expect((error as Error).message).toContain('libs/x/migrations/202601010000_alpha_create.sql');
    expect(await tables()).not.toContain('more');
  });

  it('treats line-ending changes as the same migration', async () => {
    await new MigrationRunner(db).run([m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int);\n')]);
    const crlf = m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int);\r\n');
    expect(await new MigrationRunner(db).run([crlf])).toEqual({ applied: [], alreadyApplied: 1 });
  });

  it('rolls back a failing migration, names its file, and keeps the ones applied before it', async () => {
    const good = m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int);');
    const bad = m('202601020000_alpha_broken.sql', 'CREATE TABLE half (id int); SELECT * FROM missing_table;');
    const error = await new MigrationRunner(db).run([good, bad]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: StoreErrorCode.MIGRATION_FAILED, sqlState: '42P01' });
    expect((error as Error).message).toContain('202601020000_alpha_broken.sql');
    expect(await tables()).toEqual(['alpha', 'schema_migrations']);
    expect((await db.query('SELECT name FROM schema_migrations')).rows).toEqual([{ name: good.name }]);
  });

  it('still applies a migration whose name sorts before one already applied (libs add migrations independently)', async () => {
    await new MigrationRunner(db).run([m('202601050000_alpha_create.sql', 'CREATE TABLE alpha (id int);')]);
    const late = m('202601010000_beta_create.sql', 'CREATE TABLE beta (id int);');
    const report = await new MigrationRunner(db).run([late, m('202601050000_alpha_create.sql', 'CREATE TABLE alpha (id int);')]);
    expect(report).toEqual({ applied: [late.name], alreadyApplied: 1 });
  });

  it('leaves alone applied migrations it was not given (another app applies them)', async () => {
    await new MigrationRunner(db).run([m('202601010000_other_create.sql', 'CREATE TABLE other (id int);')]);
    const report = await new MigrationRunner(db).run([m('202601020000_alpha_create.sql', 'CREATE TABLE alpha (id int);')]);
    expect(report.applied).toEqual(['202601020000_alpha_create']);
    expect((await db.query('SELECT name FROM schema_migrations')).rowCount).toBe(2);
  });

  it('reports the applied migrations without changing anything', async () => {
    const runner = new MigrationRunner(db);
    expect(await runner.appliedMigrations()).toEqual(new Map());
    const a = m('202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int);');
    await runner.run([a]);
    expect(await runner.appliedMigrations()).toEqual(new Map([[a.name, a.checksum]]));
  });
});

describe('migration names', () => {
  it.each(['202611270100_tracking_messages.sql', '202611270100_access-control_add_index.sql'])('accepts %s', (file) => {
    expect(migrationFrom(file, 'SELECT 1').name).toBe(file.replace(/\.sql$/, ''));
  });

  it.each(['20261127_tracking_messages.sql', '202611270100_messages.sql', '202611270100_Tracking_x.sql', '202611270100_tracking_x.SQL'])(
    'refuses %s',
    (file) => {
      expect(() => migrationFrom(file, 'SELECT 1')).toThrow(expect.objectContaining({ code: StoreErrorCode.MIGRATION_INVALID_NAME }));
    },
  );

  it('refuses two migrations with the same name, naming both files', () => {
    const one = migrationFrom('202601010000_alpha_x.sql', 'SELECT 1', 'libs/alpha/migrations/202601010000_alpha_x.sql');
    const two = migrationFrom('202601010000_alpha_x.sql', 'SELECT 2', 'apps/gateway/migrations/202601010000_alpha_x.sql');
    expect(() => orderMigrations([one, two])).toThrow(/libs\/alpha.*apps\/gateway/);
  });
});
