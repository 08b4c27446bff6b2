import { InputReader, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

/** Put a failed message aside (`discarded`) with a reason: restorable until the retention purge; body { reason }. */
export class DiscardFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
    readonly reason: string,
  ) {}

  static create(input: { messageId: unknown; operator: unknown; body?: unknown }): DiscardFailedMessageCommand {
    const body = new InputReader(input.body);
    const problems = body.problems;
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    const reason = body.reason()?.trim();
    if (!reason) problems.push('discarding needs a "reason"');
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new DiscardFailedMessageCommand(messageId, operator, reason as string);
  }
}
