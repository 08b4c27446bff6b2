/**
 * A consumer in its own process, for the redelivery test: it joins the group, reports each message it
 * receives on stdout and then never finishes handling it, so it can be killed mid-message.
 */
import { createKafkaClient } from '../src/kafka-client';
import { KafkaConsumerAdapter } from '../src/kafka-consumer.adapter';
import { kafkaTestOptions } from './kafka-test-options';

const [topic, groupId] = process.argv.slice(2);
const options = kafkaTestOptions('fixture');
const consumer = new KafkaConsumerAdapter(createKafkaClient(options), options);
void consumer.subscribe({
  groupId,
  topics: [topic],
  handler: async (message) => {
    process.stdout.write(`received ${message.value.toString()}\n`);
    await new Promise(() => undefined);
  },
});
