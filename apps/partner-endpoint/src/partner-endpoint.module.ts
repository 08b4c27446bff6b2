import { DynamicModule, Module } from '@nestjs/common';
import { ACCESS_MIGRATIONS, AccessModule } from '@korpu/access';
import { InboundModule } from '@korpu/inbound';
import { DataKeysModule } from '@korpu/crypto-at-rest';
import { MESSAGE_LOG_MIGRATIONS, MessageLogModule } from '@korpu/message-log';
import { MessagingModule } from '@korpu/messaging';
import { MetaservicesModule, PartnerMetaservices } from '@korpu/metaservices';
import { ObservabilityModule } from '@korpu/observability';
import { OPERATIONAL_MONITORING_MIGRATIONS, OperationalMonitoringModule } from '@korpu/operational-monitoring';
import { SchemasModule } from '@korpu/schemas';
import { SignatureModule } from '@korpu/signature';
import { StoreModule } from '@korpu/store';
import { TRACKING_MIGRATIONS, TrackingModule } from '@korpu/tracking';
import { InboundRepliesConsumer } from './inbound-replies.consumer';
import { MetaservicesController } from './metaservices.controller';
import { MinistryWsdlRepository } from './ministry-wsdl.repository';
import type { PartnerEndpointConfig } from './partner-endpoint.config';
import { PARTNER_ENDPOINT_CONFIG } from './partner-endpoint.tokens';
import { RestEndpointController } from './rest-endpoint.controller';
import { SoapEndpointController } from './soap-endpoint.controller';

/**
 * The ministry's services for the portal and partner agencies (inbound): SOAP and REST entry points only; every
 * request is tracked (messages) and logged (message_log) as in the outbound direction.
 */
@Module({})
export class PartnerEndpointModule {
  static forRoot(config: PartnerEndpointConfig): DynamicModule {
    return {
      module: PartnerEndpointModule,
      imports: [
        ObservabilityModule,
        StoreModule.forRoot({
          ...config.database,
          migrationDirs: [TRACKING_MIGRATIONS, ACCESS_MIGRATIONS, MESSAGE_LOG_MIGRATIONS, OPERATIONAL_MONITORING_MIGRATIONS],
        }),
        MessagingModule.forRoot(config.kafka),
        SchemasModule.forRoot({ directory: config.schemasDir, controller: false }),
        AccessModule.forRoot({ clientsFile: config.clientsFile, pkiDir: config.pkiDir }),
        SignatureModule.forRoot(config.signature),
        DataKeysModule.forRoot(config.dataKeys),
        MessageLogModule.forRoot(config.messageLog),
        TrackingModule,
        // Every inbound exchange leaves an operational record (batched); the gateway serves and purges them.
        OperationalMonitoringModule.forRoot({ options: config.operationalRecords }),
        MetaservicesModule.forRoot({ services: 'ministry', ministryDir: config.ministryDir }),
        InboundModule.forRoot({
          directory: config.ministryDir,
          callbacks: config.subsystemCallbacks,
          callbackTimeoutMs: config.callbackTimeoutMs,
          replyTimeoutMs: config.replyTimeoutMs,
          callbackRetry: { attempts: config.callbackAttempts },
          tlsClientCertificate: config.tls.mode === 'required' ? 'required' : 'optional',
          refusalLogPerMinute: config.refusalLogPerMinute,
          metaservices: PartnerMetaservices,
        }),
      ],
      controllers: [SoapEndpointController, RestEndpointController, MetaservicesController],
      providers: [{ provide: PARTNER_ENDPOINT_CONFIG, useValue: config }, MinistryWsdlRepository, InboundRepliesConsumer],
    };
  }
}
