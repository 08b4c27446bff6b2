import * as path from 'node:path';
import { loadSchemaFolder } from '../registry/schema-folder.loader';
import type { StoredMessageType } from '../registry/message-type';
import { checkPersonalDeclarations } from './check-personal-declarations';
import { maskValue, PersonalDataMasker, UNREADABLE_PAYLOAD } from './personal-data.masker';
import { jsonPersonalPaths, xsdElementPaths } from './personal-paths';

const SCHEMAS_DIR = path.join(__dirname, '../../../../schemas');

const PERSON = [
  '<p:GetPersonResponse xmlns:p="urn:korpu:population:person">',
  '<p:Fin>5ZXK2P7</p:Fin><p:Surname>Məmmədova</p:Surname><p:GivenName>Aysel</p:GivenName>',
  '<p:BirthDate>1985-03-14</p:BirthDate><p:Sex>F</p:Sex><p:Citizenship>AZE</p:Citizenship>',
  '<p:RegisteredAddress><p:Region>Bakı</p:Region><p:Settlement>Nəsimi</p:Settlement><p:Street>Füzuli küçəsi</p:Street></p:RegisteredAddress>',
  '<p:IdentityDocument><p:Number>AA1234567</p:Number><p:IssuedOn>2020-01-01</p:IssuedOn><p:ValidUntil>2030-01-01</p:ValidUntil></p:IdentityDocument>',
  '</p:GetPersonResponse>',
].join('');

