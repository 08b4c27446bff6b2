import { encodeCursor } from '../operational-record';
import { OperationalMonitoringErrorCode } from '../operational-monitoring-error-code';
import { OperationalMonitoringException } from '../operational-monitoring.exception';
import { ListOperationalRecordsCommand } from './list-operational-records.command';

function problemsOf(query: unknown): string[] {
  try {
    ListOperationalRecordsCommand.create(query);
  } catch (error) {
    expect(error).toBeInstanceOf(OperationalMonitoringException);
    expect((error as OperationalMonitoringException).code).toBe(OperationalMonitoringErrorCode.REQUEST_INVALID);
    expect((error as OperationalMonitoringException).status).toBe(400);
    return (error as OperationalMonitoringException).details?.problems as string[];
  }
  throw new Error('accepted');
}

describe('ListOperationalRecordsCommand', () => {
  it('reads every filter, the limit and the cursor from a query string', () => {
    const cursor = encodeCursor({ requestInAt: '2026-12-02T10:00:00.000Z', id: '01JXYZ' });
    const command = ListOperationalRecordsCommand.create({
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      partner: 'tax-service',
      direction: 'outbound',
      result: 'failed,dead-lettered,failed',
      errorCode: 'PARTNER_TIMEOUT',
      messageId: 'm-1',
      correlationId: 'c-1',
      from: '2026-12-01T00:00:00Z',
      to: '2026-12-03',
      limit: '500',
      cursor,
    });
    expect(command.filter).toEqual({
      client: 'MLSP/pensions',
      service: 'tax-service/GetTaxpayer',
      partner: 'tax-service',
      direction: 'outbound',
      result: ['failed', 'dead-lettered'],
      errorCode: 'PARTNER_TIMEOUT',
      messageId: 'm-1',
      correlationId: 'c-1',
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-03T00:00:00Z'),
    });
    expect(command.limit).toBe(500);
    expect(command.after).toEqual({ requestInAt: '2026-12-02T10:00:00.000Z', id: '01JXYZ' });
  });

  it('pages by 50 without filters', () => {
    const command = ListOperationalRecordsCommand.create({});
    expect(command).toMatchObject({ filter: {}, limit: 50, after: undefined });
  });

  it.each([
    [{ limit: '501' }, '"limit"'],
    [{ limit: '0' }, '"limit"'],
    [{ limit: 'ten' }, '"limit"'],
    [{ result: 'lost' }, '"result"'],
    [{ direction: 'sideways' }, '"direction"'],
    [{ service: 'no-slash' }, '"service"'],
    [{ errorCode: 'lower_case' }, '"errorCode"'],
    [{ messageId: '-starts-with-dash' }, '"messageId"'],
    [{ from: 'yesterday' }, '"from"'],
    [{ payload: 'x' }, '"payload" is not a field'],
  ])('refuses %j naming the field', (query, named) => {
    expect(problemsOf(query).join(' ')).toContain(named);
  });

  it('names every bad field at once', () => {
    expect(problemsOf({ limit: '9999', result: 'nope', to: 'soon' })).toHaveLength(3);
  });

  it('refuses a time range that ends before it begins, an impossible date and a cursor it did not issue', () => {
    expect(problemsOf({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toEqual(['"from" must be before "to"']);
    expect(problemsOf({ from: '2026-13-45' })).toEqual(['"from" is not a valid instant']);
    expect(problemsOf({ cursor: Buffer.from('["x"]').toString('base64url') })).toEqual(['"cursor" is not one this API issued']);
  });
});
