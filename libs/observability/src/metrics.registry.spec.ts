import { MetricsRegistry } from './metrics.registry';

describe('MetricsRegistry', () => {
  it('renders collected samples in Prometheus text format, grouped by name', () => {
    const metrics = new MetricsRegistry();
    metrics.register(() => [
      { name: 'korpu_schema_deprecated_total', help: 'Deprecated uses', type: 'counter', labels: { type: 'a', version: '2' }, value: 3 },
    ]);
    metrics.register(() => [
      { name: 'korpu_schema_deprecated_total', help: 'Deprecated uses', type: 'counter', labels: { type: 'b"x', version: '1' }, value: 1 },
      { name: 'korpu_waiting_exchanges', help: 'Waiting', type: 'gauge', value: 0 },
    ]);
    expect(metrics.render()).toBe(
      [
        '# HELP korpu_schema_deprecated_total Deprecated uses',
        '# TYPE korpu_schema_deprecated_total counter',
        'korpu_schema_deprecated_total{type="a",version="2"} 3',
        'korpu_schema_deprecated_total{type="b\\"x",version="1"} 1',
        '# HELP korpu_waiting_exchanges Waiting',
        '# TYPE korpu_waiting_exchanges gauge',
        'korpu_waiting_exchanges 0',
        '',
      ].join('\n'),
    );
  });
});
