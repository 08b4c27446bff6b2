import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePartnerConfig, PartnerConfig } from '@korpu/contracts';
import { createEnvelope, Envelope } from '@korpu/envelope';
import { JWS_SIGNATURE_HEADER, JwsBinding, createSignatureServices, SignatureServices, jwsRequestHash } from '@korpu/signature';
import { DevPkiManifest, ensureDevPki } from '../../../../certs-dev/dev-pki';
import { PartnerErrorCode } from '../partner.exception';
import { PartnerHttpClients, PartnerHttpRequest } from '../partner-http-clients';
import { RestPartnerDriver } from './rest-partner.driver';

const repoRoot = path.resolve(__dirname, '../../../..');
const folder = path.join(repoRoot, 'contracts/tax-service');
const reply = JSON.stringify({ voen: '1400057421', taxpayerKind: 'LEGAL_ENTITY', name: 'X', status: 'ACTIVE', registeredOn: '2015-03-17', vatPayer: true });

let pki: DevPkiManifest;
let ours: SignatureServices;
const parties: Record<string, SignatureServices> = {};
let partner: PartnerConfig;

function services(key: string): SignatureServices {
  return createSignatureServices({
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], fetchCrls: false },
    keys: [{ certFile: pki.leaves[key].chain, keyFile: pki.leaves[key].key }],
  });
}

beforeAll(async () => {
  const pkiDir = path.join(os.tmpdir(), `korpu-adapters-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`);
  pki = await ensureDevPki(pkiDir);
  ours = services('gateway-rsa');
  for (const key of ['tax-service-rsa', 'tax-service-ec', 'population-registry-rsa']) parties[key] = services(key);
  partner = parsePartnerConfig(JSON.parse(fs.readFileSync(path.join(folder, 'partner.json'), 'utf8')), folder, { pkiDir });
});

afterEach(() => jest.restoreAllMocks());

const request = (): Envelope =>
  createEnvelope({
    client: 'MLSP/pensions',
    service: { partner: 'tax-service', operation: 'GetTaxpayer' },
    messageType: 'taxpayer-lookup-request',
    schemaVersion: '1',
    contentType: 'application/json',
    payload: '{"voen":"1400057421"}',
  });

type Sent = PartnerHttpRequest;

/** The tax service as a stub: signs `reply` with `key`, its binding shaped by `tweak` (given the request as sent). */
function partnerSigns(key: string, tweak: (binding: JwsBinding, sent: Sent) => JwsBinding = (binding) => binding) {
  jest.spyOn(PartnerHttpClients.prototype, 'send').mockImplementation(async (_partner, config: Sent) => {
      const binding: JwsBinding = {
        method: 'POST',
        path: config.path ?? '',
        messageId: config.headers['X-Road-Id'],
        status: 200,
        requestHash: jwsRequestHash(config.headers[JWS_SIGNATURE_HEADER]),
      };
      const jws = parties[key].jwsSigner.sign(reply, tweak(binding, config));
      return { status: 200, headers: { 'content-type': 'application/json', [JWS_SIGNATURE_HEADER]: jws }, body: reply };
  });
}

const driver = () => new RestPartnerDriver(ours.jwsSigner, ours.jwsVerifier, new PartnerHttpClients());

describe('RestPartnerDriver', () => {
  it.each(['tax-service-rsa', 'tax-service-ec'])('accepts a reply signed with %s and bound to our request, returning our JWS for the log', async (key) => {
    partnerSigns(key);
    const answer = await driver().send(partner, partner.operations.GetTaxpayer, request());
    expect(answer.payload).toBe(reply);
    expect(answer.signature).toMatchObject({ format: 'jws', verification: 'verified' });
    expect(answer.requestSignature).toMatchObject({ format: 'jws', verification: 'signed' });
  });

  it('refuses a reply signed by another trusted party (the population registry) with REPLY_SIGNER_NOT_PARTNER', async () => {
    partnerSigns('population-registry-rsa');
    await expect(driver().send(partner, partner.operations.GetTaxpayer, request())).rejects.toMatchObject({
      code: PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER,
      details: expect.objectContaining({ expectedPartner: 'tax-service', signer: expect.stringContaining('population-registry-rsa') }),
    });
  });

  it.each([
    ['without the request hash', (binding: JwsBinding) => ({ ...binding, requestHash: undefined })],
    ['with the hash of another request', (binding: JwsBinding) => ({ ...binding, requestHash: jwsRequestHash('e30..other') })],
    ['for another message id', (binding: JwsBinding) => ({ ...binding, messageId: '01JDEV0000000000000000OTHER' })],
    ['for another status', (binding: JwsBinding) => ({ ...binding, status: 201 })],
  ])('refuses a reply signed %s with REPLY_NOT_BOUND_TO_REQUEST', async (_what, tweak) => {
    partnerSigns('tax-service-rsa', tweak);
    await expect(driver().send(partner, partner.operations.GetTaxpayer, request())).rejects.toMatchObject({
      code: PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST,
      reply: { payload: reply, signature: { certificate: fs.readFileSync(pki.leaves['tax-service-rsa'].cert, 'utf8').trim() + '\n' } },
    });
  });
});
