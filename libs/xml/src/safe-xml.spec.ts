import { Element, Node } from '@xmldom/xmldom';
import {
  DEFAULT_XML_LIMITS,
  XmlRefusedError,
  childNamed,
  configureXmlLimits,
  descendantsNamed,
  escapeXml,
  namespaceInScope,
  normalizeXmlLineEndings,
  parseXmlStrict,
  pureText,
  serializeXml,
  xmlLimits,
} from './safe-xml';

const refusal = (xml: string, maxBytes?: number) => {
  try {
    parseXmlStrict(xml, maxBytes);
  } catch (error) {
    return (error as XmlRefusedError).reason;
  }
  return undefined;
};

describe('parseXmlStrict', () => {
  it('parses a plain document', () => {
    const doc = parseXmlStrict('<a xmlns="urn:x"><b>1</b></a>');
    expect(pureText(childNamed(doc.documentElement!, 'urn:x', 'b')!)).toBe('1');
  });

  it('refuses external entities and entity expansion before parsing', () => {
    expect(refusal('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')).toBe('doctype');
    expect(refusal('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>')).toBe('doctype');
  });

  it('refuses malformed and oversized documents', () => {
    expect(refusal('<a><b></a>')).toBe('malformed');
    expect(refusal('<a>&undeclared;</a>')).toBe('malformed');
    expect(refusal(`<a>${'x'.repeat(100)}</a>`, 50)).toBe('too-large');
  });
});

