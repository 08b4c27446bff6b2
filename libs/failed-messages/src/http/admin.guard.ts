// Operator authentication moved to @korpu/operators; re-exported for the controllers of this lib.
export { AdminGuard } from '@korpu/operators';
export type { AdminRequest } from '@korpu/operators';
