import { ConfigException, EnvReader } from './env-reader';

describe('EnvReader', () => {
  it('reads typed values with fallbacks', () => {
    const env = new EnvReader({ PORT: '8080', FLAG: 'yes', LIST: 'a, b,,c', MAP: 'x=1,y=http://h:2' });
    expect(env.int('PORT', 1)).toBe(8080);
    expect(env.int('MISSING', 7)).toBe(7);
    expect(env.bool('FLAG', false)).toBe(true);
    expect(env.list('LIST', [])).toEqual(['a', 'b', 'c']);
    expect(env.map('MAP')).toEqual({ x: '1', y: 'http://h:2' });
    expect(() => env.done()).not.toThrow();
  });

  it('names a malformed map entry by variable and position, never echoing it (maps carry secrets)', () => {
    const env = new EnvReader({ ADMIN_OPERATORS: 'good-token=leyla,s3cr3t-token-without-name' });
    expect(env.map('ADMIN_OPERATORS')).toEqual({ 'good-token': 'leyla' });
    let error: unknown;
    try {
      env.done();
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ConfigException).problems.join('\n');
    expect(problems).toContain('ADMIN_OPERATORS entry 2 must look like key=value');
    expect(problems).not.toContain('s3cr3t');
    expect(String((error as Error).message)).not.toContain('s3cr3t');
  });

  it('names every bad variable in one error', () => {
    const env = new EnvReader({ PORT: 'eighty', MODE: 'loud', URL: 'not a url' });
    env.int('PORT', 80, { min: 1, max: 65535 });
    env.oneOf('MODE', ['quiet', 'normal'] as const, 'normal');
    env.url('URL');
    env.required('SECRET');
    let error: unknown;
    try {
      env.done();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigException);
    const problems = (error as ConfigException).problems.join('\n');
    for (const name of ['PORT', 'MODE', 'URL', 'SECRET']) expect(problems).toContain(name);
  });

  it('rejects an integer outside its range', () => {
    const env = new EnvReader({ PORT: '70000' });
    env.int('PORT', 80, { min: 1, max: 65535 });
    expect(() => env.done()).toThrow(/PORT must be an integer from 1 to 65535/);
  });
});
