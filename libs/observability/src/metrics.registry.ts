import { Injectable } from '@nestjs/common';

export interface MetricSample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labels?: Record<string, string>;
  value: number;
}

export type MetricCollector = () => MetricSample[];

/** Capabilities register collectors; GET /metrics renders what they report at scrape time (Prometheus text format). */
@Injectable()
export class MetricsRegistry {
  private readonly collectors: MetricCollector[] = [];

  register(collector: MetricCollector): void {
    this.collectors.push(collector);
  }

  render(): string {
    const byName = new Map<string, MetricSample[]>();
    for (const sample of this.collectors.flatMap((collect) => collect())) {
      byName.set(sample.name, [...(byName.get(sample.name) ?? []), sample]);
    }
    const lines: string[] = [];
    for (const [name, samples] of byName) {
      lines.push(`# HELP ${name} ${samples[0].help}`, `# TYPE ${name} ${samples[0].type}`);
      for (const sample of samples) lines.push(`${name}${renderLabels(sample.labels)} ${sample.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function renderLabels(labels: Record<string, string> | undefined): string {
  if (!labels || Object.keys(labels).length === 0) return '';
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}="${escape(value)}"`)
    .join(',')}}`;
}
