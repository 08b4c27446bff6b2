import { CryptoAtRestErrorCode } from '@korpu/crypto-at-rest';
import { PayloadCipher } from './payload-cipher';

// Written by the message log before its cipher moved to @korpu/crypto-at-rest (key: 32 bytes of 0x07).
const KEY = Buffer.alloc(32, 7).toString('base64');
const BEFORE_THE_MOVE = { keyId: 'k1', ciphertext: 'v1.VfQ+ed9zodcCNA7R1ixSxlsv0K/0elvjVEV/76yIroLYEW9wJftI6C6bekCP' };

describe('message-log PayloadCipher', () => {
  it('still reads a payload encrypted before the cipher moved to the shared lib', () => {
    expect(new PayloadCipher({ k1: KEY }).decrypt(BEFORE_THE_MOVE, 'm1')).toBe('{"pin":"5ABC123"}');
  });

  it('does not read a ciphertext of another store under the same key and record id', () => {
    expect(() => new PayloadCipher({ k1: KEY }).decrypt(BEFORE_THE_MOVE, 'm2')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.DECRYPTION_FAILED }),
    );
  });
});
