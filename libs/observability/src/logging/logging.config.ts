import { Env, EnvReader } from '@korpu/config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggingOptions {
  /** LOG_LEVEL (default info). */
  level: LogLevel;
  /** LOG_FORMAT: `json` (default: production and tests) or `pretty` (npm start: pino-pretty). */
  format: 'json' | 'pretty';
}

export function readLoggingOptions(env: Env): LoggingOptions {
  const reader = new EnvReader(env);
  const options: LoggingOptions = {
    level: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    format: reader.oneOf('LOG_FORMAT', ['json', 'pretty'] as const, 'json'),
  };
  reader.done();
  return options;
}
