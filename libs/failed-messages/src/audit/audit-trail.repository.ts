// The audit trail moved to @korpu/operators (hash-chained there); re-exported for the use cases of this lib.
export { AuditTrail, OperatorAction, OPERATOR_ACTIONS, sha256 } from '@korpu/operators';
export type { AuditEntry, AuditEntryInput, AuditFilter } from '@korpu/operators';