describe('parseXmlStrict limits on depth, elements and attributes', () => {
  afterEach(() => configureXmlLimits(DEFAULT_XML_LIMITS));

  const nested = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;

  it('refuses a 100,000-deep document while reading it, in well under 50 ms', () => {
    const xml = nested(100000);
    const started = performance.now();
    expect(refusal(xml)).toBe('too-complex');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('accepts a document at the depth limit and refuses one element deeper', () => {
    configureXmlLimits({ maxDepth: 5 });
    expect(refusal(nested(5))).toBeUndefined();
    expect(refusal(nested(6))).toBe('too-complex');
  });

  it('counts every element, self-closing ones included', () => {
    configureXmlLimits({ maxElements: 4 });
    expect(refusal('<r><a/><b></b><c/></r>')).toBeUndefined();
    expect(refusal('<r><a/><b></b><c/><d/></r>')).toBe('too-complex');
  });

  it('counts attributes and namespace declarations per element, not inside quoted values, comments or CDATA', () => {
    configureXmlLimits({ maxAttributesPerElement: 2 });
    expect(refusal('<r xmlns="urn:x" a="1 b=2 c=3 >"/>')).toBeUndefined();
    expect(refusal('<r xmlns="urn:x" a="1" b=\'2\'/>')).toBe('too-complex');
    expect(refusal('<r><!-- <a x="1" y="2" z="3"> --><![CDATA[<a x="1" y="2" z="3">]]><?pi x="1" y="2" z="3"?></r>')).toBeUndefined();
  });

  it('names the limit that was hit', () => {
    configureXmlLimits({ maxDepth: 3 });
    expect(() => parseXmlStrict(nested(4))).toThrow(/depth.*3/);
  });

  it('does not count a closing tag as an element, so long flat documents within the limits pass', () => {
    const xml = `<r>${'<i a="1">x</i>'.repeat(DEFAULT_XML_LIMITS.maxElements - 1)}</r>`;
    expect(refusal(xml)).toBeUndefined();
    expect(xmlLimits()).toEqual(DEFAULT_XML_LIMITS);
  });
});

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('descendantsNamed', () => {
  const xml = '<a:r xmlns:a="urn:a" xmlns:b="urn:b"><a:x n="1"><b:x n="2"><a:x n="3"/></b:x></a:x><!--<a:x/>--><a:y><a:x n="4"/></a:y><a:x n="5"/></a:r>';
  const numbers = (els: Element[]) => els.map((e) => e.getAttribute('n'));

  it('finds the elements of the namespace and local name in document order, like getElementsByTagNameNS', () => {
    const doc = parseXmlStrict(xml);
    expect(numbers(descendantsNamed(doc, 'urn:a', 'x'))).toEqual(['1', '3', '4', '5']);
    const fromDom = doc.getElementsByTagNameNS('urn:a', 'x');
    expect(descendantsNamed(doc, 'urn:a', 'x')).toEqual(Array.from({ length: fromDom.length }, (_, i) => fromDom.item(i)));
    expect(numbers(descendantsNamed(doc, 'urn:b', 'x'))).toEqual(['2']);
  });

  it('includes the document element from the document, and only the descendants of an element', () => {
    const doc = parseXmlStrict(xml);
    expect(descendantsNamed(doc, 'urn:a', 'r')).toEqual([doc.documentElement]);
    const first = descendantsNamed(doc, 'urn:a', 'x')[0];
    expect(numbers(descendantsNamed(first, 'urn:a', 'x'))).toEqual(['3']);
    expect(descendantsNamed(descendantsNamed(doc, 'urn:a', 'x')[3], 'urn:a', 'x')).toEqual([]);
  });
});

describe('namespaceInScope', () => {
  it('finds the nearest declaration of a prefix or of the default namespace, and the fixed xml prefix', () => {
    const doc = parseXmlStrict('<r xmlns="urn:d" xmlns:p="urn:p1"><s xmlns:p="urn:p2"><t xmlns=""/></s></r>');
    const t = doc.documentElement!.firstChild!.firstChild as Element;
    expect(namespaceInScope(t, 'p')).toBe('urn:p2');
    expect(namespaceInScope(t, '')).toBe('');
    expect(namespaceInScope(doc.documentElement!, '')).toBe('urn:d');
    expect(namespaceInScope(doc.documentElement!, 'p')).toBe('urn:p1');
    expect(namespaceInScope(t, 'q')).toBeUndefined();
    expect(namespaceInScope(t, 'xml')).toBe('http://www.w3.org/XML/1998/namespace');
  });
});

describe('normalizeXmlLineEndings', () => {
  it('does what xmldom does to a text before parsing it, and returns a text without line ends to normalize as it is', () => {
    expect(normalizeXmlLineEndings('a\r\nb\rc\u0085d\u2028e\u2029f\r\u0085g')).toBe('a\nb\nc\nd\ne\nf\ng');
    const plain = '<a>\n</a>';
    expect(normalizeXmlLineEndings(plain)).toBe(plain);
    const doc = parseXmlStrict('<a>x\r\ny</a>');
    expect(pureText(doc.documentElement!)).toBe('x\ny');
  });
});

/**
 * patches/@xmldom+xmldom: the parser appends the nodes it creates to their element directly (without insertBefore's
 * checks) and normalizes only when it appended a text node right after another. The DOM must stay the one xmldom builds.
 */
describe('the DOM parseXmlStrict builds (xmldom as patched)', () => {
  const xml =
    '<?xml version="1.0"?>\n<!-- before -->\n<r xmlns="urn:r" xmlns:p="urn:p"><a>x&amp;y&#65;z</a><![CDATA[c1]]>t<![CDATA[c2]]><?pi d?>' +
    '<!--k--><p:b p:at="1">  <c/>\n</p:b>tail</r>\n<!-- after -->';

  function checkLinks(node: Node, textMerged = true): void {
    const list = node.childNodes;
    let previous: Node | null = null;
    let i = 0;
    for (let n = node.firstChild; n; n = n.nextSibling, i++) {
      expect(list.item(i)).toBe(n);
      expect(n.parentNode).toBe(node);
      expect(n.previousSibling).toBe(previous);
      if (previous && textMerged) expect(previous.nodeType === Node.TEXT_NODE && n.nodeType === Node.TEXT_NODE).toBe(false);
      previous = n;
      checkLinks(n, textMerged);
    }
    expect(list.length).toBe(i);
    expect(node.lastChild).toBe(previous);
  }

  it('links every node to its parent and siblings, lists it in childNodes, and has no adjacent text nodes', () => {
    const doc = parseXmlStrict(xml);
    checkLinks(doc);
    const r = doc.documentElement!;
    expect(Array.from({ length: r.childNodes.length }, (_, i) => r.childNodes.item(i)!.nodeType)).toEqual([1, 4, 3, 4, 7, 8, 1, 3]);
    expect(pureText(r.firstChild as Element)).toBe('x&yAz');
    expect(serializeXml(doc)).toBe(xml.replace('&#65;', 'A'));
  });

  it('builds a DOM that live lists and later changes keep consistent', () => {
    const doc = parseXmlStrict(xml);
    const live = doc.getElementsByTagNameNS('urn:r', 'c');
    expect(live.length).toBe(1);
    const b = descendantsNamed(doc, 'urn:p', 'b')[0];
    b.appendChild(doc.createElementNS('urn:r', 'c'));
    b.insertBefore(doc.createTextNode('!'), b.firstChild);
    b.removeChild(b.lastChild!);
    b.appendChild(doc.createElementNS('urn:r', 'c'));
    expect(live.length).toBe(2);
    checkLinks(doc, false); // the text inserted by hand sits next to the parsed one
  });
});
