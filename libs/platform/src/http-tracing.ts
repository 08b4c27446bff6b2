import type { FastifyInstance } from 'fastify';
import { ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { tracingEnabled } from '@korpu/observability';
import { routeOf } from './http-metrics';

const SPAN = Symbol('korpu.requestSpan');

/**
 * One SERVER span per HTTP request, named by route template (`POST /v1/exchange`), when tracing is on (no hook at
 * all otherwise). Every request starts a new trace at Körpü's edge: a `traceparent` sent by a subsystem or a partner
 * is not continued (a caller outside cannot join or steer our traces). The span is made active before the route
 * handler runs (preHandler, after the body is read), so the Kafka records the handler produces carry it.
 */
export function traceHttp(fastify: FastifyInstance, app: string): void {
  if (!tracingEnabled()) return;
  const tracer = trace.getTracer('korpu');
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = routeOf(request);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route, 'korpu.app': app },
      },
      ROOT_CONTEXT,
    );
    (request as unknown as Record<symbol, Span>)[SPAN] = span;
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const span = (request as unknown as Record<symbol, Span | undefined>)[SPAN];
    if (span === undefined) return done();
    context.with(trace.setSpan(ROOT_CONTEXT, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = (request as unknown as Record<symbol, Span | undefined>)[SPAN];
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
