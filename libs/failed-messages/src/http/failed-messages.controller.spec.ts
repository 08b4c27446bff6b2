import { randomBytes } from 'node:crypto';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import { Global, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { EnvelopeCodec, EnvelopeHeader } from '@korpu/envelope';
import { KorpuException, ProblemDetailsFilter } from '@korpu/errors';
import { MessageConsumerFactory, MessageProducer, TopicAdmin, TopicNames } from '@korpu/messaging';
import { Database, StoreModule } from '@korpu/store';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { MessageStatus, MessageStatusRepository, TRACKING_MIGRATIONS } from '@korpu/tracking';
import { RecordingProducer } from '../../test/in-memory-failed-messages';
import { aDeadLetterRecord } from '../../test/dead-letter-fixtures';
import { readDeadLetterRecord } from '../dead-letter-record';
import { ReplayJobWorker } from '../run-replay-jobs/replay-job.worker';
import { FailedMessageRepository } from '../failed-message.repository';
import { FAILED_MESSAGES_MIGRATIONS, FailedMessagesModule } from '../failed-messages.module';
import { FailedMessagePayloadValidator } from '../payload-validator.port';

const producer = new RecordingProducer();

@Global()
@Module({
  providers: [
    { provide: MessageProducer, useValue: producer },
    { provide: TopicNames, useValue: new TopicNames('korpu') },
    { provide: MessageConsumerFactory, useValue: {} },
    { provide: TopicAdmin, useValue: {} },
  ],
  exports: [MessageProducer, TopicNames, MessageConsumerFactory, TopicAdmin],
})
class FakeMessagingModule {}

class VoenValidator extends FailedMessagePayloadValidator {
  async validate(_type: string, _version: string, payload: string): Promise<{ warnings: string[] }> {
    const voen = (JSON.parse(payload) as { voen?: unknown }).voen;
    if (typeof voen !== 'string' || !/^\d{10}$/.test(voen)) {
      throw new KorpuException('SCHEMA_VALIDATION_FAILED', '/voen must be 10 digits', { status: 422, details: { violations: [{ pointer: '/voen' }] } });
    }
    return { warnings: [] };
  }
}

const AYSEL = { authorization: 'Bearer token-of-aysel-0001' };
let app: NestFastifyApplication;
let repository: FailedMessageRepository;

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      StoreModule.forRoot({ migrationDirs: [TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS] }),
      FakeMessagingModule,
      DataKeysModule.forRoot({ keys: { t1: randomBytes(32).toString('base64') }, activeKeyId: 't1' }),
      FailedMessagesModule.forRoot({ operators: { 'token-of-aysel-0001': 'aysel', 'token-of-rauf-00001': 'rauf' }, consumer: false, validator: VoenValidator }),
    ],
  }).compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  repository = app.get(FailedMessageRepository);
});

afterAll(async () => {
  await app?.close();
});

async function seed(options: Parameters<typeof aDeadLetterRecord>[0] = {}) {
  const fixture = aDeadLetterRecord(options);
  await repository.store(readDeadLetterRecord(fixture.record));
  return fixture.envelope;
}

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = AYSEL) =>
  app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });

/** Aysel (admin) asking for the unmasked view, with the reason the audit trail keeps. */
const AYSEL_UNMASKED = { ...AYSEL, 'korpu-unmask-reason': 'controller spec: compare payloads' };

