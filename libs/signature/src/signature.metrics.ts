import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { X509Certificate } from 'node:crypto';
import { MetricsRegistry, ReadinessRegistry } from '@korpu/observability';
import { KeyRing } from './keys/key-ring';
import { TrustStore } from './trust/trust-store';

const DAY_MS = 86_400_000;

function daysUntil(at: number, now: number): number {
  return Math.round(((at - now) / DAY_MS) * 100) / 100;
}

function commonName(certificate: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1] ?? certificate.subject.replace(/\n/g, ', ');
}

/**
 * Trust material for operators: days until each certificate of the key ring (our signing keys and their chains)
 * and of the trust store expires, and until each CRL's nextUpdate; readiness `trust-material` fails when a CA or
 * signing certificate has expired, when configured CRL files could not be loaded, or when a CRL is past its
 * nextUpdate (revocation could no longer be checked: fail closed).
 */
@Injectable()
export class SignatureMetrics implements OnModuleInit {
  constructor(
    private readonly trustStore: TrustStore,
    private readonly keyRing: KeyRing,
    @Optional() private readonly readiness?: ReadinessRegistry,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics?.sampledGauge({
      name: 'korpu_certificate_expiry_days',
      help: 'Days until a certificate expires (negative: expired), by store (key-ring: our signing keys and chains; trust-store: CAs), subject CN and serial',
      labelNames: ['store', 'subject', 'serial'] as const,
      cacheMs: 60_000,
      sample: async () => {
        const now = Date.now();
        return (await this.certificates()).map(({ store, certificate }) => ({
          labels: { store, subject: commonName(certificate), serial: certificate.serialNumber },
          value: daysUntil(Date.parse(certificate.validTo), now),
        }));
      },
    });
    this.metrics?.sampledGauge({
      name: 'korpu_crl_next_update_days',
      help: "Days until a CRL's nextUpdate (negative: stale), by issuer and source (file or distribution point)",
      labelNames: ['issuer', 'source'] as const,
      cacheMs: 60_000,
      sample: async () => {
        const now = Date.now();
        const { crls } = await this.trustStore.material();
        return crls
          .filter((crl) => crl.nextUpdate !== undefined)
          .map((crl) => ({ labels: { issuer: /CN=([^\n]+)/.exec(crl.issuer)?.[1] ?? crl.issuer, source: crl.source }, value: daysUntil(crl.nextUpdate!, now) }));
      },
    });
    this.readiness?.register('trust-material', () => this.requireFresh());
  }

  async requireFresh(now = Date.now()): Promise<void> {
    const problems: string[] = [];
    for (const { store, certificate } of await this.certificates()) {
      if (Date.parse(certificate.validTo) <= now) problems.push(`${store} certificate ${commonName(certificate)} expired`);
    }
    const material = await this.trustStore.material();
    if (material.crlFilesConfigured && !material.crlFilesLoaded) problems.push('CRL files could not be loaded');
    for (const crl of material.crls) if (crl.nextUpdate !== undefined && crl.nextUpdate <= now) problems.push(`CRL of ${crl.issuer} is past its nextUpdate`);
    if (problems.length > 0) throw new Error(problems.join('; '));
  }

  private async certificates(): Promise<Array<{ store: 'key-ring' | 'trust-store'; certificate: X509Certificate }>> {
    const seen = new Set<string>();
    const result: Array<{ store: 'key-ring' | 'trust-store'; certificate: X509Certificate }> = [];
    const add = (store: 'key-ring' | 'trust-store', certificate: X509Certificate) => {
      const key = `${store}|${certificate.fingerprint256}`;
      if (seen.has(key)) return;
      seen.add(key);
      result.push({ store, certificate });
    };
    for (const key of this.keyRing.list()) [key.certificate, ...key.chain].forEach((c) => add('key-ring', c));
    for (const certificate of (await this.trustStore.material()).certificates) add('trust-store', certificate);
    return result;
  }
}
