// The console's server answers /console/audit-actions.js with the values of OperatorAction (@korpu/operators),
// written at boot (libs/admin-console/src/audit-actions-module.ts): this declares that module for the type check.
/** Every action the audit trail knows, in OperatorAction's order: the audit view's action filter. */
export const AUDIT_ACTIONS: readonly string[];
