import { Logger } from '@nestjs/common';
import type { Env } from '@korpu/config';
import { readLoggingOptions } from './logging.config';
import { PinoLoggerService, createPino } from './pino-logger.service';

/**
 * Sends every Nest logger of this process through pino (JSON lines; pino-pretty with LOG_FORMAT=pretty), at
 * LOG_LEVEL. Called once at an app's boot, before anything logs.
 */
export function configureLogging(app: string, env: Env): PinoLoggerService {
  const service = new PinoLoggerService(createPino(readLoggingOptions(env), app));
  Logger.overrideLogger(service);
  return service;
}
