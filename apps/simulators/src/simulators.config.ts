import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';

export const SIMULATOR_NAMES = ['tax-service', 'population-registry', 'ministry-subsystem', 'egov-portal'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

const repoRoot = path.resolve(__dirname, '../../..');

/** How a simulator serves: `off` plain HTTP; `optional` HTTPS asking for a client certificate; `required` HTTPS refusing, in the TLS handshake, a caller without a client certificate the client CA vouches for. */
export const SIMULATOR_TLS_MODES = ['off', 'optional', 'required'] as const;
export type SimulatorTlsMode = (typeof SIMULATOR_TLS_MODES)[number];

/** `<NAME>_TLS`, e.g. TAX_SERVICE_TLS. */
export function simulatorTlsVariable(name: SimulatorName): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_TLS`;
}

export interface SimulatorsConfig {
  host: string;
  ports: Record<SimulatorName, number>;
  enabled: SimulatorName[];
  /** Dev PKI folder (certs-dev/out): simulators sign with their own keys from it and trust its CAs. */
  pkiDir: string;
  schemasDir: string;
  contractsDir: string;
  /** Where the e-Government portal simulator calls the ministry (the partner-endpoint app). */
  partnerEndpointUrl: string;
  /** Each simulator's TLS mode (`<NAME>_TLS`), and the server certificate and client CA of those that serve HTTPS. */
  tls: { modes: Record<SimulatorName, SimulatorTlsMode>; certFile: string; keyFile: string; clientCaFile: string };
  /** The portal's TLS client certificate and the CA it trusts, for an https:// partner endpoint. */
  portalTls: { certFile: string; keyFile: string; caFile: string };
}

export function loadSimulatorsConfig(env: Env): SimulatorsConfig {
  const read = new EnvReader(env);
  const enabled = read.list('SIMULATORS', [...SIMULATOR_NAMES]);
  const unknown = enabled.filter((name) => !(SIMULATOR_NAMES as readonly string[]).includes(name));
  const pkiDir = read.string('SIMULATOR_PKI_DIR', path.join(repoRoot, 'certs-dev/out'));
  const config: SimulatorsConfig = {
    host: read.string('SIMULATOR_HOST', '127.0.0.1'),
    ports: {
      'tax-service': read.int('TAX_SERVICE_PORT', 7102, { min: 0, max: 65535 }),
      'population-registry': read.int('POPULATION_REGISTRY_PORT', 7101, { min: 0, max: 65535 }),
      'ministry-subsystem': read.int('MINISTRY_SUBSYSTEM_PORT', 7103, { min: 0, max: 65535 }),
      'egov-portal': read.int('EGOV_PORTAL_PORT', 7104, { min: 0, max: 65535 }),
    },
    enabled: enabled as SimulatorName[],
    pkiDir,
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    contractsDir: read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts')),
    partnerEndpointUrl: read.url('PARTNER_ENDPOINT_URL', 'http://127.0.0.1:8082') as string,
    tls: {
      modes: Object.fromEntries(SIMULATOR_NAMES.map((name) => [name, read.oneOf(simulatorTlsVariable(name), SIMULATOR_TLS_MODES, 'off')])) as Record<
        SimulatorName,
        SimulatorTlsMode
      >,
      certFile: read.string('SIMULATOR_TLS_CERT_FILE', path.join(pkiDir, 'tls', 'localhost.chain.crt')),
      keyFile: read.string('SIMULATOR_TLS_KEY_FILE', path.join(pkiDir, 'tls', 'localhost.key')),
      clientCaFile: read.string('SIMULATOR_TLS_CLIENT_CA_FILE', path.join(pkiDir, 'ca', 'trust-bundle.crt')),
    },
    portalTls: {
      certFile: read.string('EGOV_PORTAL_TLS_CERT', path.join(pkiDir, 'tls', 'egov-portal.chain.crt')),
      keyFile: read.string('EGOV_PORTAL_TLS_KEY', path.join(pkiDir, 'tls', 'egov-portal.key')),
      caFile: read.string('EGOV_PORTAL_TLS_CA', path.join(pkiDir, 'ca', 'trust-bundle.crt')),
    },
  };
  if (unknown.length > 0) read.oneOf('SIMULATORS', SIMULATOR_NAMES, 'tax-service');
  read.done();
  return config;
}
