/** Everything an error says about itself (name, type, code, message), through kafkajs's wrapping (cause, originalError). */
export function describeKafkaError(error: unknown): string {
  const parts: string[] = [];
  type Described = { name?: string; type?: string; code?: string; message?: string; cause?: unknown; originalError?: unknown };
  for (let current = error as Described | undefined, depth = 0; current && depth < 5; depth++) {
    parts.push([current.name, current.type, current.code, current.message].filter(Boolean).join(' '));
    current = (current.originalError ?? current.cause) as Described | undefined;
  }
  return parts.join(' | ');
}

/** The description of the error `promise` rejects with; throws when it resolves (the broker was expected to refuse). */
export async function kafkaRefusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return describeKafkaError(error);
  }
  throw new Error('expected the broker (or the TLS handshake) to refuse');
}
