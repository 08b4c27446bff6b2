import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** RFC 9457 problem details as Körpü answers them (libs/errors ProblemDetailsFilter), for the OpenAPI document. */
export const PROBLEM_DETAILS_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:korpu:error:REQUEST_INVALID' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable error code (see docs/subsystems.md)', example: 'REQUEST_INVALID' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errorId: { type: 'string', description: 'On 5xx: quote it when reporting the error' },
    correlationId: { type: 'string' },
    problems: { type: 'array', items: { type: 'string' }, description: 'On REQUEST_INVALID: every problem of the request' },
  },
  additionalProperties: true,
};

/**
 * Documents the refusals an operation may answer, each as application/problem+json with its codes, so the
 * document says every status the operation can give. `500` (INTERNAL_ERROR, with an error id) is always added.
 */
export function ApiProblems(responses: Record<number, string>): MethodDecorator & ClassDecorator {
  const all: Record<number, string> = { ...responses, 500: responses[500] ?? 'INTERNAL_ERROR: an unexpected error (quote errorId)' };
  return applyDecorators(
    ...Object.entries(all).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, content: { 'application/problem+json': { schema: PROBLEM_DETAILS_SCHEMA } } }),
    ),
  );
}
