import { DynamicModule, Module } from '@nestjs/common';
import { ACCESS_MIGRATIONS, AccessModule } from '@korpu/access';
import { InboundModule } from '@korpu/inbound';
import { MessagingModule } from '@korpu/messaging';
import { ObservabilityModule } from '@korpu/observability';
import { SchemasModule } from '@korpu/schemas';
import { SignatureModule } from '@korpu/signature';
import { StoreModule } from '@korpu/store';
import { ClientIdentityService } from './client-identity.service';
import { InboundRepliesConsumer } from './inbound-replies.consumer';
import { MinistryWsdlRepository } from './ministry-wsdl.repository';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';
import { RestEndpointController } from './rest-endpoint.controller';
import { SoapEndpointController } from './soap-endpoint.controller';

/** The ministry's services for the portal and partner agencies (inbound): SOAP and REST entry points only. */
@Module({})
export class PartnerEndpointModule {
  static forRoot(config: PartnerEndpointConfig): DynamicModule {
    return {
      module: PartnerEndpointModule,
      imports: [
        ObservabilityModule,
        StoreModule.forRoot({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir, migrationDirs: [ACCESS_MIGRATIONS] }),
        MessagingModule.forRoot({
          brokers: config.kafka.brokers,
          topicPrefix: config.kafka.topicPrefix,
          clientId: `korpu-partner-endpoint-${config.instanceId}`,
          defaultPartitions: config.kafka.partitions,
          defaultReplicationFactor: config.kafka.replicationFactor,
          producerRetryTimeMs: 30000,
          sessionTimeoutMs: config.kafka.sessionTimeoutMs,
        }),
        SchemasModule.forRoot({ directory: config.schemasDir, controller: false }),
        AccessModule.forRoot({ clientsFile: config.clientsFile }),
        SignatureModule.forRoot(config.signature),
        InboundModule.forRoot({
          directory: config.ministryDir,
          callbacks: config.subsystemCallbacks,
          callbackTimeoutMs: config.callbackTimeoutMs,
        }),
      ],
      controllers: [SoapEndpointController, RestEndpointController],
      providers: [{ provide: PARTNER_ENDPOINT_CONFIG, useValue: config }, ClientIdentityService, MinistryWsdlRepository, InboundRepliesConsumer],
    };
  }
}
