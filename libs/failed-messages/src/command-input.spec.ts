import { CreateReplayJobCommand } from './create-replay-job/create-replay-job.command';
import { DiscardFailedMessageCommand } from './discard-failed-message/discard-failed-message.command';
import { ListFailedMessagesCommand } from './list-failed-messages/list-failed-messages.command';
import { ReplayFailedMessagesCommand } from './replay-failed-messages/replay-failed-messages.command';

const problemsOf = (create: () => unknown): string[] => {
  try {
    create();
  } catch (error) {
    return ((error as { details?: { problems?: string[] } }).details?.problems ?? []) as string[];
  }
  throw new Error('the command was accepted');
};

describe('failed-message commands read their requests against the published schemas', () => {
  it('reads a query: coerced limit, a comma list of statuses, instants', () => {
    const command = ListFailedMessagesCommand.create({ status: 'unresolved, replayed', limit: '20', from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' });
    expect(command.limit).toBe(20);
    expect(command.filter.status).toEqual(['unresolved', 'replayed']);
    expect(command.filter.from?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('refuses an unknown query parameter, a status that does not exist and from after to, all at once', () => {
    const problems = problemsOf(() => ListFailedMessagesCommand.create({ statsu: 'x', status: 'lost', from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }));
    expect(problems).toEqual([
      '"statsu" is not a field of this request',
      expect.stringMatching(/^"status" does not follow its rule \(Status: one or more of unresolved, /),
      '"from" must be before "to"',
    ]);
  });

  it('refuses a misspelt filter field of a bulk replay instead of replaying everything unresolved', () => {
    expect(problemsOf(() => ReplayFailedMessagesCommand.create({ operator: 'rauf', body: { filter: { fingerprnt: '0123abcd' } } }))).toEqual([
      '"filter.fingerprnt" is not a field of this request',
    ]);
    expect(problemsOf(() => CreateReplayJobCommand.create({ operator: 'rauf', body: { filter: { partnr: 'tax-service' } } }))).toEqual([
      '"filter.partnr" is not a field of this request',
    ]);
  });

  it('keeps the rules a schema of OpenAPI 3.0 cannot say in the command', () => {
    expect(problemsOf(() => CreateReplayJobCommand.create({ operator: 'rauf', body: { ids: ['a'], fingerprint: '0123abcd' } }))).toEqual([
      expect.stringMatching(/^give exactly one of "ids"/),
    ]);
    expect(problemsOf(() => ReplayFailedMessagesCommand.create({ operator: 'rauf', body: { filter: {}, force: true } }))).toEqual(['a forced replay needs a "reason"']);
  });

  it('needs a reason that is not blank to discard', () => {
    expect(problemsOf(() => DiscardFailedMessageCommand.create({ messageId: 'm-1', operator: 'rauf', body: { reason: '   ' } }))).toEqual([
      '"reason" does not follow its rule (Why: not blank (kept in the audit trail))',
    ]);
    expect(DiscardFailedMessageCommand.create({ messageId: 'm-1', operator: 'rauf', body: { reason: ' duplicate ' } }).reason).toBe('duplicate');
  });
});
