import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { RequestSchema } from '@korpu/errors';

/**
 * Publishes a query-string RequestSchema (an object schema of string properties) as the operation's query
 * parameters: one @ApiQuery per property, with that property's own schema and description — the same object the
 * command validates with, so the document cannot drift from the check.
 */
export function ApiQuerySchema(schema: RequestSchema): MethodDecorator {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), description: property.description as string | undefined, schema: property }),
    ),
  );
}
