import { DynamicModule, Module } from '@nestjs/common';
import { ACCESS_MIGRATIONS, AccessModule } from '@korpu/access';
import { ContractsModule } from '@korpu/contracts';
import { DeliveryModule } from '@korpu/delivery';
import { ExchangeTopicsProvisioner } from '@korpu/exchange';
import { FAILED_MESSAGES_MIGRATIONS, FailedMessagesModule } from '@korpu/failed-messages';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import { MESSAGE_LOG_MIGRATIONS, MessageLogModule } from '@korpu/message-log';
import { MessagingModule } from '@korpu/messaging';
import { ObservabilityModule } from '@korpu/observability';
import { OPERATIONAL_MONITORING_MIGRATIONS, OperationalMonitoringModule } from '@korpu/operational-monitoring';
import { SchemasModule } from '@korpu/schemas';
import { SignatureModule } from '@korpu/signature';
import { StoreModule } from '@korpu/store';
import { TRACKING_MIGRATIONS } from '@korpu/tracking';
import type { DispatcherConfig } from './dispatcher.config';
import { DISPATCHER_CONFIG } from './dispatcher.tokens';
import { OutboundConsumer } from './outbound.consumer';
import { RetryConsumer } from './retry.consumer';

/** Delivers outbound messages from Kafka to partners (re-checking each client's access right) and publishes their replies. */
@Module({})
export class DispatcherModule {
  static forRoot(config: DispatcherConfig): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        ObservabilityModule,
        StoreModule.forRoot({ ...config.database, migrationDirs: [TRACKING_MIGRATIONS, ACCESS_MIGRATIONS, FAILED_MESSAGES_MIGRATIONS, MESSAGE_LOG_MIGRATIONS, OPERATIONAL_MONITORING_MIGRATIONS] }),
        MessagingModule.forRoot(config.kafka),
        ContractsModule.forRoot({ directory: config.contractsDir, endpointOverrides: config.partnerEndpoints, pkiDir: config.pkiDir }),
        SchemasModule.forRoot({ directory: config.schemasDir, controller: false }),
        SignatureModule.forRoot(config.signature),
        DataKeysModule.forRoot(config.dataKeys),
        MessageLogModule.forRoot(config.messageLog),
        // Access rights are checked again when a message is taken from Kafka; the gateway seeds them.
        AccessModule.forRoot({ clientsFile: config.clientsFile, pkiDir: config.pkiDir, seed: false }),
        // Every delivery attempt leaves an operational record (batched); the gateway serves and purges them.
        OperationalMonitoringModule.forRoot({ options: config.operationalRecords }),
        DeliveryModule,
        // Dead letters land in the failed-message store here; the admin API is served by the gateway.
        FailedMessagesModule.forRoot({ operators: {}, consumer: true, http: false }),
      ],
      providers: [{ provide: DISPATCHER_CONFIG, useValue: config }, ExchangeTopicsProvisioner, OutboundConsumer, RetryConsumer],
    };
  }
}
