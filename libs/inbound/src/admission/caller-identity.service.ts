import { Inject, Injectable } from '@nestjs/common';
import type { X509Certificate } from 'node:crypto';
import { ClientRegistry } from '@korpu/access';
import { describeCertificate } from '@korpu/signature';
import { InboundErrorCode, InboundException } from '../inbound.exception';
import { INBOUND_OPTIONS, InboundOptions } from '../inbound.options';
import type { TlsPeer } from './tls-peer';

export interface CallerEvidence {
  /** The TLS client certificate of the connection, if any. */
  tls?: TlsPeer;
  /** The certificate whose signature over the message verified against the signature trust store. */
  signer: X509Certificate;
  /** The client the message says it comes from (xrd:client / X-Road-Client). */
  declared: string;
}

/**
 * Who is calling. The signer's certificate must be registered for a client as a signing certificate and the TLS
 * client certificate (where there is one) as a TLS certificate — by issuer + subject, issuer + serial or key pin
 * (contracts/clients.json, read by ClientRegistry), never by common name — and the TLS client, the signer's
 * client and the declared client must be one client. Trust is not identity: the TLS client CA and the signature
 * trust store are separate, and a certificate registered for TLS only does not identify a signer.
 */
@Injectable()
export class CallerIdentityService {
  constructor(
    private readonly registry: ClientRegistry,
    @Inject(INBOUND_OPTIONS) private readonly options: Pick<InboundOptions, 'tlsClientCertificate'>,
  ) {}

  /** @throws InboundException CLIENT_UNAUTHENTICATED (an unknown or untrusted certificate) or CLIENT_MISMATCH. */
  identify(evidence: CallerEvidence): string {
    const signerClient = this.clientOf(evidence.signer, 'signing');
    if (evidence.tls) {
      if (evidence.tls.untrustedBecause !== undefined) {
        throw unauthenticated(`The TLS client certificate (${describeCertificate(evidence.tls.certificate)}) is not trusted: ${evidence.tls.untrustedBecause}`);
      }
      const tlsClient = this.clientOf(evidence.tls.certificate, 'tls');
      if (tlsClient !== signerClient) {
        throw new InboundException(InboundErrorCode.CLIENT_MISMATCH, `The connection belongs to ${tlsClient} (TLS client certificate) but the message is signed by ${signerClient}`, {
          tlsClient,
          signerClient,
        });
      }
    } else if ((this.options.tlsClientCertificate ?? 'optional') === 'required') {
      throw unauthenticated('A TLS client certificate is required');
    }
    if (evidence.declared !== signerClient) {
      throw new InboundException(InboundErrorCode.CLIENT_MISMATCH, `The message names client "${evidence.declared}" but is signed by ${signerClient}`, {
        declaredClient: evidence.declared,
        signerClient,
      });
    }
    return signerClient;
  }

  private clientOf(certificate: X509Certificate, use: 'tls' | 'signing'): string {
    const client = this.registry.identify(certificate, use);
    if (!client) {
      const what = use === 'tls' ? 'TLS client' : 'signing';
      throw unauthenticated(`No client is registered with the ${what} certificate ${describeCertificate(certificate)}`);
    }
    return client;
  }
}

function unauthenticated(message: string): InboundException {
  return new InboundException(InboundErrorCode.CLIENT_UNAUTHENTICATED, message);
}
