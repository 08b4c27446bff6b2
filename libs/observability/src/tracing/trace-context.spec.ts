import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { TraceHeader, extractTraceContext, injectTraceContext, traceIdOf } from './trace-context';
import { tracedConsume, tracedProduce, traceLogFields, withTraceHeaders } from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function contextOf(traceId: string, spanId: string) {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: false });
}

describe('W3C trace context in Kafka record headers', () => {
  it('writes traceparent as version-traceid-spanid-flags next to the envelope headers', () => {
    const headers: Record<string, string> = { 'korpu-message-id': 'm-1' };
    injectTraceContext(headers, contextOf(TRACE_ID, SPAN_ID));
    expect(headers).toEqual({ 'korpu-message-id': 'm-1', [TraceHeader.TRACEPARENT]: `00-${TRACE_ID}-${SPAN_ID}-01` });
  });

  it('writes nothing when the context holds no span', () => {
    const headers: Record<string, string> = {};
    injectTraceContext(headers, ROOT_CONTEXT);
    expect(headers).toEqual({});
  });

  it('reads back the same trace and the producer span as the remote parent', () => {
    const headers: Record<string, string> = {};
    injectTraceContext(headers, contextOf(TRACE_ID, SPAN_ID));
    const parent = trace.getSpanContext(extractTraceContext(headers, ROOT_CONTEXT));
    expect(parent).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('keeps tracestate across the hop', () => {
    const headers: Record<string, string> = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'korpu=1' };
    const out: Record<string, string> = {};
    injectTraceContext(out, extractTraceContext(headers, ROOT_CONTEXT));
    expect(out).toEqual(headers);
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
  ])('ignores a record whose traceparent is %s (a new trace starts)', (_what, value) => {
    expect(trace.getSpanContext(extractTraceContext({ traceparent: value }, ROOT_CONTEXT))).toBeUndefined();
  });

  it('gives the trace id of a traceparent header, and none for a missing or invalid one', () => {
    expect(traceIdOf({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` })).toBe(TRACE_ID);
    expect(traceIdOf({})).toBeUndefined();
    expect(traceIdOf({ traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` })).toBeUndefined();
    expect(traceIdOf({ traceparent: 'x' })).toBeUndefined();
  });
});

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('hands the producer the very same records: no copy, no traceparent', async () => {
    const messages = [{ key: 'k', headers: { 'korpu-message-id': 'm-1' }, value: Buffer.from('x') }];
    let sent: unknown;
    await tracedProduce('korpu.outbound.x', messages, async (records) => {
      sent = records;
    });
    expect(sent).toBe(messages);
    expect(messages[0].headers).toEqual({ 'korpu-message-id': 'm-1' });
  });

  it('runs the consumer handler directly and adds nothing to log lines or headers', async () => {
    const headers = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` };
    await expect(
      tracedConsume('t', 0, '1', headers, 'm-1', async () => trace.getActiveSpan()),
    ).resolves.toBeUndefined();
    expect(traceLogFields()).toEqual({});
    expect(withTraceHeaders(headers)).toBe(headers);
  });
});
