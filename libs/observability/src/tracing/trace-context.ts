import { Context, Span, TextMapGetter, TextMapSetter, context as otelContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C trace context (`traceparent`, `tracestate`) in a string-keyed header map: the Kafka record headers of the
 * envelope and HTTP request headers. Pure functions over @opentelemetry/api; no exporter, no I/O.
 */
export const TraceHeader = { TRACEPARENT: 'traceparent', TRACESTATE: 'tracestate' } as const;

const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
const getter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

/** Writes the trace context of `ctx` (default: the active one) into `headers`; nothing when it holds no valid span. */
export function injectTraceContext(headers: Record<string, string>, ctx: Context = otelContext.active()): void {
  propagator.inject(ctx, headers, setter);
}

/** The context a `traceparent` header continues (the active one when it has none or a malformed one). */
export function extractTraceContext(
  headers: Record<string, string | string[] | undefined>,
  ctx: Context = otelContext.active(),
): Context {
  return propagator.extract(ctx, headers, getter);
}

/** The span context a `traceparent` header names, or undefined. */

/** The trace id a `traceparent` header carries (32 hex digits), or undefined: for the admin API and log lines. */
export function traceIdOf(headers: Record<string, string | undefined>): string | undefined {
  const value = headers[TraceHeader.TRACEPARENT];
  if (value === undefined) return undefined;
  const traceId = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(value.trim())?.[1];
  return traceId === undefined || /^0+$/.test(traceId) ? undefined : traceId;
}

export type { Span };
