import { PayloadCipher as DataCipher } from '@korpu/crypto-at-rest';

/** The AAD purpose of message-log payloads; unchanged since the first encrypted record, so every one stays readable. */
export const MESSAGE_LOG_PURPOSE = 'korpu-message-log/1';

/** The shared data cipher (@korpu/crypto-at-rest) bound to the message log's payloads. */
export class PayloadCipher extends DataCipher {
  constructor(keys: Record<string, string> = {}, activeKeyId?: string) {
    super(keys, activeKeyId, MESSAGE_LOG_PURPOSE);
  }
}
