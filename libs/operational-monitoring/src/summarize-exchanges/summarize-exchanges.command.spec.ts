import { SummarizeExchangesCommand } from './summarize-exchanges.command';

describe('SummarizeExchangesCommand', () => {
  it('takes the last hour in minutes by default, the last day in quarter hours, and one partner', () => {
    expect(SummarizeExchangesCommand.create({})).toMatchObject({ window: '1h', windowMs: 3_600_000, bucketMs: 60_000, partner: undefined });
    expect(SummarizeExchangesCommand.create({ window: '24h', partner: 'tax-service' })).toMatchObject({
      window: '24h',
      windowMs: 86_400_000,
      bucketMs: 900_000,
      partner: 'tax-service',
    });
  });

  it('refuses another window, a partner that is no partner name and an unknown field, naming each', () => {
    let problems: string[] = [];
    try {
      SummarizeExchangesCommand.create({ window: '7d', partner: '../etc', since: 'yesterday' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'OPERATIONAL_RECORDS_REQUEST_INVALID', status: 400 });
      problems = (error as { details: { problems: string[] } }).details.problems;
    }
    expect(problems.join(' | ')).toMatch(/window/);
    expect(problems.join(' | ')).toMatch(/partner/);
    expect(problems.join(' | ')).toMatch(/since/);
  });
});
