import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Database } from '@korpu/store';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageLog } from './message-log';
import { CryptoAtRestErrorCode } from '@korpu/crypto-at-rest';
import { MESSAGE_LOG_MIGRATIONS, MessageLogModule } from './message-log.module';
import { VerifyMessageLogUseCase } from './verify-message-log/verify-message-log.usecase';

// Stands in for StoreModule: the module only needs the `Database` token; no query runs here.
@Global()
@Module({ providers: [{ provide: Database, useValue: {} }], exports: [Database] })
class FakeStoreModule {}

describe('MessageLogModule', () => {
  it('provides MessageLog and VerifyMessageLogUseCase from the app’s Database', async () => {
    const app = await Test.createTestingModule({
      imports: [
        FakeStoreModule,
        MessageLogModule.forRoot({ encryptionKeys: { k1: Buffer.alloc(32, 7).toString('base64') }, activeKeyId: 'k1' }),
      ],
    }).compile();
    expect(app.get(MessageLog)).toBeInstanceOf(MessageLog);
    expect(app.get(VerifyMessageLogUseCase)).toBeInstanceOf(VerifyMessageLogUseCase);
    await app.close();
  });

  it('fails at boot on a key that is not 32 bytes', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FakeStoreModule, MessageLogModule.forRoot({ encryptionKeys: { k1: 'c2hvcnQ=' }, activeKeyId: 'k1' })],
      }).compile(),
    ).rejects.toMatchObject({ code: CryptoAtRestErrorCode.KEY_INVALID });
  });

  it('exports the path of its migrations', () => {
    expect(existsSync(join(MESSAGE_LOG_MIGRATIONS, '202612010100_message-log_records.sql'))).toBe(true);
  });
});
