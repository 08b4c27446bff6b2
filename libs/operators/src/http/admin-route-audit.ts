import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { Type } from '@nestjs/common';
import { AdminGuard } from './admin.guard';
import { ANY_OPERATOR, PUBLIC_ROUTE, REQUIRED_PERMISSIONS } from './operator.decorator';

/**
 * The routes of these controllers that AdminGuard does not guard, or that declare neither a permission,
 * `@AnyOperator()` nor `@Public()` (such routes are admin-only at run time; the declaration says it on purpose).
 * A spec of the app asserts the list is empty: every admin route is guarded unless explicitly public.
 */
export function undeclaredAdminRoutes(controllers: readonly Type[]): string[] {
  const problems: string[] = [];
  for (const controller of controllers) {
    const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? [];
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const route = `${controller.name}.${name} (${base}/${String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')})`;
      const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [])];
      const declared = [PUBLIC_ROUTE, ANY_OPERATOR, REQUIRED_PERMISSIONS].some(
        (key) => Reflect.getMetadata(key, handler) !== undefined || Reflect.getMetadata(key, controller) !== undefined,
      );
      if (!guards.includes(AdminGuard)) problems.push(`${route}: not guarded by AdminGuard`);
      else if (!declared) problems.push(`${route}: declares no permission (@RequirePermission, @AnyOperator or @Public)`);
    }
  }
  return problems;
}
