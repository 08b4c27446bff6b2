import { stopAllApps } from '@korpu/testing';
import { simulator } from '../support/contracts';
import { Stack, api, startStack, waitFor } from '../support/stack';

/**
 * X-Road's metaservices answer what the access rights say, at the partner endpoint (the portal simulator, signed
 * SOAP and REST) and at the internal API (subsystems, TLS client certificates); the inventory export lists every
 * certificate with its expiry; a failed message's personal data is masked for an operator without the unmasked
 * view. Gateway, dispatcher, partner endpoint and simulators are separate processes.
 */
const ADMIN = 'e2e-meta-admin-token';
const VIEWER = 'e2e-meta-viewer-token';
const PORTAL = 'AZ/GOV/1400000001/egov-portal';
const PENSIONS_PROVIDER = 'AZ/GOV/1400000003/pensions';
const TAX_PROVIDER = 'AZ/GOV/1400057421/tax-register';
const REGISTRY_PROVIDER = 'AZ/GOV/1400000002/population-registry';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    simulators: ['ministry-subsystem', 'egov-portal', 'tax-service'],
    partnerEndpoint: true,
    env: { ADMIN_OPERATORS: `${ADMIN}=leyla.admin,${VIEWER}=kamran.viewer:viewer` },
  });
});

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

const admin = (method: string, path: string, body?: unknown, token = ADMIN) => api(stack, method, path, body, { authorization: `Bearer ${token}` });
const grant = async (client: string, service: string) => expect((await admin('POST', '/v1/admin/access-rights/grant', { client, service })).status).toBe(200);
const revoke = async (client: string, service: string) => expect((await admin('POST', '/v1/admin/access-rights/revoke', { client, service })).status).toBe(200);
const portal = (call: Record<string, unknown>) => simulator(stack.simulatorUrls['egov-portal'], '/_sim/metaservice', call);
const serviceCodes = (answer: { service: Array<{ service_code: string }> }) => answer.service.map((s) => s.service_code).sort();
const soapServiceCodes = (payload: string) => [...payload.matchAll(/<id:serviceCode>([^<]+)<\/id:serviceCode>/g)].map((m) => m[1]).sort();

