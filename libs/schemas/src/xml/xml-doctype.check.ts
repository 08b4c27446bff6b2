/**
 * Whether the XML text declares a document type (`<!DOCTYPE`, or any other `<!` markup declaration) in its
 * prolog. A DOCTYPE can only stand before the root element, so scanning the prolog (XML declaration,
 * processing instructions, comments, white space) is enough; anything after the root is the parser's business.
 * Rejecting it outright shuts out internal-subset entity bombs (billion laughs) and external entities (XXE)
 * before libxml2 sees them.
 */
export function declaresDoctype(xml: string): boolean {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < xml.length && isXmlSpace(xml.charCodeAt(i))) i++;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) return false;
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) return false;
      i = end + 3;
    } else {
      return xml.startsWith('<!', i);
    }
  }
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
