import { InputReader, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

export const MAX_EDITED_PAYLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Replace the payload a replay will send. `payload` is the new payload: a JSON value for JSON messages (or its
 * text), a string for XML ones. The original payload is kept unchanged beside it.
 */
export class EditFailedMessageCommand {
  private constructor(
    readonly messageId: string,
    readonly operator: string,
    /** The payload as given: text for XML (or JSON text), or a JSON value. */
    readonly payload: string | { json: unknown },
    readonly reason: string | undefined,
  ) {}

  static create(input: { messageId: unknown; operator: unknown; body: unknown }): EditFailedMessageCommand {
    const body = new InputReader(input.body);
    const problems = body.problems;
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    const raw = body.raw('payload');
    let payload: string | { json: unknown } = '';
    if (raw === undefined || raw === null) problems.push('"payload" is required');
    else if (typeof raw === 'string') payload = raw;
    else payload = { json: raw };
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.byteLength(JSON.stringify(payload.json));
    if (size > MAX_EDITED_PAYLOAD_BYTES) problems.push(`"payload" must be at most ${MAX_EDITED_PAYLOAD_BYTES} bytes`);
    const reason = body.reason();
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new EditFailedMessageCommand(messageId, operator, payload, reason);
  }
}
