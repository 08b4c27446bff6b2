import { Logger } from '@nestjs/common';
import { configureLogging, configureTracing } from '@korpu/observability';

/**
 * Runs an app's boot with its logs through pino (LOG_LEVEL, LOG_FORMAT) and its traces over OTLP (OTEL_*); a configuration or start-up error is
 * logged once and the process exits 1. `env` is the environment the entry point read (process.env there, nowhere
 * else); logging and the app's configuration are read from the same one.
 */
export function runApp(name: string, env: Record<string, string | undefined>, boot: (env: Record<string, string | undefined>) => Promise<unknown>): void {
  try {
    configureLogging(name, env);
    // OpenTelemetry traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; off (no per-message cost) otherwise.
    configureTracing(name, env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  boot(env).catch((error: unknown) => {
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
