import { Injectable } from '@nestjs/common';
import { FailedMessagesErrorCode } from '../failed-messages-error-code';
import { FailedMessagesException } from '../failed-messages.exception';
import { ReplayJob, ReplayJobItem, ReplayJobProgress } from '../replay-job';
import { ReplayJobRepository } from '../replay-job.repository';
import { GetReplayJobCommand } from './get-replay-job.command';

export type ReplayJobDetails = ReplayJobProgress & { items?: ReplayJobItem[] };

export function jobNotFound(jobId: string): FailedMessagesException {
  return new FailedMessagesException(FailedMessagesErrorCode.JOB_NOT_FOUND, `No replay job has id "${jobId}"`);
}

/** Progress of one bulk-replay job (done / failed / remaining, rate, ETA), and the recent jobs. */
@Injectable()
export class GetReplayJobUseCase {
  constructor(private readonly jobs: ReplayJobRepository) {}

  async execute(command: GetReplayJobCommand): Promise<ReplayJobDetails> {
    const progress = await this.jobs.progress(command.jobId);
    if (!progress) throw jobNotFound(command.jobId);
    if (!command.itemStates) return progress;
    return { ...progress, items: await this.jobs.items(command.jobId, command.itemStates, command.limit) };
  }

  async recent(limit = 50): Promise<{ items: ReplayJob[] }> {
    return { items: await this.jobs.list(limit) };
  }
}
