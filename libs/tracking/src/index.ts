export { TrackingModule, TRACKING_MIGRATIONS } from './tracking.module';
export { DEFAULT_HOLDER_ALIVE_SECONDS, MessageStatusRepository, REPLY_PAYLOAD_PURPOSE } from './message-status.repository';
export { MessageStatus, STATUS_RANK } from './message-status';
export type { MessageEvent, MessageRecord } from './message-status';
