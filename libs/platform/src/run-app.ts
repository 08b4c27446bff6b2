import { Logger } from '@nestjs/common';

/** Runs an app's boot; a configuration or start-up error is printed once and the process exits 1. */
export function runApp(name: string, boot: () => Promise<unknown>): void {
  boot().catch((error: unknown) => {
    new Logger(name).error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

/**
 * Runs a command-line tool's main: its result is the exit code (0 done, 1 what it checked is wrong); an error is
 * printed once as `<name>: <message>` and exits 2 (could not do the work).
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}
