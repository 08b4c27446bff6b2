import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A sample reported by a scrape-time collector (`register`), for capabilities that keep their own counts. */
export interface MetricSample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labels?: Record<string, string>;
  value: number;
}

export type MetricCollector = () => MetricSample[];

export type Labels<L extends string> = { [K in L]: string | number };

interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  /** Upper bounds in seconds (default: LATENCY_BUCKETS). */
  buckets?: number[];
}

export interface SampledGaugeSpec<L extends string> extends MetricSpec<L> {
  /** Called at scrape time, at most once per `cacheMs` (default 10 s): a value per label set. */
  sample: () => Promise<Array<{ labels: Labels<L>; value: number }>>;
  cacheMs?: number;
}

/** From 5 ms to 30 s: a partner call, a Kafka hop, an HTTP request. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Database queries: from 0.5 ms to 5 s. */
export const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

/** Distinct label sets a metric may hold; beyond it new ones are counted under `other` (ids never explode a series set). */
export const MAX_SERIES_PER_METRIC = 500;
const MAX_LABEL_LENGTH = 80;
const OVERFLOW = 'other';

/** Keeps a metric's label sets bounded: a long value is cut, a label set past the limit becomes `other` everywhere. */
class LabelBound<L extends string> {
  private readonly seen = new Set<string>();

  constructor(private readonly labelNames: readonly L[]) {}

  apply(labels: Labels<L>): Record<L, string> {
    const values = {} as Record<L, string>;
    for (const name of this.labelNames) values[name] = String(labels[name] ?? '').slice(0, MAX_LABEL_LENGTH);
    const key = this.labelNames.map((name) => values[name]).join('\u0000');
    if (this.seen.has(key)) return values;
    if (this.seen.size < MAX_SERIES_PER_METRIC) {
      this.seen.add(key);
      return values;
    }
    for (const name of this.labelNames) values[name] = OVERFLOW;
    return values;
  }
}

export class CounterMetric<L extends string = never> {
  private readonly bound: LabelBound<L>;

  constructor(private readonly counter: Counter<L>, labelNames: readonly L[]) {
    this.bound = new LabelBound(labelNames);
  }

  inc(labels: Labels<L>, value = 1): void {
    this.counter.inc(this.bound.apply(labels), value);
  }
}

export class HistogramMetric<L extends string = never> {
  private readonly bound: LabelBound<L>;

  constructor(private readonly histogram: Histogram<L>, labelNames: readonly L[]) {
    this.bound = new LabelBound(labelNames);
  }

  observe(labels: Labels<L>, seconds: number): void {
    this.histogram.observe(this.bound.apply(labels), seconds);
  }

  /** Starts a timer; the function it returns records the time since, under the labels known by then. */
  startTimer(): (labels: Labels<L>) => number {
    const started = process.hrtime.bigint();
    return (labels) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observe(labels, seconds);
      return seconds;
    };
  }
}

export class GaugeMetric<L extends string = never> {
  private readonly bound: LabelBound<L>;

  constructor(private readonly gauge: Gauge<L>, labelNames: readonly L[]) {
    this.bound = new LabelBound(labelNames);
  }

  set(labels: Labels<L>, value: number): void {
    this.gauge.set(this.bound.apply(labels), value);
  }

  inc(labels: Labels<L>, value = 1): void {
    this.gauge.inc(this.bound.apply(labels), value);
  }
}

/**
 * The app's metrics, on prom-client: capabilities declare counters, histograms and gauges with a fixed set of
 * label names (values bounded, see MAX_SERIES_PER_METRIC — never a message id), and GET /metrics renders them
 * with the process, GC and event-loop metrics of prom-client. Declaring a metric twice returns the first one, so
 * several instances of a use case share it. `register(collector)` keeps scrape-time collectors working.
 */
@Injectable()
export class MetricsRegistry {
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  private readonly registry = new Registry();
  private readonly declared = new Map<string, { kind: string; metric: unknown }>();
  private readonly collectors: MetricCollector[] = [];
  private collected = new Map<string, MetricSample[]>();

