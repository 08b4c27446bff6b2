import { DynamicModule, Module } from '@nestjs/common';
import { DataKeys, DataKeysOptions } from './data-keys';

/** Provides DataKeys to every module of the app (global): each app imports it once with its configuration. */
@Module({})
export class DataKeysModule {
  static forRoot(options: DataKeysOptions): DynamicModule {
    return {
      module: DataKeysModule,
      global: true,
      providers: [{ provide: DataKeys, useFactory: () => new DataKeys(options) }],
      exports: [DataKeys],
    };
  }
}
