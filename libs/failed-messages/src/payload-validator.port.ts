import { ContentType } from '@korpu/envelope';
import { FailedMessagesErrorCode } from './failed-messages-error-code';
import { FailedMessagesException } from './failed-messages.exception';

/**
 * Validates an edited payload against the schema of the message's declared type and exact version; throws (a
 * coded exception, with `details` for the operator) when it is invalid. Bind it to the schema registry — the shape
 * is that of `PayloadValidator` in @korpu/exchange, so `RegistryPayloadValidator` fits as it is.
 */
export abstract class FailedMessagePayloadValidator {
  abstract validate(messageType: string, schemaVersion: string, payload: string, contentType: ContentType): Promise<{ warnings: string[] }>;
}

/** The default when the app binds no validator: edits are refused rather than stored unchecked. */
export class NoPayloadValidator extends FailedMessagePayloadValidator {
  async validate(): Promise<{ warnings: string[] }> {
    throw new FailedMessagesException(
      FailedMessagesErrorCode.EDIT_VALIDATION_UNAVAILABLE,
      'Editing is disabled: no schema validator is configured for failed messages',
    );
  }
}
