import { TopicNames } from './topics';

/**
 * Who may do what on Kafka: one principal per app role, each allowed only the topics its role needs. The broker
 * denies everything else (StandardAuthorizer, allow.everyone.if.no.acl.found=false). Topic grants are PREFIXED
 * patterns on the deployment's topic prefix, so onboarding a partner (a new `<prefix>.outbound.<partner>`) or an
 * owner needs no new ACL, and stacks that share a broker with other prefixes cannot touch each other's topics.
 *
 * Topic creation: the topics whose names come from contracts (outbound per partner, inbound per owner) are created
 * at boot by the apps that read those contracts, so those apps hold CREATE on that family only; the fixed topics
 * (replies, retry tiers, dead-letter) are created by the provisioning step with the admin principal, and the apps
 * that check them at boot only DESCRIBE them.
 */
export type KafkaRole = 'gateway' | 'dispatcher' | 'partner-endpoint' | 'subsystem';

export const KAFKA_ROLES: readonly KafkaRole[] = ['gateway', 'dispatcher', 'partner-endpoint', 'subsystem'];

/** Default principal (SCRAM user) of each role. */
export const KAFKA_PRINCIPALS: Readonly<Record<KafkaRole, string>> = {
  gateway: 'korpu-gateway',
  dispatcher: 'korpu-dispatcher',
  'partner-endpoint': 'korpu-partner-endpoint',
  subsystem: 'korpu-subsystem',
};

export type KafkaAclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE';

export interface KafkaAclGrant {
  principal: string;
  resource: 'topic' | 'group';
  pattern: 'literal' | 'prefixed';
  name: string;
  operation: KafkaAclOperation;
}

interface RoleAccess {
  produce: Pattern[];
  consume: Pattern[];
  /** Topic families the role creates at boot. */
  create: Pattern[];
  /** Topics the role only checks for at boot. */
  describe: Pattern[];
  /** Consumer groups the role joins (READ on the group). */
  groups: Pattern[];
}

type Pattern = { pattern: 'literal' | 'prefixed'; name: string };

const prefixed = (name: string): Pattern => ({ pattern: 'prefixed', name });
const literal = (name: string): Pattern => ({ pattern: 'literal', name });

/**
 * What each role produces and consumes (read from the apps: gateway submits and replays to outbound topics and waits
 * on replies; the dispatcher consumes outbound and retry topics, forwards due retries back to outbound, dead-letters,
 * stores dead letters and publishes replies; the partner endpoint puts inbound requests on its owners' topics,
 * delivers them to subsystem callbacks and publishes their replies; a subsystem consuming its inbound topic itself
 * answers on replies). Consumer-group names follow the apps' defaults: `korpu-gateway-replies-<instance>`,
 * DISPATCHER_GROUP_ID (`korpu-dispatcher…`, plus `-retry`), `korpu-failed-messages`,
 * `korpu-partner-endpoint-replies-<instance>`, `<prefix>-inbound-callbacks`.
 */
function roleAccess(role: KafkaRole, topics: TopicNames): RoleAccess {
  const outbound = prefixed(topics.outboundPrefix);
  const inbound = prefixed(topics.inboundPrefix);
  const retry = prefixed(topics.retryPrefix);
  const replies = literal(topics.replies);
  const deadLetter = literal(topics.deadLetter);
  switch (role) {
    case 'gateway':
      return { produce: [outbound], consume: [replies], create: [outbound], describe: [retry, deadLetter], groups: [prefixed('korpu-gateway-')] };
    case 'dispatcher':
      return {
        produce: [outbound, retry, deadLetter, replies],
        consume: [outbound, retry, deadLetter],
        create: [outbound],
        describe: [],
        groups: [prefixed('korpu-dispatcher'), literal('korpu-failed-messages')],
      };
    case 'partner-endpoint':
      return {
        // dead-letter: an inbound record that is not an envelope (InboundCallbackConsumer)
        produce: [inbound, replies, deadLetter],
        consume: [inbound, replies],
        create: [inbound],
        describe: [],
        groups: [prefixed('korpu-partner-endpoint-'), literal(`${topics.prefix}-inbound-callbacks`)],
      };
    case 'subsystem':
      return { produce: [replies], consume: [inbound], create: [], describe: [], groups: [prefixed('korpu-subsystem-')] };
  }
}

/** Every ACL of every role on the deployment's topic prefix. */
export function kafkaAccessGrants(topics: TopicNames, principals: Readonly<Record<KafkaRole, string>> = KAFKA_PRINCIPALS): KafkaAclGrant[] {
  return KAFKA_ROLES.flatMap((role) => {
    const principal = principals[role];
    const access = roleAccess(role, topics);
    const topic = (operation: KafkaAclOperation) => (p: Pattern): KafkaAclGrant => ({ principal, resource: 'topic', ...p, operation });
    return [
      ...access.produce.map(topic('WRITE')),
      ...access.consume.map(topic('READ')),
      ...access.create.map(topic('CREATE')),
      ...access.describe.map(topic('DESCRIBE')),
      ...access.groups.map((p): KafkaAclGrant => ({ principal, resource: 'group', ...p, operation: 'READ' })),
    ];
  });
}

/** Whether the grants let `principal` do `operation` on `topic` (the broker's rule for literal and prefixed patterns). */
export function grantsAllow(grants: KafkaAclGrant[], principal: string, operation: KafkaAclOperation, topic: string): boolean {
  return grants.some(
    (grant) =>
      grant.principal === principal &&
      grant.resource === 'topic' &&
      (grant.operation === operation || (operation === 'DESCRIBE' && grant.operation !== 'CREATE')) &&
      (grant.pattern === 'literal' ? topic === grant.name : topic.startsWith(grant.name)),
  );
}
