import { OPERATOR_ACTIONS } from '@korpu/operators';

/** The name the console imports the audit actions by (static/view-audit.js: `import { AUDIT_ACTIONS } from './audit-actions.js'`). */
export const AUDIT_ACTIONS_MODULE = 'audit-actions.js';

/**
 * The console's list of audit actions (its audit filter), written from OperatorAction of @korpu/operators so that
 * the console never keeps a copy of it: an ES module, served like the console's own files.
 * static/audit-actions.d.ts declares it for the console's type check.
 */
export function auditActionsModule(actions: readonly string[] = OPERATOR_ACTIONS): string {
  return [
    '// Written by the console\'s server from OperatorAction (@korpu/operators); not a file of static/.',
    `export const AUDIT_ACTIONS = Object.freeze(${JSON.stringify(actions)});`,
    '',
  ].join('\n');
}
