/**
 * Compatibility gate over the schema registry: `npm run schemas:check [-- <schemas-dir>]`.
 * Checks each message type's versions under the mode its type.json declares; prints one line per break
 * (`<type> v1→v2 BACKWARD: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/x`) and exits 1 on any,
 * else prints a summary and exits 0. Personal-data declarations are checked too (checkPersonalDeclarations):
 * an element personal.json names that a live version does not declare is a failure (exit 1). Exit 2: the registry itself could not be read.
 */
import * as path from 'node:path';
import { checkRegistryCompatibility, formatRegistryReport } from '../compatibility/check-registry-compatibility';
import { checkPersonalDeclarations } from '../personal/check-personal-declarations';
import { loadSchemaFolder } from '../registry/schema-folder.loader';

async function main(argv: string[]): Promise<number> {
  const directory = path.resolve(argv[0] ?? path.join(__dirname, '../../../../schemas'));
  const types = await loadSchemaFolder(directory);
  const report = checkRegistryCompatibility(types);
  for (const line of formatRegistryReport(report)) console.log(line);
  const pairs = report.types.reduce((n, t) => n + Math.max(0, t.checkedVersions.length - 1), 0);
  const personal = checkPersonalDeclarations(types);
  for (const line of personal) console.log(`personal data: ${line}`);
  if (report.breakCount > 0 || personal.length > 0) {
    console.log(`schemas:check: ${report.breakCount} break(s), ${personal.length} personal-data problem(s) in ${directory}`);
    return 1;
  }
  console.log(
    `schemas:check: ${report.types.length} message types, ${pairs} version step(s) checked, no breaks (${directory})`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`schemas:check: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
