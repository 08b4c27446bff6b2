import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { createKafkaClient } from './kafka-client';
import { KafkaAclGrant, KafkaAclOperation, KafkaRole, KAFKA_PRINCIPALS, kafkaAccessGrants } from './kafka-access';
import { KafkaTopicAdminAdapter } from './kafka-topic-admin.adapter';
import { KafkaOptions } from './kafka.options';
import { TopicNames } from './topics';

const OPERATIONS: Record<KafkaAclOperation, AclOperationTypes> = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  CREATE: AclOperationTypes.CREATE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
};

export interface KafkaProvisioning {
  prefix: string;
  acls: number;
  /** The fixed topics (replies, retry tiers, dead-letter) that did not exist yet. */
  createdTopics: string[];
}

/** The topics whose names do not come from contracts: created by provisioning, not by the apps. */
export function fixedTopics(topics: TopicNames): string[] {
  return [topics.replies, ...topics.retryTopics(), topics.deadLetter];
}

/**
 * Provisioning with the admin principal (`options.sasl`): writes every role's ACLs on the options' topic prefix and
 * creates the fixed topics. Idempotent: an ACL or topic that exists already is left as it is.
 */
export async function provisionKafka(options: KafkaOptions, principals: Readonly<Record<KafkaRole, string>> = KAFKA_PRINCIPALS): Promise<KafkaProvisioning> {
  const topics = new TopicNames(options.topicPrefix);
  const grants = kafkaAccessGrants(topics, principals);
  const kafka = createKafkaClient(options);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: grants.map(toAclEntry) });
  } finally {
    await admin.disconnect();
  }
  const topicAdmin = new KafkaTopicAdminAdapter(kafka, options);
  const before = new Set(await topicAdmin.listTopics());
  await topicAdmin.ensureTopics(fixedTopics(topics).map((topic) => ({ topic })));
  return { prefix: topics.prefix, acls: grants.length, createdTopics: fixedTopics(topics).filter((topic) => !before.has(topic)) };
}

function toAclEntry(grant: KafkaAclGrant) {
  return {
    resourceType: grant.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: grant.name,
    resourcePatternType: grant.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    principal: `User:${grant.principal}`,
    host: '*',
    operation: OPERATIONS[grant.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}
