import * as path from 'node:path';
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyReply } from 'fastify';
import { SchemaException } from '../schema.exception';
import { SchemaRegistry } from '../registry/schema-registry';
import { SchemasModule } from './schemas.module';

/** Stand-in for the app's problem+json filter: code and status only. */
@Catch(SchemaException)
class SchemaExceptionFilter implements ExceptionFilter {
  catch(exception: SchemaException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(exception.status).send({ code: exception.code });
  }
}

describe('SchemasController', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SchemasModule.forRoot({ directory: path.join(__dirname, '../../../../schemas') })],
      providers: [{ provide: APP_FILTER, useClass: SchemaExceptionFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => app.close());

  it('lists the message types with versions, status, format and compatibility', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/schemas' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ types: Array<Record<string, unknown>> }>();
    expect(body.types).toHaveLength(11);
    expect(body.types).toContainEqual(
      expect.objectContaining({
        name: 'employment-contract-notification',
        format: 'json',
        compatibility: 'BACKWARD_TRANSITIVE',
        versions: [
          expect.objectContaining({ version: '1', status: 'retired' }),
          expect.objectContaining({ version: '2', status: 'deprecated', sunset: '2026-09-30', successor: '3' }),
          expect.objectContaining({ version: '3', status: 'active', mediaType: 'application/schema+json' }),
        ],
      }),
    );
  });

  it('downloads a JSON Schema as application/schema+json', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/schemas/taxpayer-lookup-request/1' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/schema+json; charset=utf-8');
    expect(response.json()).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('downloads an XSD as application/xml, with "v2" accepted for 2', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/schemas/pension-entitlement-request/v2' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.body).toContain('IncludePaymentHistory');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ method: 'GET', url: '/v1/schemas/person-lookup-reply/1' });
    const second = await app.inject({
      method: 'GET',
      url: '/v1/schemas/person-lookup-reply/1',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(second.statusCode).toBe(304);
  });

  it('answers 404 for an unknown type or version', async () => {
    const unknownType = await app.inject({ method: 'GET', url: '/v1/schemas/no-such-type/1' });
    expect(unknownType.statusCode).toBe(404);
    expect(unknownType.json()).toEqual({ code: 'SCHEMA_UNKNOWN_TYPE' });
    const unknownVersion = await app.inject({ method: 'GET', url: '/v1/schemas/person-lookup-reply/9' });
    expect(unknownVersion.statusCode).toBe(404);
    expect(unknownVersion.json()).toEqual({ code: 'SCHEMA_UNKNOWN_VERSION' });
  });

  it('exports the registry to the rest of the app', () => {
    expect(app.get(SchemaRegistry).getMessageType('person-lookup-request')?.format).toBe('xml');
  });
});
