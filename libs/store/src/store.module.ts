import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import { createDatabase, DatabaseConnectionOptions, describeDatabase } from './create-database';
import { Database } from './database';
import { MetricsRegistry } from '@korpu/observability';
import { StoreMetrics, queryObserver } from './store.metrics';
import { loadMigrations } from './migrations/migration-files';
import { MigrationRunner } from './migrations/migration-runner';

export interface StoreModuleOptions extends DatabaseConnectionOptions {
  /**
   * Migration directories of the libs this app uses, each exported by its lib (e.g. `TRACKING_MIGRATIONS`).
   * Their `*.sql` files are applied together in global name order at boot.
   */
  migrationDirs?: readonly string[];
  /** Apply migrations at boot (default true). */
  migrateOnBoot?: boolean;
}

export interface StoreModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => StoreModuleOptions | Promise<StoreModuleOptions>;
}

export const STORE_MODULE_OPTIONS = Symbol('STORE_MODULE_OPTIONS');

const logger = new Logger('Store');

/** Opens the database, checks that it answers and applies the migrations; closes it again if that fails. */
async function openStore(options: StoreModuleOptions, metrics?: MetricsRegistry): Promise<Database> {
  const db = await createDatabase({
    ...options,
    onQuery: options.onQuery ?? queryObserver(metrics),
    onIdleError: options.onIdleError ?? ((error) => logger.warn(`idle database connection failed: ${error.message}`)),
  });
  try {
    await db.query('SELECT 1');
    if (options.migrateOnBoot !== false && options.migrationDirs?.length) {
      const report = await new MigrationRunner(db, { log: (message) => logger.log(message) }).run(
        loadMigrations(options.migrationDirs),
      );
      logger.log(`schema up to date: ${report.applied.length} applied, ${report.alreadyApplied} already applied`);
    }
    logger.log(`connected to ${describeDatabase(options)}`);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

@Injectable()
class StoreShutdown implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  // Last shutdown phase, so consumers stopped in onModuleDestroy/beforeApplicationShutdown can still write.
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

const databaseProvider: Provider = {
  provide: Database,
  useFactory: (options: StoreModuleOptions, metrics?: MetricsRegistry) => openStore(options, metrics),
  inject: [STORE_MODULE_OPTIONS, { token: MetricsRegistry, optional: true }],
};

/**
 * Provides `Database` (inject the abstract class) to the whole app. With `databaseUrl`, PostgreSQL through a
 * pg Pool; without, embedded PGlite. Migrations of `migrationDirs` are applied before anything else boots.
 */
@Global()
@Module({})
export class StoreModule {
  static forRoot(options: StoreModuleOptions): DynamicModule {
    return {
      module: StoreModule,
      providers: [{ provide: STORE_MODULE_OPTIONS, useValue: options }, databaseProvider, StoreShutdown, StoreMetrics],
      exports: [Database],
    };
  }

  static forRootAsync(options: StoreModuleAsyncOptions): DynamicModule {
    return {
      module: StoreModule,
      imports: options.imports ?? [],
      providers: [
        { provide: STORE_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        databaseProvider,
        StoreShutdown,
        StoreMetrics,
      ],
      exports: [Database],
    };
  }
}
