/**
 * Test-only helpers (not exported from the lib): a dev PKI generated once per Jest worker in os.tmpdir()
 * by certs-dev's ensureDevPki, and shortcuts to load its keys and build trust stores.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevPkiManifest, ensureDevPki } from '../../../../certs-dev/dev-pki';
import { Clock } from '../clock';
import { KeyMaterialRepository } from '../keys/key-material.repository';
import { KeyRing, SigningKeyMaterial } from '../keys/key-ring';
import { parseCertificates } from '../trust/pki-encoding';
import { CrlFetcher } from '../trust/crl-fetcher';
import { TrustStore, TrustStoreOptions } from '../trust/trust-store';

export const TEST_CRL_BASE_URL = 'http://crl.korpu.test/crl';

export function testPki(): Promise<DevPkiManifest> {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  return ensureDevPki(join(tmpdir(), `korpu-signature-test-pki-${worker}`), { crlBaseUrl: TEST_CRL_BASE_URL });
}

const files = new KeyMaterialRepository();

export function leafMaterial(pki: DevPkiManifest, name: string, kid?: string): SigningKeyMaterial {
  const leaf = pki.leaves[name];
  if (!leaf) throw new Error(`no leaf ${name} in the test PKI`);
  return files.loadSigningKey({ certFile: leaf.chain, keyFile: leaf.key, kid });
}

export function keyRingOf(pki: DevPkiManifest, ...names: string[]): KeyRing {
  return new KeyRing(names.map((n) => leafMaterial(pki, n)));
}

export function leafCert(pki: DevPkiManifest, name: string): X509Certificate {
  return parseCertificates(readFileSync(pki.leaves[name].cert))[0];
}

/** A trust store on the dev root + intermediate with the dev CRLs as "configured files". */
export function trustStoreOf(pki: DevPkiManifest, overrides: Partial<TrustStoreOptions> = {}): TrustStore {
  return new TrustStore({
    caCertificates: parseCertificates(readFileSync(pki.trustBundle)),
    loadCrls: () => [readFileSync(pki.crls.root), readFileSync(pki.crls.intermediate)],
    ...overrides,
  });
}

/** A clock tests can move. */
export class MutableClock implements Clock {
  constructor(public ms = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** A CrlFetcher serving whatever the test puts in `crls`, counting calls. */
export class StubCrlFetcher implements CrlFetcher {
  readonly calls: string[] = [];
  constructor(public crls: Record<string, Uint8Array | string> = {}) {}
  async fetch(url: string): Promise<Uint8Array> {
    this.calls.push(url);
    const crl = this.crls[url];
    if (crl === undefined) throw new Error(`404 ${url}`);
    return typeof crl === 'string' ? Buffer.from(crl) : crl;
  }
}

export function crlUrl(file: 'root-ca' | 'intermediate-ca'): string {
  return `${TEST_CRL_BASE_URL}/${file}.crl`;
}
