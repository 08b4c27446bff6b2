import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { MetricsRegistry, QUERY_BUCKETS, ReadinessRegistry } from '@korpu/observability';
import { Database, QueryObserver } from './database';

/** Tables whose size is published (those the app's database has): the message log and the failed-message store. */
export const MONITORED_TABLES = ['message_log', 'failed_messages'];

/** Times every query (`korpu_db_query_duration_seconds{outcome}`), when the app has a metrics registry. */
export function queryObserver(metrics: MetricsRegistry | undefined): QueryObserver | undefined {
  if (!metrics) return undefined;
  const latency = metrics.histogram({
    name: 'korpu_db_query_duration_seconds',
    help: 'Time of one database query or transaction, by outcome',
    labelNames: ['outcome'] as const,
    buckets: QUERY_BUCKETS,
  });
  return (seconds, outcome) => latency.observe({ outcome }, seconds);
}

/**
 * The database as readiness and metrics see it: `database` is ready when it answers; the pool's connections in
 * use, idle, waiting and its size; the size of the monitored tables (bytes and estimated rows, sampled every 30 s).
 */
@Injectable()
export class StoreMetrics implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Optional() private readonly readiness?: ReadinessRegistry,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('database', async () => {
      await this.db.query('SELECT 1');
    });
    this.metrics?.sampledGauge({
      name: 'korpu_db_pool_connections',
      help: 'Database pool connections by state: in_use, idle, waiting (callers waiting for a connection) and max (pool size)',
      labelNames: ['state'] as const,
      cacheMs: 1_000,
      sample: async () => {
        const stats = this.db.poolStats();
        if (!stats) return [];
        return (['inUse', 'idle', 'waiting', 'max'] as const).map((key) => ({ labels: { state: key === 'inUse' ? 'in_use' : key }, value: stats[key] }));
      },
    });
    const tables = async () =>
      (
        await this.db.query<{ name: string; bytes: string; rows: string }>(
          `SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS bytes, GREATEST(c.reltuples, 0)::bigint AS rows
             FROM pg_class c WHERE c.oid IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)`,
          [MONITORED_TABLES],
        )
      ).rows;
    this.metrics?.sampledGauge({
      name: 'korpu_db_table_size_bytes',
      help: 'Size on disk of a monitored table with its indexes and TOAST (message_log, failed_messages)',
      labelNames: ['table'] as const,
      cacheMs: 30_000,
      sample: async () => (await tables()).map((row) => ({ labels: { table: row.name }, value: Number(row.bytes) })),
    });
    this.metrics?.sampledGauge({
      name: 'korpu_db_table_rows_estimate',
      help: 'Rows of a monitored table as the planner estimates them (pg_class.reltuples; 0 before the first ANALYZE)',
      labelNames: ['table'] as const,
      cacheMs: 30_000,
      sample: async () => (await tables()).map((row) => ({ labels: { table: row.name }, value: Number(row.rows) })),
    });
  }
}
