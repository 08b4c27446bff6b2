import type { CallbackAnswer } from './subsystem-callback.adapter';

/** `temporary`: worth another attempt (the subsystem may be restarting); `permanent`: asking again changes nothing. */
export type CallbackFailureKind = 'temporary' | 'permanent';

export interface CallbackFailure {
  kind: CallbackFailureKind;
  message: string;
}

/** Network errors after which the subsystem may well answer a moment later. */
const TEMPORARY_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED', // axios: the per-request timeout
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * The one place that tells a subsystem callback's temporary failures from permanent ones; the retry loop of
 * DeliverToCallbackUseCase reads this and nothing else. Undefined: the answer is a usable reply.
 */
export function classifyCallbackAnswer(owner: string, answer: CallbackAnswer): CallbackFailure | undefined {
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.contentType.includes('xml')) return undefined;
    return { kind: 'permanent', message: `the ${owner} subsystem answered HTTP ${answer.status} with ${answer.contentType || 'no content type'}, not XML` };
  }
  return { kind: answer.status >= 500 ? 'temporary' : 'permanent', message: `the ${owner} subsystem answered HTTP ${answer.status}` };
}

export function classifyCallbackError(owner: string, error: unknown): CallbackFailure {
  const code = (error as { code?: unknown }).code;
  const what = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return { kind: typeof code === 'string' && TEMPORARY_ERROR_CODES.has(code) ? 'temporary' : 'permanent', message: `the ${owner} subsystem is unreachable (${what})` };
}
