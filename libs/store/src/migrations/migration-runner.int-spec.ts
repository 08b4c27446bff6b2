import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, TestDatabase } from '@korpu/testing';
import { PgDatabase } from '../pg-database.adapter';
import { StoreErrorCode } from '../store-error-code';
import { findMigrationDirs, loadMigrations } from './migration-files';
import { MigrationRunner } from './migration-runner';

const baseUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the integration global set-up starts PostgreSQL');
  return url;
};

describe('migration files', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'korpu-migrations-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const write = (lib: string, file: string, sql: string): string => {
    const dir = path.join(root, 'libs', lib, 'migrations');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, file), sql);
    return dir;
  };

  it('reads the .sql files of every lib folder in global name order and skips other files', () => {
    write('beta', '202601010900_beta_second.sql', 'SELECT 2;');
    write('beta', 'README.md', 'not a migration');
    write('alpha', '202601011000_alpha_third.sql', 'SELECT 3;');
    write('alpha', '202601010800_alpha_first.sql', 'SELECT 1;');
    const dirs = findMigrationDirs(root);
    expect(dirs.map((dir) => path.relative(root, dir))).toEqual(['libs/alpha/migrations', 'libs/beta/migrations']);
    const migrations = loadMigrations([...dirs, dirs[0]]);
    expect(migrations.map((m) => m.name)).toEqual(['202601010800_alpha_first', '202601010900_beta_second', '202601011000_alpha_third']);
    expect(migrations[0].source).toBe(path.join(dirs[0], '202601010800_alpha_first.sql'));
  });

  it('refuses a missing folder and a badly named file, naming them', () => {
    expect(() => loadMigrations([path.join(root, 'nope')])).toThrow(expect.objectContaining({ code: StoreErrorCode.MIGRATION_DIR_NOT_FOUND }));
    const dir = write('alpha', 'create_alpha.sql', 'SELECT 1;');
    expect(() => loadMigrations([dir])).toThrow(/create_alpha\.sql/);
  });

  it('finds the migrations the libs of this repository ship', () => {
    const repoRoot = path.resolve(__dirname, '../../../..');
    expect(() => loadMigrations(findMigrationDirs(repoRoot))).not.toThrow();
  });
});

describe('MigrationRunner (PostgreSQL server)', () => {
  let testDb: TestDatabase;

  beforeEach(async () => {
    testDb = await createTestDatabase(baseUrl());
  });

  afterEach(async () => {
    await testDb.drop();
  });

  it('applies each migration exactly once when several instances boot at the same time', async () => {
    const migrations = loadMigrationsFromSql([
      ['202601010000_alpha_create.sql', 'CREATE TABLE alpha (id int PRIMARY KEY); SELECT pg_sleep(0.05);'],
      ['202601010100_beta_create.sql', 'CREATE TABLE beta (id int PRIMARY KEY); INSERT INTO beta VALUES (1);'],
      ['202601010200_alpha_seed.sql', 'INSERT INTO alpha VALUES (1);'],
    ]);
    const instances = Array.from({ length: 5 }, () => new PgDatabase({ url: testDb.url, poolSize: 2 }));
    try {
      const reports = await Promise.all(instances.map((db) => new MigrationRunner(db).run(migrations)));
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(migrations.map((m) => m.name));
      expect(reports.every((r) => r.applied.length + r.alreadyApplied === migrations.length)).toBe(true);
      const check = instances[0];
      expect((await check.query('SELECT * FROM alpha')).rowCount).toBe(1);
      expect((await check.query('SELECT * FROM beta')).rowCount).toBe(1);
      expect((await check.query('SELECT * FROM schema_migrations')).rowCount).toBe(3);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
    }
  });

  it('applies the migrations this repository ships, twice without change', async () => {
    const repoRoot = path.resolve(__dirname, '../../../..');
    const migrations = loadMigrations(findMigrationDirs(repoRoot));
    const db = new PgDatabase({ url: testDb.url });
    try {
      expect((await new MigrationRunner(db).run(migrations)).applied).toHaveLength(migrations.length);
      expect(await new MigrationRunner(db).run(migrations)).toEqual({ applied: [], alreadyApplied: migrations.length });
    } finally {
      await db.close();
    }
  });
});

function loadMigrationsFromSql(files: [string, string][]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'korpu-migrations-'));
  try {
    for (const [file, sql] of files) writeFileSync(path.join(dir, file), sql);
    return loadMigrations([dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
