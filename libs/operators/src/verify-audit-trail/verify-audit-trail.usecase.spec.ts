import { loadMigrations, MigrationRunner, PgliteDatabase } from '@korpu/store';
import { AuditTrail } from '../audit/audit-trail.repository';
import { OPERATORS_MIGRATIONS } from '../operators.module';
import { VerifyAuditTrailUseCase } from './verify-audit-trail.usecase';

describe('VerifyAuditTrailUseCase on PGlite', () => {
  let db: PgliteDatabase;
  let audit: AuditTrail;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await new MigrationRunner(db).run(loadMigrations([OPERATORS_MIGRATIONS]));
    audit = new AuditTrail(db);
  });

  afterAll(async () => {
    await db.close();
  });

  it('records and verifies an action whose reason and states quote text UTF-8 cannot carry (lone surrogates, stored as U+FFFD)', async () => {
    // An operator's edit of a failed message: reason and payload are an operator's and a partner's text. jsonb refused
    // the escape of a lone surrogate (the action could not be audited), and a hashed text that kept it never matched
    // the stored one.
    await audit.record({ operator: 'ops.aysel', action: 'edit', messageIds: ['m-1'], at: new Date('2026-12-08T00:00:00Z'), reason: 'fix \ud800' });
    const edited = await audit.record({
      operator: 'ops.aysel',
      action: 'edit',
      messageIds: ['m-2'],
      at: new Date('2026-12-08T00:00:01Z'),
      reason: 'typo',
      before: { payload: '{"name":"A\udc00"}' },
      after: { payload: '{"name":"A"}' },
      detail: { ['note\ud800']: ['partner said \udbff'] },
    });
    expect(edited.before).toEqual({ payload: '{"name":"A\ufffd"}' });
    const [first, second] = await audit.list({}, { limit: 10, order: 'oldest' });
    expect(first.reason).toBe('fix \ufffd');
    expect(second.detail).toEqual({ ['note\ufffd']: ['partner said \ufffd'] });
    await expect(new VerifyAuditTrailUseCase(audit).execute()).resolves.toMatchObject({ ok: true, checkedRecords: 2 });
  });
});
