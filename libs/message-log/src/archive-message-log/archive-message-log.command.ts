import { MessageLogErrorCode } from '../message-log-error-code';
import { MessageLogException } from '../message-log.exception';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Move records logged more than `olderThanDays` days before `now` into a signed archive file in `outDir`. */
export class ArchiveMessageLogCommand {
  /** Records logged before this instant are archived (oldest first, as one contiguous run of seqs). */
  readonly cutBefore: Date;

  /** @throws INVALID_ARGUMENT */
  constructor(
    readonly olderThanDays: number,
    readonly outDir: string,
    readonly now: Date = new Date(),
    /** Archive at most this many records (the oldest); the rest waits for the next run. */
    readonly maxRecords?: number,
  ) {
    if (!Number.isFinite(olderThanDays) || olderThanDays < 0) {
      throw new MessageLogException(
        MessageLogErrorCode.INVALID_ARGUMENT,
        `--older-than must be a number of days >= 0, got ${olderThanDays}`,
      );
    }
    if (!outDir) throw new MessageLogException(MessageLogErrorCode.INVALID_ARGUMENT, 'an output directory is required');
    if (maxRecords !== undefined && (!Number.isSafeInteger(maxRecords) || maxRecords < 1)) {
      throw new MessageLogException(
        MessageLogErrorCode.INVALID_ARGUMENT,
        `maxRecords must be a positive integer, got ${maxRecords}`,
      );
    }
    this.cutBefore = new Date(now.getTime() - olderThanDays * DAY_MS);
  }
}
