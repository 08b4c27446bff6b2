import { Message, RecordMetadata } from 'kafkajs';
import { assertEveryPartitionAnswered } from './kafka-producer.adapter';

function sent(...partitions: number[]): Message[] {
  return partitions.map((partition, index) => ({ key: `k${index}`, value: `v${index}`, partition }));
}

function answer(...partitions: number[]): RecordMetadata[] {
  return partitions.map((partition) => ({ topicName: 'korpu.outbound.tax', partition, errorCode: 0, baseOffset: '0' }));
}

describe('assertEveryPartitionAnswered', () => {
  it('accepts an answer that names every partition the request carried', () => {
    expect(() => assertEveryPartitionAnswered('korpu.outbound.tax', sent(0, 3, 3, 5), answer(5, 0, 3))).not.toThrow();
  });

  it('refuses an answer without a partition the request carried (kafkajs skipped its broker on retry)', () => {
    expect(() => assertEveryPartitionAnswered('korpu.outbound.tax', sent(0, 3, 5), answer(0, 5))).toThrow(
      'the broker did not acknowledge partition 3 of korpu.outbound.tax',
    );
  });

  it('refuses an empty answer to a non-empty request', () => {
    expect(() => assertEveryPartitionAnswered('korpu.outbound.tax', sent(2), [])).toThrow(/partition 2/);
  });
});
