/**
 * OCSP over real loopback sockets: HttpOcspClient against the test responder (node:http on 127.0.0.1, random port),
 * with a dev PKI whose leaves name that port; and interoperability with `openssl ocsp` both ways.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevPkiManifest, ensureDevPki } from '../../../../certs-dev/dev-pki';
import { SignatureErrorCode } from '../signature-error-code';
import { DevOcspResponder, DevOcspServer, startDevOcspServer } from '../testing/dev-ocsp-responder';
import { leafCert, trustStoreOf } from '../testing/test-pki';
import { HttpOcspClient } from './http-ocsp-client.adapter';
import { buildOcspRequest, verifyOcspResponse } from './ocsp-protocol';
import { parseCertificates } from './pki-encoding';

let work: string;
let pki: DevPkiManifest;
let server: DevOcspServer;
let responder: DevOcspResponder;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'korpu-ocsp-int-'));
  server = await startDevOcspServer({ respond: (der) => responder.respond(der) });
  pki = await ensureDevPki(join(work, 'pki'), { crlBaseUrl: 'http://127.0.0.1:9/crl', ocspUrl: server.url });
  responder = new DevOcspResponder(pki);
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  responder.behaviour = {};
});

const rootCrlOnly = (): Uint8Array[] => [readFileSync(pki.crls.root)];

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'ACCEPTED';
}

describe('HttpOcspClient against a loopback responder', () => {
  it('accepts a good certificate, refuses a revoked one, and answers the second validation from the cache', async () => {
    const store = trustStoreOf(pki, { loadCrls: rootCrlOnly, ocspClient: new HttpOcspClient({ timeoutMs: 2_000 }) });
    const before = server.requests;
    await expect(store.validate(leafCert(pki, 'ocsp-good-rsa'))).resolves.toMatchObject({ revocationChecked: true });
    expect(await codeOf(store.validate(leafCert(pki, 'ocsp-revoked-rsa')))).toBe(SignatureErrorCode.CERT_REVOKED);
    expect(server.requests - before).toBe(2);
    await store.validate(leafCert(pki, 'ocsp-good-rsa'));
    expect(server.requests - before).toBe(2);
  });

  it('gives up after timeoutMs on a responder that never answers', async () => {
    const hanging = await startDevOcspServer(responder, { hang: true });
    try {
      const client = new HttpOcspClient({ timeoutMs: 300 });
      const started = Date.now();
      await expect(client.request(hanging.url, buildOcspRequest(leafCert(pki, 'ocsp-good-rsa'), intermediate(), 'sha1').der)).rejects.toThrow(
        /timed out/,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await hanging.close();
    }
  });

  it('reports an unreachable responder as OCSP_UNAVAILABLE, or uses the CRL when there is one', async () => {
    const down = await startDevOcspServer(responder);
    await down.close();
    const client = { request: (_url: string, der: Uint8Array) => new HttpOcspClient({ timeoutMs: 1_000 }).request(down.url, der) };
    const noCrl = trustStoreOf(pki, { loadCrls: rootCrlOnly, ocspClient: client });
    expect(await codeOf(noCrl.validate(leafCert(pki, 'ocsp-good-rsa')))).toBe(SignatureErrorCode.OCSP_UNAVAILABLE);
    const withCrl = trustStoreOf(pki, { ocspClient: client });
    await expect(withCrl.validate(leafCert(pki, 'ocsp-good-rsa'))).resolves.toMatchObject({
      revocation: [expect.objectContaining({ source: 'crl', ocspFailure: SignatureErrorCode.OCSP_UNAVAILABLE }), expect.anything()],
    });
    expect(await codeOf(withCrl.validate(leafCert(pki, 'ocsp-revoked-rsa')))).toBe(SignatureErrorCode.CERT_REVOKED);
  });

  it('rejects a non-200 answer', async () => {
    await expect(new HttpOcspClient().request(server.url, Buffer.from('not an OCSP request'))).rejects.toThrow(/answered HTTP 500/);
  });
});

describe('openssl ocsp interoperability', () => {
  function openssl(args: string[]): string {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  it('a response OpenSSL signs for our request verifies in Körpü (good and revoked)', () => {
    const index = join(work, 'index.txt');
    const revoked = leafCert(pki, 'ocsp-revoked-rsa');
    // OpenSSL CA database: status, expiry, revocation time[,reason], serial, file, subject
    const good = leafCert(pki, 'ocsp-good-rsa');
    writeFileSync(
      index,
      `V\t301231235959Z\t\t${good.serialNumber}\tunknown\t/CN=ocsp-good-rsa\n` +
        `R\t301231235959Z\t240101000000Z,keyCompromise\t${revoked.serialNumber}\tunknown\t/CN=ocsp-revoked-rsa\n`,
    );
    for (const [name, status] of [['ocsp-good-rsa', 'good'], ['ocsp-revoked-rsa', 'revoked']] as const) {
      const cert = leafCert(pki, name);
      const request = buildOcspRequest(cert, intermediate(), 'sha1', Buffer.alloc(16, 9));
      const reqFile = join(work, `${name}.req.der`);
      const respFile = join(work, `${name}.resp.der`);
      writeFileSync(reqFile, request.der);
      openssl([
        'ocsp', '-index', index, '-CA', pki.intermediateCa.cert, '-rsigner', pki.ocsp.responder.cert, '-rkey', pki.ocsp.responder.key,
        '-reqin', reqFile, '-respout', respFile, '-nmin', '60',
      ]);
      const answer = verifyOcspResponse(readFileSync(respFile), {
        cert,
        issuer: intermediate(),
        nonce: request.nonce,
        now: Date.now(),
        clockSkewMs: 60_000,
        maxAgeMs: 3600_000,
      });
      expect(answer.status).toBe(status);
      if (status === 'revoked') expect(answer.reason).toBe('keyCompromise');
    }
  });

  it('OpenSSL verifies a response of the test responder', () => {
    const cert = leafCert(pki, 'ocsp-good-rsa');
    const reqFile = join(work, 'ours.req.der');
    const respFile = join(work, 'ours.resp.der');
    writeFileSync(reqFile, buildOcspRequest(cert, intermediate(), 'sha1').der);
    writeFileSync(respFile, responder.respond(readFileSync(reqFile)));
    const out = execFileSync(
      'openssl',
      ['ocsp', '-respin', respFile, '-issuer', pki.intermediateCa.cert, '-cert', pki.leaves['ocsp-good-rsa'].cert, '-CAfile', pki.trustBundle, '-no_nonce'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toContain(': good');
  });
});

function intermediate() {
  return parseCertificates(readFileSync(pki.intermediateCa.cert))[0];
}
