import type { X509Certificate } from 'node:crypto';

/** What a caller of the internal API presented: its TLS client certificate (if any) and the client it names. */
export class AuthenticateClientCommand {
  private constructor(
    /** The peer certificate of the TLS connection, whether or not it verified. */
    readonly certificate: X509Certificate | undefined,
    /** Whether the TLS layer verified the certificate against the client CAs and CRLs. */
    readonly verified: boolean,
    /** Why the TLS layer did not verify it (OpenSSL's reason), if it did not. */
    readonly verificationError: string | undefined,
    /** The `X-Road-Client` header, if sent. */
    readonly declaredClient: string | undefined,
    /** The caller's address, for the log record of a refusal. */
    readonly source: string | undefined,
  ) {}

  static create(input: {
    certificate?: X509Certificate;
    verified: boolean;
    verificationError?: string;
    declaredClient?: string | string[];
    source?: string;
  }): AuthenticateClientCommand {
    const declared = Array.isArray(input.declaredClient) ? input.declaredClient.join(',') : input.declaredClient;
    return new AuthenticateClientCommand(input.certificate, input.verified, input.verificationError, declared, input.source);
  }
}
