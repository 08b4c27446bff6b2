import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

/** Each capability registers what it needs to be ready (a database answer, a Kafka subscription joined...). */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results: Record<string, string> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
          ]);
          results[name] = 'up';
        } catch (error) {
          results[name] = `down: ${(error as Error).message}`;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return { ready: Object.values(results).every((value) => value === 'up'), checks: results };
  }
}
