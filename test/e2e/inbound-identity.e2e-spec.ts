import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { repoRoot, stopAllApps } from '@korpu/testing';
import { DevPkiManifest, ensureDevPki } from '../../certs-dev/dev-pki';
import { copyContracts, simulator } from '../support/contracts';
import { Stack, startStack } from '../support/stack';

/**
 * Identity at the partner endpoint's door, over real mutual TLS (PARTNER_ENDPOINT_TLS=required), every party a
 * separate process. Inbound callers are identified by the issuer and subject of their registered certificates
 * (contracts/clients.json `certificates.tls` / `.signing`), never by CN; the TLS client, the signer and the declared
 * client must be one client. The TLS client CA (TLS_CLIENT_CA_FILE) here also trusts the untrusted dev CA, while
 * the signature trust store (TRUST_CA_FILES) does not: a CA trusted for TLS cannot vouch for a signer.
 */
const PORTAL = 'AZ/GOV/1400000001/egov-portal';
const INTERMEDIATE = 'CN=Korpu Dev Intermediate CA,O=Ministry (development),C=AZ';
const UNTRUSTED_CA = 'CN=Untrusted Dev CA,O=Somebody Else,C=ZZ';

let stack: Stack;
let contracts: ReturnType<typeof copyContracts>;
let pki: DevPkiManifest;
let db: Client;
let tlsCaFile: string;

beforeAll(async () => {
  pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  contracts = copyContracts();
  tlsCaFile = path.join(contracts.dir, 'tls-client-ca.crt');
  fs.writeFileSync(tlsCaFile, fs.readFileSync(pki.trustBundle, 'utf8') + fs.readFileSync(pki.untrustedCa.cert, 'utf8'));
  contracts.edit('clients.json', (file) => {
    const portal = file.clients.find((c: { id: string }) => c.id === PORTAL);
    // The subject of the untrusted CA's TLS client certificate, registered as if the Korpu intermediate had issued it:
    // a CN (or subject) match alone would let that certificate in.
    portal.certificates.tls.push({ issuer: INTERMEDIATE, subject: 'CN=untrusted-tls,OU=Korpu Dev,O=Ministry (development),C=AZ' });
    // The untrusted CA's signing certificate, registered exactly: only the signature trust store can refuse it.
    portal.certificates.signing.push({ issuer: UNTRUSTED_CA, subject: 'CN=untrusted-rsa,OU=Korpu Dev,O=Ministry (development),C=AZ' });
  });
  stack = await startStack({
    simulators: ['ministry-subsystem', 'egov-portal'],
    partnerEndpoint: true,
    partnerEndpointTls: 'required',
    inboundReplyTimeoutMs: 5000,
    contractsDir: contracts.dir,
    env: { TLS_CLIENT_CA_FILE: tlsCaFile },
  });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await stopAllApps();
  contracts?.remove();
});

const portal = (call: Record<string, unknown>) => simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', call);
const call = (transport: 'soap' | 'rest', extra: Record<string, unknown>) => portal({ operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport, ...extra });
/** The stable code of a refusal, whichever protocol carried it. */
const codeOf = (result: { fault?: { code: string }; problem?: { code: string } }) => result.fault?.code ?? result.problem?.code;

async function rejection(messageId: string): Promise<{ client: string; detail: Record<string, any> }> {
  const { rows } = await db.query(`SELECT client, detail FROM message_log WHERE message_id = $1 AND event = 'rejected'`, [messageId]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe.each(['soap', 'rest'] as const)('inbound identity over %s', (transport) => {
  it('admits the portal with its own TLS certificate and signature', async () => {
    const result = await call(transport, { tls: 'portal' });
    expect(result).toMatchObject({ httpStatus: 200, verified: true });
  });

  it('refuses a caller whose TLS certificate belongs to one client and whose signature to another, and records both', async () => {
    const result = await call(transport, { tls: 'other-client' });
    expect(codeOf(result)).toBe('INBOUND_CLIENT_MISMATCH');
    const refused = await rejection(result.messageId);
    expect(refused.client).toBe(PORTAL);
    expect(refused.detail).toMatchObject({
      code: 'INBOUND_CLIENT_MISMATCH',
      message: expect.stringContaining('AZ/GOV/1400000002/population-registry'),
      certificates: { tls: expect.stringContaining('CN=population-registry-tls'), signer: expect.stringContaining('CN=egov-portal-rsa') },
    });
  });

  it('refuses a TLS certificate with a registered client\'s subject issued by another CA (trusted for TLS, not registered)', async () => {
    const result = await call(transport, { tls: 'untrusted' });
    expect(codeOf(result)).toBe('INBOUND_CLIENT_UNAUTHENTICATED');
    const refused = await rejection(result.messageId);
    // The handshake trusted it (TLS_CLIENT_CA_FILE): the refusal is identity, naming the certificate's real issuer.
    expect(refused.detail.message).toMatch(/No client is registered with the TLS client certificate subject "[^"]*CN=untrusted-tls[^"]*" issuer "[^"]*CN=Untrusted Dev CA/);
  });

  it('refuses a signer whose CA is trusted for TLS only, although the signer is registered', async () => {
    const result = await call(transport, { tls: 'portal', tamper: 'untrusted-signer' });
    expect(codeOf(result)).toBe('SIGNATURE_CERT_UNTRUSTED');
    expect((await rejection(result.messageId)).detail.code).toBe('SIGNATURE_CERT_UNTRUSTED');
  });
});
