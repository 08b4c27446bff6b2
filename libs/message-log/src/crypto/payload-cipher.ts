import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MessageLogErrorCode } from '../message-log-error-code';
import { MessageLogException } from '../message-log.exception';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Prefix of the stored form, so a later format can be told apart. */
const FORMAT = 'v1.';

export interface SealedPayload {
  keyId: string;
  /** `v1.` + base64(iv (12) || ciphertext || tag (16)). */
  ciphertext: string;
}

/** Binds a ciphertext to its record: moving it under another message id or key id makes decryption fail. */
function aad(keyId: string, messageId: string): Buffer {
  return Buffer.from(`korpu-message-log/1\n${keyId}\n${messageId}`, 'utf8');
}

/**
 * AES-256-GCM encryption of payloads at rest. Several keys may be configured (by key id) so that old records
 * stay readable after a rotation; new payloads use the active key.
 */
export class PayloadCipher {
  private readonly keys = new Map<string, Buffer>();

  /** @throws KEY_INVALID when a key is not 32 bytes of base64 or the active key id is not among the keys */
  constructor(
    keys: Record<string, string> = {},
    readonly activeKeyId?: string,
  ) {
    for (const [kid, base64] of Object.entries(keys)) {
      const key = decodeKey(base64);
      if (!kid || !key) {
        throw new MessageLogException(
          MessageLogErrorCode.KEY_INVALID,
          `encryption key "${kid}" must be 32 bytes, base64-encoded`,
          { kid },
        );
      }
      this.keys.set(kid, key);
    }
    if (activeKeyId !== undefined && !this.keys.has(activeKeyId)) {
      throw new MessageLogException(
        MessageLogErrorCode.KEY_INVALID,
        `the active encryption key "${activeKeyId}" is not configured`,
        {
          kid: activeKeyId,
        },
      );
    }
  }

  get canEncrypt(): boolean {
    return this.activeKeyId !== undefined;
  }

  hasKey(kid: string): boolean {
    return this.keys.has(kid);
  }

  /** @throws ENCRYPTION_UNAVAILABLE when no active key is configured */
  encrypt(plaintext: string, messageId: string): SealedPayload {
    const keyId = this.activeKeyId;
    if (keyId === undefined) {
      throw new MessageLogException(
        MessageLogErrorCode.ENCRYPTION_UNAVAILABLE,
        'payload encryption was asked for but no active key is configured',
      );
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(keyId, messageId));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId, ciphertext: FORMAT + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64') };
  }

  /** @throws KEY_NOT_FOUND for an unknown key id, DECRYPTION_FAILED when GCM refuses the ciphertext */
  decrypt(sealed: SealedPayload, messageId: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new MessageLogException(
        MessageLogErrorCode.KEY_NOT_FOUND,
        `no payload encryption key "${sealed.keyId}" is configured`,
        {
          kid: sealed.keyId,
          messageId,
        },
      );
    }
    try {
      if (!sealed.ciphertext.startsWith(FORMAT)) throw new Error('unknown ciphertext format');
      const bytes = Buffer.from(sealed.ciphertext.slice(FORMAT.length), 'base64');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(sealed.keyId, messageId));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new MessageLogException(
        MessageLogErrorCode.DECRYPTION_FAILED,
        `the payload of message ${messageId} cannot be decrypted with key "${sealed.keyId}"`,
        { kid: sealed.keyId, messageId },
        error,
      );
    }
  }
}

function decodeKey(base64: string): Buffer | undefined {
  if (typeof base64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64.trim())) return undefined;
  const key = Buffer.from(base64.trim(), 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}
