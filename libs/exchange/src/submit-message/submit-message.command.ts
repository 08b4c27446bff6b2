import { ContentType, MESSAGE_ID_RULE, ServiceRef, isValidMessageId, parseServiceId } from '@korpu/envelope';
import { ExchangeErrorCode, ExchangeException } from '../exchange.exception';

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
    const fields = body as Record<string, unknown>;
    const problems: string[] = [];
    const optionalString = (name: string, pattern?: RegExp): string | undefined => {
      const value = fields[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || value.length === 0 || value.length > 200 || (pattern && !pattern.test(value))) {
        problems.push(`"${name}" must be a non-empty string${pattern ? ` matching ${pattern}` : ''} of at most 200 characters`);
        return undefined;
      }
      return value;
    };
    const serviceField = fields.service;
    const service = typeof serviceField === 'string' ? parseServiceId(serviceField) : undefined;
    if (!service) problems.push('"service" is required, as "partner/operation"');
    if (!('payload' in fields) || fields.payload === null) problems.push('"payload" is required');
    const payloadField = fields.payload;
    // An XML payload (for SOAP partners) is sent as a string; a JSON payload as an object.
    const contentType: ContentType = typeof payloadField === 'string' ? 'application/xml' : 'application/json';
    if (typeof payloadField !== 'string' && (typeof payloadField !== 'object' || payloadField === null)) {
      problems.push('"payload" must be a JSON object or an XML document as a string');
    }
    const id = (name: 'messageId' | 'correlationId'): string | undefined => {
      const value = fields[name];
      if (value === undefined) return undefined;
      if (!isValidMessageId(value)) {
        problems.push(`"${name}" must be ${MESSAGE_ID_RULE}`);
        return undefined;
      }
      return value;
    };
    const command = new SubmitMessageCommand(
      input.client,
      service ?? { partner: '', operation: '' },
      optionalString('messageType', /^[a-z][a-z0-9-]*$/),
      optionalString('schemaVersion', /^[0-9]+$/),
      typeof payloadField === 'string' ? payloadField : JSON.stringify(payloadField ?? null),
      contentType,
      id('messageId'),
      id('correlationId'),
      optionalString('userId'),
    );
    if (problems.length > 0) {
      throw new ExchangeException(ExchangeErrorCode.REQUEST_INVALID, problems.join('; '), { problems });
    }
    return command;
  }
}
