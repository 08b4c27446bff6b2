import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '@korpu/testing';
import { MonitoringProcess, monitoringDir, startProcess } from './monitoring';

/** Jaeger's private test ports (own ports per session: TEST_JAEGER_OTLP_PORT, TEST_JAEGER_QUERY_PORT, TEST_JAEGER_GRPC_PORT). */
export const jaegerPorts = {
  otlpHttp: Number(process.env.TEST_JAEGER_OTLP_PORT ?? 24318),
  query: Number(process.env.TEST_JAEGER_QUERY_PORT ?? 26686),
  queryGrpc: Number(process.env.TEST_JAEGER_GRPC_PORT ?? 26685),
};

/**
 * Jaeger (cmd/jaeger v1.76.0, built by scripts/ensure-jaeger.sh) with an in-memory store, taking OTLP/HTTP and
 * serving its query API on the private ports above only: none of its default ports (4317/4318, 16686, 8888...).
 */
export function startJaeger(): { process: MonitoringProcess; otlpEndpoint: string; queryUrl: string; dir: string } {
  const binary = execFileSync('bash', [path.join(repoRoot, 'scripts/ensure-jaeger.sh')], { encoding: 'utf8' }).trim();
  const dir = monitoringDir();
  const config = path.join(dir, 'jaeger.yaml');
  fs.writeFileSync(
    config,
    [
      'service:',
      '  extensions: [jaeger_storage, jaeger_query]',
      '  pipelines:',
      '    traces: { receivers: [otlp], processors: [batch], exporters: [jaeger_storage_exporter] }',
      '  telemetry: { metrics: { level: none }, logs: { level: warn } }',
      'extensions:',
      '  jaeger_query:',
      '    storage: { traces: memstore }',
      `    http: { endpoint: "127.0.0.1:${jaegerPorts.query}" }`,
      `    grpc: { endpoint: "127.0.0.1:${jaegerPorts.queryGrpc}" }`,
      '  jaeger_storage:',
      '    backends: { memstore: { memory: { max_traces: 10000 } } }',
      'receivers:',
      `  otlp: { protocols: { http: { endpoint: "127.0.0.1:${jaegerPorts.otlpHttp}" } } }`,
      'processors:',
      '  batch: { timeout: 200ms }',
      'exporters:',
      '  jaeger_storage_exporter: { trace_storage: memstore }',
      '',
    ].join('\n'),
  );
  return {
    process: startProcess('jaeger', binary, [`--config=file:${config}`]),
    otlpEndpoint: `http://127.0.0.1:${jaegerPorts.otlpHttp}`,
    queryUrl: `http://127.0.0.1:${jaegerPorts.query}`,
    dir,
  };
}

/** A span as Jaeger's query API (/api/traces) returns it, with its service and kind resolved. */
export interface JaegerSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind: string;
  tags: Record<string, unknown>;
}

interface RawTrace {
  traceID: string;
  spans: Array<{
    traceID: string;
    spanID: string;
    operationName: string;
    processID: string;
    references?: Array<{ refType: string; traceID: string; spanID: string }>;
    tags: Array<{ key: string; value: unknown }>;
  }>;
  processes: Record<string, { serviceName: string }>;
}

function flatten(trace: RawTrace): JaegerSpan[] {
  return trace.spans.map((span) => {
    const tags = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
    return {
      traceId: span.traceID,
      spanId: span.spanID,
      parentSpanId: span.references?.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
      name: span.operationName,
      service: trace.processes[span.processID]?.serviceName ?? '?',
      kind: String(tags['span.kind'] ?? ''),
      tags,
    };
  });
}

/** The traces of `service` (optionally with `tags`), as flat span lists. */
export async function findTraces(queryUrl: string, service: string, tags: Record<string, string> = {}): Promise<JaegerSpan[][]> {
  const query = new URLSearchParams({ service, limit: '50', lookback: '1h', tags: JSON.stringify(tags) });
  const response = await fetch(`${queryUrl}/api/traces?${query.toString()}`);
  if (!response.ok) return [];
  const body = (await response.json()) as { data: RawTrace[] | null };
  return (body.data ?? []).map(flatten);
}

export async function getTrace(queryUrl: string, traceId: string): Promise<JaegerSpan[]> {
  const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
  if (!response.ok) return [];
  const body = (await response.json()) as { data: RawTrace[] | null };
  return (body.data ?? []).flatMap(flatten);
}
