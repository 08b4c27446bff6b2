import { createHash } from 'node:crypto';
import { MetricsRegistry } from '@korpu/observability';
import { SignatureErrorCode, SignatureException } from '@korpu/signature';
import { catalogue } from '../testing/admission-fixtures';
import { RecordingMessageLog } from '../testing/inbound-fakes';
import { InboundErrorCode, InboundException } from '../inbound.exception';
import { RecordInboundRejectionUseCase } from './record-inbound-rejection.usecase';

function setUp(refusalLogPerMinute = 60) {
  const log = new RecordingMessageLog();
  const metrics = new MetricsRegistry();
  const useCase = new RecordInboundRejectionUseCase(log.asMessageLog(), catalogue(), { directory: '', refusalLogPerMinute }, metrics);
  return { log, metrics, useCase };
}

const unsigned = () => new SignatureException(SignatureErrorCode.MISSING, 'no signature');
const sample = (text: string, name: string) => text.split('\n').find((line) => line.startsWith(name))?.split(' ').pop();

describe('RecordInboundRejectionUseCase', () => {
  it('logs a refused 1 MB body as its size, SHA-256 digest and at most its first 256 bytes, never the whole body', async () => {
    const { log, useCase } = setUp();
    const body = `<soap:Envelope>${'é'.repeat(500_000)}</soap:Envelope>`;
    await useCase.execute({ source: '10.0.0.1', operation: 'GetPensionEntitlement', payload: body, contentType: 'text/xml', error: unsigned() });
    expect(log.entries).toHaveLength(1);
    const [entry] = log.entries;
    expect(Buffer.byteLength(entry.payload ?? '', 'utf8')).toBeLessThanOrEqual(256);
    expect(body.startsWith(entry.payload ?? '')).toBe(true);
    expect(entry.detail).toMatchObject({
      code: SignatureErrorCode.MISSING,
      source: '10.0.0.1',
      body: { bytes: Buffer.byteLength(body, 'utf8'), sha256: createHash('sha256').update(body, 'utf8').digest('hex'), truncated: true },
    });
  });

  it('keeps a short body whole and says it was not truncated', async () => {
    const { log, useCase } = setUp();
    await useCase.execute({ source: '10.0.0.1', payload: '<x/>', error: unsigned() });
    expect(log.entries[0]).toMatchObject({ payload: '<x/>', detail: { body: { bytes: 4, truncated: false } } });
  });

  it('drops a signature or certificate too large to be one, keeping that it was there', async () => {
    const { log, useCase } = setUp();
    await useCase.execute({ source: '10.0.0.1', signature: { format: 'xmldsig', value: 'S'.repeat(100_000), certificate: 'C'.repeat(100_000), verification: 'failed' }, error: unsigned() });
    const [entry] = log.entries;
    expect(entry.signature).toMatchObject({ format: 'xmldsig', value: '', verification: 'failed' });
    expect(entry.signature?.certificate).toBeUndefined();
    expect(entry.detail).toMatchObject({ signatureOmitted: { valueBytes: 100_000, certificateBytes: 100_000 } });
  });

  it('never uses a caller id outside the id rule as the log record\'s id, and keeps a bounded excerpt of it', async () => {
    const { log, useCase } = setUp();
    const id = `A${'x'.repeat(3000)}`;
    await useCase.execute({ source: '10.0.0.1', callerMessageId: id, error: new InboundException(InboundErrorCode.MESSAGE_ID_INVALID, 'bad id') });
    const [entry] = log.entries;
    expect(entry.messageId).not.toBe(id);
    expect(entry.messageId.length).toBeLessThanOrEqual(128);
    expect(String(entry.detail?.callerMessageId).length).toBeLessThanOrEqual(130);
  });

  it('logs at most the per-minute budget of one source, counts every refusal by code and the unlogged ones', async () => {
    const { log, metrics, useCase } = setUp(3);
    for (let i = 0; i < 5; i++) await useCase.execute({ source: '10.0.0.1', error: unsigned() });
    await useCase.execute({ source: '10.0.0.2', error: new InboundException(InboundErrorCode.SERVICE_UNKNOWN, 'no such service') });
    expect(log.entries.map((entry) => entry.detail?.source)).toEqual(['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2']);
    const text = await metrics.render();
    expect(sample(text, `korpu_inbound_refusals_total{code="${SignatureErrorCode.MISSING}"}`)).toBe('5');
    expect(sample(text, `korpu_inbound_refusals_total{code="${InboundErrorCode.SERVICE_UNKNOWN}"}`)).toBe('1');
    expect(sample(text, 'korpu_inbound_refusals_unlogged_total')).toBe('2');
  });
});
