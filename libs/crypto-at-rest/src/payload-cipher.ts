import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoAtRestErrorCode } from './crypto-at-rest-error-code';
import { CryptoAtRestException } from './crypto-at-rest.exception';

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

/**
 * Binds a ciphertext to where it is stored (`purpose`, e.g. the table and column) and to its record: moving it to
 * another column, under another record id or key id makes decryption fail.
 */
function aad(purpose: string, keyId: string, recordId: string): Buffer {
  return Buffer.from(`${purpose}\n${keyId}\n${recordId}`, 'utf8');
}

/**
 * AES-256-GCM encryption of payloads at rest, for one purpose (one place data is stored). Several keys may be
 * configured (by key id) so that old records stay readable after a rotation; new payloads use the active key.
 */
export class PayloadCipher {
  private readonly keys = new Map<string, Buffer>();

  /** @throws KEY_INVALID when a key is not 32 bytes of base64 or the active key id is not among the keys */
  constructor(
    keys: Record<string, string>,
    readonly activeKeyId: string | undefined,
    /** Where the ciphertexts live, bound into each (AAD): `korpu-message-log/1`, `korpu/messages.reply_payload/1`... */
    readonly purpose: string,
  ) {
    for (const [kid, base64] of Object.entries(keys)) {
      const key = decodeKey(base64);
      if (!kid || !key) {
        throw new CryptoAtRestException(
          CryptoAtRestErrorCode.KEY_INVALID,
          `data key "${kid}" must be 32 bytes, base64-encoded`,
          { kid },
        );
      }
      this.keys.set(kid, key);
    }
    if (activeKeyId !== undefined && !this.keys.has(activeKeyId)) {
      throw new CryptoAtRestException(
        CryptoAtRestErrorCode.KEY_INVALID,
        `the active data key "${activeKeyId}" is not configured`,
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
  encrypt(plaintext: string, recordId: string): SealedPayload {
    const keyId = this.activeKeyId;
    if (keyId === undefined) {
      throw new CryptoAtRestException(
        CryptoAtRestErrorCode.ENCRYPTION_UNAVAILABLE,
        'payload encryption was asked for but no active key is configured',
      );
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(this.purpose, keyId, recordId));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId, ciphertext: FORMAT + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64') };
  }

  /** @throws KEY_NOT_FOUND for an unknown key id, DECRYPTION_FAILED when GCM refuses the ciphertext */
  decrypt(sealed: SealedPayload, recordId: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new CryptoAtRestException(
        CryptoAtRestErrorCode.KEY_NOT_FOUND,
        `no data key "${sealed.keyId}" is configured (needed to read ${this.purpose} of record ${recordId})`,
        {
          kid: sealed.keyId,
          recordId,
          purpose: this.purpose,
        },
      );
    }
    try {
      if (!sealed.ciphertext.startsWith(FORMAT)) throw new Error('unknown ciphertext format');
      const bytes = Buffer.from(sealed.ciphertext.slice(FORMAT.length), 'base64');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(this.purpose, sealed.keyId, recordId));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new CryptoAtRestException(
        CryptoAtRestErrorCode.DECRYPTION_FAILED,
        `the ${this.purpose} value of record ${recordId} cannot be decrypted with key "${sealed.keyId}"`,
        { kid: sealed.keyId, recordId, purpose: this.purpose },
        error,
      );
    }
  }
}

/** Whether a configured value is a usable data key (32 bytes, base64). */
export function isDataKey(base64: string): boolean {
  return decodeKey(base64) !== undefined;
}

function decodeKey(base64: string): Buffer | undefined {
  if (typeof base64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64.trim())) return undefined;
  const key = Buffer.from(base64.trim(), 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}
