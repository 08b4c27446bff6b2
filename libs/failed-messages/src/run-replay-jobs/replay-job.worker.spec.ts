import { Database } from '@korpu/store';
import { openPgliteStore } from '../../test/pglite-store';
import { FixedClock, InMemoryAudit } from '../../test/in-memory-failed-messages';
import { aDeadLetterRecord } from '../../test/dead-letter-fixtures';
import { readDeadLetterRecord } from '../dead-letter-record';
import { FailedMessageRepository } from '../failed-message.repository';
import { defaultReplayJobOptions } from '../failed-messages.config';
import { PurgeFailedMessagesUseCase } from '../purge-failed-messages/purge-failed-messages.usecase';
import { BatchReplayOutcome, FailedMessageReplayer } from '../replay-failed-message/failed-message-replayer';
import { ReplayJobRepository } from '../replay-job.repository';
import { ReplayJobWorker } from './replay-job.worker';

let db: Database;
let messages: FailedMessageRepository;
let jobs: ReplayJobRepository;

beforeAll(async () => {
  const store = await openPgliteStore();
  db = store.db;
  messages = store.messages;
  jobs = store.jobs;
});

afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.execScript('TRUNCATE replay_job_items, replay_jobs, failed_messages CASCADE;');
});

/** Publishes nothing: says each message was sent, or throws as a lost database would. */
class StubReplayer {
  batches: string[][] = [];
  failWith?: Error;
  async replayBatch(ids: readonly string[]): Promise<BatchReplayOutcome[]> {
    if (this.failWith) throw this.failWith;
    this.batches.push([...ids]);
    return ids.map((messageId) => ({ messageId, state: 'sent' as const }));
  }
}

async function aJob(count: number): Promise<string> {
  for (let i = 0; i < count; i++) await messages.store(readDeadLetterRecord(aDeadLetterRecord({ failedAt: new Date(Date.parse('2026-12-01T08:00:00Z') + i) }).record));
  const job = await jobs.create({ id: '01JOBWORKERSPEC00000000000', createdBy: 'aysel', at: new Date(), force: false, selection: {} }, { status: ['unresolved'] });
  return job.id;
}

function aWorker(replayer: StubReplayer, rate: number, batchSize = 10): ReplayJobWorker {
  const options = { ...defaultReplayJobOptions('worker-1'), batchSize, defaultRate: rate };
  const purge = new PurgeFailedMessagesUseCase(messages, new InMemoryAudit().asAuditTrail(), new FixedClock(), { jobs: options });
  return new ReplayJobWorker(jobs, replayer as unknown as FailedMessageReplayer, purge, { jobs: options });
}

describe('ReplayJobWorker (PGlite)', () => {
  it('sends a partner no more than its rate allows at once, and says how long to wait', async () => {
    const jobId = await aJob(5);
    const replayer = new StubReplayer();
    const worker = aWorker(replayer, 2);
    const first = await worker.step();
    expect(first).toMatchObject({ jobId, published: 2 });
    const second = await worker.step();
    expect(second.published).toBe(0);
    expect(second.waitMs).toBeGreaterThan(0);
    expect(second.waitMs).toBeLessThanOrEqual(500);
    expect(replayer.batches.map((b) => b.length)).toEqual([2]);
  });

  it('puts the messages of a batch that failed half-way in doubt (never sends them again) and completes the job', async () => {
    const jobId = await aJob(3);
    const replayer = new StubReplayer();
    replayer.failWith = new Error('database connection lost');
    const worker = aWorker(replayer, 100);
    await expect(worker.step()).rejects.toThrow('database connection lost');
    replayer.failWith = undefined;
    await worker.step();
    await worker.step();
    expect(replayer.batches).toEqual([]);
    expect(await jobs.progress(jobId)).toMatchObject({ inDoubt: 3, done: 0, remaining: 0, job: { state: 'completed' } });
  });
});
