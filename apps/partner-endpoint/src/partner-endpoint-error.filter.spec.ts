import { NotFoundException } from '@nestjs/common';
import { parseXRoadMessage } from '@korpu/xroad';
import { KorpuException } from '@korpu/errors';
import { httpFilterHost } from '@korpu/testing';
import type { InboundRejection } from '@korpu/inbound';
import { PartnerEndpointErrorFilter } from './partner-endpoint-error.filter';

/** The reply as the filter wrote it. */
function answer(url: string, error: unknown, filter = new PartnerEndpointErrorFilter()) {
  const { host, sent } = httpFilterHost({ url, ip: '198.51.100.7', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  filter.catch(error, host);
  return sent;
}

const fastifyError = (code: string, statusCode: number) => Object.assign(new Error(`fastify says ${code}`), { code, statusCode });

describe('PartnerEndpointErrorFilter', () => {
  it.each([
    ['/soap', fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), 'PAYLOAD_TOO_LARGE'],
    ['/soap', fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 'UNSUPPORTED_MEDIA_TYPE'],
    ['/soap?wsdl', fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400), 'REQUEST_MALFORMED'],
    ['/soap/unknown', new NotFoundException('Cannot POST /soap/unknown'), 'NOT_FOUND'],
  ])('answers a refusal of %s by the HTTP layer (%s) with a Client SOAP Fault carrying the stable code', (url, error, code) => {
    const sent = answer(url, error);
    expect(sent.status).toBe(500);
    expect(sent.headers['content-type']).toContain('text/xml');
    expect(parseXRoadMessage(String(sent.body)).fault).toMatchObject({ faultcode: 'Client', code });
  });

  it('answers an unexpected error on /soap with a Server SOAP Fault and an error id, never the error itself', () => {
    const sent = answer('/soap', new Error('secret internals'));
    const fault = parseXRoadMessage(String(sent.body)).fault;
    expect(fault).toMatchObject({ faultcode: 'Server', code: 'INTERNAL_ERROR' });
    expect(String(sent.body)).not.toContain('secret internals');
  });

  it.each([
    ['/rest/v1/GetPensionEntitlement', 413, 'PAYLOAD_TOO_LARGE'],
    ['/soapbox', 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with problem+json', (url, status, code) => {
    const sent = answer(url, fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413));
    expect(sent.status).toBe(status);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(sent.body).toMatchObject({ code });
  });

  it('records what the HTTP layer refused as an inbound refusal (code, source), but not a domain refusal twice or a server error', () => {
    const recorded: InboundRejection[] = [];
    const filter = new PartnerEndpointErrorFilter({ execute: async (rejection) => void recorded.push(rejection) });
    answer('/soap', fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), filter);
    answer('/nowhere', new NotFoundException('Cannot GET /nowhere'), filter);
    answer('/soap', new KorpuException('SIGNATURE_MISSING', 'no signature', { status: 400 }), filter);
    answer('/soap', new Error('secret internals'), filter);
    expect(recorded.map((rejection) => [(rejection.error as KorpuException).code, (rejection.error as KorpuException).status, rejection.source, rejection.contentType])).toEqual([
      ['PAYLOAD_TOO_LARGE', 413, '198.51.100.7', 'application/x-www-form-urlencoded'],
      ['NOT_FOUND', 404, '198.51.100.7', 'application/x-www-form-urlencoded'],
    ]);
    expect((recorded[1].error as Error).message).toContain('/nowhere');
  });
});
