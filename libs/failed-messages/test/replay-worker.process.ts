/**
 * A process that runs only the bulk-replay worker (as the gateway does beside its API), configured from the
 * environment like an app: DATABASE_URL, KAFKA_*, DATA_KEYS / DATA_ACTIVE_KEY, INSTANCE_ID, REPLAY_*. The
 * integration test starts it, kills it halfway and starts another, to show a job survives its worker.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EnvReader } from '@korpu/config';
import { DataKeysModule, readDataKeys } from '@korpu/crypto-at-rest';
import { MessagingModule, readKafkaOptions } from '@korpu/messaging';
import { StoreModule, readDatabaseOptions } from '@korpu/store';
import { OPERATORS_MIGRATIONS } from '@korpu/operators';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import { FAILED_MESSAGES_MIGRATIONS, FailedMessagesModule } from '../src/failed-messages.module';
import { readReplayJobOptions } from '../src/failed-messages.config';

async function main(): Promise<void> {
  const read = new EnvReader(process.env);
  const instanceId = read.required('INSTANCE_ID');
  const database = readDatabaseOptions(read, path.resolve(__dirname, '../../..'), `replay-worker-${instanceId}`);
  const kafka = readKafkaOptions(read, `replay-worker-${instanceId}`);
  const dataKeys = readDataKeys(read);
  const jobs = readReplayJobOptions(read, instanceId);
  read.done();

  @Module({
    imports: [
      StoreModule.forRoot({ ...database, migrationDirs: [TRACKING_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, OPERATORS_MIGRATIONS] }),
      MessagingModule.forRoot(kafka),
      DataKeysModule.forRoot(dataKeys),
      FailedMessagesModule.forRoot({ operators: {}, consumer: false, http: false, jobs }),
    ],
  })
  class ReplayWorkerModule {}

  const app = await NestFactory.createApplicationContext(ReplayWorkerModule, { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  console.log(`replay worker ${instanceId} ready`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
