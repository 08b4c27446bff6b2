import { MESSAGE_ID_MAX_LENGTH, MESSAGE_ID_PATTERN } from '@korpu/envelope';
import { INSTANT_SCHEMA, type RequestSchema } from '@korpu/errors';
import { OPERATIONAL_RESULTS } from '../operational-record';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const RESULT = `(${OPERATIONAL_RESULTS.join('|')})`;
const id = (description: string) => ({ type: 'string', pattern: MESSAGE_ID_PATTERN.source, maxLength: MESSAGE_ID_MAX_LENGTH, description });

/**
 * The query of GET /v1/admin/operational-records: what ListOperationalRecordsCommand validates and what the
 * OpenAPI document publishes (the controller hands this same object to @ApiQueryFromSchema). Query values are strings.
 */
export const LIST_OPERATIONAL_RECORDS_SCHEMA: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    client: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'The calling client, e.g. MLSP/pensions (outbound) or a partner\'s X-Road client id (inbound)',
      example: 'MLSP/pensions',
    },
    service: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]{0,63}/[A-Za-z][A-Za-z0-9]{0,63}$',
      description: 'partner/operation (inbound: ministry/<operation>)',
      example: 'tax-service/GetTaxpayer',
    },
    partner: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'Every service of one partner', example: 'tax-service' },
    direction: { type: 'string', enum: ['outbound', 'inbound'], description: 'outbound: to partners; inbound: from partners to the ministry' },
    result: {
      type: 'string',
      pattern: `^${RESULT}(,${RESULT}){0,${OPERATIONAL_RESULTS.length - 1}}$`,
      description: `One or more of ${OPERATIONAL_RESULTS.join(', ')}, comma-separated`,
      example: 'failed,dead-lettered',
    },
    errorCode: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,99}$', description: 'A stable error code, e.g. PARTNER_TIMEOUT' },
    messageId: id('The message id of the exchange'),
    correlationId: id('The correlation id of the exchange'),
    from: { ...INSTANT_SCHEMA, description: 'Exchanges accepted at or after this instant (ISO-8601)', example: '2026-12-01T00:00:00Z' },
    to: { ...INSTANT_SCHEMA, description: 'Exchanges accepted before this instant (ISO-8601)' },
    limit: {
      type: 'string',
      pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$',
      description: `Records per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`,
      example: '50',
    },
    cursor: { type: 'string', minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page' },
  },
};
