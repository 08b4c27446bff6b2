import { ExchangeException } from '../exchange.exception';
import { SubmitMessageCommand } from './submit-message.command';

describe('SubmitMessageCommand', () => {
  it('accepts a JSON payload for a partner/operation service', () => {
    const command = SubmitMessageCommand.create({
      client: 'MLSP/pensions',
      body: { service: 'tax-service/GetTaxpayer', messageType: 'taxpayer-lookup-request', schemaVersion: '1', payload: { voen: '1234567891' } },
    });
    expect(command.service).toEqual({ partner: 'tax-service', operation: 'GetTaxpayer' });
    expect(command.contentType).toBe('application/json');
    expect(JSON.parse(command.payload)).toEqual({ voen: '1234567891' });
  });

  it('treats a string payload as XML', () => {
    const command = SubmitMessageCommand.create({ body: { service: 'population-registry/GetPerson', payload: '<a/>' } });
    expect(command.contentType).toBe('application/xml');
    expect(command.payload).toBe('<a/>');
  });

  it('lists every problem of a bad request', () => {
    let error: ExchangeException | undefined;
    try {
      SubmitMessageCommand.create({ body: { service: 'no-operation', schemaVersion: 'v1', messageId: 'has space' } });
    } catch (caught) {
      error = caught as ExchangeException;
    }
    expect(error?.code).toBe('REQUEST_INVALID');
    const problems = error?.details?.problems as string[];
    expect(problems.some((p) => p.includes('"service"'))).toBe(true);
    expect(problems.some((p) => p.includes('"payload"'))).toBe(true);
    expect(problems.some((p) => p.includes('"schemaVersion"'))).toBe(true);
    expect(problems.some((p) => p.includes('"messageId"'))).toBe(true);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with a slash', 'a/b'],
    ['with a header-breaking character', 'a\r\nX-Injected: 1'],
    ['starting with a dot', '.hidden'],
    ['not a string', 42],
    ['empty', ''],
  ])('refuses a message id or correlation id %s with the one id rule', (_what, id) => {
    for (const field of ['messageId', 'correlationId']) {
      expect(() =>
        SubmitMessageCommand.create({ client: 'MLSP/pensions', body: { service: 'tax-service/GetTaxpayer', payload: {}, [field]: id } }),
      ).toThrow(expect.objectContaining({ code: 'REQUEST_INVALID', details: { problems: [expect.stringMatching(new RegExp(`^"${field}" (does not follow its rule \\(|must (be string|NOT have more than 128))`))] } }));
    }
  });

  it('takes ids up to the rule\'s length', () => {
    const id = `A${'b'.repeat(127)}`;
    const command = SubmitMessageCommand.create({ client: 'MLSP/pensions', body: { service: 'tax-service/GetTaxpayer', payload: {}, messageId: id, correlationId: 'urn:x-1.2_3' } });
    expect(command.messageId).toBe(id);
    expect(command.correlationId).toBe('urn:x-1.2_3');
  });

  it('refuses a body that is not an object', () => {
    expect(() => SubmitMessageCommand.create({ body: [1, 2] })).toThrow(/JSON object/);
  });
});
