import { grantsAllow, KAFKA_PRINCIPALS, kafkaAccessGrants } from './kafka-access';
import { TopicNames } from './topics';

const topics = new TopicNames('korpu');
const grants = kafkaAccessGrants(topics);
const may = (role: keyof typeof KAFKA_PRINCIPALS, operation: 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE', topic: string) =>
  grantsAllow(grants, KAFKA_PRINCIPALS[role], operation, topic);

describe('Kafka access per app role', () => {
  it('lets only the dispatcher write retry topics and read outbound ones, and only it and the partner endpoint dead-letter', () => {
    for (const role of ['gateway', 'partner-endpoint', 'subsystem'] as const) {
      expect(may(role, 'WRITE', topics.retry(5))).toBe(false);
      expect(may(role, 'READ', topics.outbound('tax-service'))).toBe(false);
    }
    for (const role of ['gateway', 'subsystem'] as const) expect(may(role, 'WRITE', topics.deadLetter)).toBe(false);
    // The partner endpoint dead-letters an inbound record that is not an envelope; it never reads dead letters.
    expect(may('partner-endpoint', 'WRITE', topics.deadLetter)).toBe(true);
    expect(may('partner-endpoint', 'READ', topics.deadLetter)).toBe(false);
    expect(may('dispatcher', 'WRITE', topics.deadLetter)).toBe(true);
    expect(may('dispatcher', 'WRITE', topics.retry(3600))).toBe(true);
    expect(may('dispatcher', 'READ', topics.outbound('population-registry'))).toBe(true);
  });

  it('keeps the partner endpoint and subsystems off outbound topics, and the gateway off inbound ones', () => {
    expect(may('partner-endpoint', 'WRITE', topics.outbound('population-registry'))).toBe(false);
    expect(may('subsystem', 'WRITE', topics.outbound('population-registry'))).toBe(false);
    expect(may('gateway', 'WRITE', topics.inbound('pensions'))).toBe(false);
    expect(may('gateway', 'READ', topics.inbound('pensions'))).toBe(false);
    expect(may('partner-endpoint', 'WRITE', topics.inbound('pensions'))).toBe(true);
    expect(may('subsystem', 'READ', topics.inbound('pensions'))).toBe(true);
  });

  it('covers a partner onboarded later (prefixed patterns) but no other deployment prefix', () => {
    expect(may('gateway', 'WRITE', topics.outbound('new-agency'))).toBe(true);
    expect(may('gateway', 'WRITE', new TopicNames('other').outbound('tax-service'))).toBe(false);
    expect(may('gateway', 'WRITE', 'korpu.outbound')).toBe(false);
  });

  it('gives CREATE only on the contract-named families; fixed topics are only described at boot', () => {
    expect(may('gateway', 'CREATE', topics.outbound('tax-service'))).toBe(true);
    expect(may('partner-endpoint', 'CREATE', topics.inbound('pensions'))).toBe(true);
    for (const role of ['gateway', 'dispatcher', 'partner-endpoint', 'subsystem'] as const) {
      for (const fixed of [topics.replies, topics.deadLetter, topics.retry(1)]) expect(may(role, 'CREATE', fixed)).toBe(false);
    }
    expect(may('gateway', 'DESCRIBE', topics.deadLetter)).toBe(true);
  });

  it('grants each consumer group to the role that joins it', () => {
    const groups = (principal: string) => grants.filter((g) => g.resource === 'group' && g.principal === principal).map((g) => `${g.pattern}:${g.name}`);
    expect(groups('korpu-dispatcher')).toEqual(['prefixed:korpu-dispatcher', 'literal:korpu-failed-messages']);
    expect(groups('korpu-gateway')).toEqual(['prefixed:korpu-gateway-']);
    expect(groups('korpu-partner-endpoint')).toEqual(['prefixed:korpu-partner-endpoint-', 'literal:korpu-inbound-callbacks']);
  });
});