describe('personal data declared in the schema registry', () => {
  let types: StoredMessageType[];
  let masker: PersonalDataMasker;

  beforeAll(async () => {
    types = await loadSchemaFolder(SCHEMAS_DIR);
    masker = PersonalDataMasker.fromTypes(types);
  });

  describe('maskValue', () => {
    it.each([
      ['5ZXK2P7', '********P7'],
      ['1985-03-14', '********14'],
      ['Aysel', '****'],
      ['AB', '****'],
      ['Məmmədova', '********va'],
      ['a'.repeat(100), `${'*'.repeat(32)}aa`],
    ])('masks %s as %s: a length class and the last 2 characters at most', (value, masked) => {
      expect(maskValue(value)).toBe(masked);
    });

    it('is stable: one value always masks the same way', () => {
      expect(maskValue('1400057422')).toBe(maskValue('1400057422'));
    });
  });

  describe('JSON types (x-personal on properties)', () => {
    it('finds the annotated paths, through $ref and array items', () => {
      const reply = types.find((t) => t.name === 'social-benefit-eligibility-reply')!;
      const paths = jsonPersonalPaths(JSON.parse(reply.versions[0].source)).map((p) => p.join('/'));
      expect(paths).toEqual(expect.arrayContaining(['fin', 'householdMembers/*/fin']));
    });

    it('masks the personal properties of a payload and nothing else', () => {
      const payload = {
        notificationId: '5b3f0c1e-54a4-4c1f-9f0e-0c43a0d5c0a1',
        event: 'CONCLUDED',
        employer: { voen: '1400057421', name: 'Azərsu ASC' },
        employee: { fin: '5ZXK2P7', fullName: 'Aysel Məmmədova' },
        contract: { number: 'C-1', startDate: '2025-01-01', position: 'Engineer', iscoCode: '2511', monthlySalary: { amount: 1500, currency: 'AZN' } },
        submittedAt: '2025-01-01T09:00:00Z',
      };
      const masked = JSON.parse(masker.maskText('employment-contract-notification', '3', JSON.stringify(payload)));
      expect(masked.employee).toEqual({ fin: '********P7', fullName: '****************va' });
      expect(masked.employer).toEqual(payload.employer);
      expect(masked.contract).toEqual(payload.contract);
      expect(JSON.stringify(masked)).not.toContain('5ZXK2P7');
    });

    it('masks every member of an array of personal values', () => {
      const masked = masker.maskJsonValue('social-benefit-eligibility-reply', 'v1', {
        fin: '5ZXK2P7',
        householdMembers: [{ fin: '6ABCDE7', relation: 'SPOUSE' }, { fin: '7FGHJK8', relation: 'CHILD' }],
      }) as { householdMembers: Array<{ fin: string; relation: string }> };
      expect(masked.householdMembers).toEqual([
        { fin: '********E7', relation: 'SPOUSE' },
        { fin: '********K8', relation: 'CHILD' },
      ]);
    });

    it('masks everything of a type or version it does not know (fail closed)', () => {
      expect(masker.knows('taxpayer-lookup-request', 1)).toBe(true);
      expect(masker.knows('taxpayer-lookup-request', 9)).toBe(false);
      expect(JSON.parse(masker.maskText('no-such-type', '1', '{"voen":"1400057422","n":[12345678]}'))).toEqual({ voen: '********22', n: ['********78'] });
      expect(JSON.parse(masker.maskText(null, null, '{"a":"secret-value"}'))).toEqual({ a: '****************ue' });
    });

    it('answers unreadable text with a placeholder that holds none of it', () => {
      expect(masker.maskText('taxpayer-lookup-request', '1', '{"voen": "14000574')).toBe(UNREADABLE_PAYLOAD);
    });
  });

  describe('XML types (personal.json beside the XSD)', () => {
    it('masks the declared elements, whole subtrees included, and keeps the rest and the namespaces', () => {
      const masked = masker.maskText('person-lookup-reply', '1', PERSON);
      for (const secret of ['5ZXK2P7', 'Məmmədova', 'Aysel', '1985-03-14', 'Bakı', 'Füzuli', 'AA1234567']) expect(masked).not.toContain(secret);
      expect(masked).toContain('<p:Fin>********P7</p:Fin>');
      expect(masked).toContain('<p:Sex>F</p:Sex>');
      expect(masked).toContain('<p:Citizenship>AZE</p:Citizenship>');
      // IdentityDocument/Number only: the document's dates stay.
      expect(masked).toContain('<p:IssuedOn>2020-01-01</p:IssuedOn>');
      expect(masked).toContain('xmlns:p="urn:korpu:population:person"');
    });

    it('masks every text of an XML payload of an unknown type', () => {
      const masked = masker.maskText('unknown', '1', '<a x="attribute-value"><b>some-secret</b></a>');
      expect(masked).toBe(`<a x="${'*'.repeat(16)}ue"><b>${'*'.repeat(16)}et</b></a>`);
    });

    it('refuses to read an XML payload with a DOCTYPE or that is not well-formed', () => {
      expect(masker.maskText('person-lookup-request', '1', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')).toBe(UNREADABLE_PAYLOAD);
      expect(masker.maskText('person-lookup-request', '1', '<GetPersonRequest><Fin>5ZXK2P7</GetPersonRequest>')).toBe(UNREADABLE_PAYLOAD);
    });

    it('lists the element paths of an XSD', () => {
      const reply = types.find((t) => t.name === 'person-lookup-reply')!;
      const paths = xsdElementPaths(reply.versions[0].source).map((p) => p.join('/'));
      expect(paths).toEqual(expect.arrayContaining(['GetPersonResponse/Fin', 'GetPersonResponse/RegisteredAddress/Street', 'GetPersonResponse/IdentityDocument/Number']));
    });
  });

  describe('the schemas:check gate', () => {
    it('passes the shipped registry', () => {
      expect(checkPersonalDeclarations(types)).toEqual([]);
    });

    it('names a personal.json element that a live version does not declare', () => {
      const broken = types.map((t) => (t.name === 'pension-entitlement-request' ? { ...t, personal: ['Fin', 'Surname', 'IncludePaymentHistory'] } : t));
      expect(checkPersonalDeclarations(broken)).toEqual([
        'pension-entitlement-request v1: personal.json names "Surname", which v1.xsd does not declare',
        'pension-entitlement-request v1: personal.json names "IncludePaymentHistory", which v1.xsd does not declare',
        'pension-entitlement-request v2: personal.json names "Surname", which v2.xsd does not declare',
      ]);
    });

    it('refuses an x-personal that is not a boolean, or that marks the whole message', () => {
      const type = types.find((t) => t.name === 'taxpayer-lookup-request')!;
      const schema = JSON.parse(type.versions[0].source);
      schema['x-personal'] = true;
      schema.properties.includeActivities['x-personal'] = 'yes';
      const broken = [{ ...type, versions: [{ ...type.versions[0], source: JSON.stringify(schema) }] }];
      expect(checkPersonalDeclarations(broken)).toEqual([
        'taxpayer-lookup-request v1: x-personal at / marks the whole message; mark its personal properties',
        'taxpayer-lookup-request v1: x-personal at /includeActivities must be true or false',
      ]);
    });
  });
});
