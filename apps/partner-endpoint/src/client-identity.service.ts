import { Inject, Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { ClientRegistry } from '@korpu/access';
import { describeCertificate } from '@korpu/signature';
import { InboundErrorCode, InboundException } from '@korpu/inbound';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';

export interface IdentityEvidence {
  /** The client certificate of the TLS connection (already verified against the client CA), if any. */
  tlsCertificate?: X509Certificate;
  /** The certificate whose signature over the message verified (and that the TrustStore accepted). */
  signer: X509Certificate;
  /** The client the message says it comes from (xrd:client / X-Road-Client). */
  claimed?: string;
}

/**
 * Who is calling: the client registered (contracts/clients.json `certificates.tls` / `.signing`, by issuer + subject,
 * issuer + serial, key pin or certificate file — never by CN alone) for the
 * TLS client certificate where mutual TLS is on, else for the signer's certificate. The signer must belong to
 * the same client, and the client the message names must be that client.
 */
@Injectable()
export class ClientIdentityService {
  constructor(
    @Inject(PARTNER_ENDPOINT_CONFIG) private readonly config: PartnerEndpointConfig,
    private readonly registry: ClientRegistry,
  ) {}

  identify(evidence: IdentityEvidence): string {
    const signerClient = this.clientOf(evidence.signer, 'signing');
    let client = signerClient;
    if (evidence.tlsCertificate) {
      client = this.clientOf(evidence.tlsCertificate, 'tls');
      if (client !== signerClient) {
        throw new InboundException(InboundErrorCode.CLIENT_MISMATCH, `The message is signed by ${signerClient}, the connection belongs to ${client}`);
      }
    } else if (this.config.tls.mode === 'required') {
      throw new InboundException(InboundErrorCode.CLIENT_UNAUTHENTICATED, 'A TLS client certificate is required');
    }
    if (evidence.claimed !== undefined && evidence.claimed !== client) {
      throw new InboundException(InboundErrorCode.CLIENT_MISMATCH, `The message names client "${evidence.claimed}" but comes from "${client}"`);
    }
    return client;
  }

  private clientOf(certificate: X509Certificate, use: 'tls' | 'signing'): string {
    const client = this.registry.identify(certificate, use);
    if (!client) {
      const what = use === 'tls' ? 'TLS client' : 'signing';
      throw new InboundException(InboundErrorCode.CLIENT_UNAUTHENTICATED, `The ${what} certificate (${describeCertificate(certificate)}) belongs to no registered client`);
    }
    return client;
  }
}
