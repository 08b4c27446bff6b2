import * as net from 'node:net';

/**
 * A TCP proxy between a Kafka client and one broker that can make a produce request's outcome unknown to the
 * client: the broker receives and writes the request, the proxy swallows the broker's answer and closes the
 * connection — what a client sees when the broker dies right after a write, or the network drops the reply.
 * Frames are parsed (int32 size, then for requests api key + version + correlation id; for responses the
 * correlation id), so only a produce (api key 0) answer is dropped.
 */
export class KafkaFaultProxy {
  private server?: net.Server;
  private armed = 0;
  private readonly sockets = new Set<net.Socket>();
  /** How many produce answers were dropped so far. */
  dropped = 0;

  constructor(private readonly brokerPort: number) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return (this.server?.address() as net.AddressInfo).port;
  }

  /** Drop the broker's answer to the next `count` produce requests (and close their connections). */
  dropNextProduceAnswers(count = 1): void {
    this.armed += count;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect({ host: '127.0.0.1', port: this.brokerPort });
    this.sockets.add(client).add(upstream);
    const produceIds = new Set<number>();
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
    frames(client, (frame) => {
      // request: size(4) apiKey(2) apiVersion(2) correlationId(4)
      if (frame.length >= 12 && frame.readInt16BE(4) === 0) produceIds.add(frame.readInt32BE(8));
      upstream.write(frame);
    });
    frames(upstream, (frame) => {
      // response: size(4) correlationId(4)
      const correlationId = frame.readInt32BE(4);
      if (produceIds.delete(correlationId) && this.armed > 0) {
        this.armed -= 1;
        this.dropped += 1;
        closeBoth();
        return;
      }
      client.write(frame);
    });
  }
}

function frames(socket: net.Socket, onFrame: (frame: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const size = buffered.readInt32BE(0);
      if (buffered.length < 4 + size) break;
      onFrame(buffered.subarray(0, 4 + size));
      buffered = buffered.subarray(4 + size);
    }
  });
}
