// Operator authentication moved to @korpu/operators; re-exported for the controllers of this lib.
export { Operator, OperatorPrincipal, RequirePermission, AnyOperator, Public } from '@korpu/operators';
