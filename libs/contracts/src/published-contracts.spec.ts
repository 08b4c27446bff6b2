import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { Libxml2, loadLibxml2, schemaSamples } from '@korpu/schemas';

/**
 * The WSDLs carry their message types inline (so partners need one file), copied from schemas/. This keeps the
 * copies honest: a payload valid under the registry's current version must be valid under the published WSDL.
 */
const contracts = path.resolve(__dirname, '../../../contracts');
const XS = 'http://www.w3.org/2001/XMLSchema';

let libxml2: Libxml2;

beforeAll(async () => {
  libxml2 = await loadLibxml2();
});

/** Each inline xs:schema of a WSDL, standalone (with the namespace declarations it uses). */
function inlineSchemas(wsdlFile: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(fs.readFileSync(wsdlFile, 'utf8'), 'text/xml');
  const schemas = doc.getElementsByTagNameNS(XS, 'schema');
  const byNamespace = new Map<string, string>();
  for (let i = 0; i < schemas.length; i++) {
    const schema = schemas.item(i)!;
    // QNames in attribute values (type="tns:Fin") may use prefixes declared on the WSDL: carry them over.
    for (let node = schema.parentNode; node && node.nodeType === node.ELEMENT_NODE; node = node.parentNode) {
      const attributes = (node as unknown as { attributes: { length: number; item(i: number): { name: string; value: string } } }).attributes;
      for (let a = 0; a < attributes.length; a++) {
        const { name, value } = attributes.item(a);
        // (the schema's own prefix is declared by the serializer already)
        if (name.startsWith('xmlns') && name !== `xmlns:${schema.prefix}` && !schema.hasAttribute(name)) schema.setAttribute(name, value);
      }
    }
    byNamespace.set(schema.getAttribute('targetNamespace') ?? '', new XMLSerializer().serializeToString(schema));
  }
  return byNamespace;
}

function validAgainst(xsd: string, xml: string): string | undefined {
  const schemaDoc = libxml2.XmlDocument.fromString(xsd);
  const validator = libxml2.XsdValidator.fromDoc(schemaDoc);
  const doc = libxml2.XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    doc.dispose();
    validator.dispose();
    schemaDoc.dispose();
  }
}

describe('published WSDLs agree with schemas/', () => {
  it('the ministry WSDL accepts the current pension-entitlement request and reply', () => {
    const schemas = inlineSchemas(path.join(contracts, 'ministry/ministry.wsdl'));
    const pension = schemas.get('urn:korpu:pension:entitlement');
    expect(pension).toBeDefined();
    expect(validAgainst(pension!, schemaSamples.pensionEntitlementRequestXml({ includePaymentHistory: true }))).toBeUndefined();
    expect(validAgainst(pension!, schemaSamples.pensionEntitlementReplyXml(3))).toBeUndefined();
  });

  it('the ministry WSDL refuses what the registry refuses', () => {
    const pension = inlineSchemas(path.join(contracts, 'ministry/ministry.wsdl')).get('urn:korpu:pension:entitlement')!;
    expect(validAgainst(pension, schemaSamples.pensionEntitlementRequestXml({ fin: 'IO12345' }))).toBeDefined();
  });

  it('the population registry WSDL accepts a person lookup request', () => {
    const schemas = inlineSchemas(path.join(contracts, 'population-registry/population-registry.wsdl'));
    const person = schemas.get('urn:korpu:population:person');
    expect(person).toBeDefined();
    expect(validAgainst(person!, '<GetPersonRequest xmlns="urn:korpu:population:person"><Fin>5ZXK2P7</Fin></GetPersonRequest>')).toBeUndefined();
  });
});
