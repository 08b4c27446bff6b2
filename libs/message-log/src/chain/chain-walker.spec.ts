import type { ChainedRecord } from '../log-record';
import { CHAIN_START, ChainPosition, verifyChain } from './chain-walker';
import { chainRecord, GENESIS_HASH, HashedFields } from './record-hash';

function buildChain(count: number, start: ChainPosition = CHAIN_START): ChainedRecord[] {
  const records: ChainedRecord[] = [];
  let prev = start.hash;
  for (let i = 1; i <= count; i++) {
    const seq = start.seq + i;
    const fields: HashedFields = {
      seq,
      event: 'received',
      messageId: `m${seq}`,
      correlationId: `c${seq}`,
      direction: 'outbound',
      client: 'MLSP/pensions',
      service: 'population-registry/getPerson',
      messageType: 'GetPersonRequest',
      schemaVersion: '1.0',
      occurredAt: '2026-12-01T10:00:00.000Z',
      loggedAt: '2026-12-01T10:00:01.000Z',
      contentType: 'application/json',
      payload: `{"n":${seq}}`,
      payloadKeyId: null,
      inReplyTo: null,
      signatureFormat: null,
      signatureValue: null,
      signerCertificate: null,
      signatureVerification: null,
      detail: null,
    };
    const record = chainRecord(prev, fields);
    records.push(record);
    prev = record.hash;
  }
  return records;
}

const headOf = (records: ChainedRecord[]): ChainPosition => ({
  seq: records.length,
  hash: records[records.length - 1].hash,
});

describe('verifyChain', () => {
  it('accepts an intact chain from the genesis hash and up to its head', () => {
    const records = buildChain(5);
    expect(records[0].prevHash).toBe(GENESIS_HASH);
    expect(verifyChain(records, CHAIN_START, headOf(records))).toEqual({ ok: true, count: 5, last: headOf(records) });
  });

  it('names the changed record when a field was changed in place', () => {
    const records = buildChain(5);
    records[2] = { ...records[2], payload: '{"n":999}' };
    const result = verifyChain(records);
    expect(result).toMatchObject({ ok: false, count: 2, break: { reason: 'hash-mismatch', seq: 3, messageId: 'm3' } });
  });

  it('names the record after a rewritten record whose hash was recomputed', () => {
    const records = buildChain(5);
    const { prevHash, ...fields } = records[1];
    records[1] = chainRecord(prevHash, { ...fields, payload: '{"forged":true}' });
    expect(verifyChain(records)).toMatchObject({ ok: false, break: { reason: 'prev-hash-mismatch', seq: 3 } });
  });

  it('names the record after a deleted one, saying which seqs are missing', () => {
    const records = buildChain(5);
    records.splice(1, 2);
    const result = verifyChain(records);
    expect(result).toMatchObject({
      ok: false,
      break: { reason: 'missing-records', seq: 4, messageId: 'm4', expected: '2' },
    });
    if (!result.ok) expect(result.break.message).toContain('records 2..3 are missing');
  });

  it('detects records swapped in order', () => {
    const records = buildChain(5);
    [records[1], records[2]] = [records[2], records[1]];
    expect(verifyChain(records)).toMatchObject({ ok: false, break: { reason: 'missing-records', seq: 3 } });
  });

  it('detects seq numbers swapped between two records', () => {
    const records = buildChain(5);
    const [a, b] = [records[1], records[2]];
    records[1] = { ...b, seq: 2 };
    records[2] = { ...a, seq: 3 };
    expect(verifyChain(records)).toMatchObject({
      ok: false,
      break: { reason: 'prev-hash-mismatch', seq: 2, messageId: 'm3' },
    });
  });

  it('detects a changed stored hash', () => {
    const records = buildChain(5);
    records[3] = { ...records[3], hash: 'ab'.repeat(32) };
    expect(verifyChain(records)).toMatchObject({ ok: false, break: { reason: 'hash-mismatch', seq: 4 } });
  });

  it('detects records removed from the end by comparing with the chain head', () => {
    const records = buildChain(5);
    const head = headOf(records);
    expect(verifyChain(records.slice(0, 3), CHAIN_START, head)).toMatchObject({
      ok: false,
      break: { reason: 'head-mismatch', seq: 3, messageId: 'm3' },
    });
  });

  it('verifies a segment that starts where an archive ended', () => {
    const all = buildChain(8);
    const start = { seq: 3, hash: all[2].hash };
    expect(verifyChain(all.slice(3), start, headOf(all))).toMatchObject({ ok: true, count: 5 });
    expect(verifyChain(all.slice(4), start)).toMatchObject({ ok: false, break: { reason: 'missing-records', seq: 5 } });
  });
});
