import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { PartnerConfig } from '@korpu/contracts';
import { DEADLINE, MAX_REPLY_BYTES, PartnerHttpClients, TOO_LARGE, joinUrl } from './partner-http-clients';

/** A real HTTP server on loopback: each test says how it answers. */
let server: http.Server;
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
let open = 0;
let mostOpen = 0;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    socket.on('close', () => {
      sockets.delete(socket);
      open -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let clients: PartnerHttpClients;
beforeEach(() => {
  clients = new PartnerHttpClients();
  mostOpen = open;
});
afterEach(() => clients.onApplicationShutdown());

/** The fields of a partner.json the HTTP client reads. */
function partner(overrides: { timeoutMs?: number; maxConcurrency?: number; path?: string } = {}): PartnerConfig {
  const { port } = server.address() as AddressInfo;
  return {
    id: 'tax-service',
    endpoint: { url: `http://127.0.0.1:${port}${overrides.path ?? '/api'}` },
    timeoutMs: overrides.timeoutMs ?? 2000,
    maxConcurrency: overrides.maxConcurrency ?? 4,
  } as PartnerConfig;
}

const post = (body = '{"voen":"1400057421"}') => ({ method: 'POST', path: '/taxpayers', body, headers: { 'content-type': 'application/json' } });

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('PartnerHttpClients (real HTTP on loopback)', () => {
  it('sends the body and headers to the endpoint path joined with the operation path, and reads the whole reply', async () => {
    let seen: { url?: string; method?: string; type?: string; length?: string; body?: string } = {};
    handler = async (req, res) => {
      seen = { url: req.url, method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body: await readBody(req) };
      res.writeHead(200, { 'content-type': 'application/json', 'x-road-schema-version': '2' });
      res.end('{"name":"Əliyev"}');
    };
    const answer = await clients.send(partner(), post('{"q":"ş"}'));
    expect(seen).toEqual({ url: '/api/taxpayers', method: 'POST', type: 'application/json', length: String(Buffer.byteLength('{"q":"ş"}')), body: '{"q":"ş"}' });
    expect(answer).toMatchObject({ status: 200, body: '{"name":"Əliyev"}', headers: { 'x-road-schema-version': '2' } });
  });

  it('answers any status as it came, a 3xx included, without following the redirect', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      res.writeHead(307, { location: '/elsewhere' });
      res.end('moved');
    };
    const answer = await clients.send(partner(), post());
    expect(answer).toMatchObject({ status: 307, headers: { location: '/elsewhere' }, body: 'moved' });
    expect(calls).toBe(1);
  });

  it('cuts a partner off at its deadline even while it trickles its answer byte by byte', async () => {
    const timers: NodeJS.Timeout[] = [];
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const tick = setInterval(() => res.write(' '), 50);
      timers.push(tick);
      res.on('close', () => clearInterval(tick));
    };
    const started = Date.now();
    await expect(clients.send(partner({ timeoutMs: 400 }), post())).rejects.toMatchObject({ code: DEADLINE });
    const took = Date.now() - started;
    timers.forEach(clearInterval);
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(1500);
  });

  it('refuses a reply announced above the cap without reading it, and one that grows past it while read', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_REPLY_BYTES + 1) });
      res.write('{');
    };
    await expect(clients.send(partner(), post())).rejects.toMatchObject({ code: TOO_LARGE });

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent <= MAX_REPLY_BYTES && res.write(chunk)) sent += chunk.length;
        if (sent <= MAX_REPLY_BYTES) res.once('drain', more);
      };
      more();
    };
    await expect(clients.send(partner(), post())).rejects.toMatchObject({ code: TOO_LARGE });
  });

  it('keeps at most maxConcurrency connections to a partner, queueing the rest, and reuses them', async () => {
    let inHandler = 0;
    let mostInHandler = 0;
    handler = (_req, res) => {
      inHandler += 1;
      mostInHandler = Math.max(mostInHandler, inHandler);
      setTimeout(() => {
        inHandler -= 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }, 30);
    };
    const answers = await Promise.all(Array.from({ length: 12 }, () => clients.send(partner({ maxConcurrency: 3 }), post())));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(mostInHandler).toBe(3);
    expect(mostOpen).toBeLessThanOrEqual(3);
  });

  it('names Node’s error code when nobody listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const config = { ...partner(), endpoint: { url: `http://127.0.0.1:${port}` } } as PartnerConfig;
    await expect(clients.send(config, post())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('names ECONNRESET when the partner drops the connection mid-reply', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"half":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(clients.send(partner(), post())).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('joinUrl', () => {
  it.each([
    ['http://h/api', '/taxpayers', 'http://h/api/taxpayers'],
    ['http://h/api/', '/taxpayers', 'http://h/api/taxpayers'],
    ['http://h/api', 'taxpayers', 'http://h/api/taxpayers'],
    ['http://h', '/taxpayers', 'http://h/taxpayers'],
    ['http://h/api', '', 'http://h/api'],
  ])('%s + %s = %s', (base, path, joined) => {
    expect(joinUrl(new URL(base), path).href).toBe(joined);
  });
});
