import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { traceLogFields } from '../tracing/tracing';
import { currentLogContext } from './log-context';
import type { LoggingOptions } from './logging.config';

/** Fields never written as they are, wherever they appear in a logged object (one level deep). */
export const REDACTED_FIELDS = ['password', 'token', 'secret', 'authorization', 'cookie', 'privateKey', 'apiKey', 'sasl', 'dataKeys'];

/** `password=...`, `"token":"..."`, `Bearer ...` inside message text. */
const SECRET_IN_TEXT = /((?:password|passwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]+|(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export function maskSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, (_match, key: string | undefined, bearer: string | undefined) => `${key ?? bearer}[redacted]`);
}

export function createPino(options: LoggingOptions, app: string, destination?: pino.DestinationStream): Pino {
  const config: pino.LoggerOptions = {
    level: options.level,
    base: { app },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: '[redacted]' },
    // The message a line is about (message id, correlation id), from the context its work runs in.
    mixin: () => ({ ...currentLogContext(), ...traceLogFields() }),
  };
  if (destination) return pino(config, destination);
  if (options.format === 'pretty') {
    return pino({ ...config, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' } } });
  }
  return pino(config, pino.destination({ sync: true }));
}

const STACK = /\n\s+at /;

/** Nest's LoggerService over pino: every `new Logger(context)` of the app writes one JSON line per call. */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    // Nest passes the logger's context last.
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    for (const param of rest) {
      if (typeof param === 'string' && STACK.test(param)) fields.stack = maskSecrets(param);
      else if (param instanceof Error) fields.err = param;
      else if (param && typeof param === 'object') Object.assign(fields, param);
      else if (param !== undefined) fields.detail = param;
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, maskSecrets(message.message));
    } else if (message && typeof message === 'object') {
      this.pino[level]({ ...fields, ...(message as object) });
    } else {
      this.pino[level](fields, maskSecrets(String(message)));
    }
  }
}
