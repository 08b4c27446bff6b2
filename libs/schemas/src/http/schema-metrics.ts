import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { MetricsRegistry } from '@korpu/observability';
import { SchemaRegistry } from '../registry/schema-registry';

/** Publishes how often each deprecated schema version is still used, so owners know when a sunset is safe. */
@Injectable()
export class SchemaMetrics implements OnModuleInit {
  constructor(
    private readonly registry: SchemaRegistry,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics?.register(() =>
      this.registry.deprecatedUses().map((use) => ({
        name: 'korpu_schema_deprecated_version_uses_total',
        help: 'Messages accepted on a deprecated schema version since the process started',
        type: 'counter' as const,
        labels: { type: use.type, version: use.version },
        value: use.count,
      })),
    );
  }
}
