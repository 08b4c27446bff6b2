import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line about one message carries (no payload, no personal data). */
export interface LogContext {
  messageId?: string;
  correlationId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` added to every log line written while it runs (across awaits). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  const merged = { ...storage.getStore(), ...definedOnly(context) };
  return storage.run(merged, work);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

function definedOnly(context: LogContext): LogContext {
  // Ids come from headers of records others wrote: clipped, so a hostile value cannot flood a line.
  return Object.fromEntries(
    Object.entries(context)
      .filter(([, value]) => typeof value === 'string' && value.length > 0)
      .map(([key, value]) => [key, (value as string).slice(0, 200)]),
  );
}
