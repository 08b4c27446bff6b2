import { KorpuException } from '@korpu/errors';

/** Stable codes of the metaservices (listClients, listMethods, allowedMethods, getWsdl, getOpenAPI) and the inventory. */
export enum MetaserviceErrorCode {
  /** The request names a provider (X-Road subsystem) that offers nothing here. */
  PROVIDER_UNKNOWN = 'METASERVICE_PROVIDER_UNKNOWN',
  /** The provider has no service of that code, or none described the way asked (WSDL / OpenAPI). */
  SERVICE_UNKNOWN = 'METASERVICE_SERVICE_UNKNOWN',
  /** No such metaservice, or its request is malformed (e.g. getOpenAPI without serviceCode). */
  REQUEST_INVALID = 'METASERVICE_REQUEST_INVALID',
}

const STATUS: Record<MetaserviceErrorCode, number> = {
  [MetaserviceErrorCode.PROVIDER_UNKNOWN]: 404,
  [MetaserviceErrorCode.SERVICE_UNKNOWN]: 404,
  [MetaserviceErrorCode.REQUEST_INVALID]: 400,
};

export class MetaserviceException extends KorpuException<MetaserviceErrorCode> {
  constructor(code: MetaserviceErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, { status: STATUS[code], details });
  }
}
