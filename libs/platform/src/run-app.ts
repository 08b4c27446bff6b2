import { Logger } from '@nestjs/common';

/** Runs an app's boot; a configuration or start-up error is printed once and the process exits 1. */
export function runApp(name: string, boot: () => Promise<unknown>): void {
  boot().catch((error: unknown) => {
    new Logger(name).error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
