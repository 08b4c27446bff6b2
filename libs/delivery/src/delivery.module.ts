import { Module } from '@nestjs/common';
import { AdaptersModule } from '@korpu/adapters';
import { PayloadValidator, RegistryPayloadValidator } from '@korpu/exchange';
import { TrackingModule } from '@korpu/tracking';
import { DeliverMessageUseCase } from './deliver-message/deliver-message.usecase';

/** Outbound delivery to partners. Needs PartnerDirectory, MessageProducer, Database and SchemaRegistry from the app. */
@Module({
  imports: [AdaptersModule, TrackingModule],
  providers: [DeliverMessageUseCase, { provide: PayloadValidator, useClass: RegistryPayloadValidator }],
  exports: [DeliverMessageUseCase],
})
export class DeliveryModule {}
