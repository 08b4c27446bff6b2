import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { toProblem } from '@korpu/errors';
import { buildSoapFault, faultcodeFor } from '@korpu/xroad';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * The one error format of the SOAP endpoint: a SOAP 1.1 Fault (HTTP 500), faultcode Client for the caller's
 * mistakes (4xx codes) and Server for ours, faultstring the message, detail Körpü's stable code (and error id).
 */
@Catch()
export class SoapFaultFilter implements ExceptionFilter {
  private readonly logger = new Logger('SoapFault');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ url?: string; headers?: Record<string, string | string[] | undefined> }>();
    const problem = toProblem(error, request);
    if (problem.status >= 500) {
      this.logger.error(`${problem.errorId ?? problem.code} ${request.url}: ${error instanceof Error ? error.stack : String(error)}`);
    }
    http
      .getResponse<ReplyLike>()
      .status(500)
      .header('content-type', 'text/xml; charset=utf-8')
      .send(buildSoapFault({ faultcode: faultcodeFor(problem.status), faultstring: problem.detail, code: problem.code, errorId: problem.errorId }));
  }
}
