import { EnvReader } from '@korpu/config';
import { DataKeys, readDataKeys } from '@korpu/crypto-at-rest';
import { EnvelopeCodec, createEnvelope } from '@korpu/envelope';
import { FailedMessageRepository, deadLetterHeaders, readDeadLetterRecord } from '@korpu/failed-messages';
import { createDatabase } from '@korpu/store';
import type { Stack } from './stack';

export interface SeededFailure {
  /** Error code and message of every seeded failure: one failure group (one fingerprint). */
  code: string;
  message: string;
  count: number;
  /** The client the requests came from (it must hold the access right, or the dispatcher refuses the replays). */
  client?: string;
  correlationPrefix: string;
}

/**
 * Puts `count` failed lookups to the tax service into the stack's failed-message store the way the dead-letter
 * consumer would (the same repository, payloads sealed with the stack's data keys), many at once: an outage's worth
 * of failures in a second or two, where sending each through the gateway and the dispatcher would take minutes.
 * The records are real envelopes for the stack's outbound topic, so a replay sends them to the simulator.
 */
export async function seedFailedMessages(stack: Stack, seed: SeededFailure): Promise<string[]> {
  const db = await createDatabase({ databaseUrl: stack.databaseUrl, poolSize: 8, applicationName: 'e2e-seed-failed-messages' });
  try {
    const repository = new FailedMessageRepository(db, new DataKeys(readDataKeys(new EnvReader(stack.env))));
    const prefix = stack.env.KAFKA_TOPIC_PREFIX;
    const failedAt = new Date();
    const ids: string[] = [];
    const records = Array.from({ length: seed.count }, (_, i) => {
      const envelope = createEnvelope({
        client: seed.client ?? 'MLSP/pensions',
        service: { partner: 'tax-service', operation: 'GetTaxpayer' },
        messageType: 'taxpayer-lookup-request',
        schemaVersion: '1',
        contentType: 'application/json',
        payload: JSON.stringify({ voen: `15${String(i).padStart(7, '0')}1` }),
        correlationId: `${seed.correlationPrefix}-${i}`,
        attempt: 5,
      });
      ids.push(envelope.messageId);
      const encoded = EnvelopeCodec.encode(envelope);
      return readDeadLetterRecord({
        // A topic of the seed's own: the real dead-letter topic's offsets are the stack's consumer's.
        topic: `${prefix}.dead-letter-seed.${seed.correlationPrefix}`,
        partition: 0,
        offset: String(i),
        key: encoded.key,
        headers: deadLetterHeaders({
          original: { topic: `${prefix}.outbound.tax-service`, partition: 0, offset: String(i), headers: encoded.headers },
          failure: { code: seed.code, message: seed.message },
          attempts: 5,
          failedAt,
        }),
        value: encoded.value,
        timestamp: failedAt.getTime(),
      });
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < records.length) await repository.store(records[next++]);
      }),
    );
    return ids;
  } finally {
    await db.close();
  }
}
