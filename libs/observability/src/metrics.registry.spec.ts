import { MAX_SERIES_PER_METRIC, MetricsRegistry } from './metrics.registry';

describe('MetricsRegistry', () => {
  it('renders scrape-time collectors in Prometheus text format, grouped by name, labels escaped', async () => {
    const metrics = new MetricsRegistry();
    metrics.register(() => [
      { name: 'korpu_schema_deprecated_total', help: 'Deprecated uses', type: 'counter', labels: { type: 'a', version: '2' }, value: 3 },
    ]);
    metrics.register(() => [
      { name: 'korpu_schema_deprecated_total', help: 'Deprecated uses', type: 'counter', labels: { type: 'b"x', version: '1' }, value: 1 },
      { name: 'korpu_waiting_exchanges', help: 'Waiting', type: 'gauge', value: 0 },
    ]);
    const text = await metrics.render();
    expect(text).toContain(
      [
        '# HELP korpu_schema_deprecated_total Deprecated uses',
        '# TYPE korpu_schema_deprecated_total counter',
        'korpu_schema_deprecated_total{type="a",version="2"} 3',
        'korpu_schema_deprecated_total{type="b\\"x",version="1"} 1',
      ].join('\n'),
    );
    expect(text).toContain('# TYPE korpu_waiting_exchanges gauge\nkorpu_waiting_exchanges 0');
  });

  it('counts, times and gauges by declared labels; declaring a metric again returns the same one', async () => {
    const metrics = new MetricsRegistry();
    const counter = metrics.counter({ name: 'korpu_test_total', help: 'Test', labelNames: ['partner'] as const });
    counter.inc({ partner: 'tax-service' });
    metrics.counter({ name: 'korpu_test_total', help: 'Test', labelNames: ['partner'] as const }).inc({ partner: 'tax-service' }, 2);
    metrics.histogram({ name: 'korpu_test_seconds', help: 'Test', labelNames: ['outcome'] as const, buckets: [0.1, 1] }).observe({ outcome: 'ok' }, 0.5);
    metrics.gauge({ name: 'korpu_test_gauge', help: 'Test', labelNames: ['partner'] as const }).set({ partner: 'p' }, 7);
    const text = await metrics.render();
    expect(text).toContain('korpu_test_total{partner="tax-service"} 3');
    expect(text).toContain('korpu_test_seconds_bucket{le="0.1",outcome="ok"} 0');
    expect(text).toContain('korpu_test_seconds_bucket{le="1",outcome="ok"} 1');
    expect(text).toContain('korpu_test_gauge{partner="p"} 7');
    expect(() => metrics.gauge({ name: 'korpu_test_total', help: 'Test' })).toThrow(/already declared as a counter/);
  });

  it('keeps label sets bounded: past the limit new label values are counted as "other"', async () => {
    const metrics = new MetricsRegistry();
    const counter = metrics.counter({ name: 'korpu_bounded_total', help: 'Test', labelNames: ['id'] as const });
    for (let i = 0; i < MAX_SERIES_PER_METRIC + 10; i++) counter.inc({ id: `id-${i}` });
    counter.inc({ id: 'id-0' });
    expect(await metrics.value('korpu_bounded_total', { id: 'other' })).toBe(10);
    expect(await metrics.value('korpu_bounded_total', { id: 'id-0' })).toBe(2);
    expect((await metrics.render()).match(/^korpu_bounded_total\{/gm)).toHaveLength(MAX_SERIES_PER_METRIC + 1);
  });

  it('samples a gauge at scrape time at most once per cache period, and shows nothing when sampling fails', async () => {
    const metrics = new MetricsRegistry();
    let calls = 0;
    metrics.sampledGauge({
      name: 'korpu_sampled',
      help: 'Test',
      labelNames: ['table'] as const,
      cacheMs: 60_000,
      sample: async () => {
        calls += 1;
        return [{ labels: { table: 'message_log' }, value: 42 }];
      },
    });
    expect(await metrics.render()).toContain('korpu_sampled{table="message_log"} 42');
    await metrics.render();
    expect(calls).toBe(1);
    const failing = new MetricsRegistry();
    failing.sampledGauge<'table'>({ name: 'korpu_sampled', help: 'Test', labelNames: ['table'] as const, sample: () => Promise.reject(new Error('down')) });
    expect(await failing.render()).not.toMatch(/^korpu_sampled\{/m);
  });

  it('includes the process, GC and event-loop metrics in the apps\' registry', async () => {
    const text = await MetricsRegistry.create({ defaultMetrics: true }).render();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('nodejs_gc_duration_seconds');
  });
});
