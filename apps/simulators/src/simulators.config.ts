import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';

export const SIMULATOR_NAMES = ['tax-service', 'population-registry', 'ministry-subsystem', 'egov-portal'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

const repoRoot = path.resolve(__dirname, '../../..');

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
}

export function loadSimulatorsConfig(env: Env): SimulatorsConfig {
  const read = new EnvReader(env);
  const enabled = read.list('SIMULATORS', [...SIMULATOR_NAMES]);
  const unknown = enabled.filter((name) => !(SIMULATOR_NAMES as readonly string[]).includes(name));
  const config: SimulatorsConfig = {
    host: read.string('SIMULATOR_HOST', '127.0.0.1'),
    ports: {
      'tax-service': read.int('TAX_SERVICE_PORT', 7102, { min: 0, max: 65535 }),
      'population-registry': read.int('POPULATION_REGISTRY_PORT', 7101, { min: 0, max: 65535 }),
      'ministry-subsystem': read.int('MINISTRY_SUBSYSTEM_PORT', 7103, { min: 0, max: 65535 }),
      'egov-portal': read.int('EGOV_PORTAL_PORT', 7104, { min: 0, max: 65535 }),
    },
    enabled: enabled as SimulatorName[],
    pkiDir: read.string('SIMULATOR_PKI_DIR', path.join(repoRoot, 'certs-dev/out')),
    schemasDir: read.string('SCHEMAS_DIR', path.join(repoRoot, 'schemas')),
    contractsDir: read.string('CONTRACTS_DIR', path.join(repoRoot, 'contracts')),
    partnerEndpointUrl: read.url('PARTNER_ENDPOINT_URL', 'http://127.0.0.1:8082') as string,
  };
  if (unknown.length > 0) read.oneOf('SIMULATORS', SIMULATOR_NAMES, 'tax-service');
  read.done();
  return config;
}
