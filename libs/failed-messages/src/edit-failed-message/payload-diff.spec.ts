import { applyPatch } from 'fast-json-patch';
import { diffSummary, payloadDiff } from './payload-diff';

describe('payloadDiff', () => {
  it('gives a JSON Patch that turns the original into the edit', () => {
    const before = '{"voen":"123","person":{"name":"Aysel","phones":["1","2"]}}';
    const after = '{"voen":"1234567890","person":{"name":"Aysel","phones":["1"]},"note":"x"}';
    const { format, diff } = payloadDiff('application/json', before, after, { before: 'a', after: 'b' });
    expect(format).toBe('json-patch');
    expect(diff).toEqual(expect.arrayContaining([{ op: 'replace', path: '/voen', value: '1234567890' }, { op: 'add', path: '/note', value: 'x' }]));
    expect(applyPatch(JSON.parse(before), diff as never, false, false).newDocument).toEqual(JSON.parse(after));
  });

  it('gives a unified diff of the changed XML lines', () => {
    const before = '<GetPersonRequest>\n  <Fin>5ZXK2P</Fin>\n</GetPersonRequest>';
    const after = '<GetPersonRequest>\n  <Fin>5ZXK2P7</Fin>\n</GetPersonRequest>';
    const { format, diff } = payloadDiff('application/xml', before, after, { before: 'orig.xml', after: 'copy.xml' });
    expect(format).toBe('unified-diff');
    expect(diff).toContain('--- orig.xml');
    expect(diff).toContain('-  <Fin>5ZXK2P</Fin>');
    expect(diff).toContain('+  <Fin>5ZXK2P7</Fin>');
  });
});

describe('diffSummary', () => {
  it('keeps the operations and paths of a JSON Patch but not the values, and counts changed XML lines', () => {
    const json = payloadDiff('application/json', '{"fin":"5ZXK2P7","a":1}', '{"fin":"5ZXK2P8","a":1}', { before: 'a', after: 'b' });
    expect(diffSummary(json)).toEqual([{ op: 'replace', path: '/fin' }]);
    expect(JSON.stringify(diffSummary(json))).not.toContain('5ZXK2P');
    const xml = payloadDiff('application/xml', '<a>\n<b>1</b>\n</a>', '<a>\n<b>2</b>\n<c/>\n</a>', { before: 'a', after: 'b' });
    expect(diffSummary(xml)).toEqual({ linesRemoved: 1, linesAdded: 2 });
  });
});
