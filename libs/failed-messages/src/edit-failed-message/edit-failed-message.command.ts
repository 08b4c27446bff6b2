import type { RequestSchema } from '@korpu/errors';
import { InputReader, REASON_SCHEMA, bodySchema, readMessageId, readOperator } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';

export const MAX_EDITED_PAYLOAD_BYTES = 5 * 1024 * 1024;

/** The body of POST /v1/admin/failed-messages/:id/edit-and-replay. */
export const EDIT_FAILED_MESSAGE_BODY: RequestSchema = bodySchema(
  {
    payload: {
      description: `The corrected payload: a JSON value for JSON messages, a string for XML ones (at most ${MAX_EDITED_PAYLOAD_BYTES} bytes); checked against the message type's schema`,
      anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'string', minLength: 1 }, { type: 'number' }, { type: 'boolean' }],
    },
    reason: REASON_SCHEMA,
  },
  ['payload'],
);

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
    const body = new InputReader(input.body, EDIT_FAILED_MESSAGE_BODY);
    const problems = body.problems;
    const messageId = readMessageId(input.messageId, problems);
    const operator = readOperator(input.operator, problems);
    const raw = body.raw('payload');
    const payload: string | { json: unknown } = typeof raw === 'string' ? raw : { json: raw };
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.byteLength(JSON.stringify(payload.json) ?? '');
    if (size > MAX_EDITED_PAYLOAD_BYTES) problems.push(`"payload" must be at most ${MAX_EDITED_PAYLOAD_BYTES} bytes`);
    const reason = body.reason();
    if (problems.length) throw FailedMessagesException.invalid(problems);
    return new EditFailedMessageCommand(messageId, operator, payload, reason);
  }
}
