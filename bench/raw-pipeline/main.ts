/**
 * The raw pipeline of the bench: the least a process can do for an async submit — take a JSON body over HTTP
 * (Fastify), validate it with Ajv (message.schema.json), produce it to Kafka with acks=all and an idempotent
 * producer (SASL SCRAM-SHA-512, as the apps), answer 202 once the broker acked it. No identity, access, log or status.
 *
 *   RAW_PORT  RAW_BROKERS  RAW_TOPIC  RAW_SASL_USERNAME  RAW_SASL_PASSWORD_FILE
 *   RAW_CLIENT   platformatic (default, @platformatic/kafka) | kafkajs
 *   RAW_BATCHING   none: one produce request per HTTP request; linger: the sends of RAW_LINGER_MS ms go out as one
 *                  produce request; inflight: one produce request in flight, the sends that arrive meanwhile go out
 *                  together as soon as it is acked (no timer)
 *
 * Started by bench/pipeline.bench.ts as a process of its own (prints `raw-pipeline listening on <port>`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import Fastify from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { batching, SendBatch } from './batching';

interface Client {
  send: SendBatch;
  close: () => Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function platformaticClient(brokers: string[], topic: string, username: string, password: string): Promise<Client> {
  // ESM-only package: Node 24's require() of ES modules loads it from this CommonJS file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Producer } = require('@platformatic/kafka') as typeof import('@platformatic/kafka');
  const producer = new Producer({
    clientId: 'raw-pipeline',
    bootstrapBrokers: brokers,
    idempotent: true,
    acks: -1,
    sasl: { mechanism: 'SCRAM-SHA-512', username, password },
  });
  return {
    send: async (records) => {
      await producer.send({ messages: records.map((r) => ({ topic, key: Buffer.from(r.key), value: r.value })) });
    },
    close: () => producer.close(),
  };
}

async function kafkajsClient(brokers: string[], topic: string, username: string, password: string): Promise<Client> {
  const kafka = new Kafka({ clientId: 'raw-pipeline', brokers, sasl: { mechanism: 'scram-sha-512', username, password }, logLevel: logLevel.WARN });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    send: async (records) => {
      await producer.send({ topic, acks: -1, messages: records });
    },
    close: () => producer.disconnect(),
  };
}

async function main(): Promise<void> {
  const port = Number(process.env.RAW_PORT ?? 0);
  const brokers = required('RAW_BROKERS').split(',');
  const topic = required('RAW_TOPIC');
  const username = required('RAW_SASL_USERNAME');
  const password = readFileSync(required('RAW_SASL_PASSWORD_FILE'), 'utf8').trim();
  const clientName = process.env.RAW_CLIENT ?? 'platformatic';
  const mode = process.env.RAW_BATCHING ?? 'none';
  const lingerMs = Number(process.env.RAW_LINGER_MS ?? 1);
  const client =
    clientName === 'kafkajs' ? await kafkajsClient(brokers, topic, username, password) : await platformaticClient(brokers, topic, username, password);
  const send = mode === 'inflight' ? batching(client.send) : mode === 'linger' ? batching(client.send, lingerMs) : client.send;

  const validate = new Ajv({ allErrors: false }).compile(JSON.parse(readFileSync(path.join(__dirname, 'message.schema.json'), 'utf8')));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post('/v1/messages', async (request, reply) => {
    if (!validate(request.body)) return reply.code(400).send({ error: 'invalid', details: validate.errors });
    const body = request.body as { messageId: string };
    await send([{ key: body.messageId, value: Buffer.from(JSON.stringify(request.body)) }]);
    return reply.code(202).send({ messageId: body.messageId });
  });
  const address = await app.listen({ port, host: '127.0.0.1' });
  console.log(`raw-pipeline listening on ${new URL(address).port} (${clientName}, batching ${mode})`);
  const stop = async (): Promise<void> => {
    await app.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
