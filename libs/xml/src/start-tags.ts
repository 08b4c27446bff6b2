/** Where one start tag sits in the text: `<` at `start`, its `>` at `end`; `selfClosing` for `<a/>`. */
export interface StartTagLocation {
  start: number;
  end: number;
  selfClosing: boolean;
}

/**
 * The first `count` start tags of a document, in document order: the k-th one is the k-th element of the DOM that
 * parseXmlStrict built from the same text (both count elements in the order their start tags appear). The text must
 * be one that parseXmlStrict accepted (well-formed, no DTD), so `<` only opens markup outside comments, CDATA
 * sections and processing instructions, which are skipped, and `>` in a quoted attribute value does not end a tag.
 * Used to insert into the text at an element found in the DOM instead of serializing the whole DOM again.
 */
export function locateStartTags(xml: string, count: number): StartTagLocation[] {
  const out: StartTagLocation[] = [];
  let i = xml.indexOf('<');
  while (i !== -1 && out.length < count) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', i)) i = after(xml, '-->', i + 4);
      else if (xml.startsWith('<![CDATA[', i)) i = after(xml, ']]>', i + 9);
      else throw new Error('locateStartTags: markup declarations are not expected');
    } else if (next === 0x3f /* ? */) {
      i = after(xml, '?>', i + 2);
    } else if (next === 0x2f /* / */) {
      i = after(xml, '>', i + 2);
    } else {
      let quote = 0;
      let j = i + 1;
      for (; j < xml.length; j++) {
        const c = xml.charCodeAt(j);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          quote = c;
        } else if (c === 0x3e /* > */) {
          break;
        }
      }
      if (j >= xml.length) throw new Error('locateStartTags: unterminated start tag');
      out.push({ start: i, end: j, selfClosing: xml.charCodeAt(j - 1) === 0x2f });
      i = j + 1;
    }
    if (i === -1) break;
    i = xml.indexOf('<', i);
  }
  if (out.length < count) throw new Error(`locateStartTags: ${count} start tags expected, ${out.length} found`);
  return out;
}

function after(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  if (at === -1) throw new Error(`locateStartTags: unterminated construct, no "${end}"`);
  return at + end.length;
}
