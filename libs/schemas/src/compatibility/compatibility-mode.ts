/** Compatibility modes with Confluent Schema Registry's meaning. */
export enum CompatibilityMode {
  BACKWARD = 'BACKWARD',
  BACKWARD_TRANSITIVE = 'BACKWARD_TRANSITIVE',
  FORWARD = 'FORWARD',
  FORWARD_TRANSITIVE = 'FORWARD_TRANSITIVE',
  FULL = 'FULL',
  FULL_TRANSITIVE = 'FULL_TRANSITIVE',
  NONE = 'NONE',
}

/** Which way one pair of versions is checked. BACKWARD: the newer schema reads data written with the older. */
export type CompatibilityDirection = 'BACKWARD' | 'FORWARD';

export function directionsOf(mode: CompatibilityMode): CompatibilityDirection[] {
  switch (mode) {
    case CompatibilityMode.BACKWARD:
    case CompatibilityMode.BACKWARD_TRANSITIVE:
      return ['BACKWARD'];
    case CompatibilityMode.FORWARD:
    case CompatibilityMode.FORWARD_TRANSITIVE:
      return ['FORWARD'];
    case CompatibilityMode.FULL:
    case CompatibilityMode.FULL_TRANSITIVE:
      return ['BACKWARD', 'FORWARD'];
    case CompatibilityMode.NONE:
      return [];
  }
}

export function isTransitive(mode: CompatibilityMode): boolean {
  return (
    mode === CompatibilityMode.BACKWARD_TRANSITIVE ||
    mode === CompatibilityMode.FORWARD_TRANSITIVE ||
    mode === CompatibilityMode.FULL_TRANSITIVE
  );
}

export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (Object.values(CompatibilityMode) as string[]).includes(value);
}
