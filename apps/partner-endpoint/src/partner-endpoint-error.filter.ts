import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ProblemDetailsFilter } from '@korpu/errors';
import { SoapFaultFilter } from './soap-fault.filter';

/** `/soap`, `/soap?...` and everything under `/soap/`: the SOAP endpoint's address space. */
export function isSoapPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/soap' || path.startsWith('/soap/');
}

/**
 * The partner endpoint's one exception filter, for the whole app: the error format follows the address called,
 * not the layer that refused. Under /soap a SOAP Fault — also for what Fastify refuses before any route runs (body
 * too large, content type nobody parses, malformed JSON) and for an unknown path — everywhere else problem+json.
 */
@Catch()
export class PartnerEndpointErrorFilter implements ExceptionFilter {
  private readonly soap = new SoapFaultFilter();
  private readonly problems = new ProblemDetailsFilter();

  catch(error: unknown, host: ArgumentsHost): void {
    const url = host.switchToHttp().getRequest<{ url?: string }>().url;
    (isSoapPath(url) ? this.soap : this.problems).catch(error, host);
  }
}
