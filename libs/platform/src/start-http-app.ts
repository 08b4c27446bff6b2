import { DynamicModule, ExceptionFilter, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter } from '@korpu/errors';
import { MetricsRegistry } from '@korpu/observability';
import { instrumentHttp } from './http-metrics';
import { traceHttp } from './http-tracing';

/** The longest path parameter Fastify routes (its default, 100, is shorter than a message id may be). */
export const MAX_PATH_PARAMETER_LENGTH = 1000;

export interface HttpAppOptions {
  name: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Publish OpenAPI at /docs (and /docs-json). */
  openApi?: { title: string; description: string; version: string };
  /**
   * The app's one exception filter, for route errors and for what the HTTP layer refuses before any route runs
   * (body limit, content type, unknown path). Default: problem+json (ProblemDetailsFilter).
   */
  /** The app's one exception filter, or a factory given the app (to resolve what the filter needs from it). */
  errorFilter?: ExceptionFilter | ((app: NestFastifyApplication) => ExceptionFilter);
  /** Extra content types parsed as raw text (XML for SOAP endpoints). */
  textContentTypes?: string[];
  /**
   * Serve HTTPS. With `requestCert` the server asks for a client certificate (mutual TLS); the handshake still
   * succeeds without one (`rejectUnauthorized: false`), so the app decides per request and answers in its own
   * error format instead of a TLS alert.
   */
  https?: HttpsOptions;
  /**
   * A second listener of the same app for operators (admin API, console), with its own address and TLS settings,
   * so that a browser needs no client certificate and a network policy can keep operators' and subsystems'
   * traffic apart. Paths under `paths` are answered only there, every other path only on the main listener;
   * `sharedPaths` (health, readiness, metrics) on both. OpenAPI of the admin paths is at `/admin/docs`.
   */
  adminListener?: { host: string; port: number; https?: HttpsOptions; paths: string[]; sharedPaths: string[] };
}

export interface HttpsOptions {
  key: Buffer;
  cert: Buffer;
  /** CAs a client certificate must chain to (mutual TLS). */
  ca?: Buffer;
  /** CRLs the TLS layer checks client certificates against. */
  crl?: Buffer[];
  requestCert?: boolean;
}

/** Marks requests that arrived on the admin listener (set on the raw request by that server's handler). */
const ADMIN_LISTENER = Symbol('korpu.adminListener');

function tlsServerOptions(options: HttpsOptions): https.ServerOptions {
  return { ...options, requestCert: options.requestCert ?? false, rejectUnauthorized: false };
}

function onPath(url: string, prefixes: string[]): boolean {
  const path = url.split('?')[0];
  return prefixes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

/**
 * Starts one of Körpü's HTTP apps the same way everywhere: Fastify, a body limit, problem+json
 * errors, OpenAPI, graceful shutdown on SIGTERM/SIGINT (in-flight requests finish first).
 */
export async function startHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const admin = options.adminListener;
  let adminServer: http.Server | undefined;
  const adapter = new FastifyAdapter({
    bodyLimit: options.maxBodyBytes,
    // Message ids are up to 300 characters (X-Road ids of partners), percent-encoded up to three times as long in a
    // path; longer path parameters are answered 414 URI_TOO_LONG (documented with each parameter).
    maxParamLength: MAX_PATH_PARAMETER_LENGTH,
    trustProxy: false,
    return503OnClosing: true,
    ...(admin
      ? {
          // Two servers feed the one Fastify instance; the admin one tags its requests so routes can be kept apart.
          serverFactory: (handler: http.RequestListener) => {
            const adminHandler: http.RequestListener = (request, response) => {
              (request as unknown as Record<symbol, boolean>)[ADMIN_LISTENER] = true;
              handler(request, response);
            };
            adminServer = admin.https ? https.createServer(tlsServerOptions(admin.https), adminHandler) : http.createServer(adminHandler);
            return options.https ? https.createServer(tlsServerOptions(options.https), handler) : http.createServer(handler);
          },
        }
      : options.https
        ? { https: tlsServerOptions(options.https) }
        : {}),
  } as ConstructorParameters<typeof FastifyAdapter>[0]);
  // Every route's methods, to answer a known path with a method it does not take with 405 and Allow.
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toUpperCase());
    const source = route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    routes.push({ pattern: new RegExp(`^${source}/?$`), methods });
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: false });
  const metrics = app.get(MetricsRegistry, { strict: false });
  if (metrics) instrumentHttp(app.getHttpAdapter().getInstance(), metrics, options.name);
  traceHttp(app.getHttpAdapter().getInstance(), options.name);
  if (options.textContentTypes?.length) {
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addContentTypeParser(options.textContentTypes, { parseAs: 'string', bodyLimit: options.maxBodyBytes }, (_req, body, done) =>
      done(null, body),
    );
  }
  app.useGlobalFilters(typeof options.errorFilter === 'function' ? options.errorFilter(app) : (options.errorFilter ?? new ProblemDetailsFilter()));
  app.enableShutdownHooks();
  if (admin) {
    const fastify = app.getHttpAdapter().getInstance();
    const adminPaths = [...admin.paths, '/admin/docs', '/admin/docs-json'];
    fastify.addHook('onRequest', (request, _reply, done) => {
      const url = request.raw.url ?? '/';
      if (onPath(url, admin.sharedPaths)) return done();
      const onAdmin = (request.raw as unknown as Record<symbol, boolean>)[ADMIN_LISTENER] === true;
      if (onAdmin === onPath(url, adminPaths)) return done();
      // Answered as if the route did not exist (through the app's error filter): the other listener's routes are not advertised here.
      done(Object.assign(new Error(`No route ${request.method} ${url.split('?')[0]} on this listener`), { statusCode: 404 }));
    });
    fastify.addHook('onClose', (_instance, done) => {
      if (!adminServer?.listening) return done();
      adminServer.close(() => done());
      adminServer.closeAllConnections?.();
    });
  }
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (!request.is404) return done();
      const path = (request.raw.url ?? '/').split('?')[0];
      const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();
      if (allowed.length === 0) return done();
      // Through the app's own error filter, so each protocol answers in its format (problem+json, SOAP Fault).
      void reply.header('allow', allowed.join(', '));
      done(Object.assign(new Error(`${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`), { statusCode: 405 }));
    });
  if (options.openApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(options.openApi.title).setDescription(options.openApi.description).setVersion(options.openApi.version).build(),
    );
    if (admin) {
      const split = (keep: (path: string) => boolean) => ({
        ...document,
        paths: Object.fromEntries(Object.entries(document.paths).filter(([path]) => keep(path))),
      });
      SwaggerModule.setup('docs', app, split((path) => !onPath(path, admin.paths)), { jsonDocumentUrl: 'docs-json' });
      SwaggerModule.setup('admin/docs', app, { ...split((path) => onPath(path, admin.paths)), info: { ...document.info, title: `${document.info.title} — administration` } }, {
        jsonDocumentUrl: 'admin/docs-json',
      });
    } else {
      SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
    }
  }
  await app.listen(options.port, options.host);
  const logger = new Logger(options.name);
  logger.log(`listening on ${await app.getUrl()}`);
  if (admin && adminServer) {
    const server = adminServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(admin.port, admin.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    logger.log(`admin listening on ${admin.https ? 'https' : 'http'}://${address.address}:${address.port}`);
  }
  return app;
}

/** The address an app actually listens on (useful with port 0). */
export async function appUrl(app: INestApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
