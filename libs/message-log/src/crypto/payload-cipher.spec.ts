import { randomBytes } from 'node:crypto';
import { MessageLogErrorCode } from '../message-log-error-code';
import { PayloadCipher } from './payload-cipher';

const key = (): string => randomBytes(32).toString('base64');

describe('PayloadCipher', () => {
  it('round-trips a payload with the active key, storing the key id and a fresh IV each time', () => {
    const cipher = new PayloadCipher({ k1: key() }, 'k1');
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
    const old = new PayloadCipher(keys, 'k1').encrypt('old', 'm1');
    const rotated = new PayloadCipher(keys, 'k2');
    expect(rotated.encrypt('new', 'm2').keyId).toBe('k2');
    expect(rotated.decrypt(old, 'm1')).toBe('old');
  });

  it('refuses a ciphertext moved to another message or altered', () => {
    const cipher = new PayloadCipher({ k1: key() }, 'k1');
    const sealed = cipher.encrypt('secret', 'm1');
    expect(() => cipher.decrypt(sealed, 'm2')).toThrow(
      expect.objectContaining({ code: MessageLogErrorCode.DECRYPTION_FAILED }),
    );
    const bytes = Buffer.from(sealed.ciphertext.slice(3), 'base64');
    bytes[14] ^= 1;
    const altered = { ...sealed, ciphertext: `v1.${bytes.toString('base64')}` };
    expect(() => cipher.decrypt(altered, 'm1')).toThrow(
      expect.objectContaining({ code: MessageLogErrorCode.DECRYPTION_FAILED }),
    );
  });

  it('says which key is missing', () => {
    const sealed = new PayloadCipher({ k1: key() }, 'k1').encrypt('secret', 'm1');
    expect(() => new PayloadCipher({ k2: key() }).decrypt(sealed, 'm1')).toThrow(
      expect.objectContaining({
        code: MessageLogErrorCode.KEY_NOT_FOUND,
        details: expect.objectContaining({ kid: 'k1' }),
      }),
    );
  });

  it('refuses keys that are not 32 bytes of base64 and an active key id that is not configured', () => {
    expect(() => new PayloadCipher({ k1: randomBytes(16).toString('base64') })).toThrow(
      expect.objectContaining({ code: MessageLogErrorCode.KEY_INVALID }),
    );
    expect(() => new PayloadCipher({ k1: 'not base64!' })).toThrow(
      expect.objectContaining({ code: MessageLogErrorCode.KEY_INVALID }),
    );
    expect(() => new PayloadCipher({ k1: key() }, 'k2')).toThrow(
      expect.objectContaining({ code: MessageLogErrorCode.KEY_INVALID }),
    );
  });

  it('refuses to encrypt without an active key', () => {
    const cipher = new PayloadCipher({ k1: key() });
    expect(cipher.canEncrypt).toBe(false);
    expect(() => cipher.encrypt('x', 'm1')).toThrow(
      expect.objectContaining({ code: MessageLogErrorCode.ENCRYPTION_UNAVAILABLE }),
    );
  });
});
