/**
 * When a delivery fails for good, the dispatcher publishes a reply of this type, so a waiting
 * synchronous caller learns at once instead of at its deadline.
 */
export const DELIVERY_FAILURE_TYPE = 'korpu-delivery-failure';
export const DELIVERY_FAILURE_VERSION = '1';

export interface DeliveryFailure {
  code: string;
  message: string;
}
