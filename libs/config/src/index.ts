export { EnvReader, ConfigException } from './env-reader';
export type { Env } from './env-reader';
