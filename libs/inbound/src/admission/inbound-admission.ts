import type { SignatureInfo } from '@korpu/envelope';
import type { InboundRejection, RecordInboundRejectionUseCase } from '../record-inbound-rejection/record-inbound-rejection.usecase';

/**
 * The admission steps of every inbound protocol, in this order (admit-soap-request, admit-rest-request):
 * 1. signature — over the body and the X-Road headers, chain to the signature trust store (TRUST_CA_FILES);
 * 2. X-Road headers — read from what the signature covers;
 * 3. identity — TLS client certificate, signer and declared client are one registered client (CallerIdentityService);
 * 4. service — a service this ministry publishes at the address called;
 * then HandleInboundRequestUseCase (schema, access, Kafka, the owner's reply) and the signed answer.
 * A refusal at any step is recorded as `rejected` with what is known of the request, and is then thrown.
 */
export async function admitOrRecordRefusal<T>(
  rejections: RecordInboundRejectionUseCase,
  known: (error: unknown) => Omit<InboundRejection, 'error'>,
  steps: () => Promise<T>,
): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    await rejections.execute({ ...known(error), error });
    throw error;
  }
}

/** What a protocol's use case hands back to its controller: the signed reply, ready for the wire. */
export interface InboundAnswer {
  contentType: string;
  /** Protocol headers of the reply (the JWS, the reply's schema version). */
  headers: Record<string, string>;
  body: string;
  /** Deprecation warnings of the request's schema version (the controller sets Deprecation/Warning). */
  warnings: string[];
  /** `ministry/<operation>` of an answered service call, for the HTTP metrics' `service` label (metaservices: none). */
  service?: string;
}

/** The signature part of what is logged of a verified request. */
export type VerifiedSignature = SignatureInfo & { verification: 'verified' };
