import * as path from 'node:path';
import { SchemaErrorCode, SchemaWarningCode } from '../schema-error-code';
import { SchemaException } from '../schema.exception';
import {
  employmentContractNotification,
  pensionEntitlementReplyXml,
  pensionEntitlementRequestXml,
  socialBenefitEligibilityReply,
} from '../testing/sample-payloads';
import { loadSchemaFolder } from './schema-folder.loader';
import { SchemaRegistry } from './schema-registry';
import { StoredMessageType } from './message-type';

const SCHEMAS_DIR = path.join(__dirname, '../../../../schemas');

function thrown(action: () => unknown): SchemaException {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof SchemaException) return error;
    throw error;
  }
  throw new Error('expected a SchemaException');
}

describe('SchemaRegistry', () => {
  let registry: SchemaRegistry;
  const deprecatedUses: Array<{ type: string; version: string }> = [];

  beforeAll(async () => {
    registry = await SchemaRegistry.load({
      directory: SCHEMAS_DIR,
      maxViolations: 5,
      onDeprecatedUse: (u) => deprecatedUses.push(u),
    });
  });
  afterAll(() => registry.dispose());

  describe('lookup', () => {
    it('lists every shipped message type with its versions, status, format and compatibility mode', () => {
      const types = registry.listTypes();
      expect(types.map((t) => t.name)).toEqual([
        'disability-status-reply',
        'disability-status-request',
        'employment-contract-notification',
        'pension-entitlement-reply',
        'pension-entitlement-request',
        'person-lookup-reply',
        'person-lookup-request',
        'social-benefit-eligibility-reply',
        'social-benefit-eligibility-request',
        'taxpayer-lookup-reply',
        'taxpayer-lookup-request',
      ]);
      expect(registry.getMessageType('pension-entitlement-request')).toMatchObject({
        format: 'xml',
        compatibility: 'BACKWARD',
        versions: [
          { version: '1', status: 'deprecated', successor: '2', fileName: 'v1.xsd', mediaType: 'application/xml' },
          { version: '2', status: 'active', fileName: 'v2.xsd' },
        ],
      });
    });

    it('rejects an unknown message type', () => {
      const error = thrown(() => registry.validate('pension-request', 1, '<a/>'));
      expect(error.code).toBe(SchemaErrorCode.UNKNOWN_TYPE);
      expect(error.status).toBe(400);
    });

    it('rejects an unknown version and names the known ones', () => {
      const error = thrown(() => registry.validate('pension-entitlement-request', 7, '<a/>'));
      expect(error.code).toBe(SchemaErrorCode.UNKNOWN_VERSION);
      expect(error.details).toMatchObject({ knownVersions: ['1', '2'] });
    });

    it('rejects a retired version with 410 and names its successor', () => {
      const error = thrown(() =>
        registry.validate('employment-contract-notification', '1', employmentContractNotification(2)),
      );
      expect(error.code).toBe(SchemaErrorCode.VERSION_RETIRED);
      expect(error.status).toBe(410);
    });

    it('accepts the version as 2, "2" or "v2"', () => {
      for (const version of [3, '3', 'v3']) {
        expect(
          registry.validate('employment-contract-notification', version, employmentContractNotification(3)).version,
        ).toBe('3');
      }
    });

    it('serves the schema file with its media type and a stable ETag', () => {
      const doc = registry.findSchemaDocument('taxpayer-lookup-request', 'v1');
      expect(doc).toMatchObject({ fileName: 'v1.schema.json', mediaType: 'application/schema+json' });
      expect(JSON.parse(doc?.source ?? '')).toMatchObject({ properties: { voen: { pattern: '^[0-9]{9}[12]$' } } });
      expect(doc?.etag).toBe(registry.findSchemaDocument('taxpayer-lookup-request', 1)?.etag);
      expect(registry.findSchemaDocument('employment-contract-notification', 1)).toBeDefined(); // retired, still documented
      expect(registry.findSchemaDocument('taxpayer-lookup-request', 9)).toBeUndefined();
    });
  });

  describe('JSON payloads', () => {
    it('accepts a valid message without warnings', () => {
      expect(registry.validate('social-benefit-eligibility-reply', 1, socialBenefitEligibilityReply(12))).toEqual({
        type: 'social-benefit-eligibility-reply',
        version: '1',
        format: 'json',
        warnings: [],
      });
    });

    it('accepts a VÖEN ending in 1 or 2 only', () => {
      expect(registry.validate('taxpayer-lookup-request', 1, { voen: '1401234561' }).warnings).toEqual([]);
      expect(registry.validate('taxpayer-lookup-request', 1, { voen: '1401234562' }).warnings).toEqual([]);
      const error = thrown(() => registry.validate('taxpayer-lookup-request', 1, { voen: '1401234563' }));
      expect(error.details?.violations).toEqual([
        { pointer: '/voen', rule: 'pattern', message: 'must match pattern "^[0-9]{9}[12]$"' },
      ]);
    });

    it('rejects a FIN with the letters I or O', () => {
      const error = thrown(() =>
        registry.validate('social-benefit-eligibility-request', 1, {
          fin: '5ZJBKO2',
          benefitCode: 'CHILD_BIRTH_ALLOWANCE',
          assessmentDate: '2025-06-30',
          requestingAgencyCode: 'DOST',
        }),
      );
      expect(error.details?.violations).toEqual([expect.objectContaining({ pointer: '/fin', rule: 'pattern' })]);
    });

    it('reports violations as 422 with pointers at the offending property', () => {
      const message = employmentContractNotification(3);
      delete (message.employee as Record<string, unknown>).fin;
      (message.contract as Record<string, unknown>).weeklyHours = 60;
      (message as Record<string, unknown>).unexpected = true;
      const error = thrown(() => registry.validate('employment-contract-notification', 3, message));
      expect(error.code).toBe(SchemaErrorCode.VALIDATION_FAILED);
      expect(error.status).toBe(422);
      expect(error.details?.violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ pointer: '/unexpected', rule: 'additionalProperties' }),
          expect.objectContaining({ pointer: '/employee/fin', rule: 'required' }),
          expect.objectContaining({ pointer: '/contract/weeklyHours', rule: 'maximum' }),
        ]),
      );
      expect(error.details?.truncated).toBe(false);
    });

    it('bounds the violations it reports and says so', () => {
      const message = socialBenefitEligibilityReply(40);
      for (const payment of message.paymentHistory as Array<Record<string, unknown>>) payment.period = 'yesterday';
      const error = thrown(() => registry.validate('social-benefit-eligibility-reply', 1, message));
      expect(error.details?.violations).toHaveLength(5);
      expect(error.details?.truncated).toBe(true);
    });

    it('reports only the first violation of a huge bad payload, quickly', async () => {
      const small = await SchemaRegistry.load({ directory: SCHEMAS_DIR, fullReportNodeLimit: 1000 });
      const message = socialBenefitEligibilityReply(2000);
      for (const payment of message.paymentHistory as Array<Record<string, unknown>>) payment.period = 'yesterday';
      message.paymentHistory = [...(message.paymentHistory as unknown[]), ...(message.paymentHistory as unknown[])];
      const started = process.hrtime.bigint();
      const error = thrown(() => small.validate('social-benefit-eligibility-reply', 1, message));
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      expect(error.details).toMatchObject({ truncated: true });
      expect(error.details?.violations).toHaveLength(1);
      expect(elapsedMs).toBeLessThan(200);
      small.dispose();
    });

    it('warns on a deprecated version and counts each accepted use', () => {
      const before = registry.deprecatedUses().find((u) => u.type === 'employment-contract-notification')?.count ?? 0;
      const outcome = registry.validate('employment-contract-notification', 2, employmentContractNotification(2));
      expect(outcome.warnings).toEqual([
        {
          code: SchemaWarningCode.VERSION_DEPRECATED,
          type: 'employment-contract-notification',
          version: '2',
          message:
            'Version 2 of employment-contract-notification is deprecated, to be retired after 2026-09-30; use version 3',
          sunset: '2026-09-30',
          successor: '3',
        },
      ]);
      registry.validate('employment-contract-notification', 2, employmentContractNotification(2));
      expect(registry.deprecatedUses()).toContainEqual({
        type: 'employment-contract-notification',
        version: '2',
        count: before + 2,
      });
      expect(deprecatedUses).toContainEqual({ type: 'employment-contract-notification', version: '2' });
    });
  });

  describe('XML payloads', () => {
    it('accepts a valid SOAP body element, with a deprecation warning on v1', () => {
      expect(
        registry.validate(
          'pension-entitlement-request',
          2,
          pensionEntitlementRequestXml({ includePaymentHistory: true }),
        ).warnings,
      ).toEqual([]);
      const outcome = registry.validate('pension-entitlement-request', 1, pensionEntitlementRequestXml());
      expect(outcome.warnings).toEqual([
        expect.objectContaining({ code: 'SCHEMA_VERSION_DEPRECATED', sunset: '2026-12-31', successor: '2' }),
      ]);
      expect(registry.validate('pension-entitlement-reply', 1, pensionEntitlementReplyXml(24)).format).toBe('xml');
    });

    it('rejects v2-only content under v1', () => {
      const error = thrown(() =>
        registry.validate(
          'pension-entitlement-request',
          1,
          pensionEntitlementRequestXml({ includePaymentHistory: true }),
        ),
      );
      expect(error.code).toBe(SchemaErrorCode.VALIDATION_FAILED);
      expect(error.details?.violations).toEqual([
        expect.objectContaining({
          pointer: '/p:GetPensionEntitlementRequest/p:IncludePaymentHistory',
          rule: 'unexpected-element',
        }),
      ]);
    });

    it('reports XSD violations with their XPath and rule', () => {
      const xml = pensionEntitlementRequestXml({ fin: 'ABCI123' }).replace('2025-06-30', '2025-13-01');
      const error = thrown(() => registry.validate('pension-entitlement-request', 2, xml));
      expect(error.status).toBe(422);
      expect(error.details?.violations).toEqual([
        expect.objectContaining({ pointer: '/p:GetPensionEntitlementRequest/p:Fin', rule: 'pattern', line: 1 }),
        expect.objectContaining({ pointer: '/p:GetPensionEntitlementRequest/p:AsOfDate', rule: 'type' }),
      ]);
    });

    it('rejects an element of another message type', () => {
      const error = thrown(() => registry.validate('disability-status-request', 1, pensionEntitlementRequestXml()));
      expect(error.details?.violations).toEqual([expect.objectContaining({ rule: 'root-element' })]);
    });

    it('bounds XSD violations', () => {
      const rows = Array.from(
        { length: 30 },
        () => '<p:Payment><p:Period>bad</p:Period><p:Amount>1</p:Amount><p:PaidOn>2025-01-01</p:PaidOn></p:Payment>',
      );
      const xml = pensionEntitlementReplyXml(1).replace(
        /<p:PaymentHistory>.*<\/p:PaymentHistory>/,
        `<p:PaymentHistory>${rows.join('')}</p:PaymentHistory>`,
      );
      const error = thrown(() => registry.validate('pension-entitlement-reply', 1, xml));
      expect(error.details?.violations).toHaveLength(5);
      expect(error.details?.truncated).toBe(true);
    });

    it('rejects malformed XML with the line and column', () => {
      const error = thrown(() =>
        registry.validate(
          'person-lookup-request',
          1,
          '<p:GetPersonRequest xmlns:p="urn:korpu:population:person">\n<p:Fin>5ZJBKQ2</p:Fin>',
        ),
      );
      expect(error.code).toBe(SchemaErrorCode.MALFORMED_XML);
      expect(error.details?.violations).toEqual([
        expect.objectContaining({ rule: 'well-formedness', pointer: expect.stringMatching(/^line 2, column \d+$/) }),
      ]);
    });

    it('rejects a JSON value given for an XML type', () => {
      expect(thrown(() => registry.validate('person-lookup-request', 1, { fin: '5ZJBKQ2' })).code).toBe(
        SchemaErrorCode.MALFORMED_XML,
      );
    });

    it('refuses a billion-laughs document before expanding anything', () => {
      const lol =
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
        Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join(
          '',
        ) +
        ']><p:GetPersonRequest xmlns:p="urn:korpu:population:person"><p:Fin>&lol9;</p:Fin></p:GetPersonRequest>';
      const started = Date.now();
      const error = thrown(() => registry.validate('person-lookup-request', 1, lol));
      expect(error.code).toBe(SchemaErrorCode.XML_DTD_FORBIDDEN);
      expect(error.status).toBe(400);
      expect(Date.now() - started).toBeLessThan(100);
    });

    it('refuses an external-entity (XXE) document', () => {
      const xxe =
        '<?xml version="1.0"?>\n<!-- innocuous -->\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
        '<p:GetPersonRequest xmlns:p="urn:korpu:population:person"><p:Fin>&xxe;</p:Fin></p:GetPersonRequest>';
      expect(thrown(() => registry.validate('person-lookup-request', 1, xxe)).code).toBe(
        SchemaErrorCode.XML_DTD_FORBIDDEN,
      );
    });

    it('does not resolve entity references that no DTD declares', () => {
      const error = thrown(() =>
        registry.validate(
          'person-lookup-request',
          1,
          '<p:GetPersonRequest xmlns:p="urn:korpu:population:person"><p:Fin>&xxe;</p:Fin></p:GetPersonRequest>',
        ),
      );
      expect(error.code).toBe(SchemaErrorCode.MALFORMED_XML);
    });
  });
});

