/** Stable codes of the failed-message store, replay and admin API. */
export enum FailedMessagesErrorCode {
  /** No failed message has this id. */
  NOT_FOUND = 'FAILED_MESSAGE_NOT_FOUND',
  /** The request (query, body or path) is malformed; `problems` lists why. */
  REQUEST_INVALID = 'FAILED_MESSAGE_REQUEST_INVALID',
  /** No `Authorization: Bearer <token>` header, or a token that is not one of the configured operators'. */
  ADMIN_UNAUTHENTICATED = 'ADMIN_UNAUTHENTICATED',
  /** The edited payload is not valid for the message's declared type and version. */
  EDIT_INVALID = 'EDIT_INVALID',
  /** No schema validator is configured, so edits are refused rather than stored unchecked. */
  EDIT_VALIDATION_UNAVAILABLE = 'EDIT_VALIDATION_UNAVAILABLE',
  /** The message's status does not allow the action (e.g. replaying a message whose replay is in flight). */
  STATE_CONFLICT = 'FAILED_MESSAGE_STATE_CONFLICT',
  /** The dead-letter record did not say where the message came from, so it cannot be replayed. */
  NOT_REPLAYABLE = 'FAILED_MESSAGE_NOT_REPLAYABLE',
  /** Kafka did not take the replayed record; the message was left as it was. Retrying may succeed. */
  REPLAY_PUBLISH_FAILED = 'REPLAY_PUBLISH_FAILED',
  /** No bulk-replay job has this id. */
  JOB_NOT_FOUND = 'REPLAY_JOB_NOT_FOUND',
  /** The job's state does not allow the action (e.g. resuming a completed job). */
  JOB_STATE_CONFLICT = 'REPLAY_JOB_STATE_CONFLICT',
  /** A discarded message can be restored only within the retention period. */
  RESTORE_EXPIRED = 'FAILED_MESSAGE_RESTORE_EXPIRED',
}
