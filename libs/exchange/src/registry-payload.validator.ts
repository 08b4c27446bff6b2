import { Injectable } from '@nestjs/common';
import { ContentType } from '@korpu/envelope';
import { SchemaRegistry } from '@korpu/schemas';
import { PayloadValidator } from './payload-validator.port';

/** PayloadValidator over the versioned schema registry (schemas/). */
@Injectable()
export class RegistryPayloadValidator extends PayloadValidator {
  constructor(private readonly registry: SchemaRegistry) {
    super();
  }

  async validate(messageType: string, schemaVersion: string, payload: string, contentType: ContentType): Promise<{ warnings: string[] }> {
    // JSON payloads reach here as text that was parsed once already (HTTP body or partner reply), so parsing cannot fail.
    const value = contentType === 'application/json' ? JSON.parse(payload) : payload;
    const outcome = this.registry.validate(messageType, schemaVersion, value);
    return { warnings: outcome.warnings.map((warning) => warning.message) };
  }
}
