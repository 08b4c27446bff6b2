import { descendantElements, parseXmlStrict } from './safe-xml';
import { locateStartTags } from './start-tags';

describe('locateStartTags', () => {
  it('finds the k-th element of the DOM at the k-th start tag, past comments, CDATA, PIs and quoted ">"', () => {
    const xml =
      `<?xml version="1.0"?><!-- <fake> --><r a=">" b='/>'><?pi <fake>?><x/><![CDATA[<fake></fake>]]>` +
      `<y   c="1"\n/><p:z xmlns:p="urn:p">t<!----></p:z></r>`;
    const elements = descendantElements(parseXmlStrict(xml));
    const tags = locateStartTags(xml, elements.length);
    expect(tags.map((t) => xml.slice(t.start + 1, t.start + 1 + elements[tags.indexOf(t)].tagName.length))).toEqual(['r', 'x', 'y', 'p:z']);
    expect(tags.map((t) => xml[t.end])).toEqual(['>', '>', '>', '>']);
    expect(tags.map((t) => t.selfClosing)).toEqual([false, true, true, false]);
    expect(xml.slice(tags[0].start, tags[0].end + 1)).toBe(`<r a=">" b='/>'>`);
  });

  it('stops after the tags asked for, and says so when there are fewer', () => {
    expect(locateStartTags('<r><a/><b/></r>', 2)).toHaveLength(2);
    expect(() => locateStartTags('<r><a/></r>', 3)).toThrow(/3 start tags expected, 2 found/);
  });
});
