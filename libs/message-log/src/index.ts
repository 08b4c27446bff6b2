/**
 * @korpu/message-log — tamper-evident log of every message that enters or leaves Körpü.
 *
 * - MessageLog: append(entry) / read(query) / findByMessageId(id); payloads optionally AES-256-GCM encrypted
 * - hash chain: hash = SHA-256(prev_hash || canonical record), seq without gaps, one chain head row
 * - VerifyMessageLogUseCase: walks archives + table + head, names the first broken record
 * - ArchiveMessageLogUseCase: retention into signed gzip JSON Lines archives; VerifyArchiveUseCase checks them
 * - MessageLogModule.forRoot(options) for Nest apps; MESSAGE_LOG_MIGRATIONS for StoreModule
 */
export { MessageLogModule, MESSAGE_LOG_MIGRATIONS } from './message-log.module';
export { messageLogOptions } from './message-log.config';
export type { MessageLogModuleOptions } from './message-log.options';
export { MessageLog } from './message-log';
export type { MessageLogOptions } from './message-log';
export { MessageLogRepository } from './message-log.repository';
export type { ArchiveRow } from './message-log.repository';
export { LogEvent, LOG_EVENTS } from './log-record';
export type { LogEntry, LogRecord, LogQuery, LogSignature, ChainedRecord, SignatureVerification } from './log-record';
export { logEntryFromEnvelope } from './log-entry.factory';
export { MessageLogErrorCode } from './message-log-error-code';
export { MessageLogException } from './message-log.exception';

export { GENESIS_HASH, canonicalRecord, canonicalJson, recordHash } from './chain/record-hash';
export { ChainWalker, verifyChain, CHAIN_START } from './chain/chain-walker';
export type { ChainBreak, ChainBreakReason, ChainLink, ChainPosition } from './chain/chain-walker';
export { PayloadCipher } from './crypto/payload-cipher';

export { VerifyMessageLogUseCase } from './verify-message-log/verify-message-log.usecase';
export type { MessageLogVerification } from './verify-message-log/verify-message-log.usecase';
export { ArchiveMessageLogCommand } from './archive-message-log/archive-message-log.command';
export { ArchiveMessageLogUseCase } from './archive-message-log/archive-message-log.usecase';
export type { ArchiveResult, ArchiveMessageLogOptions } from './archive-message-log/archive-message-log.usecase';
export { VerifyArchiveUseCase, checkArchiveLinkage } from './verify-archive/verify-archive.usecase';
export type {
  ArchiveDirectoryReport,
  ArchiveFileReport,
  ArchiveProblem,
  ArchiveProblemReason,
  VerifyArchiveOptions,
} from './verify-archive/verify-archive.usecase';
export { ArchiveFileRepository } from './archive/archive-file.repository';
export { ARCHIVE_FORMAT } from './archive/archive-manifest';
export type { ArchiveManifest, SignedArchiveManifest } from './archive/archive-manifest';
export { RefusalLogBudget } from './refusals/refusal-log-budget';
