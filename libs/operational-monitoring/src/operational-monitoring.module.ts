import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Clock, SystemClock } from '@korpu/operators';
import { ListOperationalRecordsUseCase } from './list-operational-records/list-operational-records.usecase';
import { OperationalRecordStore, PgOperationalRecordStore } from './operational-record.repository';
import { OPERATIONAL_MONITORING_OPTIONS, OperationalMonitoringModuleOptions } from './operational-monitoring.options';
import { OperationalRecordsController } from './http/operational-records.controller';
import { OperationalRecordsPurgeSchedule, PurgeOperationalRecordsUseCase } from './purge-operational-records/purge-operational-records.usecase';
import { BufferedOperationalRecorder, OperationalRecorder } from './record-exchange/operational-recorder';
import { SummarizeExchangesUseCase } from './summarize-exchanges/summarize-exchanges.usecase';

/**
 * Operational records: the recorder (global, so the exchange use cases of other libs take OperationalRecorder
 * where it is there), the PostgreSQL store, the admin API (`http`) and the retention purge (`purge`). Needs
 * `Database` (StoreModule with OPERATIONAL_MONITORING_MIGRATIONS); the admin API needs OperatorsModule (AdminGuard).
 */
@Module({})
export class OperationalMonitoringModule {
  static forRoot(config: OperationalMonitoringModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: OPERATIONAL_MONITORING_OPTIONS, useValue: config.options },
      { provide: OperationalRecordStore, useClass: PgOperationalRecordStore },
      BufferedOperationalRecorder,
      { provide: OperationalRecorder, useExisting: BufferedOperationalRecorder },
      { provide: Clock, useClass: SystemClock },
      ListOperationalRecordsUseCase,
      SummarizeExchangesUseCase,
      PurgeOperationalRecordsUseCase,
    ];
    if (config.purge) providers.push(OperationalRecordsPurgeSchedule);
    return {
      global: true,
      module: OperationalMonitoringModule,
      controllers: config.http ? [OperationalRecordsController] : [],
      providers,
      exports: [OperationalRecorder, OperationalRecordStore, ListOperationalRecordsUseCase, SummarizeExchangesUseCase, PurgeOperationalRecordsUseCase],
    };
  }
}

/** The migrations of this lib: give them to StoreModule (`migrationDirs`). */
export const OPERATIONAL_MONITORING_MIGRATIONS = `${__dirname}/../migrations`;
