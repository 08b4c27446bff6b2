import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AuditTrail } from './audit/audit-trail.repository';
import { Clock, SystemClock } from './clock';
import { NoOperatorDirectory, OperatorDirectory } from './directory/directory.port';
import { LdapDirectoryAdapter } from './directory/ldap-directory.adapter';
import { EndSessionUseCase } from './end-session/end-session.usecase';
import { ExportAuditTrailUseCase } from './export-audit-trail/export-audit-trail.usecase';
import { AdminGuard } from './http/admin.guard';
import { AuditController } from './http/audit.controller';
import { SessionController } from './http/session.controller';
import { SessionsController } from './http/sessions.controller';
import { ListAuditEntriesUseCase } from './list-audit-entries/list-audit-entries.usecase';
import { OPERATORS_OPTIONS, OperatorsOptions } from './operators.options';
import { OperatorAuthenticator } from './sessions/operator-authenticator';
import { SessionRepository } from './sessions/session.repository';
import { SignInUseCase } from './sign-in/sign-in.usecase';
import { SignOutUseCase } from './sign-out/sign-out.usecase';
import { SignInThrottleRepository } from './throttle/sign-in-throttle.repository';
import { VerifyAuditTrailUseCase } from './verify-audit-trail/verify-audit-trail.usecase';

/** The admin routes of this lib: sign-in/out (`/v1/admin/session`), live sessions (`/v1/admin/sessions`), the audit trail. */
export const OPERATORS_CONTROLLERS = [SessionController, SessionsController, AuditController];

/**
 * Operator authentication (sessions, service tokens, directory and break-glass sign-in), roles and permissions
 * (AdminGuard, @RequirePermission) and the hash-chained audit trail. Global: any module's admin controller can
 * use AdminGuard and AuditTrail. Needs `Database` from the app (StoreModule with OPERATORS_MIGRATIONS).
 */
@Module({})
export class OperatorsModule {
  static forRoot(options: OperatorsOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: OPERATORS_OPTIONS, useValue: options },
      { provide: Clock, useClass: SystemClock },
      { provide: OperatorDirectory, useClass: options.directory ? LdapDirectoryAdapter : NoOperatorDirectory },
      AuditTrail,
      SessionRepository,
      SignInThrottleRepository,
      OperatorAuthenticator,
      AdminGuard,
      SignInUseCase,
      SignOutUseCase,
      EndSessionUseCase,
      ListAuditEntriesUseCase,
      ExportAuditTrailUseCase,
      VerifyAuditTrailUseCase,
    ];
    return {
      module: OperatorsModule,
      global: true,
      controllers: options.http === false ? [] : OPERATORS_CONTROLLERS,
      providers,
      exports: [OPERATORS_OPTIONS, AuditTrail, OperatorAuthenticator, AdminGuard, VerifyAuditTrailUseCase],
    };
  }
}

/** The migrations of this lib: give them to StoreModule (`migrationDirs`). */
export const OPERATORS_MIGRATIONS = `${__dirname}/../migrations`;
