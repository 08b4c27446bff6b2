import { Env, EnvReader } from '@korpu/config';

export const SIMULATOR_NAMES = ['tax-service'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

export interface SimulatorsConfig {
  host: string;
  ports: Record<SimulatorName, number>;
  enabled: SimulatorName[];
}

export function loadSimulatorsConfig(env: Env): SimulatorsConfig {
  const read = new EnvReader(env);
  const enabled = read.list('SIMULATORS', [...SIMULATOR_NAMES]);
  const unknown = enabled.filter((name) => !(SIMULATOR_NAMES as readonly string[]).includes(name));
  const config: SimulatorsConfig = {
    host: read.string('SIMULATOR_HOST', '127.0.0.1'),
    ports: { 'tax-service': read.int('TAX_SERVICE_PORT', 7102, { min: 0, max: 65535 }) },
    enabled: enabled as SimulatorName[],
  };
  if (unknown.length > 0) read.oneOf('SIMULATORS', SIMULATOR_NAMES, 'tax-service');
  read.done();
  return config;
}
