import { topicConfig } from './kafka-topic-admin.adapter';

describe('topicConfig', () => {
  it('creates every topic with the configured min.insync.replicas', () => {
    expect(topicConfig({ topic: 't' }, { defaultMinInsyncReplicas: 2 })).toEqual({ 'min.insync.replicas': '2' });
  });

  it("keeps a topic's own settings, which may state its own min.insync.replicas", () => {
    expect(topicConfig({ topic: 't', config: { 'cleanup.policy': 'compact', 'min.insync.replicas': '3' } }, { defaultMinInsyncReplicas: 2 })).toEqual({
      'cleanup.policy': 'compact',
      'min.insync.replicas': '3',
    });
  });
});
