import { Inject, Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
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

function commonName(certificate: X509Certificate): string | undefined {
  return /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1]?.trim();
}

/**
 * Who is calling: the client registered (contracts/clients.json `certificates`: subject common names) for the
 * TLS client certificate where mutual TLS is on, else for the signer's certificate. The signer must belong to
 * the same client, and the client the message names must be that client.
 */
@Injectable()
export class ClientIdentityService {
  private readonly byCommonName = new Map<string, string>();

  constructor(@Inject(PARTNER_ENDPOINT_CONFIG) private readonly config: PartnerEndpointConfig) {
    const parsed = JSON.parse(fs.readFileSync(config.clientsFile, 'utf8')) as { clients?: Array<{ id: string; certificates?: string[] }> };
    for (const client of parsed.clients ?? []) for (const cn of client.certificates ?? []) this.byCommonName.set(cn, client.id);
  }

  identify(evidence: IdentityEvidence): string {
    const signerClient = this.clientOf(evidence.signer, 'signing');
    let client = signerClient;
    if (evidence.tlsCertificate) {
      client = this.clientOf(evidence.tlsCertificate, 'TLS client');
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

  private clientOf(certificate: X509Certificate, what: string): string {
    const cn = commonName(certificate);
    const client = cn ? this.byCommonName.get(cn) : undefined;
    if (!client) throw new InboundException(InboundErrorCode.CLIENT_UNAUTHENTICATED, `The ${what} certificate (${cn ?? 'no CN'}) belongs to no registered client`);
    return client;
  }
}
