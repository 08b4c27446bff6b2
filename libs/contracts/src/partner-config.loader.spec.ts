import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContractsException } from './contracts.exception';
import { loadPartnerConfigs, parsePartnerConfig } from './partner-config.loader';
import { PartnerDirectory } from './partner-directory';

const repoContracts = path.resolve(__dirname, '../../../contracts');

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
    const partners = loadPartnerConfigs(repoContracts);
    expect(partners.map((partner) => partner.id)).toEqual(expect.arrayContaining(['population-registry', 'tax-service']));
    const directory = new PartnerDirectory(partners);
    expect(directory.resolve({ partner: 'tax-service', operation: 'GetTaxpayer' }).operation.request).toEqual({
      type: 'taxpayer-lookup-request',
      version: '1',
    });
  });

  it('fills defaults and normalises what a partner.json leaves out', () => {
    const [partner] = loadPartnerConfigs(partnerFolder('social-fund', validRest));
    expect(partner).toMatchObject({ signature: 'jws', ordering: 'correlation', timeoutMs: 10000, maxConcurrency: 8 });
    expect(partner.retry.retryOn).toContain('PARTNER_UNAVAILABLE');
    expect(partner.operations.GetInsuranceRecord).toMatchObject({ method: 'POST', reply: { version: '2' } });
  });

  it('replaces the endpoint URL per environment', () => {
    const [partner] = loadPartnerConfigs(partnerFolder('social-fund', validRest), { 'social-fund': 'http://127.0.0.1:9999' });
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
      operations: { Broken: { path: '/x', request: { type: 'a' } } },
    });
    const problems = problemsOf(() => loadPartnerConfigs(root)).join('\n');
    for (const where of ['$.id', '$.protocol', '$.contract', '$.endpoint.url', '$.timeoutMs', '$.operations.Broken.reply', '$.operations.Broken.request.version']) {
      expect(problems).toContain(where);
    }
  });

  it('refuses a partner.json that is not JSON, naming the file', () => {
    const root = partnerFolder('social-fund', '{ "id": ');
    expect(problemsOf(() => loadPartnerConfigs(root))[0]).toMatch(/social-fund\/partner\.json: not valid JSON/);
  });

  it('refuses a partner without operations', () => {
    expect(problemsOf(() => parsePartnerConfig({ ...validRest, operations: {} }, '/tmp/social-fund')).join()).toContain('$.operations');
  });

  it('answers SERVICE_UNKNOWN for an operation nobody offers', () => {
    const directory = new PartnerDirectory(loadPartnerConfigs(repoContracts));
    expect(() => directory.resolve({ partner: 'tax-service', operation: 'DeleteTaxpayer' })).toThrow(
      expect.objectContaining({ code: 'SERVICE_UNKNOWN', status: 404 }),
    );
  });
});
