import { randomBytes } from 'node:crypto';
import { CryptoAtRestErrorCode } from './crypto-at-rest-error-code';
import { PayloadCipher } from './payload-cipher';

const key = (): string => randomBytes(32).toString('base64');
const P = 'korpu/test.column/1';

describe('PayloadCipher', () => {
  it('round-trips a payload with the active key, storing the key id and a fresh IV each time', () => {
    const cipher = new PayloadCipher({ k1: key() }, 'k1', P);
    const a = cipher.encrypt('{"pin":"5ABC123"}', 'm1');
    const b = cipher.encrypt('{"pin":"5ABC123"}', 'm1');
    expect(a.keyId).toBe('k1');
    expect(a.ciphertext).toMatch(/^v1\./);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain('5ABC123');
    expect(cipher.decrypt(a, 'm1')).toBe('{"pin":"5ABC123"}');
  });

  it('keeps old payloads readable after the active key rotates', () => {
    const keys = { k1: key(), k2: key() };
    const old = new PayloadCipher(keys, 'k1', P).encrypt('old', 'm1');
    const rotated = new PayloadCipher(keys, 'k2', P);
    expect(rotated.encrypt('new', 'm2').keyId).toBe('k2');
    expect(rotated.decrypt(old, 'm1')).toBe('old');
  });

  it('refuses a ciphertext moved to another message or altered', () => {
    const cipher = new PayloadCipher({ k1: key() }, 'k1', P);
    const sealed = cipher.encrypt('secret', 'm1');
    expect(() => cipher.decrypt(sealed, 'm2')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.DECRYPTION_FAILED }),
    );
    const bytes = Buffer.from(sealed.ciphertext.slice(3), 'base64');
    bytes[14] ^= 1;
    const altered = { ...sealed, ciphertext: `v1.${bytes.toString('base64')}` };
    expect(() => cipher.decrypt(altered, 'm1')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.DECRYPTION_FAILED }),
    );
  });

  it('says which key is missing', () => {
    const sealed = new PayloadCipher({ k1: key() }, 'k1', P).encrypt('secret', 'm1');
    expect(() => new PayloadCipher({ k2: key() }, undefined, P).decrypt(sealed, 'm1')).toThrow(
      expect.objectContaining({
        code: CryptoAtRestErrorCode.KEY_NOT_FOUND,
        details: expect.objectContaining({ kid: 'k1' }),
      }),
    );
  });

  it('refuses keys that are not 32 bytes of base64 and an active key id that is not configured', () => {
    expect(() => new PayloadCipher({ k1: randomBytes(16).toString('base64') }, undefined, P)).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.KEY_INVALID }),
    );
    expect(() => new PayloadCipher({ k1: 'not base64!' }, undefined, P)).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.KEY_INVALID }),
    );
    expect(() => new PayloadCipher({ k1: key() }, 'k2', P)).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.KEY_INVALID }),
    );
  });

  it('refuses to encrypt without an active key', () => {
    const cipher = new PayloadCipher({ k1: key() }, undefined, P);
    expect(cipher.canEncrypt).toBe(false);
    expect(() => cipher.encrypt('x', 'm1')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.ENCRYPTION_UNAVAILABLE }),
    );
  });
});

describe('PayloadCipher purposes', () => {
  it('refuses a ciphertext copied to another column under the same key and record id', () => {
    const keys = { k1: key() };
    const sealed = new PayloadCipher(keys, 'k1', 'korpu/failed_messages.payload/1').encrypt('x', 'm1');
    expect(() => new PayloadCipher(keys, 'k1', 'korpu/messages.reply_payload/1').decrypt(sealed, 'm1')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.DECRYPTION_FAILED }),
    );
  });
});
