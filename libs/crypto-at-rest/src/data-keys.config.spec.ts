import { randomBytes } from 'node:crypto';
import { ConfigException, EnvReader } from '@korpu/config';
import { readDataKeys } from './data-keys.config';

const key = (): string => randomBytes(32).toString('base64');

function read(env: Record<string, string>) {
  const reader = new EnvReader(env);
  const options = readDataKeys(reader);
  let problems: string[] = [];
  try {
    reader.done();
  } catch (error) {
    problems = (error as ConfigException).problems;
  }
  return { options, problems };
}

describe('readDataKeys', () => {
  it('reads the keys and makes the last one listed active unless DATA_ACTIVE_KEY says otherwise', () => {
    const a = key();
    const b = key();
    expect(read({ DATA_KEYS: `a=${a},b=${b}` })).toEqual({ options: { keys: { a, b }, activeKeyId: 'b' }, problems: [] });
    expect(read({ DATA_KEYS: `a=${a},b=${b}`, DATA_ACTIVE_KEY: 'a' }).options.activeKeyId).toBe('a');
  });

  it('names the variable and the entry position of a bad key, never the key', () => {
    // Fixed bytes: a random one may hold "+" or "/", which changes which rule the kid-less entry breaks first.
    const short = Buffer.alloc(16, 7).toString('base64');
    const { problems } = read({ DATA_KEYS: `a=${key()},b=${short},${short}` });
    expect(problems).toEqual([
      'DATA_KEYS entry 2 must be kid=<32 random bytes, base64-encoded>',
      'DATA_KEYS entry 3 must be kid=<32 random bytes, base64-encoded>',
    ]);
    // The third entry is a key without its kid: split at its base64 padding, it must not be echoed as a kid either.
    expect(problems.join('\n')).not.toContain(short.slice(0, 8));
  });

  it('refuses a repeated key id and an active key id that is not listed', () => {
    const a = key();
    expect(read({ DATA_KEYS: `a=${a},a=${key()}` }).problems).toEqual(['DATA_KEYS entry 2 repeats the key id of an earlier entry']);
    expect(read({ DATA_KEYS: `a=${a}`, DATA_ACTIVE_KEY: 'b' }).problems).toEqual([
      'DATA_ACTIVE_KEY names a key id that DATA_KEYS does not list',
    ]);
  });

  it('refuses to start in production without keys, naming DATA_KEYS', () => {
    expect(read({ NODE_ENV: 'production' }).problems).toEqual([expect.stringMatching(/^DATA_KEYS is required when NODE_ENV=production/)]);
    expect(read({ NODE_ENV: 'test' })).toEqual({ options: { keys: {} }, problems: [] });
  });

  it('points the old MESSAGE_LOG_KEYS setting to DATA_KEYS without echoing it', () => {
    const old = key();
    const { problems } = read({ MESSAGE_LOG_KEYS: `k1=${old}`, DATA_KEYS: `k1=${old}` });
    expect(problems).toEqual([expect.stringContaining('MESSAGE_LOG_KEYS / MESSAGE_LOG_ACTIVE_KEY are now DATA_KEYS / DATA_ACTIVE_KEY')]);
    expect(problems.join('\n')).not.toContain(old);
  });
});
