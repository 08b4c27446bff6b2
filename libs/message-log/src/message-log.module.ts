import { DynamicModule, Module } from '@nestjs/common';
import { Database } from '@korpu/store';
import { PayloadCipher } from './crypto/payload-cipher';
import { MessageLog } from './message-log';
import type { MessageLogModuleOptions } from './message-log.options';
import { MessageLogRepository } from './message-log.repository';
import { VerifyMessageLogUseCase } from './verify-message-log/verify-message-log.usecase';

/**
 * The tamper-evident message log. Provides MessageLog (append / read) and VerifyMessageLogUseCase; needs a
 * `Database` from StoreModule in the app, whose migrationDirs must include MESSAGE_LOG_MIGRATIONS.
 */
@Module({})
export class MessageLogModule {
  static forRoot(options: MessageLogModuleOptions = {}): DynamicModule {
    return {
      module: MessageLogModule,
      global: true,
      providers: [
        {
          provide: MessageLogRepository,
          useFactory: (db: Database) => new MessageLogRepository(db),
          inject: [Database],
        },
        { provide: PayloadCipher, useFactory: () => new PayloadCipher(options.encryptionKeys, options.activeKeyId) },
        {
          provide: MessageLog,
          useFactory: (repository: MessageLogRepository, cipher: PayloadCipher) =>
            new MessageLog(repository, cipher, { maxBatchSize: options.maxBatchSize }),
          inject: [MessageLogRepository, PayloadCipher],
        },
        {
          provide: VerifyMessageLogUseCase,
          useFactory: (repository: MessageLogRepository) => new VerifyMessageLogUseCase(repository),
          inject: [MessageLogRepository],
        },
      ],
      exports: [MessageLog, VerifyMessageLogUseCase],
    };
  }
}

export const MESSAGE_LOG_MIGRATIONS = `${__dirname}/../migrations`;
