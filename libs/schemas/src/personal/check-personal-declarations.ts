import type { StoredMessageType } from '../registry/message-type';
import { elementEntryMatches, parseElementEntry, PERSONAL_FILE, PERSONAL_KEYWORD, walkSchema, xsdElementPaths } from './personal-paths';

/**
 * The personal-data gate of `npm run schemas:check`: every element personal.json names exists in every version
 * of its type that is still accepted (not retired); every `x-personal` in a JSON Schema is `true` or `false`
 * and sits on a property, not on the whole message. One line per problem.
 */
export function checkPersonalDeclarations(types: readonly StoredMessageType[]): string[] {
  const problems: string[] = [];
  for (const type of types) {
    const live = type.versions.filter((v) => v.descriptor.status !== 'retired');
    if (type.descriptor.format === 'xml') {
      for (const version of live) {
        let paths: string[][];
        try {
          paths = xsdElementPaths(version.source);
        } catch (error) {
          problems.push(`${type.name} v${version.version}: cannot read the elements of ${version.fileName}: ${(error as Error).message}`);
          continue;
        }
        for (const entry of type.personal ?? []) {
          const parsed = parseElementEntry(entry);
          if (!paths.some((path) => elementEntryMatches(parsed, path))) {
            problems.push(`${type.name} v${version.version}: ${PERSONAL_FILE} names "${entry}", which ${version.fileName} does not declare`);
          }
        }
      }
      continue;
    }
    for (const version of live) {
      walkSchema(JSON.parse(version.source), (node, path) => {
        if (!(PERSONAL_KEYWORD in node)) return;
        const where = `${type.name} v${version.version}: ${PERSONAL_KEYWORD} at /${path.join('/')}`;
        if (typeof node[PERSONAL_KEYWORD] !== 'boolean') problems.push(`${where} must be true or false`);
        else if (path.length === 0) problems.push(`${where} marks the whole message; mark its personal properties`);
      });
    }
  }
  return problems;
}
