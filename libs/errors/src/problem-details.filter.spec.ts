import { BadRequestException, Logger } from '@nestjs/common';
import { httpFilterHost } from '@korpu/testing';
import { KorpuException } from './korpu.exception';
import { ProblemDetailsFilter, toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it('maps a domain exception to its code, status and details', () => {
    const problem = toProblem(
      new KorpuException('SCHEMA_VALIDATION_FAILED', 'payload is invalid', { status: 422, details: { violations: [{ pointer: '/fin' }] } }),
      { url: '/v1/messages', headers: { 'x-road-id': 'abc' } },
    );
    expect(problem).toMatchObject({
      status: 422,
      code: 'SCHEMA_VALIDATION_FAILED',
      detail: 'payload is invalid',
      instance: '/v1/messages',
      correlationId: 'abc',
      violations: [{ pointer: '/fin' }],
    });
  });

  it('keeps its own members when the details carry the same names', () => {
    const problem = toProblem(
      new KorpuException('SCHEMA_VALIDATION_FAILED', 'invalid', { status: 422, details: { type: 'taxpayer-lookup-request', status: 1 } }),
    );
    expect(problem).toMatchObject({ type: 'urn:korpu:error:SCHEMA_VALIDATION_FAILED', status: 422 });
  });

  it('gives the body-size error of the HTTP layer a stable code', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toProblem(tooLarge)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toProblem(new BadRequestException('bad'))).toMatchObject({ status: 400, code: 'REQUEST_MALFORMED' });
  });

  it('hides internal errors behind an error id', () => {
    const problem = toProblem(new Error('connection string with password'));
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toContain('password');
    expect(problem.errorId).toMatch(/[0-9a-f-]{36}/);
  });
});

describe('ProblemDetailsFilter', () => {
  function answer(error: unknown) {
    const { host, sent } = httpFilterHost({ url: '/v1/exchange', headers: {} });
    new ProblemDetailsFilter().catch(error, host);
    return sent;
  }

  afterEach(() => jest.restoreAllMocks());

  it('logs a 5xx once, unless it was logged where it was raised, and says when to come back', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const busy = new KorpuException('BUSY', 'try later', { status: 503, retryable: true, loggedAtSource: true, details: { retryAfterSeconds: 1 } });
    const sent = answer(busy);
    expect(sent).toMatchObject({ status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '1' }, body: { code: 'BUSY' } });
    expect(logged).not.toHaveBeenCalled();
    answer(new KorpuException('BROKEN', 'broken', { status: 503, retryable: true }));
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0][0])).toContain('BROKEN /v1/exchange');
  });
});
