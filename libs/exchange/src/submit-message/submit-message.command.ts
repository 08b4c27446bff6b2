import { ContentType, ServiceRef, parseServiceId } from '@korpu/envelope';
import { requestProblems } from '@korpu/errors';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';
import { SUBMIT_MESSAGE_SCHEMA } from './submit-message.schema';

/** What a subsystem asks Körpü to send, validated when created. */
export class SubmitMessageCommand {
  private constructor(
    readonly client: string | undefined,
    readonly service: ServiceRef,
    readonly messageType: string | undefined,
    readonly schemaVersion: string | undefined,
    readonly payload: string,
    readonly contentType: ContentType,
    readonly messageId: string | undefined,
    readonly correlationId: string | undefined,
    readonly userId: string | undefined,
  ) {}

  static create(input: { client?: string; body: unknown }): SubmitMessageCommand {
    const body = input.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, 'The request body must be a JSON object');
    }
    // The one definition of the request: the same schema the OpenAPI document publishes.
    const problems = requestProblems(SUBMIT_MESSAGE_SCHEMA, body);
    const fields = body as Record<string, unknown>;
    const text = (name: string): string | undefined => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
    const payloadField = fields.payload;
    // An XML payload (for SOAP partners) is sent as a string; a JSON payload as an object.
    const contentType: ContentType = typeof payloadField === 'string' ? 'application/xml' : 'application/json';
    const command = new SubmitMessageCommand(
      input.client,
      parseServiceId(text('service') ?? '') ?? { partner: '', operation: '' },
      text('messageType'),
      text('schemaVersion'),
      typeof payloadField === 'string' ? payloadField : JSON.stringify(payloadField ?? null),
      contentType,
      text('messageId'),
      text('correlationId'),
      text('userId'),
    );
    if (problems.length > 0) {
      throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, problems.join('; '), { problems });
    }
    return command;
  }
}
