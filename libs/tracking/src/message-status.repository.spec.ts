import { randomBytes } from 'node:crypto';
import { CryptoAtRestErrorCode, DataKeys, SEALED_PREFIX } from '@korpu/crypto-at-rest';
import { createEnvelope, Envelope } from '@korpu/envelope';
import { Database, MigrationRunner, PgliteDatabase, loadMigrations } from '@korpu/store';
import { MessageStatusRepository } from './message-status.repository';
import { TRACKING_MIGRATIONS } from './tracking.module';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const REPLY = '<GetPersonResponse><Fin>5ABC123</Fin><Surname>Məmmədova</Surname><Settlement>Yasamal</Settlement></GetPersonResponse>';

let db: Database;
const statuses = (keys: Record<string, string>, activeKeyId?: string) => new MessageStatusRepository(db, new DataKeys({ keys, activeKeyId }));

beforeAll(async () => {
  db = await PgliteDatabase.open();
  await new MigrationRunner(db).run(loadMigrations([TRACKING_MIGRATIONS]));
});

afterAll(async () => {
  await db.close();
});

const request = (): Envelope =>
  createEnvelope({
    client: 'MLSP/pensions',
    service: { partner: 'population-registry', operation: 'GetPerson' },
    messageType: 'person-lookup-request',
    schemaVersion: '1',
    contentType: 'application/xml',
    payload: '<GetPersonRequest><Fin>5ABC123</Fin></GetPersonRequest>',
  });
const replyTo = (to: Envelope): Envelope =>
  createEnvelope({ ...to, messageType: 'person-lookup-reply', direction: 'inbound', payload: REPLY, correlationId: to.correlationId });

async function rawReply(messageId: string): Promise<string> {
  const { rows } = await db.query<{ reply_payload: string }>(`SELECT reply_payload FROM messages WHERE message_id = $1`, [messageId]);
  return rows[0].reply_payload;
}

describe('MessageStatusRepository reply payloads at rest (PGlite)', () => {
  it('stores the reply encrypted under the active key and reads it back decrypted', async () => {
    const sent = request();
    await statuses({ a: KEY_A }, 'a').recordReply(sent, replyTo(sent));
    const stored = await rawReply(sent.messageId);
    expect(stored.startsWith(`${SEALED_PREFIX}a:`)).toBe(true);
    expect(stored).not.toMatch(/5ABC123|Məmmədova|Yasamal/);
    expect((await statuses({ a: KEY_A }, 'a').find(sent.messageId))?.reply?.payload).toBe(REPLY);
  });

  it('reads a reply written under key A after the active key became B, and names A once it is removed', async () => {
    const sent = request();
    await statuses({ a: KEY_A }, 'a').recordReply(sent, replyTo(sent));
    expect((await statuses({ a: KEY_A, b: KEY_B }, 'b').findCurrent(sent.messageId))?.reply?.payload).toBe(REPLY);
    await expect(statuses({ b: KEY_B }, 'b').findCurrent(sent.messageId)).rejects.toMatchObject({
      code: CryptoAtRestErrorCode.KEY_NOT_FOUND,
      details: { kid: 'a' },
    });
  });

  it('reads a plain reply from before encryption at rest, and re-encrypts plain and old-key replies under the active key', async () => {
    const plain = request();
    await statuses({}).recordReply(plain, replyTo(plain));
    expect(await rawReply(plain.messageId)).toBe(REPLY);
    const underA = request();
    await statuses({ a: KEY_A }, 'a').recordReply(underA, replyTo(underA));
    expect((await statuses({ a: KEY_A }, 'a').findCurrent(plain.messageId))?.reply?.payload).toBe(REPLY);

    const rotated = statuses({ a: KEY_A, b: KEY_B }, 'b');
    let rewritten = 0;
    for (let batch = await rotated.reencryptReplies(1); batch > 0; batch = await rotated.reencryptReplies(1)) rewritten += batch;
    expect(rewritten).toBeGreaterThanOrEqual(2);
    for (const id of [plain.messageId, underA.messageId]) {
      expect((await rawReply(id)).startsWith(`${SEALED_PREFIX}b:`)).toBe(true);
      expect((await statuses({ b: KEY_B }, 'b').findCurrent(id))?.reply?.payload).toBe(REPLY);
    }
  });
});
