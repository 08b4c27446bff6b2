import { KorpuException } from '@korpu/errors';

export enum ContractsErrorCode {
  INVALID = 'CONTRACT_INVALID',
  UNKNOWN_SERVICE = 'SERVICE_UNKNOWN',
}

export class ContractsException extends KorpuException<ContractsErrorCode> {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(ContractsErrorCode.INVALID, message, { status: 500 });
  }
}

export class UnknownServiceException extends KorpuException<ContractsErrorCode> {
  constructor(service: string) {
    super(ContractsErrorCode.UNKNOWN_SERVICE, `No partner offers the service "${service}"`, { status: 404 });
  }
}
