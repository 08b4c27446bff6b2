import type { TlsPeer } from '../admission/tls-peer';
import type { HttpHeaders } from '../admission/request-evidence';

/** One REST call as it arrived: the operation and request target called, the body ('' when not text), headers, TLS peer. */
export class AdmitRestRequestCommand {
  private constructor(
    readonly operation: string,
    /** Request target as received (path and query): what the JWS is bound to. */
    readonly target: string,
    readonly body: string,
    readonly headers: HttpHeaders,
    readonly tls: TlsPeer | undefined,
    /** The caller's address (refusals are rate-limited per source). */
    readonly source: string | undefined,
  ) {}

  static create(input: { operation: string; target: string; body: unknown; headers: HttpHeaders; tls?: TlsPeer; source?: string }): AdmitRestRequestCommand {
    return new AdmitRestRequestCommand(input.operation, input.target, typeof input.body === 'string' ? input.body : '', input.headers, input.tls, input.source);
  }
}
