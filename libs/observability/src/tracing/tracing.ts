import {
  Attributes,
  Context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  propagation,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Env } from '@korpu/config';
import { extractTraceContext, injectTraceContext } from './trace-context';
import { readTracingOptions } from './tracing.config';

export { SpanKind };

/**
 * Process-wide tracing switch. Off (the default, OTEL_EXPORTER_OTLP_ENDPOINT unset) every helper below runs its work
 * directly: one boolean check per message, no span, no header copy. On, spans go over OTLP/HTTP in batches.
 */
let enabled = false;
let provider: TracerProvider | undefined;
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/** Called once at an app's boot (runApp), next to logging. Returns whether tracing is on. */
export function configureTracing(app: string, env: Env): boolean {
  const options = readTracingOptions(env);
  if (options.endpoint === undefined) return false;
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': `korpu-${app}`,
      'service.namespace': 'korpu',
      'service.instance.id': options.instanceId,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.samplePercent / 100) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), scheduledDelayMillis: 1000 })],
  });
  otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  return true;
}

/** Sends the spans still buffered (at shutdown). */
export async function shutdownTracing(): Promise<void> {
  const current = provider;
  provider = undefined;
  enabled = false;
  await current?.shutdown();
}

export function tracingEnabled(): boolean {
  return enabled;
}

/** Runs `work` in a new span (child of `parent`, default the active context); the span ends when `work` settles. */
export function traced<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: () => Promise<T>,
  parent?: Context,
): Promise<T> {
  if (!enabled) return work();
  return trace
    .getTracer('korpu')
    .startActiveSpan(name, { kind, attributes }, parent ?? otelContext.active(), async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        throw error;
      } finally {
        span.end();
      }
    });
}

/** `work` (synchronous: signing, hashing) in an INTERNAL span; `work` alone when tracing is off. */
export function tracedSync<T>(name: string, work: () => T): T {
  if (!enabled) return work();
  return trace.getTracer('korpu').startActiveSpan(name, { kind: SpanKind.INTERNAL }, (span) => {
    try {
      return work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace id of the active span, for log lines; an empty object when tracing is off or nothing is traced. */
export function traceLogFields(): Readonly<Record<string, string>> {
  if (!enabled) return NO_FIELDS;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext ? { traceId: spanContext.traceId } : NO_FIELDS;
}

/** The trace a message's status can name (`{ traceId }` of the active span), or undefined when tracing is off. */
export function traceDetail(): { traceId: string } | undefined {
  if (!enabled) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext ? { traceId: spanContext.traceId } : undefined;
}

/** Adds the active trace context to outgoing headers (a copy); the headers themselves when tracing is off. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (!enabled) return headers;
  const copy = { ...headers };
  injectTraceContext(copy);
  return copy;
}

/** One Kafka send in a PRODUCER span whose context travels in every record's `traceparent` header. */
export function tracedProduce<M extends { headers: Record<string, string> }>(
  topic: string,
  messages: M[],
  send: (messages: M[]) => Promise<void>,
): Promise<void> {
  if (!enabled) return send(messages);
  const attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'send',
    'messaging.destination.name': topic,
    'messaging.batch.message_count': messages.length,
  };
  return traced(`send ${topic}`, SpanKind.PRODUCER, attributes, () =>
    send(messages.map((message) => ({ ...message, headers: withTraceHeaders(message.headers) }))),
  );
}

/** Handling one Kafka record in a CONSUMER span continuing the trace of its `traceparent` header (a new one without). */
export function tracedConsume<T>(
  topic: string,
  partition: number,
  offset: string,
  headers: Record<string, string>,
  messageId: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!enabled) return work();
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.kafka.offset': offset,
  };
  if (messageId !== undefined) attributes['messaging.message.id'] = messageId.slice(0, 100);
  return traced(`process ${topic}`, SpanKind.CONSUMER, attributes, work, extractTraceContext(headers, ROOT_CONTEXT));
}
