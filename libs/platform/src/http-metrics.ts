import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MetricsRegistry } from '@korpu/observability';

const STARTED = Symbol('korpu.requestStarted');

/**
 * Counts every HTTP request and its latency by route template (`/v1/messages/:id`, never the raw URL), method,
 * authenticated client (`none` before or without authentication), service (`partner/operation`, set by the
 * controller only once the service is known to be registered; else `none`) and status. Probes and scrapes included.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: MetricsRegistry, app: string): void {
  const labelNames = ['app', 'route', 'method', 'client', 'service', 'status'] as const;
  const requests = metrics.counter({ name: 'korpu_http_requests_total', help: 'HTTP requests answered, by route template, client, service and status', labelNames });
  const latency = metrics.histogram({
    name: 'korpu_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, client, service and status',
    labelNames,
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request as unknown as Record<symbol, bigint>)[STARTED] = process.hrtime.bigint();
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const started = (request as unknown as Record<symbol, bigint | undefined>)[STARTED];
    const labels = {
      app,
      route: routeOf(request),
      method: request.method,
      client: (request as unknown as { korpuClient?: string }).korpuClient ?? 'none',
      service: (request as unknown as { korpuService?: string }).korpuService ?? 'none',
      status: reply.statusCode,
    };
    requests.inc(labels);
    if (started !== undefined) latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    done();
  });
}

/** The route template of a request (`/v1/messages/:id`), `unmatched` for a 404. */
export function routeOf(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions?.url ?? 'unmatched');
}
