/** One JSON log line of an app (pino), as parsed; lines that are not JSON are kept as `{ msg: line }`. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string; context?: string };

/** Parses an app's output into its log lines. */
export function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      try {
        const parsed = JSON.parse(line) as unknown;
        return parsed && typeof parsed === 'object' ? (parsed as LogLine) : { msg: line };
      } catch {
        return { msg: line };
      }
    });
}

/** The messages of an app's log lines, one a line: what a person reads, for assertions on log text. */
export function logText(output: string): string {
  return logLines(output)
    .map((line) => String(line.msg ?? ''))
    .join('\n');
}
