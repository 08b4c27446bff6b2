import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { SchemaException } from '../schema.exception';
import {
  MESSAGE_TYPE_NAME,
  SCHEMA_FILE_NAME,
  schemaFileName,
  StoredMessageType,
  StoredSchemaVersion,
  TypeDescriptor,
} from './message-type';
import { TYPE_DESCRIPTOR_SCHEMA } from './type-descriptor.schema';
import { ELEMENT_ENTRY, PERSONAL_FILE, PERSONAL_KEYWORD } from '../personal/personal-paths';

const FILES_ALLOWED_BESIDE_SCHEMAS = new Set(['type.json', 'README.md', PERSONAL_FILE]);

/**
 * Reads the registry folder: one sub-folder per message type holding type.json and one schema file per version.
 * Everything is checked up front (names, descriptor shape, one file per declared version, no stray version
 * files) so that a broken registry fails the boot with a message naming the file.
 */
export async function loadSchemaFolder(directory: string): Promise<StoredMessageType[]> {
  const checkDescriptor = createDescriptorValidator();
  const entries = await readdir(directory, { withFileTypes: true }).catch((cause: unknown) => {
    throw SchemaException.registryInvalid(`Cannot read the schema registry folder ${directory}`, cause);
  });
  const types: StoredMessageType[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    types.push(await loadMessageType(path.join(directory, entry.name), entry.name, checkDescriptor));
  }
  return types;
}

async function loadMessageType(
  folder: string,
  name: string,
  checkDescriptor: (value: unknown, file: string) => TypeDescriptor,
): Promise<StoredMessageType> {
  if (!MESSAGE_TYPE_NAME.test(name)) {
    throw SchemaException.registryInvalid(`Message type folder '${name}' is not a kebab-case name`);
  }
  const descriptorFile = path.join(folder, 'type.json');
  const descriptor = checkDescriptor(await readJson(descriptorFile), descriptorFile);

  const files = await readdir(folder);
  for (const file of files) {
    if (FILES_ALLOWED_BESIDE_SCHEMAS.has(file)) continue;
    const match = SCHEMA_FILE_NAME.exec(file);
    if (!match) throw SchemaException.registryInvalid(`Unexpected file ${path.join(folder, file)}`);
    if (!(match[1] in descriptor.versions)) {
      throw SchemaException.registryInvalid(`${path.join(folder, file)} is not declared in ${descriptorFile}`);
    }
    if (file !== schemaFileName(match[1], descriptor.format)) {
      throw SchemaException.registryInvalid(
        `${path.join(folder, file)} does not match the format '${descriptor.format}' of ${descriptorFile}`,
      );
    }
  }

  const versions: StoredSchemaVersion[] = [];
  for (const version of Object.keys(descriptor.versions).sort((a, b) => Number(a) - Number(b))) {
    const fileName = schemaFileName(version, descriptor.format);
    if (!files.includes(fileName)) {
      throw SchemaException.registryInvalid(`${descriptorFile} declares version ${version} but ${fileName} is missing`);
    }
    const source = await readFile(path.join(folder, fileName), 'utf8');
    versions.push({ version, descriptor: descriptor.versions[version], fileName, source });
  }
  if (!files.includes(PERSONAL_FILE)) return { name, descriptor, versions };
  return { name, descriptor, versions, personal: await readPersonalFile(path.join(folder, PERSONAL_FILE), descriptor) };
}

/** personal.json: `{ "elements": ["Fin", "RegisteredAddress", "IdentityDocument/Number"] }`, for xml types only. */
async function readPersonalFile(file: string, descriptor: TypeDescriptor): Promise<string[]> {
  if (descriptor.format !== 'xml') {
    throw SchemaException.registryInvalid(`${file}: a json type marks its personal properties with "${PERSONAL_KEYWORD}": true in the JSON Schema`);
  }
  const value = await readJson(file);
  const elements = typeof value === 'object' && value !== null ? (value as { elements?: unknown }).elements : undefined;
  const extra = typeof value === 'object' && value !== null ? Object.keys(value).filter((k) => k !== 'elements' && k !== '$comment') : [];
  if (!Array.isArray(elements) || extra.length > 0 || !elements.every((e) => typeof e === 'string' && ELEMENT_ENTRY.test(e))) {
    throw SchemaException.registryInvalid(`${file} must be { "elements": [local element names or paths like "RegisteredAddress/Street"] }`);
  }
  return elements as string[];
}

function createDescriptorValidator(): (value: unknown, file: string) => TypeDescriptor {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(TYPE_DESCRIPTOR_SCHEMA);
  return (value, file) => {
    if (!validate(value)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
      throw SchemaException.registryInvalid(`${file} is invalid: ${problems.join('; ')}`);
    }
    const descriptor = value as TypeDescriptor;
    for (const [version, entry] of Object.entries(descriptor.versions)) {
      if (entry.successor !== undefined && !(entry.successor in descriptor.versions)) {
        throw SchemaException.registryInvalid(`${file}: version ${version} names unknown successor ${entry.successor}`);
      }
    }
    return descriptor;
  };
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw SchemaException.registryInvalid(`Cannot read ${file}`, cause);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (cause: unknown) {
    throw SchemaException.registryInvalid(`${file} is not valid JSON`, cause);
  }
}
