import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter } from '@korpu/errors';

export interface HttpAppOptions {
  name: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Publish OpenAPI at /docs (and /docs-json). */
  openApi?: { title: string; description: string; version: string };
  /** Extra content types parsed as raw text (XML for SOAP endpoints). */
  textContentTypes?: string[];
  /**
   * Serve HTTPS. With `requestCert` the server asks for a client certificate (mutual TLS); the handshake still
   * succeeds without one (`rejectUnauthorized: false`), so the app decides per request and answers in its own
   * error format instead of a TLS alert.
   */
  https?: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean };
}

/**
 * Starts one of Körpü's HTTP apps the same way everywhere: Fastify, a body limit, problem+json
 * errors, OpenAPI, graceful shutdown on SIGTERM/SIGINT (in-flight requests finish first).
 */
export async function startHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.maxBodyBytes,
    trustProxy: false,
    return503OnClosing: true,
    ...(options.https
      ? { https: { ...options.https, requestCert: options.https.requestCert ?? false, rejectUnauthorized: false } }
      : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: false });
  if (options.textContentTypes?.length) {
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addContentTypeParser(options.textContentTypes, { parseAs: 'string', bodyLimit: options.maxBodyBytes }, (_req, body, done) =>
      done(null, body),
    );
  }
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  if (options.openApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(options.openApi.title).setDescription(options.openApi.description).setVersion(options.openApi.version).build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  }
  await app.listen(options.port, options.host);
  new Logger(options.name).log(`listening on ${await app.getUrl()}`);
  return app;
}

/** The address an app actually listens on (useful with port 0). */
export async function appUrl(app: INestApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
