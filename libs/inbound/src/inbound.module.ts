import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ReplyWaiter } from '@korpu/envelope';
import { DeadLetterPublisher } from '@korpu/delivery';
import { TrackingModule } from '@korpu/tracking';
import { CallerIdentityService } from './admission/caller-identity.service';
import { InboundMetaservices } from './admission/inbound-metaservices.port';
import { AdmitRestRequestUseCase } from './admit-rest-request/admit-rest-request.usecase';
import { AdmitSoapRequestUseCase } from './admit-soap-request/admit-soap-request.usecase';
import { DeliverToCallbackUseCase, INBOUND_CALLBACKS } from './deliver-to-callback/deliver-to-callback.usecase';
import { InboundCallbackConsumer } from './deliver-to-callback/inbound-callback.consumer';
import { SubsystemCallbackAdapter } from './deliver-to-callback/subsystem-callback.adapter';
import { HandleInboundRequestUseCase } from './handle-inbound-request/handle-inbound-request.usecase';
import { InboundCatalogue, loadInboundCatalogue } from './inbound-catalogue';
import { InboundTopicsProvisioner } from './inbound-topics.provisioner';
import { INBOUND_OPTIONS, InboundOptions } from './inbound.options';
import { RecordInboundRejectionUseCase } from './record-inbound-rejection/record-inbound-rejection.usecase';

/**
 * Requests from partners to the ministry's subsystems: the catalogue of published services, one admission use
 * case per protocol that the partner endpoint's controllers call (SOAP, REST: signature, headers, identity,
 * service, then the request itself and the signed reply), the reply waiter (fed by the app's replies consumer),
 * and delivery to the subsystems' HTTP callbacks. Needs from the app: MessagingModule, SchemasModule,
 * AccessModule (its ClientRegistry identifies callers) and StoreModule (with TRACKING_MIGRATIONS and
 * MESSAGE_LOG_MIGRATIONS), SignatureModule and MessageLogModule (global), ObservabilityModule.
 */
@Module({})
export class InboundModule {
  static forRoot(options: InboundOptions): DynamicModule {
    return {
      module: InboundModule,
      imports: [TrackingModule],
      providers: [
        { provide: INBOUND_OPTIONS, useValue: options },
        { provide: INBOUND_CALLBACKS, useValue: options.callbacks ?? {} },
        { provide: InboundCatalogue, useFactory: () => loadInboundCatalogue(options.directory) },
        { provide: SubsystemCallbackAdapter, useFactory: () => new SubsystemCallbackAdapter(options.callbackTimeoutMs ?? 10000) },
        ReplyWaiter,
        HandleInboundRequestUseCase,
        RecordInboundRejectionUseCase,
        CallerIdentityService,
        AdmitSoapRequestUseCase,
        AdmitRestRequestUseCase,
        DeliverToCallbackUseCase,
        InboundCallbackConsumer,
        DeadLetterPublisher,
        InboundTopicsProvisioner,
        ...(options.metaservices ? [{ provide: InboundMetaservices, useExisting: options.metaservices } satisfies Provider] : []),
      ],
      exports: [InboundCatalogue, AdmitSoapRequestUseCase, AdmitRestRequestUseCase, ReplyWaiter],
    };
  }
}
