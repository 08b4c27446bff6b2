import { OperationConfig, PartnerConfig } from '@korpu/contracts';
import { ContentType, Envelope, SignatureInfo } from '@korpu/envelope';

export interface PartnerReply {
  contentType: ContentType;
  payload: string;
  /** Schema version the partner declared for its reply, when it did. */
  schemaVersion?: string;
  signature?: SignatureInfo;
  /** The signature Körpü put on the request, for the message log. */
  requestSignature?: SignatureInfo;
}

/** One protocol driver (REST, SOAP): sends a request envelope to a partner and returns its reply. */
export abstract class PartnerDriver {
  abstract send(partner: PartnerConfig, operation: OperationConfig, request: Envelope): Promise<PartnerReply>;
}
