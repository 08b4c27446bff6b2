import { DynamicModule, Module } from '@nestjs/common';
import { ReplyWaiter } from '@korpu/exchange';
import { DeliverToCallbackUseCase, INBOUND_CALLBACKS } from './deliver-to-callback/deliver-to-callback.usecase';
import { InboundCallbackConsumer } from './deliver-to-callback/inbound-callback.consumer';
import { SubsystemCallbackAdapter } from './deliver-to-callback/subsystem-callback.adapter';
import { HandleInboundRequestUseCase } from './handle-inbound-request/handle-inbound-request.usecase';
import { InboundCatalogue, loadInboundCatalogue } from './inbound-catalogue';
import { InboundTopicsProvisioner } from './inbound-topics.provisioner';
import { INBOUND_OPTIONS, InboundOptions } from './inbound.options';

/**
 * Requests from partners to the ministry's subsystems: the catalogue of published services, the use case the
 * partner endpoint calls, the reply waiter (fed by the app's replies consumer), and delivery to the subsystems'
 * HTTP callbacks. Needs from the app: MessagingModule, SchemasModule, AccessModule (with StoreModule),
 * ObservabilityModule.
 */
@Module({})
export class InboundModule {
  static forRoot(options: InboundOptions): DynamicModule {
    return {
      module: InboundModule,
      providers: [
        { provide: INBOUND_OPTIONS, useValue: options },
        { provide: INBOUND_CALLBACKS, useValue: options.callbacks ?? {} },
        { provide: InboundCatalogue, useFactory: () => loadInboundCatalogue(options.directory) },
        { provide: SubsystemCallbackAdapter, useFactory: () => new SubsystemCallbackAdapter(options.callbackTimeoutMs ?? 10000) },
        ReplyWaiter,
        HandleInboundRequestUseCase,
        DeliverToCallbackUseCase,
        InboundCallbackConsumer,
        InboundTopicsProvisioner,
      ],
      exports: [InboundCatalogue, HandleInboundRequestUseCase, ReplyWaiter],
    };
  }
}
