export { DeliveryModule } from './delivery.module';
export { DeliverMessageUseCase } from './deliver-message/deliver-message.usecase';
export type { DeliveryOutcome } from './deliver-message/deliver-message.usecase';
