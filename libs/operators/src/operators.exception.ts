import { KorpuException } from '@korpu/errors';
import { OperatorsErrorCode } from './operators-error-code';

const STATUS: Record<OperatorsErrorCode, number> = {
  [OperatorsErrorCode.UNAUTHENTICATED]: 401,
  [OperatorsErrorCode.SESSION_ENDED]: 401,
  [OperatorsErrorCode.FORBIDDEN]: 403,
  [OperatorsErrorCode.SIGN_IN_FAILED]: 401,
  [OperatorsErrorCode.SIGN_IN_THROTTLED]: 429,
  [OperatorsErrorCode.DIRECTORY_UNAVAILABLE]: 503,
  [OperatorsErrorCode.SESSION_NOT_FOUND]: 404,
  [OperatorsErrorCode.REQUEST_INVALID]: 400,
};

export class OperatorsException extends KorpuException<OperatorsErrorCode> {
  constructor(code: OperatorsErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { status: STATUS[code], details, cause, retryable: code === OperatorsErrorCode.DIRECTORY_UNAVAILABLE });
  }

  static invalid(problems: string[]): OperatorsException {
    return new OperatorsException(OperatorsErrorCode.REQUEST_INVALID, problems.join('; '), { problems });
  }
}
