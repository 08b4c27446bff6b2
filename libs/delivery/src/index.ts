export { DeliveryModule } from './delivery.module';
export { DeliverMessageUseCase } from './deliver-message/deliver-message.usecase';
export type { DeliveryOutcome } from './deliver-message/deliver-message.usecase';
export { RetryScheduler } from './retry/retry-scheduler';
export { RetryHeader } from './retry/retry-headers';
export { decideRetry, retryTier } from './retry/retry-decision';
export type { RetryDecision } from './retry/retry-decision';
export { DeadLetterPublisher } from './dead-letter.publisher';
export { DeliveryErrorCode, DeliveryException } from './delivery.exception';
