import { randomBytes } from 'node:crypto';
import { CryptoAtRestErrorCode } from './crypto-at-rest-error-code';
import { DataKeys } from './data-keys';
import { SEALED_PREFIX } from './sealed-column';

const key = (): string => randomBytes(32).toString('base64');
const PURPOSE = 'korpu/messages.reply_payload/1';
const REPLY = '{"fin":"5ABC123","name":"Aysel Məmmədova","address":"Bakı, Nizami küç. 10"}';

describe('SealedColumn', () => {
  it('stores a value encrypted under the active key id, with no plain personal data, and reads it back', () => {
    const column = new DataKeys({ keys: { a: key() }, activeKeyId: 'a' }).column(PURPOSE);
    const stored = column.seal(REPLY, 'm1');
    expect(stored.startsWith(`${SEALED_PREFIX}a:v1.`)).toBe(true);
    expect(stored).not.toContain('5ABC123');
    expect(stored).not.toContain('Aysel');
    expect(column.open(stored, 'm1')).toBe(REPLY);
  });

  it('reads a value written under key A after the active key became B, with A still listed', () => {
    const a = key();
    const written = new DataKeys({ keys: { a }, activeKeyId: 'a' }).column(PURPOSE).seal(REPLY, 'm1');
    const rotated = new DataKeys({ keys: { a, b: key() }, activeKeyId: 'b' }).column(PURPOSE);
    expect(rotated.open(written, 'm1')).toBe(REPLY);
    expect(rotated.seal(REPLY, 'm2').startsWith(`${SEALED_PREFIX}b:`)).toBe(true);
  });

  it('reseals a value under key A or in clear under the active key B', () => {
    const a = key();
    const written = new DataKeys({ keys: { a }, activeKeyId: 'a' }).column(PURPOSE).seal(REPLY, 'm1');
    const rotated = new DataKeys({ keys: { a, b: key() }, activeKeyId: 'b' }).column(PURPOSE);
    expect(rotated.currentPrefix).toBe(`${SEALED_PREFIX}b:`);
    for (const stored of [written, REPLY]) {
      const resealed = rotated.reseal(stored, 'm1');
      expect(resealed.startsWith(rotated.currentPrefix!)).toBe(true);
      expect(rotated.open(resealed, 'm1')).toBe(REPLY);
    }
  });

  it('says which key is missing once key A is removed from the list', () => {
    const written = new DataKeys({ keys: { a: key() }, activeKeyId: 'a' }).column(PURPOSE).seal(REPLY, 'm1');
    const withoutA = new DataKeys({ keys: { b: key() }, activeKeyId: 'b' }).column(PURPOSE);
    expect(() => withoutA.open(written, 'm1')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.KEY_NOT_FOUND, details: expect.objectContaining({ kid: 'a' }) }),
    );
  });

  it('reads plain values written before encryption at rest as they are, and keeps null as null', () => {
    const column = new DataKeys({ keys: { a: key() }, activeKeyId: 'a' }).column(PURPOSE);
    expect(column.open(REPLY, 'm1')).toBe(REPLY);
    expect(column.open(null, 'm1')).toBeNull();
    expect(column.seal(null, 'm1')).toBeNull();
  });

  it('refuses a sealed value moved to another row', () => {
    const column = new DataKeys({ keys: { a: key() }, activeKeyId: 'a' }).column(PURPOSE);
    expect(() => column.open(column.seal(REPLY, 'm1'), 'm2')).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.DECRYPTION_FAILED }),
    );
  });

  it('stores values as they are when no key is configured (development without keys)', () => {
    expect(new DataKeys({ keys: {} }).column(PURPOSE).seal(REPLY, 'm1')).toBe(REPLY);
  });

  it('refuses at construction a key that is not 32 bytes', () => {
    expect(() => new DataKeys({ keys: { a: 'c2hvcnQ=' }, activeKeyId: 'a' })).toThrow(
      expect.objectContaining({ code: CryptoAtRestErrorCode.KEY_INVALID }),
    );
  });
});
