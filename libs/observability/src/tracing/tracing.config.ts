import * as os from 'node:os';
import { Env, EnvReader } from '@korpu/config';

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the OTLP/HTTP base URL (spans go to `<url>/v1/traces`). Unset: tracing is off. */
  endpoint?: string;
  /** OTEL_SERVICE_INSTANCE_ID (default `<hostname>-<pid>`): tells the instances of one app apart. */
  instanceId: string;
  /** OTEL_TRACES_SAMPLE_PERCENT (0..100 percent of new traces kept, default 100); a trace started upstream keeps its decision. */
  samplePercent: number;
}

export function readTracingOptions(env: Env): TracingOptions {
  const reader = new EnvReader(env);
  const options: TracingOptions = {
    endpoint: reader.url('OTEL_EXPORTER_OTLP_ENDPOINT'),
    instanceId: reader.string('OTEL_SERVICE_INSTANCE_ID', `${os.hostname()}-${process.pid}`) as string,
    samplePercent: reader.int('OTEL_TRACES_SAMPLE_PERCENT', 100, { min: 0, max: 100 }),
  };
  if (options.endpoint !== undefined && !/^https?:\/\/[^/]/.test(options.endpoint)) {
    reader.problem(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL (the OTLP/HTTP base, e.g. http://collector:4318), got "${options.endpoint}"`);
  }
  reader.done();
  return options;
}