describe('metaservices at the partner endpoint (signed, like any call)', () => {
  it('lists the services of a ministry subsystem over SOAP, in X-Road\'s listMethodsResponse, signed and bound to the request', async () => {
    const result = await portal({ metaservice: 'listMethods', transport: 'soap', provider: PENSIONS_PROVIDER });
    expect(result).toMatchObject({ httpStatus: 200, verified: true, requestHashMatches: true });
    expect(result.payload).toContain('listMethodsResponse');
    expect(result.payload).toContain('<xrd:service id:objectType="SERVICE"><id:xRoadInstance>AZ</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1400000003</id:memberCode><id:subsystemCode>pensions</id:subsystemCode><id:serviceCode>GetPensionEntitlement</id:serviceCode></xrd:service>');
  });

  it('answers allowedMethods over SOAP and REST as the access rights say: revoked, then granted again', async () => {
    const both = async () => {
      const soap = await portal({ metaservice: 'allowedMethods', transport: 'soap', provider: PENSIONS_PROVIDER });
      const rest = await portal({ metaservice: 'allowedMethods', transport: 'rest', provider: PENSIONS_PROVIDER });
      expect(soap).toMatchObject({ httpStatus: 200, verified: true });
      expect(rest).toMatchObject({ httpStatus: 200, verified: true });
      return { soap: soapServiceCodes(soap.payload), rest: serviceCodes(JSON.parse(rest.body)) };
    };
    expect(await both()).toEqual({ soap: ['GetPensionEntitlement'], rest: ['GetPensionEntitlement'] });
    await revoke(PORTAL, 'ministry/GetPensionEntitlement');
    expect(await both()).toEqual({ soap: [], rest: [] });
    await grant(PORTAL, 'ministry/GetPensionEntitlement');
    expect(await both()).toEqual({ soap: ['GetPensionEntitlement'], rest: ['GetPensionEntitlement'] });
  });

  it('gives nothing to a registered client without rights, and lists what it may not call in listMethods only', async () => {
    const as = { client: 'AZ/GOV/1400000002/population-registry', key: 'population-registry-rsa' };
    const allowed = await portal({ metaservice: 'allowedMethods', transport: 'rest', provider: PENSIONS_PROVIDER, as });
    const listed = await portal({ metaservice: 'listMethods', transport: 'rest', provider: PENSIONS_PROVIDER, as });
    expect(JSON.parse(allowed.body)).toEqual({ service: [] });
    expect(JSON.parse(listed.body).service).toEqual([
      {
        object_type: 'SERVICE',
        xroad_instance: 'AZ',
        member_class: 'GOV',
        member_code: '1400000003',
        subsystem_code: 'pensions',
        service_code: 'GetPensionEntitlement',
        service_type: 'OPENAPI',
        endpoint_list: [{ method: 'POST', path: '/rest/v1/GetPensionEntitlement' }],
      },
    ]);
  });

  it('serves the WSDL over SOAP as a MIME attachment of getWsdlResponse, and the OpenAPI over REST', async () => {
    const wsdl = await portal({ metaservice: 'getWsdl', transport: 'soap', provider: PENSIONS_PROVIDER, serviceCode: 'GetPensionEntitlement' });
    expect(wsdl).toMatchObject({ httpStatus: 200, verified: true });
    expect(wsdl.contentType).toContain('multipart/related');
    expect(wsdl.payload).toContain('<xrd:serviceCode>GetPensionEntitlement</xrd:serviceCode>');
    expect(wsdl.attachment).toContain('<wsdl:operation name="GetPensionEntitlement">');
    const openApi = await portal({ metaservice: 'getOpenAPI', transport: 'rest', provider: PENSIONS_PROVIDER, serviceCode: 'GetPensionEntitlement' });
    expect(openApi).toMatchObject({ httpStatus: 200, verified: true });
    expect(JSON.parse(openApi.body).paths['/rest/v1/GetPensionEntitlement'].post.operationId).toBe('GetPensionEntitlement');
  });

  it('lists the clients over SOAP and REST', async () => {
    const soap = await portal({ metaservice: 'listClients', transport: 'soap', provider: PENSIONS_PROVIDER });
    expect(soap.payload).toContain('<xrd:clientList');
    expect(soap.payload).toContain('<id:subsystemCode>egov-portal</id:subsystemCode>');
    const rest = JSON.parse((await portal({ metaservice: 'listClients', transport: 'rest', provider: PENSIONS_PROVIDER })).body);
    expect(rest.member).toEqual(expect.arrayContaining([{ id: { object_type: 'SUBSYSTEM', xroad_instance: 'AZ', member_class: 'GOV', member_code: '1400000003', subsystem_code: 'pensions' }, name: expect.any(String) }]));
  });

  it('refuses an unsigned REST metaservice call and an unknown provider with stable codes', async () => {
    const unsigned = await fetch(`${stack.partnerEndpointUrl}/r1/${PENSIONS_PROVIDER}/listMethods`, { headers: { 'x-road-client': PORTAL, 'x-road-id': '01JAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { code: string }).code).toBe('SIGNATURE_MISSING');
    const unknown = await portal({ metaservice: 'listMethods', transport: 'soap', provider: 'AZ/GOV/1400000003/nobody' });
    expect(unknown.fault).toMatchObject({ code: 'METASERVICE_PROVIDER_UNKNOWN' });
  });
});

describe('metaservices at the internal API (TLS client certificate)', () => {
  it('lists the partners\' services and answers allowedMethods as the access rights say: granted, then revoked', async () => {
    const listed = await api(stack, 'GET', `/r1/${REGISTRY_PROVIDER}/listMethods`, undefined, { 'x-road-client': 'MLSP/disability' });
    expect(listed.status).toBe(200);
    expect(serviceCodes(listed.body)).toEqual(['GetPerson']);
    const allowed = async () => serviceCodes((await api(stack, 'GET', `/r1/${REGISTRY_PROVIDER}/allowedMethods`, undefined, { 'x-road-client': 'MLSP/disability' })).body);
    expect(await allowed()).toEqual([]);
    await grant('MLSP/disability', 'population-registry/GetPerson');
    expect(await allowed()).toEqual(['GetPerson']);
    await revoke('MLSP/disability', 'population-registry/GetPerson');
    expect(await allowed()).toEqual([]);
  });

  it('answers for the subsystem its certificate names: pensions may call the tax service', async () => {
    const allowed = await api(stack, 'GET', `/r1/${TAX_PROVIDER}/allowedMethods`);
    expect(allowed.body.service).toEqual([expect.objectContaining({ service_code: 'GetTaxpayer', service_type: 'OPENAPI', endpoint_list: [{ method: 'POST', path: '/v1/taxpayers/lookup' }] })]);
  });

  it('serves the contracts: getOpenAPI of a REST partner, getWsdl of a SOAP partner; unknown services are 404', async () => {
    const openApi = await api(stack, 'GET', `/r1/${TAX_PROVIDER}/getOpenAPI?serviceCode=GetTaxpayer`);
    expect(openApi.status).toBe(200);
    expect(String(openApi.body)).toContain('openapi: 3.1.0');
    const wsdl = await api(stack, 'GET', `/r1/${REGISTRY_PROVIDER}/getWsdl?serviceCode=GetPerson`);
    expect(String(wsdl.body)).toContain('<wsdl:operation name="GetPerson">');
    const missing = await api(stack, 'GET', `/r1/${TAX_PROVIDER}/getOpenAPI?serviceCode=Nope`);
    expect([missing.status, missing.body.code]).toEqual([404, 'METASERVICE_SERVICE_UNKNOWN']);
  });

  it('lists the clients, and refuses a caller without a certificate', async () => {
    const clients = await api(stack, 'GET', '/r1/listClients');
    expect(clients.body.member.map((m: { id: { subsystem_code: string } }) => m.id.subsystem_code)).toEqual(expect.arrayContaining(['pensions', 'egov-portal', 'tax-register']));
    const anonymous = await api(stack, 'GET', '/r1/listClients', undefined, {}, null);
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'CLIENT_UNAUTHENTICATED']);
  });
});

describe('inventory export (admin API, audited)', () => {
  it('lists every certificate with issuer, serial and expiry, in JSON and CSV, and records the export', async () => {
    const inventory = await admin('GET', '/v1/admin/inventory');
    expect(inventory.status).toBe(200);
    const certificates = inventory.body.certificates as Array<Record<string, unknown>>;
    const sources = new Set(certificates.map((c) => String(c.source).split(':')[0]));
    expect([...sources].sort()).toEqual(['client', 'key-ring', 'partner', 'tls-client-ca', 'tls-server', 'trust-store']);
    // Every certificate the exchange holds (files and registrations by file) has its expiry; registrations by name say what they name.
    for (const certificate of certificates) {
      if (certificate.registration && !certificate.serial) expect(certificate.registration).toMatch(/issuer/);
      else expect(certificate).toMatchObject({ issuer: expect.any(String), serial: expect.any(String), notAfter: expect.any(String), daysUntilExpiry: expect.any(Number) });
    }
    expect(certificates.filter((c) => c.source === 'client:MLSP/pensions:tls')).toEqual([expect.objectContaining({ notAfter: expect.any(String), registration: 'certificate pki:tls/pensions.crt' })]);
    expect(inventory.body.clients).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'MLSP/pensions', status: 'active', authentication: ['tls: certificate pki:tls/pensions.crt'] })]));
    expect(inventory.body.services).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'tax-service/GetTaxpayer', contract: 'tax-service/openapi.yaml', request: 'taxpayer-lookup-request v1' })]));
    expect(inventory.body.grants).toEqual(expect.arrayContaining([expect.objectContaining({ client: 'MLSP/pensions', service: 'tax-service/GetTaxpayer', grantedBy: 'configuration' })]));

    const csv = await admin('GET', '/v1/admin/inventory?format=csv&section=certificates');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe('source,file,subject,issuer,serial,notBefore,notAfter,daysUntilExpiry,registration,problem');
    expect(lines).toHaveLength(certificates.length + 1);
    expect((await admin('GET', '/v1/admin/inventory?format=csv')).status).toBe(400);

    const audit = await admin('GET', '/v1/admin/audit?action=export-inventory');
    expect(audit.body.items.map((e: { operator: string; detail: { format: string } }) => [e.operator, e.detail.format])).toEqual([
      ['leyla.admin', 'csv'],
      ['leyla.admin', 'json'],
    ]);
  });
});

