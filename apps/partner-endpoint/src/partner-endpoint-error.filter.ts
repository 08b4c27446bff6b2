import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { KorpuException, ProblemDetailsFilter, isKorpuException, toProblem } from '@korpu/errors';
import type { InboundRejection } from '@korpu/inbound';
import { SoapFaultFilter } from './soap-fault.filter';

/** `/soap`, `/soap?...` and everything under `/soap/`: the SOAP endpoint's address space. */
export function isSoapPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/soap' || path.startsWith('/soap/');
}

/** Where the refusals no route saw go: the inbound rejection record (bounded, rate-limited per source, counted). */
export interface RefusalRecorder {
  execute(rejection: InboundRejection): Promise<void>;
}

interface RequestLike {
  url?: string;
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * The partner endpoint's one exception filter, for the whole app: the error format follows the address called,
 * not the layer that refused. Under /soap a SOAP Fault — also for what Fastify refuses before any route runs (body
 * too large, content type nobody parses, malformed JSON) and for an unknown path — everywhere else problem+json.
 * Those HTTP-level refusals never reach the inbound use cases, so this filter records them as they do
 * (`korpu_inbound_refusals_total{code}` and a bounded `rejected` message-log record); a domain refusal
 * (a KorpuException) was recorded where it was thrown and is not counted twice.
 */
@Catch()
export class PartnerEndpointErrorFilter implements ExceptionFilter {
  private readonly soap = new SoapFaultFilter();
  private readonly problems = new ProblemDetailsFilter();

  constructor(private readonly refusals?: RefusalRecorder) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<RequestLike>();
    if (this.refusals && !isKorpuException(error)) {
      const problem = toProblem(error);
      if (problem.status < 500) {
        const contentType = request.headers?.['content-type'];
        void this.refusals.execute({
          source: request.ip,
          contentType: typeof contentType === 'string' ? contentType.slice(0, 200) : undefined,
          error: new KorpuException(problem.code, `${problem.detail} (${(request.url ?? '').slice(0, 200)})`, { status: problem.status }),
        });
      }
    }
    (isSoapPath(request.url) ? this.soap : this.problems).catch(error, host);
  }
}
