import { Client } from 'pg';
import type { CaseObserver } from './process-monitor';

/** One statement's counters over a case (pg_stat_statements, normalised text). */
export interface StatementFigures {
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
  walBytes: number;
}

/** A case's statements, heaviest first, and the sum over all of them. */
export interface CaseStatements {
  top: StatementFigures[];
  all: Omit<StatementFigures, 'query'> & { statements: number };
}

/** Statements shown per case; the sum row counts every one. */
const TOP = 8;

/**
 * PostgreSQL's own per-statement counters for each case of the pipeline bench (`--pg-statements`): pg_stat_statements
 * is reset as a case's window opens and read as it closes, over the statements of the apps' role (the bench's own
 * reads during a drain included: they are the ones whose text is not the apps'). The server must have been started
 * with the library preloaded (POSTGRES_STATEMENT_STATS=on, which the bench asks for when it starts the server).
 */
export class StatementStats implements CaseObserver {
  private readonly byCase = new Map<string, { read: Promise<CaseStatements | undefined>; seconds: number }>();
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly client: Client,
    private readonly role: string,
  ) {}

  /** Connects as the server's superuser; undefined (and why) when pg_stat_statements is not loaded. */
  static async open(superuserUrl: string, role: string): Promise<StatementStats | { unavailable: string }> {
    const client = new Client({ connectionString: superuserUrl });
    await client.connect();
    const { rows } = await client.query<{ shared_preload_libraries: string }>('SHOW shared_preload_libraries');
    if (!rows[0].shared_preload_libraries.split(',').map((l) => l.trim()).includes('pg_stat_statements')) {
      await client.end();
      return { unavailable: 'the server runs without pg_stat_statements (one started before with other settings: stop it and run again)' };
    }
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return new StatementStats(client, role);
  }

  begin(label: string): void {
    this.pending = this.pending.then(() => this.client.query('SELECT pg_stat_statements_reset()')).catch(() => undefined);
    this.byCase.delete(label);
  }

  end(label: string, seconds: number): void {
    const read = this.pending.then(() => this.read()).catch(() => undefined);
    this.pending = read;
    this.byCase.set(label, { read, seconds });
  }

  private async read(): Promise<CaseStatements> {
    const { rows } = await this.client.query<{ query: string; calls: string; total: number; rows: string; wal: string }>(
      `SELECT s.query, s.calls, s.total_exec_time AS total, s.rows, s.wal_bytes AS wal
         FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
        WHERE r.rolname = $1 ORDER BY s.total_exec_time DESC`,
      [this.role],
    );
    const figures = rows.map((row) => ({
      query: row.query.replace(/\s+/g, ' ').trim(),
      calls: Number(row.calls),
      totalMs: Number(row.total),
      rows: Number(row.rows),
      walBytes: Number(row.wal),
    }));
    const sum = (pick: (f: StatementFigures) => number): number => figures.reduce((a, f) => a + pick(f), 0);
    return {
      top: figures.slice(0, TOP),
      all: { statements: figures.length, calls: sum((f) => f.calls), totalMs: sum((f) => f.totalMs), rows: sum((f) => f.rows), walBytes: sum((f) => f.walBytes) },
    };
  }

  /**
   * Per case whose messages are known: its heaviest statements, per message. A case's messages are `messagesOf` where
   * it counts them, else its rate (`opsPerSec`) over its window.
   */
  async markdown(opsPerSec: (label: string) => number | undefined, messagesOf: (label: string) => number | undefined = () => undefined): Promise<string> {
    const sections: string[] = [];
    for (const [label, { read, seconds }] of this.byCase) {
      const stats = await read;
      const messages = messagesOf(label) ?? (opsPerSec(label) ?? 0) * seconds;
      if (!stats || !messages || stats.all.calls === 0) continue;
      const row = (name: string, f: Omit<StatementFigures, 'query'>): string =>
        `| ${name} | ${(f.calls / messages).toFixed(2)} | ${f.calls ? (f.totalMs / f.calls).toFixed(3) : '–'} | ${(f.totalMs / messages).toFixed(3)} | ` +
        `${f.calls ? (f.rows / f.calls).toFixed(1) : '–'} | ${(f.walBytes / messages).toFixed(0)} |`;
      sections.push(
        [
          `**${label}** (${messages.toFixed(0)} messages)`,
          '',
          '| statement | calls per message | ms per call | ms per message | rows per call | WAL bytes per message |',
          '|---|---:|---:|---:|---:|---:|',
          ...stats.top.map((f) => row(`\`${shorten(f.query)}\``, f)),
          row(`all ${stats.all.statements} statements`, stats.all),
        ].join('\n'),
      );
    }
    return sections.join('\n\n');
  }

  async close(): Promise<void> {
    await this.pending.catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

/** A statement's text for a table cell: its start, without pipes. */
function shorten(query: string): string {
  const text = query.replace(/\|/g, '¦').replace(/`/g, "'");
  return text.length > 110 ? `${text.slice(0, 107)}...` : text;
}
