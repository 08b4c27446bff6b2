import { Element, Node } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { descendantElements } from '@korpu/xml';
import { xroadEnvelope } from '../testing/soap-fixtures';
import { excC14n } from './exc-c14n';
import { parseXmlStrict } from './safe-xml';

/** The first element called `tagName` (qualified name) in document order. */
function find(xml: string, tagName: string): Element {
  const walk = (node: Node): Element | undefined => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== Node.ELEMENT_NODE) continue;
      if ((n as Element).tagName === tagName) return n as Element;
      const found = walk(n);
      if (found) return found;
    }
    return undefined;
  };
  return walk(parseXmlStrict(xml))!;
}

describe('excC14n', () => {
  it('gives the output of the recommendation for an element taken out of its context (xml-exc-c14n §2.2)', () => {
    const xml =
      '<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">\n   <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">\n' +
      '       <n3:stuff xmlns:n3="ftp://example.org"/>\n   </n1:elem2>\n</n0:local>';
    expect(excC14n(find(xml, 'n1:elem2'))).toBe(
      '<n1:elem2 xmlns:n1="http://example.net" xml:lang="en">\n       <n3:stuff xmlns:n3="ftp://example.org"></n3:stuff>\n   </n1:elem2>',
    );
  });

  it('writes the PrefixList namespaces as inclusive c14n does, in scope from the ancestors included', () => {
    const xml =
      '<n2:pdu xmlns:n1="http://example.com" xmlns:n2="http://foo.example" xml:lang="fr" xml:foo="bar">' +
      '<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n2:pdu>';
    expect(excC14n(find(xml, 'n1:elem2'), ['n2'])).toBe(
      '<n1:elem2 xmlns:n1="http://example.net" xmlns:n2="http://foo.example" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>',
    );
    expect(excC14n(find(xml, 'n1:elem2'), ['xml', 'absent'])).not.toContain('xmlns:xml');
  });

  it('sorts namespace declarations and attributes by code point, not alphabetically (X before wsu, Z before a)', () => {
    const xml =
      '<X:Envelope xmlns:X="urn:soap" xmlns:wsu="urn:wsu" xmlns:b="urn:b" xmlns:Z="urn:z">' +
      '<X:Body wsu:Id="b" Z:a="1" b:a="2" Zeta="3" alpha="4">t</X:Body></X:Envelope>';
    expect(excC14n(find(xml, 'X:Body'))).toBe(
      '<X:Body xmlns:X="urn:soap" xmlns:Z="urn:z" xmlns:b="urn:b" xmlns:wsu="urn:wsu" Zeta="3" alpha="4" b:a="2" wsu:Id="b" Z:a="1">t</X:Body>',
    );
  });

  it('writes a namespace again under an output ancestor that rebound the prefix, and xmlns="" under a default one', () => {
    const xml = '<r xmlns:p="urn:1" xmlns="urn:d"><p:a><p:b xmlns:p="urn:2"><c xmlns:p="urn:1" p:x="1"><d xmlns=""/></c></p:b></p:a></r>';
    expect(excC14n(find(xml, 'p:a'))).toBe(
      '<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><c xmlns="urn:d" xmlns:p="urn:1" p:x="1"><d xmlns=""></d></c></p:b></p:a>',
    );
    expect(excC14n(find('<r><s xmlns=""/></r>', 's'))).toBe('<s></s>');
  });

  it('escapes text and attribute values, turns CDATA into text, drops comments and keeps processing instructions', () => {
    const xml = '<r a="&lt;&amp;&quot;&#9;&#10;&#13;>\'"><![CDATA[<&>]]>&gt;&#13;<!-- gone --><?pi  data ?><?empty?>\n</r>';
    expect(excC14n(find(xml, 'r'))).toBe('<r a="&lt;&amp;&quot;&#x9;&#xA;&#xD;>\'">&lt;&amp;&gt;&gt;&#xD;<?pi data ?><?empty?>\n</r>');
  });

  it('matches xml-crypto on every element of an X-Road envelope and of a response with mixed namespaces', () => {
    const xmlCrypto = new ExclusiveCanonicalization();
    const theirs = (el: Element): string => (xmlCrypto.process as unknown as (n: Element, o: object) => string)(el, { inclusiveNamespacesPrefixList: [] });
    for (const xml of [xroadEnvelope(), MIXED_RESPONSE]) {
      const elements = descendantElements(parseXmlStrict(xml));
      expect(elements.length).toBeGreaterThanOrEqual(10);
      for (const el of elements) expect(excC14n(el)).toBe(theirs(el));
    }
  });
});

const MIXED_RESPONSE =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">' +
  '<s:Body wsu:Id="Body-1"><r:result xmlns:r="urn:registry" xmlns:unused="urn:unused" status="ok">' +
  '<person xmlns="urn:people" r:ref="7"><name lang="az">Aysel &amp; Co</name><note><![CDATA[<b>bold</b>]]></note></person>' +
  '<r:person><r:name>Leyla</r:name><plain xmlns=""><x a="1&#10;2"/></plain></r:person>' +
  '</r:result></s:Body></s:Envelope>';
