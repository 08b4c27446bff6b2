import { Module } from '@nestjs/common';
import { AdaptersModule } from '@korpu/adapters';
import { PayloadValidator, RegistryPayloadValidator } from '@korpu/exchange';
import { TrackingModule } from '@korpu/tracking';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { DeliverMessageUseCase } from './deliver-message/deliver-message.usecase';
import { RetryScheduler } from './retry/retry-scheduler';

/**
 * Outbound delivery to partners. Needs PartnerDirectory, MessageProducer, Database and SchemaRegistry from the app;
 * takes OperationalRecorder (OperationalMonitoringModule, global) where the app has it.
 */
@Module({
  imports: [AdaptersModule, TrackingModule],
  providers: [
    DeliverMessageUseCase,
    RetryScheduler,
    DeadLetterPublisher,
    { provide: PayloadValidator, useClass: RegistryPayloadValidator },
  ],
  exports: [DeliverMessageUseCase, RetryScheduler, DeadLetterPublisher],
})
export class DeliveryModule {}
