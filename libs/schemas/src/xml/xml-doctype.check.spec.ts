import { declaresDoctype } from './xml-doctype.check';

describe('declaresDoctype', () => {
  it.each([
    '<!DOCTYPE a><a/>',
    '<?xml version="1.0"?>\n<!-- note -->\n<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
    '\uFEFF<?xml version="1.0"?><!doctype a><a/>',
    '<!ENTITY x "y"><a/>',
  ])('finds a markup declaration in the prolog of %j', (xml) => {
    expect(declaresDoctype(xml)).toBe(true);
  });

  it.each([
    '<a/>',
    '<?xml version="1.0"?><a><![CDATA[<!DOCTYPE not-a-doctype>]]></a>',
    '<!-- <!DOCTYPE inside a comment> --><a/>',
    '<?pi <!DOCTYPE?><a/>',
  ])('finds none in %j', (xml) => {
    expect(declaresDoctype(xml)).toBe(false);
  });
});
