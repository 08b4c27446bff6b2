import { DynamicModule, Module } from '@nestjs/common';
import { MetricsRegistry } from '@korpu/observability';
import { TrackingModule } from '@korpu/tracking';
import { ExchangeAdmission, ExchangeAdmissionOptions } from './exchange-message/exchange-admission';
import { ExchangeMessageUseCase } from './exchange-message/exchange-message.usecase';
import { ReplyWaiter } from '@korpu/envelope';
import { GetMessageStatusUseCase } from './get-message-status/get-message-status.usecase';
import { PayloadValidator } from './payload-validator.port';
import { RegistryPayloadValidator } from './registry-payload.validator';
import { ClaimHolder } from './submit-message/claim-holder';
import { SubmitMessageUseCase } from './submit-message/submit-message.usecase';

/**
 * The subsystems' side of Körpü: submit, exchange, status. Needs from the app: PartnerDirectory
 * (ContractsModule), AccessControlService (AccessModule), MessageProducer (MessagingModule),
 * Database (StoreModule) and SchemaRegistry (SchemasModule); MetricsRegistry (ObservabilityModule) if there.
 */
@Module({})
export class ExchangeModule {
  static forRoot(admission: ExchangeAdmissionOptions): DynamicModule {
    return {
      module: ExchangeModule,
      imports: [TrackingModule],
      providers: [
        ClaimHolder,
        SubmitMessageUseCase,
        ExchangeMessageUseCase,
        GetMessageStatusUseCase,
        ReplyWaiter,
        {
          provide: ExchangeAdmission,
          useFactory: (metrics?: MetricsRegistry) => new ExchangeAdmission(admission, metrics),
          inject: [{ token: MetricsRegistry, optional: true }],
        },
        { provide: PayloadValidator, useClass: RegistryPayloadValidator },
      ],
      exports: [SubmitMessageUseCase, ExchangeMessageUseCase, GetMessageStatusUseCase, ReplyWaiter, PayloadValidator],
    };
  }
}
