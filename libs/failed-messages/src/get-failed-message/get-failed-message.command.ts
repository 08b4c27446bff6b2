import { readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

export class GetFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
  ) {}

  static create(input: { messageId: unknown; operator: unknown }): GetFailedMessageCommand {
    const problems: string[] = [];
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new GetFailedMessageCommand(messageId, operator);
  }
}
