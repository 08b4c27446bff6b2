import type { TlsPeer } from '../admission/tls-peer';
import type { HttpHeaders } from '../admission/request-evidence';

/** One SOAP call as it arrived: the envelope text ('' when the body was not text), its HTTP headers, its TLS peer and address. */
export class AdmitSoapRequestCommand {
  private constructor(
    readonly body: string,
    readonly headers: HttpHeaders,
    readonly tls: TlsPeer | undefined,
    readonly source: string | undefined,
  ) {}

  static create(input: { body: unknown; headers: HttpHeaders; tls?: TlsPeer; source?: string }): AdmitSoapRequestCommand {
    return new AdmitSoapRequestCommand(typeof input.body === 'string' ? input.body : '', input.headers, input.tls, input.source);
  }
}
