import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Admin, CompressionTypes, Kafka, Message, PartitionMetadata, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { tracedProduce } from '@korpu/observability';
import { DEFAULT_PRODUCER_CONNECTIONS, KafkaOptions } from './kafka.options';
import { MessageProducer, OutgoingMessage } from './messaging.ports';
import { BatchedSend, ProduceBatcher } from './produce-batcher';
import { producerRetry } from './producer-retry';

/** A request stays below the broker's default max.message.bytes (1 MiB), so each partition's batch in it does too. */
const MAX_REQUEST_BYTES = 768 * 1024;
/** What may wait for one topic's lane before further sends to it are refused (BROKER_UNAVAILABLE to the caller). */
const MAX_QUEUED_BYTES_PER_LANE = 16 * 1024 * 1024;

/**
 * kafkajs resolves a send spanning brokers without the messages of a partition whose leadership moved, during its
 * retries, to a broker that had already answered (it skips that broker): such a send is a failure, not a success.
 * Its answer lists one entry per partition a broker acknowledged.
 */
export function assertEveryPartitionAnswered(topic: string, messages: Message[], answered: RecordMetadata[]): void {
  const acknowledged = new Set(answered.map((metadata) => metadata.partition));
  for (const message of messages) {
    if (!acknowledged.has(message.partition as number)) {
      throw new Error(`the broker did not acknowledge partition ${String(message.partition)} of ${topic}`);
    }
  }
}

function sizeOf(message: OutgoingMessage): number {
  let bytes = message.value.length + message.key.length + 64;
  for (const [name, value] of Object.entries(message.headers)) bytes += name.length + value.length + 8;
  return bytes;
}

/** One kafkajs producer (one producer id) and the requests it has in flight. */
interface Generation {
  producer: Producer;
  connecting?: Promise<void>;
  inFlight: number;
  retired: boolean;
}

/**
 * A connection to each broker, through the kafkajs producer of its current generation, shared by the topics whose
 * lanes hash to it. kafkajs keeps one request in flight per broker connection (`maxInFlightRequests: 1`): with a
 * single producer every topic's requests to a broker waited for the others'; with several, they travel side by side.
 */
interface Slot {
  current: Generation;
}

/** FNV-1a of a topic's name: which slot its requests always use. */
function slotOf(name: string, slots: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % slots;
}

/**
 * Idempotent producer, acks=all, with one produce request in flight per topic (its lane); concurrent sends to a topic
 * are gathered into its next request, which carries a batch for each partition they go to. Three rules close losses
 * seen in kafkajs:
 *
 * - kafkajs rolls a partition's sequence number back when a request fails without an answer, although the broker may
 *   have written it; another request for that partition would take the number and the broker would acknowledge it
 *   as a duplicate without writing it (kafka-producer-outcome.int-spec.ts). One request in flight per topic, hence
 *   per partition, leaves that number only to the retry of the request that gave it back, which the broker rightly
 *   deduplicates.
 * - a kafkajs send that spans brokers keeps the answers of the brokers that succeeded and, when it retries, skips
 *   those brokers even if a failed partition's leadership moved to one of them: that partition's messages are never
 *   sent again and the send resolves (seen in the three-broker fault test). So a send whose answer lacks a partition
 *   it carried is a failure (assertEveryPartitionAnswered), handled as the next rule says.
 * - when a request fails after all its retries (or on an error kafkajs does not retry), kafkajs has rolled its
 *   sequence number back although the broker may hold the batch; the partition's next request would take that
 *   number and be acknowledged as the duplicate of a batch it is not (a lost message, seen in the broker-kill fault
 *   runs), or be refused as out of order. So a failed request retires the producer: the next requests go to a
 *   new one (a new producer id, sequences from 0), the retired one is disconnected once its requests are done.
 *
 * A lane used to be one partition and a request carried one partition only (the second rule by
 * construction): six partitions meant six small requests per round, and the bench measured fewer submits per second
 * for more broker CPU per message (lane per partition 1,550 and 1,234/s, broker 35–38 % of a core; lane per topic
 * 1,734–1,811/s, broker 25–27 %). The price of a lane per topic: a partition whose leader is slow holds back the
 * topic's other partitions for that round.
 *
 * Lanes are spread over KAFKA_PRODUCER_CONNECTIONS slots (a slot: one producer, one connection per broker); a lane
 * always uses its slot, so a partition's requests keep one producer id and one at a time; a failed request retires
 * its slot's producer only.
 *
 * The partition is chosen here with kafkajs' default partitioner (murmur2 of the key, as the Java client), from the
 * topic's partition count read once per topic: a topic given more partitions is picked up after a restart.
 */
