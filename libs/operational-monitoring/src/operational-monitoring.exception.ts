import { KorpuException } from '@korpu/errors';
import { OperationalMonitoringErrorCode } from './operational-monitoring-error-code';

const STATUS: Record<OperationalMonitoringErrorCode, number> = {
  [OperationalMonitoringErrorCode.REQUEST_INVALID]: 400,
};

export class OperationalMonitoringException extends KorpuException<OperationalMonitoringErrorCode> {
  constructor(code: OperationalMonitoringErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, { status: STATUS[code], details });
  }

  static invalid(problems: string[]): OperationalMonitoringException {
    return new OperationalMonitoringException(OperationalMonitoringErrorCode.REQUEST_INVALID, problems.join('; '), { problems });
  }
}
