import { OperatorAction } from '@korpu/operators';
import { auditActionsModule } from './audit-actions-module';

/** What the module the browser imports exports as AUDIT_ACTIONS (it is plain data: one frozen array literal). */
function exportedActions(source: string): unknown {
  const match = /^export const AUDIT_ACTIONS = Object\.freeze\((\[.*\])\);$/m.exec(source);
  if (!match) throw new Error(`no AUDIT_ACTIONS export in:\n${source}`);
  return JSON.parse(match[1]);
}

describe('the console\'s audit actions (audit-actions.js)', () => {
  it('are the OperatorAction values of @korpu/operators, in their order, and nothing else', () => {
    expect(exportedActions(auditActionsModule())).toEqual(Object.values(OperatorAction));
  });

  it('follow a new action without a change to the console', () => {
    expect(exportedActions(auditActionsModule([...Object.values(OperatorAction), 'rotate-keys']))).toContain('rotate-keys');
  });
});
