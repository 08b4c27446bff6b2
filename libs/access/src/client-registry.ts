import type { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CertificateIdentity, parseCertificateRegistrations } from '@korpu/signature';
import { AccessErrorCode, AccessException } from './access.exception';
import type { ClientGrant } from './access-rights.repository';

/** What a certificate is presented for: a TLS client certificate, or the certificate of a message signature. */
export type CertificateUse = 'tls' | 'signing';

export interface RegisteredClient {
  id: string;
  name: string;
  /** Services granted at first boot (an operator's later revocation is not undone). */
  services: string[];
  certificates: Record<CertificateUse, CertificateIdentity[]>;
}

export interface ClientRegistryOptions {
  /** Where `pki:` certificate references point (PKI_DIR). */
  pkiDir: string;
}

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){1,4}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one reader of `contracts/clients.json`: the clients of Körpü, their first rights, and the certificates that
 * identify each of them (`certificates.tls`: TLS client certificates at the internal API and the partner
 * endpoint; `certificates.signing`: signers of inbound messages). Read and validated once at boot; every problem
 * is named with its place in the file.
 */
export class ClientRegistry {
  private constructor(private readonly entries: RegisteredClient[]) {}

  static load(file: string, options: ClientRegistryOptions): ClientRegistry {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(error as Error).message})`;
      throw new AccessException(AccessErrorCode.CLIENTS_FILE_INVALID, `${file}: ${reason}`);
    }
    return ClientRegistry.parse(parsed, file, { ...options, baseDir: path.dirname(file) });
  }

  static parse(parsed: unknown, where: string, options: ClientRegistryOptions & { baseDir?: string }): ClientRegistry {
    const problems: string[] = [];
    const entries: RegisteredClient[] = [];
    const clients = isRecord(parsed) ? parsed.clients : undefined;
    if (!Array.isArray(clients)) throw new AccessException(AccessErrorCode.CLIENTS_FILE_INVALID, `${where}: clients must be an array`);
    const seen = new Set<string>();
    clients.forEach((client, index) => {
      const at = `clients[${index}]`;
      if (!isRecord(client)) {
        problems.push(`${at}: must be an object`);
        return;
      }
      const id = client.id;
      if (typeof id !== 'string' || !CLIENT_ID.test(id)) {
        problems.push(`${at}.id: must be a client id like MLSP/pensions or AZ/GOV/1400000001/egov-portal`);
        return;
      }
      if (seen.has(id)) problems.push(`${at}.id: "${id}" is registered twice`);
      seen.add(id);
      const services = client.services ?? [];
      if (!Array.isArray(services) || !services.every((s) => typeof s === 'string' && /^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9]+$/.test(s))) {
        problems.push(`${at}.services: must be an array of "partner/Operation" names`);
      }
      const certificates = client.certificates ?? {};
      const identities: Record<CertificateUse, CertificateIdentity[]> = { tls: [], signing: [] };
      if (!isRecord(certificates)) {
        problems.push(`${at}.certificates: must be an object with "tls" and/or "signing" lists`);
      } else {
        for (const key of Object.keys(certificates)) {
          if (key !== 'tls' && key !== 'signing') problems.push(`${at}.certificates.${key}: unknown use (tls or signing)`);
        }
        for (const use of ['tls', 'signing'] as const) {
          if (certificates[use] === undefined) continue;
          const result = parseCertificateRegistrations(certificates[use], `${at}.certificates.${use}`, options);
          identities[use] = result.identities;
          problems.push(...result.problems);
        }
      }
      entries.push({
        id,
        name: typeof client.name === 'string' ? client.name : id,
        services: Array.isArray(services) ? services.filter((s): s is string => typeof s === 'string') : [],
        certificates: identities,
      });
    });
    if (problems.length) {
      throw new AccessException(AccessErrorCode.CLIENTS_FILE_INVALID, `${where}: ${problems.join('; ')}`, { problems });
    }
    return new ClientRegistry(entries);
  }

  clients(): RegisteredClient[] {
    return this.entries;
  }

  grants(): ClientGrant[] {
    return this.entries.map((c) => ({ clientId: c.id, name: c.name, services: c.services }));
  }

  /**
   * The client a (chain-verified) certificate identifies for this use, or undefined when it identifies none.
   * A certificate registered for two clients identifies neither: configuration must not make identity ambiguous.
   */
  identify(certificate: X509Certificate, use: CertificateUse): string | undefined {
    const matches = this.entries.filter((c) => c.certificates[use].some((identity) => identity.matches(certificate)));
    return matches.length === 1 ? matches[0].id : undefined;
  }
}
