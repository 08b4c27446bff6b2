import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUDIT_ACTIONS_MODULE, auditActionsModule } from './audit-actions-module';

/**
 * Scripts only from the console's own files (no inline script, no eval), styles likewise, API calls only to this
 * origin, no framing, no plugins, no form posts elsewhere.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleAsset {
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * Files the console takes from npm packages, served under the console's own origin (no CDN: the CSP allows only
 * 'self', and the console must work without the internet): uPlot draws the overview's charts.
 */
const PACKAGE_ASSETS: Record<string, string> = {
  'uplot.js': 'uplot/dist/uPlot.esm.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
};

/**
 * The console's static files, read once at boot from `static/` (a fixed list: no path from a request reaches the file
 * system), the package files above, and the module written from code (audit-actions.js).
 */
@Injectable()
export class ConsoleAssets {
  private readonly assets = new Map<string, ConsoleAsset>();

  constructor() {
    const directory = path.join(__dirname, '..', 'static');
    for (const name of fs.readdirSync(directory)) {
      const contentType = CONTENT_TYPES[path.extname(name)];
      if (contentType) this.assets.set(name, { contentType, body: fs.readFileSync(path.join(directory, name)) });
    }
    if (!this.assets.has('index.html')) throw new Error(`The admin console's index.html is missing from ${directory}`);
    for (const [name, file] of Object.entries(PACKAGE_ASSETS)) {
      this.assets.set(name, { contentType: CONTENT_TYPES[path.extname(name)], body: fs.readFileSync(require.resolve(file)) });
    }
    // Written, not read: the audit actions come from @korpu/operators (one definition for the API and the console).
    this.assets.set(AUDIT_ACTIONS_MODULE, { contentType: CONTENT_TYPES['.js'], body: Buffer.from(auditActionsModule(), 'utf8') });
  }

  find(name: string): ConsoleAsset | undefined {
    return this.assets.get(name);
  }
}
