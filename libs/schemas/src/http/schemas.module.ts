import { DynamicModule, Module } from '@nestjs/common';
import { SchemaRegistry, SchemaRegistryOptions } from '../registry/schema-registry';
import { SchemaMetrics } from './schema-metrics';
import { SchemasController } from './schemas.controller';

export interface SchemasModuleOptions extends SchemaRegistryOptions {
  /** Mount GET /v1/schemas and GET /v1/schemas/:type/:version (default true; false for processes without an API). */
  controller?: boolean;
}

/** Provides the SchemaRegistry (global, loaded once at boot) and, by default, its HTTP catalogue. */
@Module({})
export class SchemasModule {
  static forRoot(options: SchemasModuleOptions): DynamicModule {
    const { controller = true, ...registryOptions } = options;
    return {
      module: SchemasModule,
      global: true,
      providers: [{ provide: SchemaRegistry, useFactory: () => SchemaRegistry.load(registryOptions) }, SchemaMetrics],
      controllers: controller ? [SchemasController] : [],
      exports: [SchemaRegistry],
    };
  }
}
