import { DynamicModule, Module } from '@nestjs/common';
import { ACCESS_MIGRATIONS, AccessModule } from '@korpu/access';
import { AdminConsoleModule } from '@korpu/admin-console';
import { ContractsModule } from '@korpu/contracts';
import { ExchangeModule, ExchangeTopicsProvisioner, RegistryPayloadValidator } from '@korpu/exchange';
import { FAILED_MESSAGES_MIGRATIONS, FailedMessagesModule } from '@korpu/failed-messages';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import { MESSAGE_LOG_MIGRATIONS, MessageLogModule } from '@korpu/message-log';
import { MessagingModule } from '@korpu/messaging';
import { MetaservicesModule } from '@korpu/metaservices';
import { ObservabilityModule } from '@korpu/observability';
import { OPERATORS_MIGRATIONS, OperatorsModule } from '@korpu/operators';
import { OPERATIONAL_MONITORING_MIGRATIONS, OperationalMonitoringModule } from '@korpu/operational-monitoring';
import { SchemasModule } from '@korpu/schemas';
import { StoreModule } from '@korpu/store';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_CONFIG } from './gateway.tokens';
import { AccessRightsController } from './access-rights.controller';
import { FailedMessagesMetrics } from './failed-messages.metrics';
import { InventoryController } from './inventory.controller';
import { MessagesController } from './messages.controller';
import { MetaservicesController } from './metaservices.controller';
import { RepliesConsumer } from './replies.consumer';

/** The internal API process: composes capabilities, holds only HTTP and Kafka entry points. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule,
        StoreModule.forRoot({
          ...config.database,
          migrationDirs: [TRACKING_MIGRATIONS, ACCESS_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, MESSAGE_LOG_MIGRATIONS, OPERATORS_MIGRATIONS, OPERATIONAL_MONITORING_MIGRATIONS],
        }),
        MessagingModule.forRoot(config.kafka),
        ContractsModule.forRoot({ directory: config.contractsDir, endpointOverrides: config.partnerEndpoints, pkiDir: config.pkiDir }),
        SchemasModule.forRoot({ directory: config.schemasDir }),
        AccessModule.forRoot({ clientsFile: config.clientsFile, pkiDir: config.pkiDir }),
        DataKeysModule.forRoot(config.dataKeys),
        MessageLogModule.forRoot(config.messageLog),
        ExchangeModule.forRoot({ maxWaiting: config.exchangeMaxWaiting }),
        OperatorsModule.forRoot(config.operators),
        FailedMessagesModule.forRoot({
          consumer: false,
          validator: RegistryPayloadValidator,
          jobs: config.replayJobs,
        }),
        OperationalMonitoringModule.forRoot({ options: config.operationalRecords, http: true, purge: true }),
        AdminConsoleModule,
        MetaservicesModule.forRoot({ services: 'partners', inventory: { certificateFiles: config.inventoryCertificates, baseDirs: [config.contractsDir, config.pkiDir] } }),
      ],
      controllers: [MessagesController, AccessRightsController, MetaservicesController, InventoryController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, ExchangeTopicsProvisioner, RepliesConsumer, FailedMessagesMetrics],
    };
  }
}
