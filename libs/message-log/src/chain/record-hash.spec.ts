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

  it('is, from its parts, the positional array of layout 1, whatever the values hold (quotes, newlines, non-Latin text, lone surrogates)', () => {
    const awkward: HashedFields = {
      ...fields(),
      seq: 9007199254740,
      payload: '{"name":"Aysel \\"Əliyeva\\"\\n","note":"\u0000\ud800 tab\t"}',
      client: 'MLSP/pensiya-ödənişləri',
      detail: { reason: 'line\nbreak', emoji: '✓' },
      signerCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    };
    for (const record of [fields(), awkward]) {
      const layout1 = JSON.stringify([
        'korpu-message-log/1',
        String(record.seq),
        record.event,
        record.messageId,
        record.correlationId,
        record.direction,
        record.client,
        record.service,
        record.messageType,
        record.schemaVersion,
        record.occurredAt,
        record.loggedAt,
        record.contentType,
        record.payload,
        record.payloadKeyId,
        record.inReplyTo,
        record.signatureFormat,
        record.signatureValue,
        record.signerCertificate,
        record.signatureVerification,
        record.detail === null ? null : canonicalJson(record.detail),
      ]);
      expect(canonicalRecord(record)).toBe(layout1);
      expect(composeCanonical(record.seq, record.loggedAt, canonicalParts(record))).toBe(layout1);
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
