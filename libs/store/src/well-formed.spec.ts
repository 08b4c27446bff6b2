import { jsonParam, wellFormed, wellFormedValue } from './well-formed';

describe('wellFormed', () => {
  it('replaces each lone surrogate by U+FFFD and keeps well-formed pairs', () => {
    expect(wellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormed('\udc00')).toBe('\ufffd');
    expect(wellFormed('x\udbff')).toBe('x\ufffd');
    expect(wellFormed('\ud83d\ude00 \udc00\ud83d')).toBe('😀 \ufffd\ufffd');
    expect(wellFormed('plain Ağdam')).toBe('plain Ağdam');
    expect(wellFormed(undefined)).toBeUndefined();
  });

  it('makes the strings and keys of a value well-formed, so its JSON is text PostgreSQL accepts', () => {
    const at = new Date('2026-12-08T00:00:00Z');
    const value = { message: 'bad \ud800', ['k\udc00']: ['\udbff', 3, null, { deep: 'x\ud800' }], at, n: 1, ok: true };
    expect(wellFormedValue(value)).toEqual({ message: 'bad \ufffd', ['k\ufffd']: ['\ufffd', 3, null, { deep: 'x\ufffd' }], at, n: 1, ok: true });
    expect(JSON.stringify(wellFormedValue(value))).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.stringify(value)).toMatch(/\\ud800/);
    expect(JSON.parse(jsonParam(value))).toEqual({ message: 'bad \ufffd', ['k\ufffd']: ['\ufffd', 3, null, { deep: 'x\ufffd' }], at: at.toISOString(), n: 1, ok: true });
  });
});
