import { KorpuException, isFinalRefusal } from './korpu.exception';

const error = (status: number, retryable = false) => new KorpuException('SOME_CODE', 'text', { status, retryable });

describe('isFinalRefusal', () => {
  it('is a 4xx that sending again will not change', () => {
    expect(isFinalRefusal(error(400))).toBe(true);
    expect(isFinalRefusal(error(403))).toBe(true);
    expect(isFinalRefusal(error(422))).toBe(true);
  });

  it('is not a retryable answer, a fault of ours, or an error without a stable code', () => {
    expect(isFinalRefusal(error(409, true))).toBe(false);
    expect(isFinalRefusal(error(503, true))).toBe(false);
    expect(isFinalRefusal(error(500))).toBe(false);
    expect(isFinalRefusal(new Error('denied'))).toBe(false);
  });
});
