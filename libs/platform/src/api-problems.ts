import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';

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

/**
 * Documents an operation's query parameters from the JSON Schema its command validates the query with (one
 * definition: each property becomes a parameter with that property's schema; `required` ones are required).
 */
export function ApiQueryFromSchema(schema: Record<string, unknown>): MethodDecorator {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), description: property.description as string | undefined, schema: property }),
    ),
  );
}

/** Documents a path parameter with the JSON Schema its command checks it with (and the 414 of one too long to route). */
export function ApiParamFromSchema(name: string, schema: Record<string, unknown>): MethodDecorator {
  return applyDecorators(
    ApiParam({ name, description: schema.description as string | undefined, schema }),
    ApiResponse({
      status: 414,
      description: 'URI_TOO_LONG: a path parameter longer than the router takes',
      content: { 'application/problem+json': { schema: PROBLEM_DETAILS_SCHEMA } },
    }),
  );
}
