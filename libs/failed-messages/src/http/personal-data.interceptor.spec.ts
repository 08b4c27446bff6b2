import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { PersonalDataMasker } from '@korpu/schemas';
import type { FailedMessagesOptions } from '../failed-messages.options';
import { maskFor, operatorCanUnmask, PersonalDataInterceptor } from './personal-data.interceptor';
import { AdminRequest, principalOf, Role } from '@korpu/operators';

/** A registry of one JSON type whose `voen` is personal. */
const masker = PersonalDataMasker.fromTypes([
  {
    name: 'taxpayer-lookup-request',
    descriptor: { owner: 'tax', description: 'lookup', format: 'json', compatibility: 'NONE' as never, versions: { '1': { status: 'active' } } },
    versions: [
      {
        version: '1',
        descriptor: { status: 'active' },
        fileName: 'v1.schema.json',
        source: JSON.stringify({ type: 'object', properties: { voen: { 'x-personal': true, type: 'string' }, includeActivities: { type: 'boolean' } } }),
      },
    ],
  },
]);

const message = {
  messageId: '01J00000000000000000000000',
  messageType: 'taxpayer-lookup-request',
  schemaVersion: '1',
  payload: '{"voen":"1400057422","includeActivities":true}',
  editedPayload: '{"voen":"1400057432","includeActivities":true}',
};

/** A request as AdminGuard leaves it: the operator's name and principal (admin: may unmask; else a viewer). */
const requestOf = (operator?: string, role: Role = Role.ADMIN): AdminRequest => ({
  headers: {},
  ...(operator ? { operator, principal: principalOf(operator, [role], 'service-token') } : {}),
});

function run(interceptor: PersonalDataInterceptor, operator: string, body: unknown): Promise<unknown> {
  const context = { switchToHttp: () => ({ getRequest: () => requestOf(operator) }) } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => of(body) };
  return lastValueFrom(interceptor.intercept(context, next));
}

describe('maskFor', () => {
  it('masks the personal values of the payload and of the edit for a principal without the unmasked view', () => {
    expect(maskFor(false, masker, message)).toEqual({
      ...message,
      payload: '{"voen":"********22","includeActivities":true}',
      editedPayload: '{"voen":"********32","includeActivities":true}',
    });
  });

  it('changes nothing for a principal with the unmasked view', () => {
    expect(maskFor(true, masker, message)).toBe(message);
  });

  it('keeps a missing edit missing', () => {
    expect(maskFor(false, masker, { ...message, editedPayload: null }).editedPayload).toBeNull();
  });
});

describe('PersonalDataInterceptor', () => {
  const options = (unmaskOperators?: string[]): FailedMessagesOptions => ({ operators: {}, consumer: false, unmaskOperators });

  it('gives the unmasked view to roles with personal-data:unmask only, and narrows it to the listed names when a list is given', () => {
    expect(operatorCanUnmask(requestOf('aysel'), options())).toBe(true);
    expect(operatorCanUnmask(requestOf('aysel', Role.OPERATOR), options())).toBe(false);
    expect(operatorCanUnmask(requestOf('aysel', Role.EDITOR), options())).toBe(false);
    expect(operatorCanUnmask(requestOf('aysel'), options(['rauf']))).toBe(false);
    expect(operatorCanUnmask(requestOf('rauf'), options(['rauf']))).toBe(true);
    expect(operatorCanUnmask(requestOf(), options(['rauf']))).toBe(false);
  });

  it('masks a failed message answered to an operator without the unmasked view, and one inside an edit result', async () => {
    const interceptor = new PersonalDataInterceptor(options(['rauf']), masker);
    expect(await run(interceptor, 'aysel', message)).toMatchObject({ payload: '{"voen":"********22","includeActivities":true}' });
    expect(await run(interceptor, 'aysel', { message, reverted: false })).toMatchObject({ message: { payload: '{"voen":"********22","includeActivities":true}' }, reverted: false });
    expect(await run(interceptor, 'rauf', message)).toBe(message);
  });

  it('hides the difference of an edit (the values it changed) from an operator without the unmasked view', async () => {
    const interceptor = new PersonalDataInterceptor(options(['rauf']), masker);
    const diff = [{ op: 'replace', path: '/voen', value: '1400057432' }];
    const edited = { original: message, copy: { messageId: 'copy-1', editOf: message.messageId, diffFormat: 'json-patch', diff }, warnings: [] };
    const answer = (await run(interceptor, 'aysel', edited)) as typeof edited;
    expect(JSON.stringify(answer)).not.toContain('1400057432');
    expect(answer.original.payload).toBe('{"voen":"********22","includeActivities":true}');
    expect(answer.copy).toMatchObject({ messageId: 'copy-1', diff: expect.stringContaining('masked') });
    const details = (await run(interceptor, 'aysel', { ...message, copies: [{ messageId: 'copy-1', diff }], editOf: undefined })) as { copies: Array<{ diff: unknown }> };
    expect(details.copies[0].diff).toEqual(expect.stringContaining('masked'));
    expect(await run(interceptor, 'rauf', edited)).toBe(edited);
  });

  it('masks every value when the registry is not there (fail closed)', async () => {
    const interceptor = new PersonalDataInterceptor(options([]));
    expect(await run(interceptor, 'aysel', message)).toMatchObject({ payload: '{"voen":"********22","includeActivities":"****"}' });
  });
});
