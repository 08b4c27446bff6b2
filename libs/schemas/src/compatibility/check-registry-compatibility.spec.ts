import * as path from 'node:path';
import { StoredMessageType } from '../registry/message-type';
import { loadSchemaFolder } from '../registry/schema-folder.loader';
import { checkRegistryCompatibility, formatRegistryReport } from './check-registry-compatibility';
import { CompatibilityMode } from './compatibility-mode';

const schemaFile = (version: string, schema: object, status: 'active' | 'deprecated' | 'retired' = 'active') => ({
  version,
  descriptor: { status },
  fileName: `v${version}.schema.json`,
  source: JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }),
});

function jsonType(mode: CompatibilityMode, versions: ReturnType<typeof schemaFile>[]): StoredMessageType {
  return {
    name: 'sample-request',
    descriptor: {
      owner: 'o',
      description: 'd',
      format: 'json',
      compatibility: mode,
      versions: Object.fromEntries(versions.map((v) => [v.version, v.descriptor])),
    },
    versions,
  };
}

describe('checkRegistryCompatibility (the schemas:check gate)', () => {
  it('passes on the shipped registry', async () => {
    const report = checkRegistryCompatibility(await loadSchemaFolder(path.join(__dirname, '../../../../schemas')));
    expect(formatRegistryReport(report)).toEqual([]);
    expect(report.breakCount).toBe(0);
    expect(report.types.find((t) => t.type === 'pension-entitlement-request')?.checkedVersions).toEqual(['1', '2']);
    expect(report.types.find((t) => t.type === 'employment-contract-notification')?.checkedVersions).toEqual([
      '2',
      '3',
    ]);
  });

  it('prints one line per break, naming the versions, direction, difference and path', () => {
    const v1 = schemaFile('1', {
      type: 'object',
      additionalProperties: false,
      properties: { a: { type: 'string' }, x: { type: 'string' } },
    });
    const v2 = schemaFile('2', { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } });
    const report = checkRegistryCompatibility([jsonType(CompatibilityMode.BACKWARD, [v1, v2])]);
    expect(formatRegistryReport(report)).toEqual([
      'sample-request v1→v2 BACKWARD: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/x',
    ]);
    expect(report.breakCount).toBe(1);
  });

  it('leaves retired versions out of the history', () => {
    const v1 = schemaFile('1', { type: 'object', properties: { salary: { type: 'number' } } }, 'retired');
    const v2 = schemaFile('2', { type: 'object', properties: { salary: { type: 'object' } } });
    expect(checkRegistryCompatibility([jsonType(CompatibilityMode.BACKWARD_TRANSITIVE, [v1, v2])]).breakCount).toBe(0);
    const v1Live = { ...v1, descriptor: { status: 'deprecated' as const } };
    expect(checkRegistryCompatibility([jsonType(CompatibilityMode.BACKWARD_TRANSITIVE, [v1Live, v2])]).breakCount).toBe(
      1,
    );
  });

  it('checks nothing under NONE', () => {
    const v1 = schemaFile('1', { type: 'string' });
    const v2 = schemaFile('2', { type: 'integer' });
    expect(checkRegistryCompatibility([jsonType(CompatibilityMode.NONE, [v1, v2])]).breakCount).toBe(0);
  });
});
