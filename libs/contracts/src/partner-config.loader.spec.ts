import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { DevPkiManifest, ensureDevPki } from '../../../certs-dev/dev-pki';
import { ContractsException } from './contracts.exception';
import { loadPartnerConfigs, parsePartnerConfig } from './partner-config.loader';
import { PartnerDirectory } from './partner-directory';

const repoContracts = path.resolve(__dirname, '../../../contracts');

let pki: DevPkiManifest;
let pkiDir: string;
beforeAll(async () => {
  pkiDir = path.join(os.tmpdir(), `korpu-contracts-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`);
  pki = await ensureDevPki(pkiDir);
}, 60_000);

const leaf = (name: string) => new X509Certificate(fs.readFileSync(pki.leaves[name].cert));
const load = (directory: string, endpointOverrides?: Record<string, string>) => loadPartnerConfigs(directory, { endpointOverrides, pkiDir });

function partnerFolder(id: string, config: unknown, contract = 'openapi.yaml'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-contract-spec-'));
  const folder = path.join(root, id);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, contract), 'openapi: 3.1.0\n');
  fs.writeFileSync(path.join(folder, 'partner.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return root;
}

const validRest = {
  id: 'social-fund',
  name: 'State Social Protection Fund',
  protocol: 'rest',
  contract: 'openapi.yaml',
  endpoint: { url: 'https://fund.example.az' },
  signers: [{ file: 'pki:leaf/tax-service-ec.crt' }],
  operations: {
    GetInsuranceRecord: {
      method: 'post',
      path: '/v1/records',
      request: { type: 'insurance-record-request', version: '1' },
      reply: { type: 'insurance-record-reply', version: 2 },
    },
  },
};

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractsException);
    return (error as ContractsException).problems;
  }
  throw new Error('expected a ContractsException');
}

describe('partner configuration', () => {
  it('loads every partner shipped in contracts/', () => {
    const partners = load(repoContracts);
    expect(partners.map((partner) => partner.id)).toEqual(expect.arrayContaining(['population-registry', 'tax-service']));
    const directory = new PartnerDirectory(partners);
    expect(directory.resolve({ partner: 'tax-service', operation: 'GetTaxpayer' }).operation.request).toEqual({
      type: 'taxpayer-lookup-request',
      version: '1',
    });
  });

  it('fills defaults and normalises what a partner.json leaves out', () => {
    const [partner] = load(partnerFolder('social-fund', validRest));
    expect(partner).toMatchObject({ signature: 'jws', ordering: 'correlation', timeoutMs: 10000, maxConcurrency: 8, maxWaitingExchanges: 256, maxWaitingExchangesPerClient: 192 });
    expect(partner.retry.retryOn).toContain('PARTNER_UNAVAILABLE');
    expect(partner.operations.GetInsuranceRecord).toMatchObject({ method: 'POST', reply: { version: '2' } });
  });

  it('replaces the endpoint URL per environment', () => {
    const [partner] = load(partnerFolder('social-fund', validRest), { 'social-fund': 'http://127.0.0.1:9999' });
    expect(partner.endpoint.url).toBe('http://127.0.0.1:9999');
  });

  it('names every problem of a bad partner.json with its path', () => {
    const root = partnerFolder('social-fund', {
      ...validRest,
      id: 'Social_Fund',
      protocol: 'ftp',
      contract: 'missing.wsdl',
      endpoint: { url: 'not a url' },
      timeoutMs: -5,
      maxConcurrency: 2.5,
      maxWaitingExchanges: 0,
      maxWaitingExchangesPerClient: 300,
      operations: { Broken: { path: '/x', request: { type: 'a' } } },
    });
    const problems = problemsOf(() => load(root)).join('\n');
    for (const where of ['$.id', '$.protocol', '$.contract', '$.endpoint.url', '$.timeoutMs', '$.maxConcurrency', '$.maxWaitingExchanges', '$.maxWaitingExchangesPerClient', '$.operations.Broken.reply', '$.operations.Broken.request.version']) {
      expect(problems).toContain(where);
    }
  });

  it('binds each shipped partner to its own signing certificates only', () => {
    const partners = new PartnerDirectory(load(repoContracts));
    const signedBy = (partner: string, name: string) => partners.partner(partner)!.signers.some((signer) => signer.matches(leaf(name)));
    expect(signedBy('population-registry', 'population-registry-rsa')).toBe(true);
    expect(signedBy('population-registry', 'population-registry-ec')).toBe(true);
    expect(signedBy('population-registry', 'tax-service-rsa')).toBe(false);
    expect(signedBy('population-registry', 'gateway-rsa')).toBe(false);
    expect(signedBy('tax-service', 'tax-service-ec')).toBe(true);
    expect(signedBy('tax-service', 'population-registry-rsa')).toBe(false);
    expect(signedBy('tax-service', 'egov-portal-rsa')).toBe(false);
  });

  it('resolves pki: signer files against PKI_DIR, so a copied partner folder still loads', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'korpu-contract-copy-'));
    fs.cpSync(path.join(repoContracts, 'tax-service'), path.join(root, 'tax-service'), { recursive: true });
    const [partner] = load(root);
    expect(partner.signers.some((signer) => signer.matches(leaf('tax-service-rsa')))).toBe(true);
  });

  it('requires the signers of a partner that signs, and names each bad one', () => {
    const { signers: _none, ...unsigned } = validRest;
    expect(problemsOf(() => load(partnerFolder('social-fund', unsigned))).join('\n')).toMatch(/partner\.json: \$\.signers is required/);
    expect(problemsOf(() => load(partnerFolder('social-fund', { ...validRest, signers: [] }))).join('\n')).toMatch(/\$\.signers must name at least one/);
    const problems = problemsOf(() =>
      load(partnerFolder('social-fund', { ...validRest, signers: [{ file: 'pki:leaf/nobody.crt' }, { subject: 'CN=x' }, { spkiSha256: 'short' }] })),
    ).join('\n');
    for (const where of ['$.signers[0].file', '$.signers[1]', '$.signers[2].spkiSha256']) expect(problems).toContain(where);
    // An unsigned partner has no signer to name.
    expect(load(partnerFolder('social-fund', { ...unsigned, signature: 'none' }))[0].signers).toEqual([]);
  });

  it('refuses a partner.json that is not JSON, naming the file', () => {
    const root = partnerFolder('social-fund', '{ "id": ');
    expect(problemsOf(() => load(root))[0]).toMatch(/social-fund\/partner\.json: not valid JSON/);
  });

  it('refuses a partner without operations', () => {
    expect(problemsOf(() => parsePartnerConfig({ ...validRest, operations: {} }, '/tmp/social-fund', { pkiDir })).join()).toContain('$.operations');
  });

  it('answers SERVICE_UNKNOWN for an operation nobody offers', () => {
    const directory = new PartnerDirectory(load(repoContracts));
    expect(() => directory.resolve({ partner: 'tax-service', operation: 'DeleteTaxpayer' })).toThrow(
      expect.objectContaining({ code: 'SERVICE_UNKNOWN', status: 404 }),
    );
  });
});
