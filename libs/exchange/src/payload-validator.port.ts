import { ContentType } from '@korpu/envelope';

/** Validates a payload against the exact schema version it declares; throws a coded exception when invalid. */
export abstract class PayloadValidator {
  abstract validate(
    messageType: string,
    schemaVersion: string,
    payload: string,
    contentType: ContentType,
  ): Promise<{ warnings: string[] }>;
}
