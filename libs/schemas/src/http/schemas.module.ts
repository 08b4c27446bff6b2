import { DynamicModule, Module } from '@nestjs/common';
import { PersonalDataMasker } from '../personal/personal-data.masker';
import { SchemaRegistry, SchemaRegistryOptions } from '../registry/schema-registry';
import { SchemaMetrics } from './schema-metrics';
import { SchemasController } from './schemas.controller';

export interface SchemasModuleOptions extends SchemaRegistryOptions {
  /** Mount GET /v1/schemas and GET /v1/schemas/:type/:version (default true; false for processes without an API). */
  controller?: boolean;
}

/** Provides the SchemaRegistry and its PersonalDataMasker (global, loaded once at boot) and, by default, its HTTP catalogue. */
@Module({})
export class SchemasModule {
  static forRoot(options: SchemasModuleOptions): DynamicModule {
    const { controller = true, ...registryOptions } = options;
    return {
      module: SchemasModule,
      global: true,
      providers: [
        { provide: SchemaRegistry, useFactory: () => SchemaRegistry.load(registryOptions) },
        { provide: PersonalDataMasker, useFactory: (registry: SchemaRegistry) => registry.personalData, inject: [SchemaRegistry] },
        SchemaMetrics,
      ],
      controllers: controller ? [SchemasController] : [],
      exports: [SchemaRegistry, PersonalDataMasker],
    };
  }
}
