import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { AppProcess, testKafkaSasl } from '@korpu/testing';
import { copyContracts } from './contracts';
import { httpsRequest } from './https-client';
import type { Stack } from './stack';

/**
 * A copy of contracts/ whose partners retry fast and long, so faults of a few seconds end in delivery; each call to a
 * partner ends after `timeoutMs` (a slow partner's answer is waited for when it comes sooner).
 */
export function fastRetryContracts(timeoutMs = 3000): string {
  const contracts = copyContracts();
  for (const partner of fs.readdirSync(contracts.dir)) {
    if (!fs.existsSync(path.join(contracts.dir, partner, 'partner.json'))) continue;
    contracts.edit(path.join(partner, 'partner.json'), (config) => {
      config.retry = { ...config.retry, attempts: 100, initialDelayMs: 200, maxDelayMs: 1500, multiplier: 2, jitter: 0.2 };
      config.timeoutMs = timeoutMs;
    });
  }
  return contracts.dir;
}

export interface LoadReport {
  sent: number;
  accepted: number;
  delivered: number;
  duplicated: number;
  lost: number;
  lostIds: string[];
}

/**
 * Drives a steady load of asynchronous submits (each with its own message id, as a subsystem would send),
 * runs `fault` in the middle, then waits until every accepted message is replied. A submit that was not
 * accepted (the gateway down, Kafka unavailable) is sent again with the same id, as a client would.
 */
export async function runLoad(
  stack: Stack,
  options: {
    messages: number;
    ratePerSecond: number;
    fault: () => Promise<void>;
    faultAfter: number;
    drainTimeoutMs?: number;
    /** Named in the printed `fault test:` line. */
    scenario?: string;
    /** Where the submits go (default the stack's first gateway), e.g. a balancer over several gateways. */
    gatewayUrl?: string;
    /** false: the caller prints its own `fault test:` line with more figures. */
    print?: boolean;
  },
): Promise<LoadReport> {
  const gatewayUrl = options.gatewayUrl ?? stack.gatewayUrl;
  const duplicatesBefore = await partnerDuplicates(stack);
  const ids = Array.from({ length: options.messages }, (_, i) => `load-${process.pid}-${Date.now()}-${i}`);
  const accepted = new Set<string>();
  let sent = 0;
  const submit = async (id: string, index: number): Promise<void> => {
    const body = JSON.stringify({
      service: 'tax-service/GetTaxpayer',
      messageId: id,
      correlationId: `load-corr-${index % 10}`,
      payload: { voen: `${String(1000000 + index).padStart(9, '1')}1` },
    });
    for (let attempt = 0; attempt < 200 && !accepted.has(id); attempt++) {
      sent += 1;
      try {
        const response = await httpsRequest(`${gatewayUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          identity: 'pensions',
          timeoutMs: 60000,
        });
        if (response.status === 202 || response.status === 200) accepted.add(id);
        else await new Promise((resolve) => setTimeout(resolve, 250));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };
  const inFlight: Promise<void>[] = [];
  let faultDone: Promise<void> | undefined;
  for (let i = 0; i < ids.length; i++) {
    if (i === options.faultAfter) faultDone = options.fault();
    inFlight.push(submit(ids[i], i));
    await new Promise((resolve) => setTimeout(resolve, 1000 / options.ratePerSecond));
  }
  await Promise.all(inFlight);
  await faultDone;
  const delivered = await waitForReplies(stack.databaseUrl, [...accepted], options.drainTimeoutMs ?? 90000);
  const duplicated = (await partnerDuplicates(stack)) - duplicatesBefore;
  const lostIds = [...accepted].filter((id) => !delivered.has(id));
  if (lostIds.length > 0) {
    await describeMessages(stack.databaseUrl, lostIds);
    await findInOutboundTopic(stack, lostIds).catch((error: unknown) => process.stdout.write(`outbound topic not searched: ${String(error)}\n`));
  }
  const report: LoadReport = {
    sent,
    accepted: accepted.size,
    delivered: delivered.size,
    duplicated,
    lost: lostIds.length + (ids.length - accepted.size),
    lostIds,
  };
  if (options.print === false) return report;
  process.stdout.write(
    `fault test: ${options.scenario ? `${options.scenario}: ` : ''}sent ${report.sent} (${options.messages} messages) / accepted ${report.accepted} / delivered ${report.delivered} / duplicated ${report.duplicated} / lost ${report.lost}\n`,
  );
  return report;
}

/** Requests the tax service simulator received again (same X-Road id) and dropped, since it started. */
export async function partnerDuplicates(stack: Stack): Promise<number> {
  const stats = (await (await fetch(`${stack.simulatorUrls['tax-service'] ?? stack.taxServiceUrl}/_sim/stats`)).json()) as { duplicates: number };
  return stats.duplicates;
}

async function waitForReplies(databaseUrl: string, ids: string[], timeoutMs: number): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  let replied = new Set<string>();
  while (Date.now() < deadline) {
    const client = new Client({ connectionString: databaseUrl });
    try {
      await client.connect();
      const { rows } = await client.query<{ message_id: string }>(
        `SELECT message_id FROM messages WHERE status = 'replied' AND message_id = ANY($1)`,
        [ids],
      );
      replied = new Set(rows.map((row) => row.message_id));
    } catch {
      // the database may be restarting in a fault test
    } finally {
      await client.end().catch(() => undefined);
    }
    if (replied.size === ids.length) return replied;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return replied;
}

/** Starts the stack's (first) gateway again on its ports (after it was killed), as a new instance. */
export function restartGateway(stack: Stack): Promise<AppProcess> {
  return stack.startGateway(0);
}

export async function restartDispatcher(stack: Stack, dead: AppProcess): Promise<AppProcess> {
  stack.dispatchers.splice(stack.dispatchers.indexOf(dead), 1);
  return stack.addDispatcher();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prints where missing messages stand (status and history), so a failed fault test says why. */
async function describeMessages(databaseUrl: string, ids: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT m.message_id, m.status, m.correlation_id, m.created_at,
              (SELECT json_agg(json_build_object('status', e.status, 'at', e.at, 'detail', e.detail) ORDER BY e.id)
                 FROM message_events e WHERE e.message_id = m.message_id) AS history
         FROM messages m WHERE m.message_id = ANY($1)`,
      [ids],
    );
    process.stdout.write(`missing messages: ${ids.length}, with a status row: ${rows.length}\n${JSON.stringify(rows, null, 1).slice(0, 8000)}\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Says whether lost messages are in the outbound topic at all (read from the beginning by a fresh consumer group):
 * present means the consumer side skipped them, absent that Kafka acknowledged a record it did not keep.
 */
async function findInOutboundTopic(stack: Stack, ids: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'load-diagnosis', brokers: stack.env.KAFKA_BROKERS.split(','), sasl: testKafkaSasl('admin'), logLevel: logLevel.NOTHING });
  const topic = `${stack.env.KAFKA_TOPIC_PREFIX}.outbound.tax-service`;
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high)]));
  const found = new Map<string, string>();
  const consumer = kafka.consumer({ groupId: `load-diagnosis-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 20000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const id = message.headers?.['korpu-message-id']?.toString();
        if (id && ids.includes(id)) found.set(id, `partition ${partition} offset ${message.offset}`);
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  for (const id of ids) process.stdout.write(`lost ${id}: ${found.has(id) ? `in ${topic} at ${found.get(id)} (the consumer side skipped it)` : `not in ${topic} (Kafka acknowledged a record it did not keep)`}\n`);
}
