import * as path from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AccessRightsRepository, ClientRegistry } from '@korpu/access';
import { PartnerDirectory } from '@korpu/contracts';
import type { CertificateIdentity } from '@korpu/signature';
import { formatXRoadId } from '@korpu/xroad';
import { ServiceCatalogue } from '../service-catalogue';
import { CertificateFile, readCertificateFile } from './certificate-files.adapter';
import { Inventory, InventoryCertificate } from './inventory';

export const INVENTORY_OPTIONS = Symbol('INVENTORY_OPTIONS');

export interface InventoryOptions {
  /** PEM files whose certificates are listed: the key ring's certificates, the trust store, the TLS material. */
  certificateFiles: CertificateFile[];
  /** Paths are shown relative to this folder when inside it (the contracts folder, the PKI). */
  baseDirs?: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The inventory export for the department's audits: every client and how it authenticates (its registered TLS
 * and signing certificates), every service with its contract and request/reply schema versions, every
 * certificate — key ring, trust store, TLS, client registrations, partner signers — with issuer, serial and
 * expiry, and every access grant with who granted (or revoked) it and when.
 */
@Injectable()
export class ExportInventoryUseCase {
  constructor(
    private readonly registry: ClientRegistry,
    private readonly rights: AccessRightsRepository,
    @Inject(ServiceCatalogue) private readonly catalogue: ServiceCatalogue,
    @Optional() private readonly partners?: PartnerDirectory,
    @Optional() @Inject(INVENTORY_OPTIONS) private readonly options: InventoryOptions = { certificateFiles: [] },
  ) {}

  async execute(now: Date = new Date()): Promise<Inventory> {
    const shown = (file: string): string => {
      for (const base of this.options.baseDirs ?? []) {
        const relative = path.relative(base, file);
        if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative;
      }
      return file;
    };
    const row = (source: string, file: string | null, certificate: X509Certificate): InventoryCertificate => ({
      source,
      file,
      subject: certificate.subject.split('\n').join(','),
      issuer: certificate.issuer.split('\n').join(','),
      serial: certificate.serialNumber,
      notBefore: new Date(certificate.validFrom).toISOString(),
      notAfter: new Date(certificate.validTo).toISOString(),
      daysUntilExpiry: Math.floor((new Date(certificate.validTo).getTime() - now.getTime()) / DAY_MS),
    });
    const registered = (source: string, identity: CertificateIdentity): InventoryCertificate =>
      identity.certificate
        ? { ...row(source, null, identity.certificate), registration: identity.describe() }
        : { source, file: null, subject: null, issuer: null, serial: null, notBefore: null, notAfter: null, daysUntilExpiry: null, registration: identity.describe() };

    const certificates: InventoryCertificate[] = [];
    for (const { source, file } of this.options.certificateFiles) {
      const read = readCertificateFile(file);
      certificates.push(...read.certificates.map((certificate) => row(source, shown(file), certificate)));
      if (read.problem) certificates.push({ source, file: shown(file), subject: null, issuer: null, serial: null, notBefore: null, notAfter: null, daysUntilExpiry: null, problem: read.problem });
    }
    const standings = await this.rights.table();
    const clients = [];
    for (const client of this.registry.clients()) {
      for (const use of ['tls', 'signing'] as const) certificates.push(...client.certificates[use].map((identity) => registered(`client:${client.id}:${use}`, identity)));
      clients.push({
        id: client.id,
        name: client.name,
        status: standings.get(client.id)?.status ?? null,
        authentication: (['tls', 'signing'] as const).flatMap((use) => client.certificates[use].map((identity) => `${use}: ${identity.describe()}`)),
      });
    }
    for (const partner of this.partners?.all() ?? []) certificates.push(...partner.signers.map((identity) => registered(`partner:${partner.id}:signer`, identity)));

    const services = this.catalogue.providers.flatMap((provider) =>
      provider.services.map((service) => ({
        service: service.accessId,
        provider: formatXRoadId(provider.id),
        providerName: provider.name,
        protocols: service.protocols,
        contract: shown(service.contractFile),
        request: `${service.request.type} v${service.request.version}`,
        reply: `${service.reply.type} v${service.reply.version}`,
      })),
    );
    const grants = (await this.rights.list()).map((right) => ({
      client: right.clientId,
      service: right.service,
      grantedBy: right.grantedBy,
      grantedAt: right.grantedAt,
      revokedBy: right.revokedBy ?? null,
      revokedAt: right.revokedAt ?? null,
    }));
    return { generatedAt: now.toISOString(), clients, services, certificates, grants };
  }
}
