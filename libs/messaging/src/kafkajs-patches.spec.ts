/**
 * patches/kafkajs+2.2.4.patch (bench profile, #12): the produce encoder takes buffers that are not zero-filled, and
 * the record batch checksum (CRC-32C) goes eight bytes per step. Neither may change a byte that reaches the broker.
 */
type Crc = (buffer: Buffer) => number;
type Encoded = { buffer: Buffer };
type RecordBatchFn = (options: Record<string, unknown>) => Promise<Encoded>;
type RecordFn = (options: Record<string, unknown>) => Encoded;

const crc32C = jest.requireActual<Crc>('kafkajs/src/protocol/recordBatch/crc32C');
const { RecordBatch } = jest.requireActual<{ RecordBatch: RecordBatchFn }>('kafkajs/src/protocol/recordBatch/v0');
const Record = jest.requireActual<RecordFn>('kafkajs/src/protocol/recordBatch/record/v0');

/** CRC-32C bit by bit, as RFC 3720 defines it (reflected polynomial 0x82F63B78). */
function referenceCrc32C(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Deterministic bytes (no I/O, no randomness): a linear congruential sequence. */
function bytes(length: number, seed: number): Buffer {
  const buffer = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    buffer[i] = state >>> 24;
  }
  return buffer;
}

async function encodeBatch(): Promise<Buffer> {
  const records = Array.from({ length: 5 }, (_, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: i * 3,
      key: Buffer.from(`MLSP/pensions:corr-${i}`),
      value: bytes(1000 + i * 37, i + 1),
      headers: { 'korpu-message-id': `01KTEST${i}`, 'korpu-client': 'MLSP/pensions', traceparent: ['a', 'bé'] },
    }),
  );
  const batch = await RecordBatch({
    firstTimestamp: 1764000000000,
    maxTimestamp: 1764000000012,
    lastOffsetDelta: 4,
    producerEpoch: 0,
    firstSequence: 42,
    records,
  });
  return Buffer.from(batch.buffer);
}

describe('kafkajs as patched', () => {
  it('computes CRC-32C: the standard check value and the bit-by-bit result at every length around the 8-byte steps', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32C(Buffer.alloc(0))).toBe(0);
    for (let length = 1; length <= 70; length += 1) {
      const buffer = bytes(length, length);
      expect(crc32C(buffer)).toBe(referenceCrc32C(buffer));
    }
    const batchSized = bytes(9000, 7);
    expect(crc32C(batchSized)).toBe(referenceCrc32C(batchSized));
  });

  it('encodes a record batch to the same bytes whatever the memory it is given held before', async () => {
    const allocUnsafe = Buffer.allocUnsafe.bind(Buffer);
    const encodings: Buffer[] = [];
    for (const fill of [0x00, 0xaa, 0x55]) {
      const spy = jest.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => allocUnsafe(size).fill(fill));
      try {
        encodings.push(await encodeBatch());
        expect(spy).toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    }
    expect(encodings[1].equals(encodings[0])).toBe(true);
    expect(encodings[2].equals(encodings[0])).toBe(true);
    // The checksum in the batch header (after FirstOffset int64, Length int32, epoch int32, magic int8) covers the rest.
    expect(encodings[0].readUInt32BE(17)).toBe(referenceCrc32C(encodings[0].subarray(21)));
  });
});
