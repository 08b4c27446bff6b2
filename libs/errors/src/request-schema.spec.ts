import { INSTANT_SCHEMA, parameterValid, readRequest, requestProblems } from './request-schema';

const QUERY = {
  type: 'object',
  additionalProperties: false,
  required: ['service'],
  properties: {
    service: { type: 'string', pattern: '^[a-z]+/[A-Za-z]+$', description: 'partner/operation' },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
    force: { type: 'boolean' },
    filter: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['unresolved'] } } },
  },
};

describe('readRequest', () => {
  it('coerces query text to the integers and booleans of the schema, on a copy', () => {
    const query = { service: 'tax/Get', limit: '50', force: 'true' };
    const reading = readRequest(QUERY, query);
    expect(reading).toEqual({ fields: { service: 'tax/Get', limit: 50, force: true }, problems: [] });
    expect(query.limit).toBe('50');
  });

  it('treats empty fields as absent, one level down too', () => {
    expect(readRequest(QUERY, { service: 'tax/Get', limit: '', force: null, filter: { status: '' } })).toEqual({ fields: { service: 'tax/Get', filter: {} }, problems: [] });
  });

  it('names every problem, the unknown field with its path, and the rule in words instead of the pattern', () => {
    const reading = readRequest(QUERY, { service: 'Tax', limit: '0', filter: { statsu: 'x' } });
    expect(reading.problems).toEqual([
      '"service" does not follow its rule (partner/operation)',
      '"limit" must be >= 1',
      '"filter.statsu" is not a field of this request',
    ]);
  });

  it('keeps the valid fields when others are refused, so a command can still say what else is wrong', () => {
    const reading = readRequest(QUERY, { service: 'tax/Get', limit: 'many' });
    expect(reading.fields).toEqual({ service: 'tax/Get' });
    expect(reading.problems).toEqual(['"limit" must be integer']);
  });

  it('refuses anything but an object with one problem, and takes no input as an empty object', () => {
    for (const input of [[1], 'text', 5, true]) expect(readRequest(QUERY, input, 'the query')).toEqual({ fields: {}, problems: ['the query must be a JSON object'] });
    expect(readRequest(QUERY, undefined).problems).toEqual(['"service" is required']);
  });

  it('does not coerce in requestProblems (JSON bodies of the internal API are typed)', () => {
    expect(requestProblems(QUERY, { service: 'tax/Get', limit: '5' })).toEqual(['"limit" must be integer']);
  });
});

describe('parameterValid', () => {
  it('checks one value against its schema, the same answer however often it is asked', () => {
    const ulid = { type: 'string', pattern: '^[0-9A-Z]{26}$' };
    for (let i = 0; i < 3; i++) {
      expect(parameterValid('job id', ulid, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(true);
      expect(parameterValid('job id', ulid, 'x')).toBe(false);
      expect(parameterValid('job id', ulid, undefined)).toBe(false);
    }
    expect(parameterValid('from', INSTANT_SCHEMA, '2026-12-01T08:00:00Z')).toBe(true);
    expect(parameterValid('from', INSTANT_SCHEMA, 'yesterday')).toBe(false);
  });
});
