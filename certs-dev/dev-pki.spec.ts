import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect polyfill
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { DEV_BAD_CERTS, DEV_OCSP_CERTS, DEV_PARTIES, DEV_TLS_CLIENTS, ensureDevPki } from './dev-pki';

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
    const broker = new X509Certificate(readFileSync(first.kafkaBroker.cert));
    expect(broker.subject).toContain('CN=kafka-broker');
    expect(broker.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(broker.checkHost('localhost')).toBe('localhost');
    expect(readFileSync(first.kafkaBroker.chain, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(first.crlBaseUrl).toBe('http://127.0.0.1:9999/crl');
    expect(readFileSync(first.leaves['gateway-rsa'].cert).includes(Buffer.from('BEGIN CERTIFICATE'))).toBe(true);

    for (const name of DEV_OCSP_CERTS) expect(first.leaves[name]).toBeDefined();
    expect(first.ocspUrl).toBe('http://127.0.0.1:8089/ocsp');
    const ocspLeaf = new x509.X509Certificate(readFileSync(first.leaves['ocsp-good-rsa'].cert, 'utf8'));
    expect(ocspLeaf.getExtension(x509.AuthorityInfoAccessExtension)?.ocsp.map((n) => n.value)).toEqual([first.ocspUrl]);
    const responder = new x509.X509Certificate(readFileSync(first.ocsp.responder.cert, 'utf8'));
    expect(responder.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.ocspSigning]);
    expect(responder.getExtension('1.3.6.1.5.5.7.48.1.5')).not.toBeNull(); // id-pkix-ocsp-nocheck
    expect(responder.issuer).toBe(new x509.X509Certificate(readFileSync(first.intermediateCa.cert, 'utf8')).subject);
    const ocspRevoked = new X509Certificate(readFileSync(first.leaves['ocsp-revoked-rsa'].cert)).serialNumber.toLowerCase();
    expect(first.ocsp.revokedSerials).toEqual([first.revokedSerial, ocspRevoked]);
    const crl = new x509.X509Crl(readFileSync(first.crls.intermediate, 'utf8'));
    expect(crl.entries.map((e) => e.serialNumber.toLowerCase())).toEqual(expect.arrayContaining([ocspRevoked]));

    const root = new X509Certificate(readFileSync(first.rootCa.cert));
    const intermediate = new X509Certificate(readFileSync(first.intermediateCa.cert));
    const untrustedCa = new X509Certificate(readFileSync(first.untrustedCa.cert));
    for (const name of DEV_TLS_CLIENTS) {
      const client = new x509.X509Certificate(readFileSync(first.tlsClients[name].cert, 'utf8'));
      expect(client.subject).toContain(`CN=${name}-tls`);
      expect(client.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
      const node = new X509Certificate(readFileSync(first.tlsClients[name].cert));
      expect(node.verify((name === 'untrusted' ? untrustedCa : intermediate).publicKey)).toBe(true);
    }
    expect(intermediate.verify(root.publicKey)).toBe(true);

    const again = await ensureDevPki(dir, { crlBaseUrl: 'http://127.0.0.1:9999/crl' });
    expect(again.generatedAt).toBe(first.generatedAt);

    unlinkSync(first.leaves['tax-service-ec'].key);
    const regenerated = await ensureDevPki(dir, { crlBaseUrl: 'http://127.0.0.1:9999/crl' });
    expect(regenerated.generatedAt).not.toBe(first.generatedAt);

    const otherOcsp = await ensureDevPki(dir, { crlBaseUrl: 'http://127.0.0.1:9999/crl', ocspUrl: 'http://127.0.0.1:9999/ocsp' });
    expect(otherOcsp.generatedAt).not.toBe(regenerated.generatedAt);
    expect(otherOcsp.ocspUrl).toBe('http://127.0.0.1:9999/ocsp');
  }, 60_000);
});
