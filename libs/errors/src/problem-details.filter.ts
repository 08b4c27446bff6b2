import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isKorpuException } from './korpu.exception';

/** RFC 9457 problem details, the one error format of Körpü's REST endpoints. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errorId?: string;
  correlationId?: string;
  [extension: string]: unknown;
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

interface RequestLike {
  url?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** Stable codes for failures that the HTTP layer itself detects (before any domain code runs). */
const httpCodes: Record<number, string> = {
  400: 'REQUEST_MALFORMED',
  401: 'CLIENT_UNAUTHENTICATED',
  403: 'ACCESS_DENIED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

function fastifyCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function toProblem(error: unknown, request?: RequestLike): ProblemDetails {
  const correlationHeader = request?.headers?.['x-road-id'] ?? request?.headers?.['x-correlation-id'];
  const correlationId = Array.isArray(correlationHeader) ? correlationHeader[0] : correlationHeader;
  const base = { instance: request?.url, ...(correlationId ? { correlationId } : {}) };
  if (isKorpuException(error)) {
    return {
      // Details first: they may not override the members that define the problem (a detail named `type`...).
      ...(error.details ?? {}),
      type: `urn:korpu:error:${error.code}`,
      title: error.code,
      status: error.status,
      code: error.code,
      detail: error.message,
      ...base,
    };
  }
  // Fastify's own errors (body parser, size limit) carry a statusCode and an FST_ code.
  const status =
    error instanceof HttpException ? error.getStatus() : ((error as { statusCode?: number }).statusCode ?? 500);
  if (status < 500) {
    const fst = fastifyCode(error);
    const code =
      fst === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'PAYLOAD_TOO_LARGE'
        : fst === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : (httpCodes[status] ?? 'REQUEST_INVALID');
    const message = error instanceof Error ? error.message : String(error);
    return { type: `urn:korpu:error:${code}`, title: code, status, code, detail: message, ...base };
  }
  return {
    type: 'urn:korpu:error:INTERNAL_ERROR',
    title: 'INTERNAL_ERROR',
    status: 500,
    code: 'INTERNAL_ERROR',
    detail: 'An unexpected error occurred; quote the error id when reporting it.',
    errorId: randomUUID(),
    ...base,
  };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const problem = toProblem(error, request);
    if (problem.status >= 500 && !(isKorpuException(error) && error.loggedAtSource)) {
      // Logged once, here, with the id the caller sees (or once where it was raised, throttled).
      this.logger.error(`${problem.errorId ?? problem.code} ${request.url}: ${error instanceof Error ? error.stack : String(error)}`);
    }
    const reply = http.getResponse<ReplyLike>().status(problem.status).header('content-type', 'application/problem+json');
    // A refusal that says when to come back (e.g. SIGN_IN_THROTTLED) says it in HTTP terms too.
    const retryAfter = (problem as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (Number.isInteger(retryAfter) && (retryAfter as number) > 0) reply.header('retry-after', String(retryAfter));
    reply.send(problem);
  }
}
