import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_BAD_CERTS, DEV_PARTIES, ensureDevPki } from './dev-pki';

describe('ensureDevPki', () => {
  const dir = mkdtempSync(join(tmpdir(), 'korpu-dev-pki-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the full layout once, reuses it, and regenerates when a file is missing', async () => {
    const first = await ensureDevPki(dir, { crlBaseUrl: 'http://127.0.0.1:9999/crl/' });
    for (const party of DEV_PARTIES) {
      expect(first.leaves[`${party}-rsa`]).toBeDefined();
      expect(first.leaves[`${party}-ec`]).toBeDefined();
    }
    for (const bad of DEV_BAD_CERTS) expect(first.leaves[`${bad}-rsa`]).toBeDefined();

    const gatewayEc = new X509Certificate(readFileSync(first.leaves['gateway-ec'].cert));
    expect(gatewayEc.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const tls = new X509Certificate(readFileSync(first.tls.cert));
    expect(tls.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(tls.checkHost('localhost')).toBe('localhost');
    expect(first.crlBaseUrl).toBe('http://127.0.0.1:9999/crl');
    expect(readFileSync(first.leaves['gateway-rsa'].cert).includes(Buffer.from('BEGIN CERTIFICATE'))).toBe(true);

    const again = await ensureDevPki(dir, { crlBaseUrl: 'http://127.0.0.1:9999/crl' });
    expect(again.generatedAt).toBe(first.generatedAt);

    unlinkSync(first.leaves['tax-service-ec'].key);
    const regenerated = await ensureDevPki(dir, { crlBaseUrl: 'http://127.0.0.1:9999/crl' });
    expect(regenerated.generatedAt).not.toBe(first.generatedAt);
  }, 60_000);
});
