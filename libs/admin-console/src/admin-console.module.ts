import { Module } from '@nestjs/common';
import { AdminConsoleController } from './http/admin-console.controller';
import { ConsoleAssets } from './console-assets';

/**
 * The integration engineers' web console at /console/: static files only (HTML, CSS, ES modules: static/console.js
 * imports the API client, DOM helpers and one module per view), plus audit-actions.js written from OperatorAction
 * of @korpu/operators. Everything it shows comes from the admin API (/v1/admin/...) with the token of the
 * operator's session (signed in with a directory or break-glass account).
 */
@Module({ controllers: [AdminConsoleController], providers: [ConsoleAssets] })
export class AdminConsoleModule {}