@Injectable()
export class KafkaProducerAdapter extends MessageProducer implements OnApplicationShutdown {
  private readonly logger = new Logger('KafkaProducer');
  private readonly admin: Admin;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  /** Per topic, its partitions as the partitioner takes them (only their number matters for keyed messages). */
  private readonly partitions = new Map<string, Promise<PartitionMetadata[]>>();
  private readonly lanes = new Map<string, ProduceBatcher<Message>>();
  private readonly slots: Slot[];
  /** Retired producers still finishing requests, disconnected when the last one ends. */
  private readonly retiring = new Set<Generation>();
  private adminConnecting?: Promise<void>;
  /** Producer ids given up after a failed request, since start (see the class comment). */
  readonly stats = { retired: 0 };

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaOptions,
  ) {
    super();
    const count = Math.max(1, options.producerConnections ?? DEFAULT_PRODUCER_CONNECTIONS);
    this.slots = Array.from({ length: count }, () => ({ current: this.newGeneration() }));
    this.admin = kafka.admin();
  }

  private newGeneration(): Generation {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: producerRetry(this.options.producerRetryTimeMs),
    });
    return { producer, inFlight: 0, retired: false };
  }

  private connect(generation: Generation): Promise<void> {
    generation.connecting ??= generation.producer.connect().catch((error: unknown) => {
      generation.connecting = undefined;
      throw error;
    });
    return generation.connecting;
  }

  private connectAdmin(): Promise<void> {
    this.adminConnecting ??= this.admin.connect().catch((error: unknown) => {
      this.adminConnecting = undefined;
      throw error;
    });
    return this.adminConnecting;
  }

  send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    // Tracing on: a PRODUCER span, its `traceparent` in every record's headers. Off: the messages as they are.
    return tracedProduce(topic, messages, (records) => this.sendNow(topic, records));
  }

  private async sendNow(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const partitionMetadata = await this.partitionsOf(topic);
    const records: Message[] = [];
    let bytes = 0;
    for (const message of messages) {
      const record: Message = { key: message.key, headers: message.headers, value: message.value };
      records.push({ ...record, partition: this.partitioner({ topic, partitionMetadata, message: record }) });
      bytes += sizeOf(message);
    }
    await this.lane(topic).send(topic, records, bytes);
  }

  private lane(topic: string): ProduceBatcher<Message> {
    let lane = this.lanes.get(topic);
    if (!lane) {
      const slot = this.slots[slotOf(topic, this.slots.length)];
      lane = new ProduceBatcher((sends) => this.produce(slot, sends), { maxRequestBytes: MAX_REQUEST_BYTES, maxQueuedBytes: MAX_QUEUED_BYTES_PER_LANE });
      this.lanes.set(topic, lane);
    }
    return lane;
  }

  private partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    let partitions = this.partitions.get(topic);
    if (!partitions) {
      partitions = this.connectAdmin().then(() => this.admin.fetchTopicMetadata({ topics: [topic] }).then(({ topics }) => {
        const count = topics[0]?.partitions.length ?? 0;
        if (count < 1) throw new Error(`topic ${topic} has no partitions`);
        return Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [], isr: [], partitionErrorCode: 0 }));
      }));
      // A failed lookup (topic not there yet, broker away) is asked again next time.
      partitions.catch(() => this.partitions.delete(topic));
      this.partitions.set(topic, partitions);
    }
    return partitions;
  }

  /** One lane's request: messages of one topic, in the order they were sent, each with its partition. */
  private async produce(slot: Slot, sends: Array<BatchedSend<Message>>): Promise<void> {
    const generation = slot.current;
    generation.inFlight += 1;
    try {
      await this.connect(generation);
      const messages = sends.flatMap((send) => send.messages);
      const answered = await generation.producer.send({ topic: sends[0].topic, acks: -1, compression: CompressionTypes.None, messages });
      assertEveryPartitionAnswered(sends[0].topic, messages, answered);
    } catch (error) {
      this.retire(slot, generation, sends[0].topic, error);
      throw error;
    } finally {
      generation.inFlight -= 1;
      if (generation.retired && generation.inFlight === 0) this.disconnect(generation);
    }
  }

  /** The request failed: its producer id's sequence numbers are not to be trusted any more (class comment). */
  private retire(slot: Slot, generation: Generation, topic: string, error: unknown): void {
    if (generation.retired) return;
    generation.retired = true;
    this.retiring.add(generation);
    slot.current = this.newGeneration();
    this.stats.retired += 1;
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    this.logger.warn(`A produce request to ${topic} failed (${name}: ${message}); later requests use a new producer id`);
  }

  private disconnect(generation: Generation): void {
    this.retiring.delete(generation);
    if (generation.connecting) void generation.producer.disconnect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    const open = [...this.slots.map((slot) => slot.current), ...this.retiring].filter((generation) => generation.connecting);
    await Promise.all([...open.map((generation) => generation.producer.disconnect()), ...(this.adminConnecting ? [this.admin.disconnect()] : [])]);
  }
}