describe('FailedMessagesController (Fastify, PGlite)', () => {
  it('refuses requests without a valid operator token', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic dG9rZW4tb2YtYXlzZWw=' }];
    for (const headers of attempts) {
      const response = await inject('GET', '/v1/admin/failed-messages', undefined, headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'ADMIN_UNAUTHENTICATED' });
    }
    expect((await inject('GET', '/v1/admin/audit', undefined, {})).statusCode).toBe(401);
  });

  it('lists with filters and keyset paging, and answers 400 for a bad filter', async () => {
    const client = `MLSP/list-${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await seed({ client, failedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 1000) })).messageId);
    const first = await inject('GET', `/v1/admin/failed-messages?client=${encodeURIComponent(client)}&limit=3`);
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { items: Array<{ messageId: string; payload?: string }>; nextCursor: string };
    expect(page1.items.map((m) => m.messageId)).toEqual([ids[4], ids[3], ids[2]]);
    expect(page1.items[0].payload).toBeUndefined();
    const page2 = (
      await inject('GET', `/v1/admin/failed-messages?client=${encodeURIComponent(client)}&limit=3&cursor=${page1.nextCursor}`)
    ).json() as { items: Array<{ messageId: string }>; nextCursor?: string };
    expect(page2.items.map((m) => m.messageId)).toEqual([ids[1], ids[0]]);
    expect(page2.nextCursor).toBeUndefined();

    const bad = await inject('GET', '/v1/admin/failed-messages?status=lost&limit=0&cursor=zzz');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'FAILED_MESSAGE_REQUEST_INVALID' });
    expect((bad.json() as { problems: string[] }).problems).toHaveLength(3);
  });

  it('shows one message with its original record and history, audits the view, and answers 404 for an unknown id', async () => {
    const envelope = await seed();
    const masked = await inject('GET', `/v1/admin/failed-messages/${envelope.messageId}`);
    expect(masked.json()).toMatchObject({ payload: '{"voen":"********91"}' });
    const response = await inject('GET', `/v1/admin/failed-messages/${envelope.messageId}`, undefined, AYSEL_UNMASKED);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      messageId: envelope.messageId,
      payload: envelope.payload,
      status: 'unresolved',
      errorCode: 'PARTNER_UNAVAILABLE',
      history: [{ kind: 'failed' }],
      headers: { [EnvelopeHeader.MESSAGE_ID]: envelope.messageId },
    });
    const missing = await inject('GET', '/v1/admin/failed-messages/01NOPE');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'FAILED_MESSAGE_NOT_FOUND' });
    const audit = (await inject('GET', `/v1/admin/audit?messageId=${envelope.messageId}`)).json() as { items: unknown[] };
    // Both views audited, newest first; the unmasked one also with its reason.
    expect(audit.items).toEqual([
      expect.objectContaining({ action: 'unmask', operator: 'aysel', messageIds: [envelope.messageId], reason: 'controller spec: compare payloads' }),
      expect.objectContaining({ action: 'view', operator: 'aysel', messageIds: [envelope.messageId] }),
      expect.objectContaining({ action: 'view', operator: 'aysel', messageIds: [envelope.messageId] }),
    ]);
  });

  it('edits and replays: validates against the schema, sends only a copy under a new id linked to the original, and shows the diff', async () => {
    const envelope = await seed();
    const url = `/v1/admin/failed-messages/${envelope.messageId}`;
    const invalid = await inject('POST', `${url}/edit-and-replay`, { payload: { voen: '1' } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ code: 'EDIT_INVALID', violations: [{ pointer: '/voen' }] });

    producer.sent.length = 0;
    const edited = await inject('POST', `${url}/edit-and-replay`, { payload: { voen: '9999999999' }, reason: 'typo' }, AYSEL_UNMASKED);
    expect(edited.statusCode).toBe(200);
    const body = edited.json() as { copy: { messageId: string; editOf: string; diff: unknown }; original: { status: string; editedTo: string } };
    expect(body.copy.messageId).not.toBe(envelope.messageId);
    expect(body.copy).toMatchObject({ editOf: envelope.messageId, diffFormat: 'json-patch', diff: [{ op: 'replace', path: '/voen', value: '9999999999' }] });
    expect(body.original).toMatchObject({ status: 'resolved', editedTo: body.copy.messageId, payload: envelope.payload });
    expect(producer.sent).toHaveLength(1);
    const sent = EnvelopeCodec.decode(producer.sent[0].message);
    expect(sent).toMatchObject({ messageId: body.copy.messageId, correlationId: envelope.correlationId, payload: '{"voen":"9999999999"}', attempt: 1 });
    expect(producer.sent[0].message.headers['korpu-edit-of']).toBe(envelope.messageId);

    // The diff holds personal data: encrypted at rest like the payloads.
    const stored = await app.get(Database).query<{ diff: string }>(`SELECT diff FROM failed_message_edits WHERE copy_id = $1`, [body.copy.messageId]);
    expect(stored.rows[0].diff).not.toContain('9999999999');
    const details = (await inject('GET', url)).json() as { copies: Array<{ copyId: string; diff: unknown }> };
    expect(details.copies).toEqual([expect.objectContaining({ copyId: body.copy.messageId, diffFormat: 'json-patch', operator: 'aysel', reason: 'typo' })]);
    const again = await inject('POST', `${url}/edit-and-replay`, { payload: { voen: '8888888888' } });
    expect(again.statusCode).toBe(409);
    // Only the copy is sent: the original is replayed neither alone nor by a job.
    expect((await inject('POST', `${url}/replay`, {})).json()).toMatchObject({ code: 'FAILED_MESSAGE_STATE_CONFLICT', editedTo: body.copy.messageId });
    expect((await inject('POST', '/v1/admin/replay-jobs', { ids: [envelope.messageId], preview: true })).json()).toMatchObject({ matched: 0 });
    const audit = (await inject('GET', `/v1/admin/audit?messageId=${body.copy.messageId}`)).json() as { items: unknown[] };
    expect(audit.items).toEqual([expect.objectContaining({ action: 'edit-replay', messageIds: [envelope.messageId, body.copy.messageId] })]);
  });

  it('replays one message and refuses a second replay while the first is in flight', async () => {
    const envelope = await seed();
    const url = `/v1/admin/failed-messages/${envelope.messageId}`;
    producer.sent.length = 0;
    const replayed = await inject('POST', `${url}/replay`, {});
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toMatchObject({ messageId: envelope.messageId, topic: 'korpu.outbound.tax-service', edited: false, status: 'replayed' });
    const sent = EnvelopeCodec.decode(producer.sent[0].message);
    expect(sent).toMatchObject({ messageId: envelope.messageId, attempt: 1 });
    expect(sent.replayOf).toBeUndefined();
    const again = await inject('POST', `${url}/replay`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'FAILED_MESSAGE_STATE_CONFLICT' });
    expect((await inject('POST', `${url}/replay`, { force: true })).statusCode).toBe(400);
  });

  it('groups by cause and replays a whole group with a cap', async () => {
    const code = `GROUP_${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await seed({ code, message: `connect ECONNREFUSED 10.0.0.${i}:443` })).messageId);
    const groups = (await inject('GET', `/v1/admin/failed-messages/groups?errorCode=${code}`)).json() as {
      by: string;
      groups: Array<{ key: string; count: number; errorCodes: string[] }>;
    };
    expect(groups.by).toBe('fingerprint');
    expect(groups.groups).toEqual([expect.objectContaining({ count: 3, errorCodes: [code] })]);
    const fingerprint = groups.groups[0].key;

    const dryRun = await inject('POST', '/v1/admin/failed-messages/replay', { filter: { fingerprint }, dryRun: true });
    expect(dryRun.json()).toMatchObject({ dryRun: true, matched: 3, replayed: ids });

    producer.sent.length = 0;
    const bulk = await inject('POST', '/v1/admin/failed-messages/replay', { filter: { fingerprint }, limit: 2, reason: 'partner is back' }, {
      authorization: 'Bearer token-of-rauf-00001',
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json()).toMatchObject({ matched: 3, replayed: [ids[0], ids[1]], remaining: 1 });
    expect(producer.sent.map((s) => s.message.headers[EnvelopeHeader.MESSAGE_ID])).toEqual([ids[0], ids[1]]);
    const audit = (await inject('GET', '/v1/admin/audit?operator=rauf&action=bulk-replay')).json() as { items: unknown[] };
    expect(audit.items).toEqual([expect.objectContaining({ reason: 'partner is back', messageIds: [ids[0], ids[1]] })]);
  });

  it('resolves and archives, each audited', async () => {
    const envelope = await seed();
    const url = `/v1/admin/failed-messages/${envelope.messageId}`;
    expect((await inject('POST', `${url}/resolve`, { reason: 'handled by phone' })).json()).toMatchObject({ changed: true, message: { status: 'resolved' } });
    expect((await inject('POST', `${url}/resolve`, { archive: true })).json()).toMatchObject({ changed: true, message: { status: 'archived' } });
    const list = (await inject('GET', `/v1/admin/failed-messages?status=archived&q=${envelope.messageId}`)).json() as { items: Array<{ messageId: string }> };
    expect(list.items.map((m) => m.messageId)).toEqual([envelope.messageId]);
    const audit = (await inject('GET', `/v1/admin/audit?messageId=${envelope.messageId}`)).json() as { items: Array<{ action: string }> };
    expect(audit.items.map((e) => e.action)).toEqual(['archive', 'resolve']);
    expect((await inject('POST', '/v1/admin/failed-messages/nope/resolve', {})).statusCode).toBe(404);
  });

  it('previews a failure group, replays it as a job in batches to completion, and takes no message twice into outstanding jobs', async () => {
    const code = `JOB_${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await seed({ code, partner: i < 5 ? 'tax-service' : 'population-registry', message: 'down' })).messageId);
    const groups = (await inject('GET', `/v1/admin/failed-messages/groups?errorCode=${code}`)).json() as { groups: Array<{ key: string }> };
    const fingerprint = groups.groups[0].key;

    const preview = await inject('POST', '/v1/admin/replay-jobs', { fingerprint, preview: true });
    expect(preview.statusCode).toBe(201);
    expect(preview.json()).toMatchObject({
      preview: true,
      matched: 7,
      alreadyQueued: 0,
      partners: [expect.objectContaining({ partner: 'tax-service', count: 5 }), expect.objectContaining({ partner: 'population-registry', count: 2 })],
    });
    expect((await inject('GET', '/v1/admin/replay-jobs')).json()).toMatchObject({ items: expect.not.arrayContaining([expect.objectContaining({ total: 7 })]) });

    const created = await inject('POST', '/v1/admin/replay-jobs', { fingerprint, reason: 'tax service is back' });
    expect(created.statusCode).toBe(201);
    const job = created.json() as { job: { id: string; total: number; state: string }; remaining: number };
    expect(job).toMatchObject({ job: { total: 7, state: 'running' }, remaining: 7, done: 0 });
    // The same messages in a second job: already outstanding, left to the first.
    const second = (await inject('POST', '/v1/admin/replay-jobs', { fingerprint })).json() as { job: { id: string; total: number; state: string } };
    expect(second.job).toMatchObject({ total: 0, state: 'completed' });

    producer.sent.length = 0;
    const worker = app.get(ReplayJobWorker);
    for (let i = 0; i < 5 && (await repository.count({ errorCode: code, status: ['unresolved'] })) > 0; i++) await worker.step();
    await worker.step(); // completes the job
    const progress = (await inject('GET', `/v1/admin/replay-jobs/${job.job.id}`)).json();
    expect(progress).toMatchObject({ job: { state: 'completed', total: 7 }, done: 7, remaining: 0, failed: 0, percent: 100 });
    const sentIds = producer.sent.map((s) => s.message.headers[EnvelopeHeader.MESSAGE_ID]);
    expect([...sentIds].sort()).toEqual([...ids].sort());
    expect(new Set(producer.sent.map((s) => s.topic))).toEqual(new Set(['korpu.outbound.tax-service', 'korpu.outbound.population-registry']));
    expect((await repository.find(ids[0]))).toMatchObject({ status: 'replayed', lastReplayId: job.job.id, lastReplayedBy: 'aysel' });
    const audit = (await inject('GET', '/v1/admin/audit?action=replay-job-create')).json() as { items: Array<{ detail: Record<string, unknown> }> };
    expect(audit.items.map((e) => e.detail)).toEqual(expect.arrayContaining([expect.objectContaining({ jobId: job.job.id, total: 7, selection: { fingerprint } })]));
  });

  it('pauses, resumes and cancels a job: a paused job publishes nothing, a cancelled one releases what it had not sent', async () => {
    const code = `PAUSE_${Date.now()}`;
    for (let i = 0; i < 3; i++) await seed({ code });
    const job = (await inject('POST', '/v1/admin/replay-jobs', { filter: { errorCode: code } })).json() as { job: { id: string } };
    const url = `/v1/admin/replay-jobs/${job.job.id}`;
    expect((await inject('POST', `${url}/pause`, { reason: 'partner asked to wait' })).json()).toMatchObject({ job: { state: 'paused' } });
    producer.sent.length = 0;
    const worker = app.get(ReplayJobWorker);
    await worker.step();
    expect(producer.sent).toEqual([]);
    expect((await inject('POST', `${url}/pause`, {})).statusCode).toBe(200); // already paused: nothing changes
    expect((await inject('POST', `${url}/resume`, {})).json()).toMatchObject({ job: { state: 'running' } });
    await worker.step();
    await worker.step();
    expect((await inject('GET', url)).json()).toMatchObject({ job: { state: 'completed' }, done: 3 });
    const resumeCompleted = await inject('POST', `${url}/resume`, {});
    expect(resumeCompleted.statusCode).toBe(409);
    expect(resumeCompleted.json()).toMatchObject({ code: 'REPLAY_JOB_STATE_CONFLICT' });

    const other = `CANCEL_${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 2; i++) ids.push((await seed({ code: other })).messageId);
    const cancelled = (await inject('POST', '/v1/admin/replay-jobs', { ids, reason: 'selection' })).json() as { job: { id: string } };
    const after = (await inject('POST', `/v1/admin/replay-jobs/${cancelled.job.id}/cancel`, {})).json();
    expect(after).toMatchObject({ job: { state: 'cancelled' }, cancelled: 2, remaining: 0 });
    // Released: a new job may take them.
    expect((await inject('POST', '/v1/admin/replay-jobs', { ids, preview: true })).json()).toMatchObject({ matched: 2, alreadyQueued: 0 });
    const actions = ((await inject('GET', '/v1/admin/audit?action=replay-job-pause')).json() as { items: Array<{ reason: string }> }).items;
    expect(actions[0]).toMatchObject({ reason: 'partner asked to wait' });
    expect((await inject('POST', `${url}/explode`, {})).statusCode).toBe(400);
    expect((await inject('GET', '/v1/admin/replay-jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV')).statusCode).toBe(404);
  });

  it('skips in a job a message whose reply is already recorded, unless forced', async () => {
    const code = `REPLIED_${Date.now()}`;
    const envelope = await seed({ code });
    await app.get(MessageStatusRepository).record(envelope, MessageStatus.REPLIED);
    const worker = app.get(ReplayJobWorker);
    producer.sent.length = 0;
    const job = (await inject('POST', '/v1/admin/replay-jobs', { filter: { errorCode: code } })).json() as { job: { id: string } };
    await worker.step();
    await worker.step();
    const progress = (await inject('GET', `/v1/admin/replay-jobs/${job.job.id}?items=skipped`)).json();
    expect(progress).toMatchObject({ done: 0, skipped: 1, items: [expect.objectContaining({ messageId: envelope.messageId, detail: expect.stringMatching(/reply is already recorded/) })] });
    expect(producer.sent).toEqual([]);
    expect((await inject('POST', '/v1/admin/replay-jobs', { filter: { errorCode: code }, force: true })).statusCode).toBe(400); // force needs a reason
    const forced = (await inject('POST', '/v1/admin/replay-jobs', { filter: { errorCode: code }, force: true, reason: 'partner lost it' })).json() as { job: { id: string } };
    await worker.step();
    expect(producer.sent.map((s) => s.message.headers[EnvelopeHeader.REPLAY_OF])).toEqual([forced.job.id]);
  });

  it('puts a job\'s batch back when Kafka refuses it, leaving the messages as they were, and sends it once Kafka takes it', async () => {
    const code = `KAFKA_${Date.now()}`;
    const ids = [(await seed({ code })).messageId, (await seed({ code })).messageId];
    const worker = app.get(ReplayJobWorker);
    for (let i = 0; i < 10 && (await worker.step()).jobId; i++); // earlier tests' jobs finish first
    const job = (await inject('POST', '/v1/admin/replay-jobs', { ids })).json() as { job: { id: string } };
    producer.sent.length = 0;
    producer.failWith = new Error('broker down');
    try {
      expect(await worker.step()).toMatchObject({ jobId: job.job.id, published: 0, waitMs: 2000 });
    } finally {
      producer.failWith = undefined;
    }
    expect(await repository.find(ids[0])).toMatchObject({ status: 'unresolved', replayCount: 0 });
    expect((await inject('GET', `/v1/admin/replay-jobs/${job.job.id}`)).json()).toMatchObject({ remaining: 2, done: 0 });
    await worker.step();
    await worker.step();
    expect((await inject('GET', `/v1/admin/replay-jobs/${job.job.id}`)).json()).toMatchObject({ done: 2, job: { state: 'completed' } });
    expect(producer.sent).toHaveLength(2);
  });

  it('discards with a reason and restores, each audited', async () => {
    const envelope = await seed();
    const url = `/v1/admin/failed-messages/${envelope.messageId}`;
    expect((await inject('POST', `${url}/discard`, {})).statusCode).toBe(400);
    expect((await inject('POST', `${url}/discard`, { reason: 'test message' })).json()).toMatchObject({
      changed: true,
      message: { status: 'discarded', discardReason: 'test message' },
    });
    const listed = (await inject('GET', `/v1/admin/failed-messages?status=discarded&messageId=${envelope.messageId}`)).json() as { items: unknown[] };
    expect(listed.items).toHaveLength(1);
    expect((await inject('POST', `${url}/replay`, {})).statusCode).toBe(409);
    expect((await inject('POST', `${url}/restore`, { reason: 'was real' })).json()).toMatchObject({ changed: true, message: { status: 'unresolved', discardReason: null } });
    expect((await inject('POST', `${url}/restore`, {})).statusCode).toBe(409);
    const audit = (await inject('GET', `/v1/admin/audit?messageId=${envelope.messageId}`)).json() as { items: Array<{ action: string }> };
    expect(audit.items.map((e) => e.action)).toEqual(['restore', 'discard']);
  });

  it('runs the retention purge on an operator\'s request and audits the run, even when nothing was old enough', async () => {
    const purged = await inject('POST', '/v1/admin/failed-messages/purge', {});
    expect(purged.statusCode).toBe(200);
    expect(purged.json()).toMatchObject({ purged: 0, cutoffs: { resolved: expect.any(String), discarded: expect.any(String) } });
    const audit = (await inject('GET', '/v1/admin/audit?action=purge')).json() as { items: Array<{ operator: string; detail: { runId: string } }> };
    expect(audit.items[0]).toMatchObject({ operator: 'aysel', detail: { runId: (purged.json() as { runId: string }).runId } });
    expect((await inject('POST', '/v1/admin/failed-messages/purge', {}, {})).statusCode).toBe(401);
  });

  it('filters by partner, message type and version, correlation id and message id', async () => {
    const correlationId = `corr-${Date.now()}`;
    const a = await seed({ partner: 'population-registry', correlationId });
    const b = await seed({ partner: 'tax-service', correlationId });
    const ids = (query: string) =>
      inject('GET', `/v1/admin/failed-messages?${query}`).then((r) => (r.json() as { items: Array<{ messageId: string }> }).items.map((m) => m.messageId));
    expect(await ids(`correlationId=${correlationId}`)).toEqual([b.messageId, a.messageId]);
    expect(await ids(`correlationId=${correlationId}&partner=population-registry`)).toEqual([a.messageId]);
    expect(await ids(`correlationId=${correlationId}&messageType=taxpayer-lookup-request&schemaVersion=1`)).toHaveLength(2);
    expect(await ids(`correlationId=${correlationId}&schemaVersion=2`)).toEqual([]);
    expect(await ids(`messageId=${b.messageId}`)).toEqual([b.messageId]);
    expect((await inject('GET', '/v1/admin/failed-messages?partner=Tax%20Service')).statusCode).toBe(400);
  });
});
