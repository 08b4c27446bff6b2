import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeRegExp, scenarioNames } from './fault-runs';

describe('fault-runs', () => {
  // Reading the spec's source is the one file access here: the names are what the script will pass to Jest.
  const names = scenarioNames(fs.readFileSync(path.join(__dirname, '../test/fault/fault-tolerance.e2e-spec.ts'), 'utf8'));

  it('finds every scenario of the fault spec by name', () => {
    expect(names).toContain('the Kafka broker is killed and restarted mid-load');
    expect(names).toContain('a dispatcher is stopped gracefully (SIGTERM) mid-load and started again');
    expect(names.length).toBeGreaterThanOrEqual(8);
    expect(new Set(names).size).toBe(names.length);
  });

  it('escapes a name so that Jest -t matches it literally', () => {
    for (const name of names) {
      const pattern = new RegExp(escapeRegExp(name));
      expect(pattern.test(`fault tolerance under load loses nothing when ${name}`)).toBe(true);
    }
    expect(new RegExp(escapeRegExp('a (b)')).test('a b')).toBe(false);
  });
});
