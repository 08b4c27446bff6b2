/** Headers a record carries while it waits in a retry topic: defined here only. */
export const RetryHeader = {
  /** The work topic to return to when due. */
  TARGET_TOPIC: 'korpu-retry-target-topic',
  /** ISO-8601 instant from which the record may return. */
  DUE_AT: 'korpu-retry-due-at',
  /** Why it waits: a failed attempt, or parked behind an earlier message of its correlation. */
  REASON: 'korpu-retry-reason',
} as const;
