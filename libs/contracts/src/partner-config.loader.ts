import * as fs from 'node:fs';
import * as path from 'node:path';
import { CertificateIdentity, parseCertificateRegistrations } from '@korpu/signature';
import { ContractsException } from './contracts.exception';
import { OperationConfig, PartnerConfig, RetryPolicy, SchemaRef } from './partner-config';

const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 1000,
  maxDelayMs: 60000,
  multiplier: 2,
  jitter: 0.2,
  retryOn: ['PARTNER_UNAVAILABLE', 'PARTNER_TIMEOUT', 'PARTNER_SERVER_ERROR', 'PARTNER_CONNECTION_FAILED'],
};

/** Synchronous exchanges one gateway holds waiting per partner: a partner answering in 1 s at 256 exchanges/s. */
export const DEFAULT_MAX_WAITING_EXCHANGES = 256;
/** The part of a partner's waiting budget one client may hold by default: the rest stays for the other clients. */
const DEFAULT_CLIENT_SHARE = 0.75;

type Json = Record<string, unknown>;

/** Where a partner.json's references point besides its own folder. */
export interface PartnerConfigOptions {
  /** Replaces the endpoint URL of the partner.json (per environment). */
  urlOverride?: string;
  /** PKI_DIR: where `pki:<relative>` certificate files (`signers`) are resolved. */
  pkiDir: string;
}

/** Validates one partner.json, collecting every problem with its JSON path so onboarding errors are clear. */
class PartnerValidator {
  readonly problems: string[] = [];

  constructor(readonly file: string) {}

  fail(where: string, what: string): void {
    this.problems.push(`${this.file}: ${where} ${what}`);
  }

