import { DynamicModule, Module, Provider } from '@nestjs/common';
import { OperatorsModule, operatorsOptions, serviceTokensFrom } from '@korpu/operators';
import { TrackingModule } from '@korpu/tracking';
import { Clock, SystemClock } from './clock';
import { DeadLetterConsumer } from './dead-letter.consumer';
import { EditFailedMessageUseCase } from './edit-failed-message/edit-failed-message.usecase';
import { FailedMessageRepository } from './failed-message.repository';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions } from './failed-messages.options';
import { GetFailedMessageUseCase } from './get-failed-message/get-failed-message.usecase';
import { FailedMessagesController } from './http/failed-messages.controller';
import { ListFailedMessagesUseCase } from './list-failed-messages/list-failed-messages.usecase';
import { ListFailureGroupsUseCase } from './list-failure-groups/list-failure-groups.usecase';
import { FailedMessagePayloadValidator, NoPayloadValidator } from './payload-validator.port';
import { FailedMessageReplayer } from './replay-failed-message/failed-message-replayer';
import { ReplayFailedMessageUseCase } from './replay-failed-message/replay-failed-message.usecase';
import { ReplayFailedMessagesUseCase } from './replay-failed-messages/replay-failed-messages.usecase';
import { ResolveFailedMessageUseCase } from './resolve-failed-message/resolve-failed-message.usecase';
import { ChangeReplayJobUseCase } from './change-replay-job/change-replay-job.usecase';
import { CreateReplayJobUseCase } from './create-replay-job/create-replay-job.usecase';
import { DiscardFailedMessageUseCase } from './discard-failed-message/discard-failed-message.usecase';
import { GetReplayJobUseCase } from './get-replay-job/get-replay-job.usecase';
import { PurgeFailedMessagesUseCase } from './purge-failed-messages/purge-failed-messages.usecase';
import { ReplayJobRepository } from './replay-job.repository';
import { RestoreFailedMessageUseCase } from './restore-failed-message/restore-failed-message.usecase';
import { ReplayJobWorker } from './run-replay-jobs/replay-job.worker';

const USE_CASES = [
  ListFailedMessagesUseCase,
  ListFailureGroupsUseCase,
  GetFailedMessageUseCase,
  EditFailedMessageUseCase,
  ReplayFailedMessageUseCase,
  ReplayFailedMessagesUseCase,
  ResolveFailedMessageUseCase,
  DiscardFailedMessageUseCase,
  RestoreFailedMessageUseCase,
  PurgeFailedMessagesUseCase,
  CreateReplayJobUseCase,
  GetReplayJobUseCase,
  ChangeReplayJobUseCase,
];

/**
 * Failed-message store, replay and admin API. Needs from the app: `Database` (StoreModule, with
 * FAILED_MESSAGES_MIGRATIONS, TRACKING_MIGRATIONS and OPERATORS_MIGRATIONS among its migration dirs), MessagingModule
 * (MessageProducer, MessageConsumerFactory, TopicAdmin, TopicNames) and OperatorsModule (AdminGuard, AuditTrail) —
 * or `operators` in the options, which imports OperatorsModule with those tokens as admin service tokens.
 */
@Module({})
export class FailedMessagesModule {
  static forRoot(options: FailedMessagesOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: FAILED_MESSAGES_OPTIONS, useValue: options },
      { provide: Clock, useClass: SystemClock },
      { provide: FailedMessagePayloadValidator, useClass: options.validator ?? NoPayloadValidator },
      FailedMessageRepository,
      FailedMessageReplayer,
      ReplayJobRepository,
      ReplayJobWorker,
      ...USE_CASES,
    ];
    if (options.consumer) providers.push(DeadLetterConsumer);
    return {
      module: FailedMessagesModule,
      imports: [
        TrackingModule,
        ...(options.operators
          ? [OperatorsModule.forRoot(operatorsOptions({ serviceTokens: serviceTokensFrom(options.operators), http: options.http }))]
          : []),
        ...(options.imports ?? []),
      ],
      controllers: options.http === false ? [] : [FailedMessagesController],
      providers,
      exports: [FailedMessageRepository, ReplayJobRepository, ReplayJobWorker, FAILED_MESSAGES_OPTIONS, ...USE_CASES, ...(options.consumer ? [DeadLetterConsumer] : [])],
    };
  }
}

/** The migrations of this lib: give them to StoreModule (`migrationDirs`). */
export const FAILED_MESSAGES_MIGRATIONS = `${__dirname}/../migrations`;
