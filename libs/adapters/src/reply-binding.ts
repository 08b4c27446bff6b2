import { X509Certificate } from 'node:crypto';
import { PartnerConfig } from '@korpu/contracts';
import { describeCertificate } from '@korpu/signature';
import { PartnerErrorCode, RefusedReply, ReplyRefusedException } from './partner.exception';

/**
 * Every answer is bound to the party that must give it: a reply whose signature verified (chain, validity,
 * revocation) is still refused unless its certificate is one of the partner's `signers` — the tax service's
 * key, however trusted, does not speak for the population registry. Both drivers call this after verifying.
 */
export function requirePartnerSigner(partner: PartnerConfig, signer: X509Certificate, reply: RefusedReply): void {
  if (partner.signers.some((identity) => identity.matches(signer))) return;
  const who = describeCertificate(signer);
  throw new ReplyRefusedException(
    PartnerErrorCode.REPLY_SIGNER_NOT_PARTNER,
    `The reply from ${partner.id} was refused: it is signed by ${who}, which is not a signer of ${partner.id}`,
    { signer: who, expectedPartner: partner.id, expectedSigners: partner.signers.map((identity) => identity.describe()) },
    reply,
  );
}

/** A reply that does not answer our request (another exchange's, or without the binding): `mismatches` names what differs. */
export function refuseUnboundReply(partner: PartnerConfig, mismatches: string[], reply: RefusedReply): never {
  throw new ReplyRefusedException(
    PartnerErrorCode.REPLY_NOT_BOUND_TO_REQUEST,
    `The reply from ${partner.id} was refused: it is not bound to our request (${mismatches.join(', ')})`,
    { expectedPartner: partner.id, mismatches },
    reply,
  );
}
