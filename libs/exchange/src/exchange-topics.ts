import { PartnerConfig } from '@korpu/contracts';
import { TopicSpec, Topics } from '@korpu/messaging';

/** The topics an exchange between subsystems and partners needs; created by the apps at boot (idempotent). */
export function exchangeTopics(partners: PartnerConfig[]): TopicSpec[] {
  return [...partners.map((partner) => ({ topic: Topics.outbound(partner.id) })), { topic: Topics.REPLIES }];
}
