import { XmlRefusedError, childNamed, escapeXml, parseXmlStrict, pureText } from './safe-xml';

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

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
