/**
 * Re-encrypts personal data at rest under the active data key: partner replies (messages.reply_payload) and
 * failed-message payloads and edits, whether plain (written before encryption at rest) or under an older key.
 * Run after making a new key active and before removing an old one from DATA_KEYS (docs/keys.md). The message log
 * is hash-chained over its ciphertexts and is never rewritten.
 *
 *   DATABASE_URL=... DATA_KEYS=... DATA_ACTIVE_KEY=... node -r @swc-node/register scripts/reencrypt-data.ts
 *
 * Works in batches of 200 rows (one transaction each, rows being written by the apps are skipped until the next
 * batch), safe to run while the apps run and to run again. Exit 0: done; 2: configuration or database error.
 */
import * as path from 'node:path';
import { EnvReader } from '@korpu/config';
import { DataKeys, readDataKeys } from '@korpu/crypto-at-rest';
import { FailedMessageRepository } from '@korpu/failed-messages';
import { createDatabase, readDatabaseOptions } from '@korpu/store';
import { MessageStatusRepository } from '@korpu/tracking';

const BATCH = 200;

async function main(): Promise<number> {
  const read = new EnvReader(process.env);
  const dataKeys = readDataKeys(read);
  const database = readDatabaseOptions(read, path.join(__dirname, '..'), 'korpu-reencrypt-data');
  if (read.string('DATA_KEYS') === undefined) read.problem('DATA_KEYS is required: the keys to read with and the active one to write with');
  read.done();
  const db = await createDatabase(database);
  try {
    const keys = new DataKeys(dataKeys);
    const replies = new MessageStatusRepository(db, keys);
    const failed = new FailedMessageRepository(db, keys);
    let total = { replies: 0, failedMessages: 0 };
    for (let n = await replies.reencryptReplies(BATCH); n > 0; n = await replies.reencryptReplies(BATCH)) total = { ...total, replies: total.replies + n };
    for (let n = await failed.reencryptPayloads(BATCH); n > 0; n = await failed.reencryptPayloads(BATCH)) total = { ...total, failedMessages: total.failedMessages + n };
    console.error(`re-encrypted under "${dataKeys.activeKeyId}": ${total.replies} replies, ${total.failedMessages} failed messages`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
