import { Kafka, KafkaConfig, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import { Logger } from '@nestjs/common';
import type { ConnectionOptions } from 'node:tls';
import { KafkaOptions, KafkaTls } from './kafka.options';

const levels: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * One kafkajs client per process, logging through Nest's logger. `transport` is for tests that put a fault proxy
 * between client and broker (a socket factory); apps never pass it.
 */
export function createKafkaClient(options: KafkaOptions, transport: Pick<KafkaConfig, 'socketFactory'> = {}): Kafka {
  return new Kafka({
    ...transport,
    clientId: options.clientId,
    brokers: options.brokers,
    // The app's own principal (SASL SCRAM by default); the broker's ACLs say what it may produce and consume.
    ...(options.sasl ? { sasl: { ...options.sasl } as SASLOptions } : {}),
    // SASL_SSL: the broker's certificate is verified against the configured CA, always (no rejectUnauthorized: false).
    ...(options.ssl ? { ssl: tlsOptions(options.ssl) } : {}),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 12, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        // A deferred message is paused on purpose (MessageDeferred), not an error worth a log line.
        if (String((extra as { stack?: unknown }).stack ?? '').startsWith('MessageDeferred')) return;
        new Logger(`kafka:${namespace}`)[levels[level] ?? 'log'](`${message} ${JSON.stringify(extra)}`);
      },
  });
}

/** Node TLS options of a broker connection: verified against `ca`, a client certificate when configured. */
export function tlsOptions(tls: KafkaTls): ConnectionOptions {
  return {
    ca: [tls.ca],
    ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
    rejectUnauthorized: true,
  };
}
