export { TrackingModule, TRACKING_MIGRATIONS } from './tracking.module';
export { MessageStatusRepository, REPLY_PAYLOAD_PURPOSE } from './message-status.repository';
export { MessageStatus, STATUS_RANK } from './message-status';
export type { MessageEvent, MessageRecord } from './message-status';
