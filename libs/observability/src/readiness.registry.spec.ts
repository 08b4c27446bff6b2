import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

describe('ReadinessRegistry', () => {
  it('is ready when every check passes, names the failing ones, and publishes korpu_ready', async () => {
    const metrics = new MetricsRegistry();
    const readiness = new ReadinessRegistry(metrics);
    let kafkaUp = false;
    readiness.register('database', async () => undefined);
    readiness.register('kafka', async () => {
      if (!kafkaUp) throw new Error('broker unreachable');
    });
    expect(await readiness.evaluate()).toEqual({ ready: false, checks: { database: 'up', kafka: 'down: broker unreachable' } });
    expect(await metrics.value('korpu_ready', { check: 'all' })).toBe(0);
    expect(await metrics.value('korpu_ready', { check: 'database' })).toBe(1);
    kafkaUp = true;
    expect((await readiness.evaluate()).ready).toBe(true);
  });

  it('reports a check that does not answer in time as down', async () => {
    const readiness = new ReadinessRegistry();
    readiness.register('slow', () => new Promise(() => undefined));
    expect(await readiness.evaluate(20)).toEqual({ ready: false, checks: { slow: 'down: timed out' } });
  });
});
