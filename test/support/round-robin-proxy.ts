import * as net from 'node:net';

/** A TCP load balancer on loopback: each new connection goes to the next backend port that accepts one. */
export interface RoundRobinProxy {
  port: number;
  /** Connections handed to each backend port so far. */
  connections: Map<number, number>;
  close: () => Promise<void>;
}

/**
 * Starts a round-robin TCP proxy in front of `backends` (ports on 127.0.0.1), as a load balancer in front of several
 * instances: TLS passes through untouched (the client still talks to the app's own listener), and a backend that
 * refuses the connection (killed) is skipped for the next one, as a health-checked balancer would.
 */
export async function startRoundRobinProxy(backends: number[], port = 0): Promise<RoundRobinProxy> {
  let next = 0;
  const connections = new Map(backends.map((backend) => [backend, 0]));
  const sockets = new Set<net.Socket>();
  const connect = (client: net.Socket, tries: number): void => {
    const backend = backends[next++ % backends.length];
    const upstream = net.connect(backend, '127.0.0.1');
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      connections.set(backend, (connections.get(backend) ?? 0) + 1);
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    upstream.once('error', () => {
      if (connected) return;
      if (tries + 1 < backends.length) connect(client, tries + 1);
      else client.destroy();
    });
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    // Paused until piped to a backend that accepted: nothing the client sends meanwhile is lost.
    client.pause();
    connect(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
