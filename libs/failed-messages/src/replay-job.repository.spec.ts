import { Database } from '@korpu/store';
import { openPgliteStore } from '../test/pglite-store';
import { aDeadLetterRecord } from '../test/dead-letter-fixtures';
import { readDeadLetterRecord } from './dead-letter-record';
import { FailedMessageRepository } from './failed-message.repository';
import { ReplayJobRepository } from './replay-job.repository';

let db: Database;
let messages: FailedMessageRepository;
let jobs: ReplayJobRepository;
let sequence = 0;

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

async function seed(count: number, partner = 'tax-service'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { envelope, record } = aDeadLetterRecord({ partner, failedAt: new Date(Date.parse('2026-12-01T08:00:00Z') + i * 1000) });
    await messages.store(readDeadLetterRecord(record));
    ids.push(envelope.messageId);
  }
  return ids;
}

const newJob = (filter = {}) => jobs.create({ id: `JOB${String(++sequence).padStart(23, '0')}`, createdBy: 'aysel', at: new Date(), force: false, selection: {} }, { status: ['unresolved'], ...filter });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ReplayJobRepository (PGlite)', () => {
  it('takes every matching message once, oldest first, counted by partner, and never into two outstanding jobs', async () => {
    const tax = await seed(3);
    await seed(2, 'population-registry');
    const first = await newJob();
    expect(first).toMatchObject({ total: 5, state: 'running', partners: [{ partner: 'tax-service', count: 3 }, { partner: 'population-registry', count: 2 }] });
    expect((await jobs.nextItems(first.id, 'tax-service', 10)).map((item) => item.messageId)).toEqual(tax);
    const second = await newJob();
    expect(second).toMatchObject({ total: 0, state: 'completed' });
    expect(await jobs.preview({ status: ['unresolved'] })).toMatchObject({ matched: 5, alreadyQueued: 5 });
  });

  it('claims items only for the worker holding the lease, and hands a job whose lease expired to the next worker with what was being sent in doubt', async () => {
    await seed(4);
    const job = await newJob();
    const leasedA = await jobs.lease('worker-a', 60_000);
    expect(leasedA?.job.id).toBe(job.id);
    expect(await jobs.lease('worker-b', 60_000)).toBeUndefined(); // held by a
    const items = await jobs.nextItems(job.id, 'tax-service', 2);
    expect(await jobs.claimItems(job.id, 'worker-b', 60_000, items.map((i) => i.seq))).toEqual([]); // fencing
    expect(await jobs.claimItems(job.id, 'worker-a', 1, items.map((i) => i.seq))).toHaveLength(2); // a claims, then "dies"
    await sleep(20);
    const leasedB = await jobs.lease('worker-b', 60_000);
    expect(leasedB).toMatchObject({ job: { id: job.id, leaseOwner: 'worker-b' }, takenOverFrom: 'worker-a' });
    expect(await jobs.markInDoubt(job.id, 'worker-a')).toBe(2);
    // What a sends late is fenced off too: its items are no longer `sending`.
    await jobs.finishItems(job.id, items.map((i) => ({ seq: i.seq, state: 'sent' as const })));
    const rest = await jobs.nextItems(job.id, 'tax-service', 10);
    expect(rest).toHaveLength(2);
    expect(await jobs.claimItems(job.id, 'worker-b', 60_000, rest.map((i) => i.seq))).toHaveLength(2);
    await jobs.finishItems(job.id, rest.map((i) => ({ seq: i.seq, state: 'sent' as const })));
    expect(await jobs.completeIfDone(job.id)).toBe(true);
    expect(await jobs.progress(job.id)).toMatchObject({ done: 2, inDoubt: 2, remaining: 0, percent: 100, job: { state: 'completed' } });
  });

  it('claims nothing for a paused job and puts back what Kafka refused', async () => {
    await seed(2);
    const job = await newJob();
    await jobs.lease('worker-a', 60_000);
    const items = await jobs.nextItems(job.id, 'tax-service', 10);
    await jobs.changeState(job.id, 'paused', ['running'], { operator: 'aysel', at: new Date() });
    expect(await jobs.claimItems(job.id, 'worker-a', 60_000, items.map((i) => i.seq))).toEqual([]);
    await jobs.changeState(job.id, 'running', ['paused'], { operator: 'aysel', at: new Date() });
    const claimed = await jobs.claimItems(job.id, 'worker-a', 60_000, items.map((i) => i.seq));
    await jobs.finishItems(job.id, claimed.map((i) => ({ seq: i.seq, state: 'pending' as const, detail: 'broker down' })));
    expect(await jobs.completeIfDone(job.id)).toBe(false);
    expect((await jobs.progress(job.id))?.remaining).toBe(2);
  });
});
