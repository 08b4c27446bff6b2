import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AdminRequest } from './admin.guard';

/** The operator AdminGuard authenticated. */
export const Operator = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  return context.switchToHttp().getRequest<AdminRequest>().operator;
});