  string(obj: Json, key: string, where: string, optional = false): string | undefined {
    const value = obj[key];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.length === 0) {
      this.fail(`${where}.${key}`, 'must be a non-empty string');
      return undefined;
    }
    return value;
  }

  number(obj: Json, key: string, where: string, fallback: number, min: number, max: number): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(`${where}.${key}`, `must be a number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** A count: a whole number from `min` to `max`. */
  integer(obj: Json, key: string, where: string, fallback: number, min: number, max: number): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      this.fail(`${where}.${key}`, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value as number;
  }

  object(obj: Json, key: string, where: string, optional = false): Json | undefined {
    const value = obj[key];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(`${where}.${key}`, 'must be an object');
      return undefined;
    }
    return value as Json;
  }

  schemaRef(obj: Json, key: string, where: string): SchemaRef {
    const ref = this.object(obj, key, where) ?? {};
    return { type: this.string(ref, 'type', `${where}.${key}`) ?? '', version: String(ref.version ?? '') || (this.fail(`${where}.${key}.version`, 'is required'), '') };
  }
}

export function parsePartnerConfig(raw: unknown, folder: string, options: PartnerConfigOptions): PartnerConfig {
  const { urlOverride } = options;
  const file = path.join(folder, 'partner.json');
  const v = new PartnerValidator(file);
  if (typeof raw !== 'object' || raw === null) throw new ContractsException(`${file}: must be a JSON object`, [`${file}: must be a JSON object`]);
  const root = raw as Json;
  const id = v.string(root, 'id', '$') ?? '';
  if (id && id !== path.basename(folder)) v.fail('$.id', `must equal the folder name "${path.basename(folder)}"`);
  if (id && !/^[a-z][a-z0-9-]*$/.test(id)) v.fail('$.id', 'must be kebab-case');
  const protocol = v.string(root, 'protocol', '$');
  if (protocol && protocol !== 'rest' && protocol !== 'soap') v.fail('$.protocol', 'must be "rest" or "soap"');
  const contract = v.string(root, 'contract', '$') ?? '';
  const contractFile = path.join(folder, contract);
  if (contract && !fs.existsSync(contractFile)) v.fail('$.contract', `names a file that does not exist: ${contractFile}`);
  const endpoint = v.object(root, 'endpoint', '$') ?? {};
  const url = urlOverride ?? v.string(endpoint, 'url', '$.endpoint') ?? '';
  try {
    if (url) new URL(url);
  } catch {
    v.fail('$.endpoint.url', `is not a URL: ${url}`);
  }
  const signature = (v.string(root, 'signature', '$', true) ?? (protocol === 'soap' ? 'xmldsig' : 'jws')) as PartnerConfig['signature'];
  if (!['jws', 'xmldsig', 'none'].includes(signature)) v.fail('$.signature', 'must be jws, xmldsig or none');
  const signers = readSigners(v, root.signers, signature, { pkiDir: options.pkiDir, baseDir: folder });
  const ordering = (v.string(root, 'ordering', '$', true) ?? 'correlation') as PartnerConfig['ordering'];
  if (!['correlation', 'none'].includes(ordering)) v.fail('$.ordering', 'must be correlation or none');
  const retryRaw = v.object(root, 'retry', '$', true) ?? {};
  const retry: RetryPolicy = {
    attempts: v.number(retryRaw, 'attempts', '$.retry', DEFAULT_RETRY.attempts, 1, 100),
    initialDelayMs: v.number(retryRaw, 'initialDelayMs', '$.retry', DEFAULT_RETRY.initialDelayMs, 0, 3_600_000),
    maxDelayMs: v.number(retryRaw, 'maxDelayMs', '$.retry', DEFAULT_RETRY.maxDelayMs, 0, 86_400_000),
    multiplier: v.number(retryRaw, 'multiplier', '$.retry', DEFAULT_RETRY.multiplier, 1, 10),
    jitter: v.number(retryRaw, 'jitter', '$.retry', DEFAULT_RETRY.jitter, 0, 1),
    retryOn: Array.isArray(retryRaw.retryOn) ? retryRaw.retryOn.map(String) : DEFAULT_RETRY.retryOn,
  };
  const operationsRaw = v.object(root, 'operations', '$') ?? {};
  const operations: Record<string, OperationConfig> = {};
  for (const [name, opRaw] of Object.entries(operationsRaw)) {
    const where = `$.operations.${name}`;
    if (typeof opRaw !== 'object' || opRaw === null) {
      v.fail(where, 'must be an object');
      continue;
    }
    const op = opRaw as Json;
    const operation: OperationConfig = {
      name,
      request: v.schemaRef(op, 'request', where),
      reply: v.schemaRef(op, 'reply', where),
    };
    if (protocol === 'rest') {
      operation.method = (v.string(op, 'method', where) ?? 'POST').toUpperCase();
      operation.path = v.string(op, 'path', where);
    } else {
      operation.soapAction = v.string(op, 'soapAction', where, true) ?? '';
    }
    operations[name] = operation;
  }
  if (Object.keys(operations).length === 0) v.fail('$.operations', 'must name at least one operation');
  const tlsRaw = v.object(endpoint, 'tls', '$.endpoint', true);
  // Read every remaining field before deciding, so each bad one is reported (none silently defaulted).
  const name = v.string(root, 'name', '$', true) ?? id;
  const xroadService = v.string(root, 'xroadService', '$', true);
  const timeoutMs = v.number(root, 'timeoutMs', '$', 10000, 1, 600_000);
  const maxConcurrency = v.integer(root, 'maxConcurrency', '$', 8, 1, 1000);
  const maxWaitingExchanges = v.integer(root, 'maxWaitingExchanges', '$', DEFAULT_MAX_WAITING_EXCHANGES, 1, 100_000);
  const maxWaitingExchangesPerClient = v.integer(root, 'maxWaitingExchangesPerClient', '$', Math.ceil(maxWaitingExchanges * DEFAULT_CLIENT_SHARE), 1, maxWaitingExchanges);
  if (v.problems.length > 0) throw new ContractsException(`Invalid partner configuration:\n  - ${v.problems.join('\n  - ')}`, v.problems);
  return {
    id,
    name,
    protocol: protocol as PartnerConfig['protocol'],
    contractFile,
    xroadService,
    endpoint: {
      url,
      tls: tlsRaw
        ? {
            ca: typeof tlsRaw.ca === 'string' ? tlsRaw.ca : undefined,
            certificate: typeof tlsRaw.certificate === 'string' ? tlsRaw.certificate : undefined,
            key: typeof tlsRaw.key === 'string' ? tlsRaw.key : undefined,
          }
        : undefined,
    },
    signature,
    signers,
    timeoutMs,
    maxConcurrency,
    maxWaitingExchanges,
    maxWaitingExchangesPerClient,
    ordering,
    retry,
    operations,
  };
}

/**
 * `signers`: the identities whose signatures the partner's replies may carry (certificate registrations of
 * @korpu/signature). Required, non-empty, for a partner that signs; optional for a partner with `signature: none`.
 */
function readSigners(
  v: PartnerValidator,
  value: unknown,
  signature: string,
  options: { pkiDir: string; baseDir: string },
): CertificateIdentity[] {
  if (value === undefined) {
    if (signature === 'none') return [];
    v.fail('$.signers', 'is required: the certificates whose signatures the partner\'s replies may carry');
    return [];
  }
  const { identities, problems } = parseCertificateRegistrations(value, '$.signers', options);
  for (const problem of problems) v.problems.push(`${v.file}: ${problem}`);
  if (problems.length === 0 && identities.length === 0) v.fail('$.signers', 'must name at least one certificate');
  return identities;
}

export interface LoadPartnerConfigsOptions {
  /** partner id → endpoint URL, replacing the URL in its partner.json (per environment). */
  endpointOverrides?: Record<string, string>;
  /** PKI_DIR: where `pki:<relative>` certificate files are resolved. */
  pkiDir: string;
}

/** Reads every `contracts/<partner>/partner.json`; a folder without one is not a partner. */
export function loadPartnerConfigs(directory: string, options: LoadPartnerConfigsOptions): PartnerConfig[] {
  const urlOverrides = options.endpointOverrides ?? {};
  if (!fs.existsSync(directory)) throw new ContractsException(`Contracts directory not found: ${directory}`, [directory]);
  const partners: PartnerConfig[] = [];
  const problems: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(directory, entry.name);
    const file = path.join(folder, 'partner.json');
    if (!fs.existsSync(file)) continue;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        const problem = `${file}: not valid JSON (${(error as Error).message})`;
        throw new ContractsException(problem, [problem]);
      }
      partners.push(parsePartnerConfig(raw, folder, { urlOverride: urlOverrides[entry.name], pkiDir: options.pkiDir }));
    } catch (error) {
      if (!(error instanceof ContractsException)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ContractsException(`Invalid partner configuration:\n  - ${problems.join('\n  - ')}`, problems);
  return partners;
}
