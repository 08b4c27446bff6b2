/** Kafka topic names: defined here only. */
export const Topics = {
  /** Requests from subsystems to one partner; one topic per partner so a slow partner cannot starve others. */
  outbound: (partner: string) => `korpu.outbound.${partner}`,
  /** Requests from partners to one ministry service owner (subsystem). */
  inbound: (owner: string) => `korpu.inbound.${owner}`,
  /** Replies travelling back to whoever waits: gateway sync calls, partner endpoints. */
  REPLIES: 'korpu.replies',
  /** Non-blocking retries: one topic per delay tier. */
  retry: (tierSeconds: number) => `korpu.retry.${tierSeconds}s`,
  DEAD_LETTER: 'korpu.dead-letter',
} as const;
