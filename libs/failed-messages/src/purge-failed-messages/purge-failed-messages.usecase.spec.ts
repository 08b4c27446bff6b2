import { Database } from '@korpu/store';
import { openPgliteStore } from '../../test/pglite-store';
import { FixedClock } from '../../test/in-memory-failed-messages';
import { aDeadLetterRecord } from '../../test/dead-letter-fixtures';
import { AuditTrail } from '../audit/audit-trail.repository';
import { readDeadLetterRecord } from '../dead-letter-record';
import { defaultReplayJobOptions } from '../failed-messages.config';
import { FailedMessageRepository } from '../failed-message.repository';
import { PurgeFailedMessagesCommand, RETENTION_OPERATOR } from './purge-failed-messages.command';
import { PurgeFailedMessagesUseCase } from './purge-failed-messages.usecase';

let db: Database;
let messages: FailedMessageRepository;
let audit: AuditTrail;

beforeAll(async () => {
  const store = await openPgliteStore();
  db = store.db;
  messages = store.messages;
  audit = store.audit;
});

afterAll(async () => {
  await db.close();
});

const DAY = 86_400_000;
const now = new Date('2026-12-20T00:00:00Z');

async function seed(status: 'unresolved' | 'resolved' | 'discarded', closedDaysAgo: number): Promise<string> {
  const { envelope, record } = aDeadLetterRecord({ failedAt: new Date(now.getTime() - 40 * DAY) });
  await messages.store(readDeadLetterRecord(record));
  if (status !== 'unresolved') {
    await messages.changeStatus(envelope.messageId, status, ['unresolved'], { operator: 'aysel', at: new Date(now.getTime() - closedDaysAgo * DAY), reason: 'test' });
  }
  return envelope.messageId;
}

describe('PurgeFailedMessagesUseCase (PGlite)', () => {
  it('removes resolved and discarded messages past their retention, leaves a trace of each and one audit entry, and keeps the rest', async () => {
    const jobs = { ...defaultReplayJobOptions(), resolvedRetentionDays: 30, discardedRetentionDays: 7 };
    const purge = new PurgeFailedMessagesUseCase(messages, audit, new FixedClock(now), { jobs });
    const oldResolved = await seed('resolved', 31);
    const recentResolved = await seed('resolved', 10);
    const oldDiscarded = await seed('discarded', 8);
    const recentDiscarded = await seed('discarded', 2);
    const open = await seed('unresolved', 0);

    const result = await purge.execute(PurgeFailedMessagesCommand.create({ operator: 'nigar' }));

    expect(result.purged).toBe(2);
    for (const id of [oldResolved, oldDiscarded]) expect(await messages.find(id)).toBeUndefined();
    for (const id of [recentResolved, recentDiscarded, open]) expect(await messages.find(id)).toBeDefined();
    const { rows } = await db.query<{ message_id: string; status: string; payload_hash: string; audit_run: string }>(
      `SELECT message_id, status, payload_hash, audit_run FROM failed_message_purges ORDER BY status`,
    );
    expect(rows).toEqual([
      { message_id: oldDiscarded, status: 'discarded', payload_hash: expect.stringMatching(/^[0-9a-f]{64}$/), audit_run: result.runId },
      { message_id: oldResolved, status: 'resolved', payload_hash: expect.stringMatching(/^[0-9a-f]{64}$/), audit_run: result.runId },
    ]);
    const entries = await audit.list({ action: 'purge' }, { limit: 10 });
    expect(entries).toEqual([expect.objectContaining({ operator: 'nigar', detail: expect.objectContaining({ runId: result.runId, purged: 2 }) })]);

    // The schedule's run that finds nothing leaves no audit entry.
    await purge.execute(PurgeFailedMessagesCommand.create({ operator: RETENTION_OPERATOR }));
    expect(await audit.list({ action: 'purge' }, { limit: 10 })).toHaveLength(1);
  });

  it('needs an operator', () => {
    expect(() => PurgeFailedMessagesCommand.create({ operator: '' })).toThrow(/operator/);
  });
});
