import { type RequestSchema } from '@korpu/errors';

/** The windows the summary offers and the width of each one's buckets. */
export const SUMMARY_WINDOWS = {
  '1h': { windowMs: 3_600_000, bucketMs: 60_000 },
  '24h': { windowMs: 86_400_000, bucketMs: 900_000 },
} as const;
export type SummaryWindow = keyof typeof SUMMARY_WINDOWS;

/**
 * The query of GET /v1/admin/operational-records/summary: what SummarizeExchangesCommand validates and what the
 * OpenAPI document publishes (the controller hands this same object to @ApiQueryFromSchema).
 */
export const SUMMARIZE_EXCHANGES_SCHEMA: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window: {
      type: 'string',
      enum: Object.keys(SUMMARY_WINDOWS),
      description: 'The last hour (1-minute buckets, the default) or the last day (15-minute buckets)',
      example: '1h',
    },
    partner: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'One partner only (ministry: inbound calls)', example: 'tax-service' },
  },
};