describe('SchemaRegistry.fromTypes', () => {
  const jsonType = (schema: object): StoredMessageType => ({
    name: 'sample-request',
    descriptor: {
      owner: 'o',
      description: 'd',
      format: 'json',
      compatibility: 'NONE' as never,
      versions: { '1': { status: 'active' } },
    },
    versions: [
      { version: '1', descriptor: { status: 'active' }, fileName: 'v1.schema.json', source: JSON.stringify(schema) },
    ],
  });

  it('fails the boot with the file named when a schema does not compile', async () => {
    const broken = jsonType({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', propertys: {} });
    await expect(SchemaRegistry.fromTypes([broken])).rejects.toMatchObject({
      code: SchemaErrorCode.REGISTRY_INVALID,
      message: expect.stringContaining('sample-request/v1.schema.json does not compile'),
    });
  });

  it('requires JSON Schema 2020-12', async () => {
    const draft7 = jsonType({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' });
    await expect(SchemaRegistry.fromTypes([draft7])).rejects.toMatchObject({ code: SchemaErrorCode.REGISTRY_INVALID });
  });

  it('keeps the shipped type.schema.json equal to the one the loader enforces', async () => {
    const { TYPE_DESCRIPTOR_SCHEMA } = await import('./type-descriptor.schema');
    const shipped = jest.requireActual<object>(path.join(SCHEMAS_DIR, 'type.schema.json'));
    expect(shipped).toEqual(TYPE_DESCRIPTOR_SCHEMA);
  });

  it('loads every shipped message type', async () => {
    const types = await loadSchemaFolder(SCHEMAS_DIR);
    expect(types).toHaveLength(11);
    expect(
      types.flatMap((t) =>
        t.versions.filter((v) => v.descriptor.status === 'retired').map((v) => `${t.name}@${v.version}`),
      ),
    ).toEqual(['employment-contract-notification@1']);
  });
});
