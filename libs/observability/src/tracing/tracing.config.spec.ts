import { ConfigException } from '@korpu/config';
import { readTracingOptions } from './tracing.config';

describe('readTracingOptions', () => {
  it('leaves tracing off without OTEL_EXPORTER_OTLP_ENDPOINT, keeping every new trace when on', () => {
    const options = readTracingOptions({});
    expect(options.endpoint).toBeUndefined();
    expect(options.samplePercent).toBe(100);
    expect(options.instanceId).toContain(String(process.pid));
  });

  it('reads the endpoint, the instance id and the sample share', () => {
    expect(readTracingOptions({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_INSTANCE_ID: 'gw-1', OTEL_TRACES_SAMPLE_PERCENT: '10' })).toEqual({
      endpoint: 'http://collector:4318',
      instanceId: 'gw-1',
      samplePercent: 10,
    });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_TRACES_SAMPLE_PERCENT', '101'],
  ])('refuses a bad %s, naming it', (name, value) => {
    expect(() => readTracingOptions({ [name]: value })).toThrow(ConfigException);
    expect(() => readTracingOptions({ [name]: value })).toThrow(name);
  });
});
