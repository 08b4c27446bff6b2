import { MESSAGE_ID_MAX_LENGTH, MESSAGE_ID_PATTERN } from '@korpu/envelope';
import type { RequestSchema } from '@korpu/errors';

const id = (description: string) => ({
  type: 'string',
  pattern: MESSAGE_ID_PATTERN.source,
  maxLength: MESSAGE_ID_MAX_LENGTH,
  description: `${description} 1 to ${MESSAGE_ID_MAX_LENGTH} characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit.`,
});

/**
 * The body of POST /v1/messages and POST /v1/exchange: what SubmitMessageCommand validates and what the OpenAPI
 * document publishes (the controller hands this same object to @ApiBody).
 */
export const SUBMIT_MESSAGE_SCHEMA: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'payload'],
  properties: {
    service: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]{0,63}/[A-Za-z][A-Za-z0-9]{0,63}$',
      description: 'partner/operation, as onboarded in contracts/',
      example: 'tax-service/GetTaxpayer',
    },
    messageType: {
      type: 'string',
      pattern: '^[a-z][a-z0-9-]{0,99}$',
      description: "Defaults to the operation's request type",
      example: 'taxpayer-lookup-request',
    },
    schemaVersion: { type: 'string', pattern: '^[0-9]{1,9}$', description: "Schema version the payload follows; defaults to the operation's", example: '1' },
    payload: {
      description: 'A JSON object, or for SOAP partners an XML document as a string',
      oneOf: [{ type: 'object' }, { type: 'string', minLength: 1 }],
      example: { voen: '1400057421' },
    },
    messageId: id('Your own id for the message: sending the same id again returns the first result.'),
    correlationId: id('Messages of one correlation id are delivered in order.'),
    userId: { type: 'string', minLength: 1, maxLength: 200, description: 'The person on whose behalf the subsystem acts (X-Road userId)' },
  },
};
