export { FailedMessagesModule, FAILED_MESSAGES_MIGRATIONS } from './failed-messages.module';
export type { FailedMessagesOptions } from './failed-messages.options';
export {
  DeadLetterHeader,
  DEAD_LETTER_HEADER_PREFIX,
  FAILED_MESSAGES_CONSUMER_GROUP,
  deadLetterHeaders,
  failureFingerprint,
  normalizeErrorMessage,
  isDeadLetterHeader,
  stripDeadLetterHeaders,
} from './dead-letter-headers';
export type { DeadLetterHeaderName, DeadLetterInput } from './dead-letter-headers';
export { readDeadLetterRecord } from './dead-letter-record';
export { FailedMessageStatus, FAILED_MESSAGE_STATUSES } from './failed-message';
export type {
  DeadLetteredMessage,
  FailedMessage,
  FailedMessageEvent,
  FailedMessageEventKind,
  FailedMessageFilter,
  FailedMessagePage,
  FailedMessageSummary,
  FailureGroup,
  FailureGroupBy,
} from './failed-message';
export { FailedMessageRepository } from './failed-message.repository';
export type { StoreOutcome } from './failed-message.repository';
export { AuditTrail, OperatorAction } from './audit/audit-trail.repository';
export type { AuditEntry, AuditFilter } from './audit/audit-trail.repository';
export { DeadLetterConsumer } from './dead-letter.consumer';
export { FailedMessagePayloadValidator } from './payload-validator.port';
export { FailedMessagesErrorCode } from './failed-messages-error-code';
export { FailedMessagesException } from './failed-messages.exception';
export { AdminGuard, Operator, OperatorPrincipal, RequirePermission } from '@korpu/operators';
export { FailedMessagesController } from './http/failed-messages.controller';
export { PersonalDataInterceptor, maskFor, unmaskReasonOf, UNMASK_REASON_HEADER } from './http/personal-data.interceptor';
export { replayRecord } from './replay-failed-message/replay-record';
export { ReplayFailedMessageCommand } from './replay-failed-message/replay-failed-message.command';
export { ReplayFailedMessageUseCase } from './replay-failed-message/replay-failed-message.usecase';
export type { ReplayResult } from './replay-failed-message/replay-failed-message.usecase';
export { ReplayFailedMessagesCommand } from './replay-failed-messages/replay-failed-messages.command';
export { ReplayFailedMessagesUseCase } from './replay-failed-messages/replay-failed-messages.usecase';
export type { BulkReplayResult } from './replay-failed-messages/replay-failed-messages.usecase';
export { EditFailedMessageCommand } from './edit-failed-message/edit-failed-message.command';
export { EditFailedMessageUseCase } from './edit-failed-message/edit-failed-message.usecase';
export { ResolveFailedMessageCommand } from './resolve-failed-message/resolve-failed-message.command';
export { ResolveFailedMessageUseCase } from './resolve-failed-message/resolve-failed-message.usecase';
export { ListFailedMessagesCommand } from './list-failed-messages/list-failed-messages.command';
export { ListFailedMessagesUseCase } from './list-failed-messages/list-failed-messages.usecase';
export { ListFailureGroupsCommand } from './list-failure-groups/list-failure-groups.command';
export { ListFailureGroupsUseCase } from './list-failure-groups/list-failure-groups.usecase';
export { GetFailedMessageCommand } from './get-failed-message/get-failed-message.command';
export { GetFailedMessageUseCase } from './get-failed-message/get-failed-message.usecase';
export type { FailedMessageDetails } from './get-failed-message/get-failed-message.usecase';
export { readReplayJobOptions, defaultReplayJobOptions } from './failed-messages.config';
export type { ReplayJobOptions } from './failed-messages.options';
export { ReplayJobRepository } from './replay-job.repository';
export { ReplayJobWorker } from './run-replay-jobs/replay-job.worker';
export { ReplayJobState } from './replay-job';
export type { ReplayJob, ReplayJobItem, ReplayJobItemState, ReplayJobProgress, ReplayJobSelection } from './replay-job';
export { EDIT_OF_HEADER } from './edit-failed-message/edit-failed-message.usecase';
export type { EditResult } from './edit-failed-message/edit-failed-message.usecase';
export type { StoredEdit } from './failed-message.repository';
export { CreateReplayJobCommand } from './create-replay-job/create-replay-job.command';
export { CreateReplayJobUseCase } from './create-replay-job/create-replay-job.usecase';
export type { ReplayJobPreview } from './create-replay-job/create-replay-job.usecase';
