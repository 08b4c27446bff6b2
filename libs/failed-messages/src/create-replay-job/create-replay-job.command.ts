import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';
import { ReplayJobSelection } from '../replay-job';
import { SELECTION_PROPERTIES, readSelection } from './replay-job-selection';

/** The body of POST /v1/admin/replay-jobs. */
export const CREATE_REPLAY_JOB_BODY: RequestSchema = bodySchema(
  {
    ...SELECTION_PROPERTIES,
    force: { type: 'boolean', description: 'Send even messages whose reply is already recorded (sets korpu-replay-of); needs a reason' },
    reason: REASON_SCHEMA,
    preview: { type: 'boolean', description: 'Only say how many and which partners; create nothing' },
  },
  [],
  'Exactly one of ids, fingerprint or filter',
);

/**
 * Start a bulk replay as a durable job (or, with `preview`, only say what it would take on: how many, which
 * partners). Body: { ids | fingerprint | filter, force?, reason?, preview? }.
 */
export class CreateReplayJobCommand {
  private constructor(
    readonly operator: string,
    readonly selection: ReplayJobSelection,
    /** Send even messages whose reply is already recorded (sets korpu-replay-of); needs a reason. */
    readonly force: boolean,
    readonly reason: string | undefined,
    readonly preview: boolean,
  ) {}

  static create(input: { operator: unknown; body: unknown }): CreateReplayJobCommand {
    const body = new InputReader(input.body, CREATE_REPLAY_JOB_BODY);
    const problems = body.problems;
    const operator = readOperator(input.operator, problems);
    const selection = readSelection(body);
    const force = body.boolean('force') ?? false;
    const reason = body.reason();
    if (force && !reason) problems.push('a forced replay needs a "reason"');
    const preview = body.boolean('preview') ?? false;
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new CreateReplayJobCommand(operator, selection, force, reason, preview);
  }
}
