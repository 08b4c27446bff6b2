import { canonicalJson, canonicalParts, canonicalRecord, composeCanonical, GENESIS_HASH, HashedFields, recordHash } from './record-hash';

const fields = (): HashedFields => ({
  seq: 1,
  event: 'received',
  messageId: '01JTEST',
  correlationId: '01JTEST',
  direction: 'outbound',
  client: 'MLSP/pensions',
  service: 'population-registry/getPerson',
  messageType: 'GetPersonRequest',
  schemaVersion: '1.0',
  occurredAt: '2026-12-01T10:00:00.000Z',
  loggedAt: '2026-12-01T10:00:00.123Z',
  contentType: 'application/json',
  payload: '{"pin":"5ABC123"}',
  payloadKeyId: null,
  inReplyTo: null,
  signatureFormat: 'jws',
  signatureValue: 'eyJ..sig',
  signerCertificate: null,
  signatureVerification: 'verified',
  detail: { b: 1, a: { d: [1, 'x'], c: null } },
});

describe('canonical serialization and record hash', () => {
  it('serializes JSON with sorted keys at every level and without undefined members', () => {
    expect(canonicalJson({ b: 1, a: { y: undefined, x: [3, { d: 1, c: 2 }] } })).toBe(
      '{"a":{"x":[3,{"c":2,"d":1}]},"b":1}',
    );
  });

  it('hashes as layout 1 always did, whatever the values hold (known answers from the code before the parts split)', () => {
    // Records already in the log must keep verifying: these hashes were computed by record-hash.ts of bacf52f, which
    // serialized the positional array in one JSON.stringify, on the same fields (quotes, newlines, non-Latin text,
    // a NUL and a lone surrogate in the second).
    const awkward: HashedFields = {
      ...fields(),
      seq: 9007199254740,
      payload: '{"name":"Aysel \\"Əliyeva\\"\\n","note":"\u0000\ud800 tab\t"}',
      client: 'MLSP/pensiya-ödənişləri',
      detail: { reason: 'line\nbreak', emoji: '✓' },
      signerCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    };
    expect(recordHash(GENESIS_HASH, fields())).toBe('cc41f54f77fe5994a9e06b77ac7c0737ca552f240cfd73ff1ed714902d4f1676');
    expect(recordHash('11'.repeat(32), awkward)).toBe('b56599dc9c4da644567824812eeb1873f620e0cae6a1c1e8d147d6b073910ec4');
    for (const record of [fields(), awkward]) {
      expect(composeCanonical(record.seq, record.loggedAt, canonicalParts(record))).toBe(canonicalRecord(record));
      expect(JSON.parse(canonicalRecord(record))).toHaveLength(21);
    }
  });

  it('gives the same serialization whatever order detail keys were built in', () => {
    const reordered = { ...fields(), detail: { a: { c: null, d: [1, 'x'] }, b: 1 } };
    expect(canonicalRecord(reordered)).toBe(canonicalRecord(fields()));
  });

  it('is a positional JSON array starting with a version tag, so values cannot slide into another field', () => {
    const text = canonicalRecord(fields());
    expect(JSON.parse(text)[0]).toBe('korpu-message-log/1');
    const shifted = { ...fields(), client: 'MLSP', service: 'pensions/population-registry/getPerson' };
    expect(recordHash(GENESIS_HASH, shifted)).not.toBe(recordHash(GENESIS_HASH, fields()));
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const base = recordHash(GENESIS_HASH, fields());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(recordHash(GENESIS_HASH, fields())).toBe(base);
    const changes: Partial<HashedFields>[] = [
      { seq: 2 },
      { payload: '{"pin":"5ABC124"}' },
      { payloadKeyId: 'k1' },
      { detail: null },
      { signatureVerification: 'failed' },
      { loggedAt: '2026-12-01T10:00:00.124Z' },
      { contentType: null },
    ];
    for (const change of changes) expect(recordHash(GENESIS_HASH, { ...fields(), ...change })).not.toBe(base);
    expect(recordHash('11'.repeat(32), fields())).not.toBe(base);
  });
});
