import type { CertificateIdentity } from '@korpu/signature';

/** A partner agency (or the e-Government portal) as described by `contracts/<partner>/partner.json`. */
export type PartnerProtocol = 'rest' | 'soap';
export type SignatureMode = 'jws' | 'xmldsig' | 'none';

export interface SchemaRef {
  type: string;
  version: string;
}

export interface RetryPolicy {
  /** Total delivery attempts, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** Fraction of the delay randomised (0..1), so retries of many messages spread out. */
  jitter: number;
  /** Error codes worth retrying; anything else goes straight to dead letters. */
  retryOn: string[];
}

export interface PartnerTls {
  /** CA bundle (PEM path) to verify the partner's server certificate. */
  ca?: string;
  /** Client certificate and key (PEM paths) for mutual TLS. */
  certificate?: string;
  key?: string;
}

export interface OperationConfig {
  name: string;
  /** REST: method and path template on the partner's base URL. */
  method?: string;
  path?: string;
  /** SOAP: SOAPAction and the operation name in the WSDL. */
  soapAction?: string;
  request: SchemaRef;
  reply: SchemaRef;
}

export interface PartnerConfig {
  id: string;
  name: string;
  protocol: PartnerProtocol;
  /** The WSDL or OpenAPI document, as an absolute path. */
  contractFile: string;
  /** X-Road identifier of the partner's subsystem, e.g. `AZ/GOV/1400057421/tax`. */
  xroadService?: string;
  endpoint: { url: string; tls?: PartnerTls };
  signature: SignatureMode;
  /**
   * The certificates whose signatures this partner's replies may carry (`signers` in partner.json); a reply
   * signed by anyone else, even a trusted party, is refused. Empty only when `signature` is `none`.
   */
  signers: CertificateIdentity[];
  timeoutMs: number;
  maxConcurrency: number;
  /**
   * How many synchronous exchanges (`POST /v1/exchange`) towards this partner one gateway holds waiting for their
   * reply at once; the next is refused at once with 503 EXCHANGE_OVERLOADED and Retry-After, before anything is
   * accepted, instead of queueing behind them until its deadline (`maxWaitingExchanges` in partner.json, default 256).
   */
  maxWaitingExchanges: number;
  /**
   * How many of those one client (subsystem) may hold, so one client flooding a partner leaves room for the others
   * (`maxWaitingExchangesPerClient`, default three quarters of `maxWaitingExchanges`, rounded up; at most it).
   */
  maxWaitingExchangesPerClient: number;
  /** `correlation`: messages of one correlation id reach the partner in order, even across retries. */
  ordering: 'correlation' | 'none';
  retry: RetryPolicy;
  operations: Record<string, OperationConfig>;
}