  /** With `defaultMetrics`, prom-client's process, GC and event-loop metrics too (the apps' registry has them). */
  static create(options: { defaultMetrics: boolean }): MetricsRegistry {
    const metrics = new MetricsRegistry();
    if (options.defaultMetrics) collectDefaultMetrics({ register: metrics.registry });
    return metrics;
  }

  counter<L extends string = never>(spec: MetricSpec<L>): CounterMetric<L> {
    return this.declare(spec.name, 'counter', () => {
      const labelNames = spec.labelNames ?? [];
      return new CounterMetric(new Counter<L>({ name: spec.name, help: spec.help, labelNames, registers: [this.registry] }), labelNames);
    });
  }

  histogram<L extends string = never>(spec: HistogramSpec<L>): HistogramMetric<L> {
    return this.declare(spec.name, 'histogram', () => {
      const labelNames = spec.labelNames ?? [];
      const histogram = new Histogram<L>({ name: spec.name, help: spec.help, labelNames, buckets: spec.buckets ?? LATENCY_BUCKETS, registers: [this.registry] });
      return new HistogramMetric(histogram, labelNames);
    });
  }

  gauge<L extends string = never>(spec: MetricSpec<L>): GaugeMetric<L> {
    return this.declare(spec.name, 'gauge', () => {
      const labelNames = spec.labelNames ?? [];
      return new GaugeMetric(new Gauge<L>({ name: spec.name, help: spec.help, labelNames, registers: [this.registry] }), labelNames);
    });
  }

  /**
   * A gauge whose values are read at scrape time (Kafka lag, table sizes, days to a certificate's expiry), cached
   * for `cacheMs` so frequent scrapes do not load what it reads. A failed sample leaves the gauge without values.
   */
  sampledGauge<L extends string = never>(spec: SampledGaugeSpec<L>): void {
    this.declare(spec.name, 'sampled-gauge', () => {
      const labelNames = spec.labelNames ?? [];
      const bound = new LabelBound(labelNames);
      const cacheMs = spec.cacheMs ?? 10_000;
      let sampledAt = Number.NEGATIVE_INFINITY;
      let pending: Promise<void> | undefined;
      const gauge: Gauge<L> = new Gauge<L>({
        name: spec.name,
        help: spec.help,
        labelNames,
        registers: [this.registry],
        async collect() {
          if (Date.now() - sampledAt < cacheMs) return;
          pending ??= (async () => {
            try {
              const values = await spec.sample();
              gauge.reset();
              for (const { labels, value } of values) gauge.set(bound.apply(labels), value);
            } catch {
              gauge.reset();
            } finally {
              sampledAt = Date.now();
              pending = undefined;
            }
          })();
          await pending;
        },
      });
      return gauge;
    });
  }

  /** A collector called at each scrape; its samples are rendered under their own names. */
  register(collector: MetricCollector): void {
    this.collectors.push(collector);
  }

  /** Prometheus text format (content type `contentType`). */
  async render(): Promise<string> {
    this.collect();
    return this.registry.metrics();
  }

  /** The current value of one series, for tests and readiness (undefined: no such series). */
  async value(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    this.collect();
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return undefined;
    const { values } = await metric.get();
    const match = values.find((v) => Object.entries(labels).every(([k, value]) => String((v.labels as Record<string, unknown>)[k]) === value));
    return match?.value;
  }

  private collect(): void {
    const next = new Map<string, MetricSample[]>();
    for (const sample of this.collectors.flatMap((collect) => collect())) next.set(sample.name, [...(next.get(sample.name) ?? []), sample]);
    this.collected = next;
    for (const [name, samples] of next) {
      if (this.registry.getSingleMetric(name)) continue;
      const { help, type } = samples[0];
      this.declared.set(name, { kind: 'collected', metric: undefined });
      this.registry.registerMetric({
        name,
        help,
        get: async () => ({
          name,
          help,
          type,
          aggregator: 'sum',
          values: (this.collected.get(name) ?? []).map((s) => ({ labels: s.labels ?? {}, value: s.value })),
        }),
        reset: () => undefined,
      } as never);
    }
  }

  private declare<T>(name: string, kind: string, create: () => T): T {
    const existing = this.declared.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`metric ${name} is already declared as a ${existing.kind}`);
      return existing.metric as T;
    }
    const metric = create();
    this.declared.set(name, { kind, metric });
    return metric;
  }
}
