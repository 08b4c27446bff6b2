import { Writable } from 'node:stream';
import { withLogContext } from './log-context';
import { readLoggingOptions } from './logging.config';
import { PinoLoggerService, createPino, maskSecrets } from './pino-logger.service';

function capture(level: 'info' | 'debug' = 'info'): { logger: PinoLoggerService; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = new PinoLoggerService(createPino({ level, format: 'json' }, 'test-app', sink));
  return { logger, lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('PinoLoggerService', () => {
  it('writes one JSON line per call with level, app and the Nest context', () => {
    const { logger, lines } = capture();
    logger.log('listening on http://127.0.0.1:8081', 'dispatcher');
    logger.debug('not at info', 'dispatcher');
    expect(lines()).toEqual([expect.objectContaining({ level: 'info', app: 'test-app', context: 'dispatcher', msg: 'listening on http://127.0.0.1:8081' })]);
  });

  it('adds the message id and correlation id of the work the line belongs to, across awaits', async () => {
    const { logger, lines } = capture();
    await withLogContext({ messageId: '01JABC', correlationId: 'corr-1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('Giving up', 'DeliverMessageUseCase');
    });
    logger.log('after');
    const [about, after] = lines();
    expect(about).toMatchObject({ level: 'warn', messageId: '01JABC', correlationId: 'corr-1', msg: 'Giving up' });
    expect(after.messageId).toBeUndefined();
  });

  it('keeps secrets out: redacted fields of logged objects, passwords and bearer tokens in text', () => {
    const { logger, lines } = capture();
    logger.error({ msg: 'login', password: 'hunter2', request: { authorization: 'Bearer abc.def' } });
    logger.error('connect failed: password=hunter2 header Bearer eyJhbGciOi.x', 'x');
    const text = JSON.stringify(lines());
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc.def');
    expect(text).not.toContain('eyJhbGciOi');
    expect(maskSecrets('"token":"s3cret"')).toBe('"token":"[redacted]"');
  });

  it('takes an error stack Nest passes along as a field', () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at x (y.ts:1:1)', 'ctx');
    expect(lines()[0]).toMatchObject({ level: 'error', msg: 'boom', context: 'ctx', stack: expect.stringContaining('at x') });
  });

  it('reads LOG_LEVEL and LOG_FORMAT, naming a bad variable', () => {
    expect(readLoggingOptions({})).toEqual({ level: 'info', format: 'json' });
    expect(readLoggingOptions({ LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' })).toEqual({ level: 'debug', format: 'pretty' });
    expect(() => readLoggingOptions({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });
});
