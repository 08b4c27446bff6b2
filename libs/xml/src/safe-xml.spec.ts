import { DEFAULT_XML_LIMITS, XmlRefusedError, childNamed, configureXmlLimits, escapeXml, parseXmlStrict, pureText, xmlLimits } from './safe-xml';

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