describe('personal data in the admin API', () => {
  it('masks a failed message\'s declared personal fields for an operator without the unmasked view', async () => {
    await simulator(stack.taxServiceUrl, '/_sim/faults', { mode: 'invalid-schema', count: 1 });
    const submitted = await api(stack, 'POST', '/v1/messages', { service: 'tax-service/GetTaxpayer', payload: { voen: '1830000012', includeActivities: true } });
    expect(submitted.status).toBe(202);
    const id = submitted.body.messageId as string;
    const masked = await waitFor('the failed message', async () => {
      const response = await admin('GET', `/v1/admin/failed-messages/${id}`, undefined, VIEWER);
      return response.status === 200 ? response.body : undefined;
    });
    expect(JSON.parse(masked.payload)).toEqual({ voen: '********12', includeActivities: true });
    expect(JSON.stringify(masked)).not.toContain('1830000012');
    // An admin sees it masked too until they state a reason; the unmasked view is then audited with it.
    expect(JSON.parse((await admin('GET', `/v1/admin/failed-messages/${id}`)).body.payload)).toEqual({ voen: '********12', includeActivities: true });
    const withReason = (token: string, reason: string) =>
      api(stack, 'GET', `/v1/admin/failed-messages/${id}`, undefined, { authorization: `Bearer ${token}`, 'korpu-unmask-reason': reason });
    const refused = await withReason(VIEWER, 'ticket INC-4711: taxpayer asks');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'OPERATOR_FORBIDDEN', required: ['personal-data:unmask'] });
    expect((await withReason(ADMIN, 'no')).body.code).toBe('OPERATOR_REQUEST_INVALID');
    const plain = await withReason(ADMIN, 'ticket INC-4711: taxpayer asks');
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.body.payload)).toEqual({ voen: '1830000012', includeActivities: true });
    const audit = await admin('GET', `/v1/admin/audit?messageId=${id}&action=unmask`);
    expect(audit.body.items).toEqual([expect.objectContaining({ operator: 'leyla.admin', action: 'unmask', reason: 'ticket INC-4711: taxpayer asks', messageIds: [id] })]);
  });
});
