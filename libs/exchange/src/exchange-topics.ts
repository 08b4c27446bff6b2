import { PartnerConfig } from '@korpu/contracts';
import { TopicNames, TopicSpec } from '@korpu/messaging';

/** The topics an exchange between subsystems and partners needs; created by the apps at boot (idempotent). */
export function exchangeTopics(partners: PartnerConfig[], topics: TopicNames): TopicSpec[] {
  return [
    ...partners.map((partner) => ({ topic: topics.outbound(partner.id) })),
    { topic: topics.replies },
    ...topics.retryTopics().map((topic) => ({ topic })),
    { topic: topics.deadLetter },
  ];
}
