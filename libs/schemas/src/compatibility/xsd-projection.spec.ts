import { checkXsdCompatibility } from './check-compatibility';
import { CompatibilityMode } from './compatibility-mode';
import { projectXsd } from './xsd-projection';

const xsd = (body: string, types = ''): string => `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:simpleType name="Fin"><xs:restriction base="xs:string"><xs:pattern value="[0-9A-HJ-NP-Z]{7}"/></xs:restriction></xs:simpleType>
  ${types}
  <xs:element name="GetPersonRequest"><xs:complexType><xs:sequence>${body}</xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

const FIN = '<xs:element name="Fin" type="tns:Fin"/>';
const breaks = (older: string, newer: string, mode = CompatibilityMode.BACKWARD): string[] =>
  checkXsdCompatibility(older, newer, mode).breaks.map((b) => `${b.direction} ${b.type} at ${b.path}`);

describe('XSD compatibility (through the JSON Schema projection)', () => {
  const root = '#/properties/GetPersonRequest/properties';

  it('accepts an optional element added under BACKWARD and rejects it under FORWARD', () => {
    const older = xsd(FIN);
    const newer = xsd(`${FIN}<xs:element name="AsOfDate" type="xs:date" minOccurs="0"/>`);
    expect(breaks(older, newer)).toEqual([]);
    expect(breaks(older, newer, CompatibilityMode.FORWARD)).toEqual([
      `FORWARD PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at ${root}/AsOfDate`,
    ]);
  });

  it('rejects a required element added', () => {
    expect(breaks(xsd(FIN), xsd(`${FIN}<xs:element name="Purpose" type="xs:string"/>`))).toEqual([
      `BACKWARD REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL at ${root}/Purpose`,
    ]);
  });

  it('rejects an element removed from a closed sequence, accepts it where xs:any leaves the content open', () => {
    const extra = '<xs:element name="Note" type="xs:string" minOccurs="0"/>';
    expect(breaks(xsd(`${FIN}${extra}`), xsd(FIN))).toEqual([
      `BACKWARD PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at ${root}/Note`,
    ]);
    const any = '<xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>';
    expect(breaks(xsd(`${FIN}${extra}${any}`), xsd(`${FIN}${any}`))).toEqual([]);
  });

  it('rejects a changed element type and accepts a widened occurrence', () => {
    expect(
      breaks(xsd('<xs:element name="Age" type="xs:int"/>'), xsd('<xs:element name="Age" type="xs:date"/>')),
    ).toEqual([`BACKWARD TYPE_CHANGED at ${root}/Age/items`]);
    expect(breaks(xsd(FIN), xsd('<xs:element name="Fin" type="tns:Fin" maxOccurs="unbounded"/>'))).toEqual([]);
    expect(breaks(xsd('<xs:element name="Fin" type="tns:Fin" maxOccurs="5"/>'), xsd(FIN))).toEqual([
      `BACKWARD MAX_ITEMS_DECREASED at ${root}/Fin/maxItems`,
    ]);
  });

  it('compares facets of simple types: pattern, enumeration, length and range', () => {
    const kind = (values: string[]) =>
      `<xs:simpleType name="Kind"><xs:restriction base="xs:string">${values.map((v) => `<xs:enumeration value="${v}"/>`).join('')}</xs:restriction></xs:simpleType>`;
    const body = '<xs:element name="Kind" type="tns:Kind"/>';
    expect(breaks(xsd(body, kind(['AGE', 'SOCIAL'])), xsd(body, kind(['AGE', 'SOCIAL', 'SURVIVOR'])))).toEqual([]);
    expect(breaks(xsd(body, kind(['AGE', 'SOCIAL'])), xsd(body, kind(['AGE'])))).toEqual([
      `BACKWARD ENUM_ARRAY_NARROWED at ${root}/Kind/items/enum`,
    ]);
    const finPattern = (p: string) =>
      xsd(
        `<xs:element name="Code"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="${p}"/><xs:maxLength value="10"/></xs:restriction></xs:simpleType></xs:element>`,
      );
    expect(breaks(finPattern('[0-9]{7}'), finPattern('[0-9A-Z]{7}'))).toEqual([
      `BACKWARD PATTERN_CHANGED at ${root}/Code/items/pattern`,
    ]);
    const amount = (max: string) =>
      xsd(
        `<xs:element name="Amount"><xs:simpleType><xs:restriction base="xs:decimal"><xs:maxInclusive value="${max}"/></xs:restriction></xs:simpleType></xs:element>`,
      );
    expect(breaks(amount('100'), amount('1000'))).toEqual([]);
    expect(breaks(amount('1000'), amount('100'))).toEqual([
      `BACKWARD MAXIMUM_DECREASED at ${root}/Amount/items/maximum`,
    ]);
  });

  it('rejects a required attribute added and accepts an optional one', () => {
    const withAttribute = (use: string) =>
      `<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="R"><xs:complexType><xs:sequence/>${use}</xs:complexType></xs:element></xs:schema>`;
    const none = withAttribute('');
    expect(breaks(none, withAttribute('<xs:attribute name="lang" type="xs:language"/>'))).toEqual([]);
    expect(breaks(none, withAttribute('<xs:attribute name="lang" type="xs:language" use="required"/>'))).toEqual([
      'BACKWARD REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL at #/properties/R/properties/@lang',
    ]);
  });

  it('checks nothing under NONE', () => {
    expect(breaks(xsd(FIN), xsd('<xs:element name="Other" type="xs:string"/>'), CompatibilityMode.NONE)).toEqual([]);
  });

  it('refuses XSD constructs it does not understand rather than guessing', () => {
    const withGroup =
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:group name="g"><xs:sequence/></xs:group></xs:schema>';
    expect(() => projectXsd(withGroup)).toThrow('xs:group is not supported');
  });
});
