/**
 * @korpu/operational-monitoring — one operational record per exchange (after X-Road's operational monitoring):
 * - OperationalRecorder: the port exchange use cases call (never throws, never waits); batched writes
 * - OperationalRecordStore (PostgreSQL adapter, OPERATIONAL_MONITORING_MIGRATIONS)
 * - GET /v1/admin/operational-records (filters, keyset paging), the retention purge (OPERATIONAL_RECORDS_RETENTION_DAYS)
 */
export { OperationalMonitoringModule, OPERATIONAL_MONITORING_MIGRATIONS } from './operational-monitoring.module';
export type { OperationalMonitoringModuleOptions, OperationalMonitoringOptions, OperationalRetentionOptions } from './operational-monitoring.options';
export { readOperationalMonitoringOptions, defaultOperationalMonitoringOptions } from './operational-monitoring.config';
export { OperationalResult, OPERATIONAL_RESULTS, encodeCursor, decodeCursor } from './operational-record';
export type {
  ExchangeDirection,
  ExchangeDurations,
  ExchangeHops,
  OperationalRecord,
  OperationalRecordCursor,
  OperationalRecordFilter,
  OperationalRecordInput,
  OperationalRecordPage,
  ReplySigner,
} from './operational-record';
export { buildOperationalRecord, exchangeDurations, instant, payloadSize, replySignerOf } from './build-operational-record/operational-record.builder';
export { OperationalRecordStore, PgOperationalRecordStore } from './operational-record.repository';
export { OperationalRecorder, BufferedOperationalRecorder } from './record-exchange/operational-recorder';
export { ListOperationalRecordsCommand } from './list-operational-records/list-operational-records.command';
export { LIST_OPERATIONAL_RECORDS_SCHEMA, MAX_PAGE_SIZE } from './list-operational-records/list-operational-records.schema';
export { ListOperationalRecordsUseCase } from './list-operational-records/list-operational-records.usecase';
export { SummarizeExchangesCommand } from './summarize-exchanges/summarize-exchanges.command';
export { SUMMARIZE_EXCHANGES_SCHEMA, SUMMARY_WINDOWS } from './summarize-exchanges/summarize-exchanges.schema';
export { SummarizeExchangesUseCase } from './summarize-exchanges/summarize-exchanges.usecase';
export type { ExchangeSummary, ExchangeFigures } from './summarize-exchanges/summarize-exchanges.usecase';
export type { ExchangeBucketRow } from './operational-record.repository';
export { PurgeOperationalRecordsUseCase, OperationalRecordsPurgeSchedule } from './purge-operational-records/purge-operational-records.usecase';
export type { OperationalPurgeResult } from './purge-operational-records/purge-operational-records.usecase';
export { OperationalMonitoringErrorCode } from './operational-monitoring-error-code';
export { OperationalMonitoringException } from './operational-monitoring.exception';
export { OperationalRecordsController } from './http/operational-records.controller';
