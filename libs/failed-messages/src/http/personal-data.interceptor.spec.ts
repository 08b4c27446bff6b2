import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { PersonalDataMasker } from '@korpu/schemas';
import type { AuditEntryInput, AuditTrail } from '../audit/audit-trail.repository';
import type { Clock } from '../clock';
import { maskFor, PersonalDataInterceptor, UNMASK_REASON_HEADER, unmaskReasonOf } from './personal-data.interceptor';
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
const requestOf = (operator?: string, role: Role = Role.ADMIN, headers: Record<string, string> = {}): AdminRequest => ({
  headers,
  ...(operator ? { operator, principal: principalOf(operator, [role], 'service-token') } : {}),
});

function run(interceptor: PersonalDataInterceptor, request: AdminRequest, body: unknown): Promise<unknown> {
  const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
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
  class RecordingAudit {
    readonly entries: AuditEntryInput[] = [];
    async record(entry: AuditEntryInput): Promise<void> {
      this.entries.push(entry);
    }
  }
  const at = new Date('2026-12-02T10:00:00Z');
  const clock = { now: () => at } as Clock;
  const interceptorWith = (registry?: PersonalDataMasker) => {
    const audit = new RecordingAudit();
    return { audit, interceptor: new PersonalDataInterceptor(audit as unknown as AuditTrail, clock, registry) };
  };
  const reasonOf = (reason: string) => ({ [UNMASK_REASON_HEADER]: reason });

  it('unmasks only for personal-data:unmask with a stated reason; asking without the permission or with no real reason is refused', () => {
    expect(unmaskReasonOf(requestOf('rauf'))).toBeUndefined();
    expect(unmaskReasonOf(requestOf('rauf', Role.ADMIN, reasonOf('  INC-4711 taxpayer asks ')))).toBe('INC-4711 taxpayer asks');
    for (const role of [Role.OPERATOR, Role.EDITOR, Role.VIEWER]) {
      expect(() => unmaskReasonOf(requestOf('aysel', role, reasonOf('INC-4711 taxpayer asks')))).toThrow(expect.objectContaining({ code: 'OPERATOR_FORBIDDEN' }));
    }
    expect(() => unmaskReasonOf(requestOf('rauf', Role.ADMIN, reasonOf('no')))).toThrow(expect.objectContaining({ code: 'OPERATOR_REQUEST_INVALID' }));
    expect(() => unmaskReasonOf(requestOf('rauf', Role.ADMIN, reasonOf('x'.repeat(501))))).toThrow(expect.objectContaining({ code: 'OPERATOR_REQUEST_INVALID' }));
  });

  it('masks a failed message for everyone who does not ask with a reason, admins included, and one inside a result', async () => {
    const { interceptor, audit } = interceptorWith(masker);
    for (const role of [Role.ADMIN, Role.OPERATOR]) {
      expect(await run(interceptor, requestOf('aysel', role), message)).toMatchObject({ payload: '{"voen":"********22","includeActivities":true}' });
    }
    expect(await run(interceptor, requestOf('aysel', Role.OPERATOR), { message, reverted: false })).toMatchObject({
      message: { payload: '{"voen":"********22","includeActivities":true}' },
      reverted: false,
    });
    expect(audit.entries).toEqual([]);
  });

  it('answers unmasked to an admin who states a reason, and audits who, when, which message and why', async () => {
    const { interceptor, audit } = interceptorWith(masker);
    expect(await run(interceptor, requestOf('rauf', Role.ADMIN, reasonOf('INC-4711 taxpayer asks')), message)).toBe(message);
    expect(audit.entries).toEqual([{ operator: 'rauf', action: 'unmask', messageIds: [message.messageId], at, reason: 'INC-4711 taxpayer asks' }]);
  });

  it('hides the difference of an edit (the values it changed) without the unmasked view', async () => {
    const { interceptor } = interceptorWith(masker);
    const diff = [{ op: 'replace', path: '/voen', value: '1400057432' }];
    const edited = { original: message, copy: { messageId: 'copy-1', editOf: message.messageId, diffFormat: 'json-patch', diff }, warnings: [] };
    const answer = (await run(interceptor, requestOf('aysel', Role.EDITOR), edited)) as typeof edited;
    expect(JSON.stringify(answer)).not.toContain('1400057432');
    expect(answer.original.payload).toBe('{"voen":"********22","includeActivities":true}');
    expect(answer.copy).toMatchObject({ messageId: 'copy-1', diff: expect.stringContaining('masked') });
    const details = (await run(interceptor, requestOf('aysel', Role.EDITOR), { ...message, copies: [{ messageId: 'copy-1', diff }], editOf: undefined })) as {
      copies: Array<{ diff: unknown }>;
    };
    expect(details.copies[0].diff).toEqual(expect.stringContaining('masked'));
    expect(await run(interceptor, requestOf('rauf', Role.ADMIN, reasonOf('INC-4711 taxpayer asks')), edited)).toBe(edited);
  });

  it('masks every value when the registry is not there (fail closed)', async () => {
    const { interceptor } = interceptorWith();
    expect(await run(interceptor, requestOf('aysel', Role.ADMIN), message)).toMatchObject({ payload: '{"voen":"********22","includeActivities":"****"}' });
  });
});
