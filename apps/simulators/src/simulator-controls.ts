import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Faults a simulator can be switched into, by tests and demos, through POST /_sim/faults. */
export type FaultMode =
  | 'none'
  | 'latency'
  | 'server-error'
  | 'soap-fault'
  | 'malformed-body'
  | 'bad-signature'
  | 'invalid-schema'
  | 'drop-connection'
  | 'down'
  /** The reply is signed, validly, with another trusted party's key (the tax service's for the registry, and the other way round). */
  | 'wrong-signer'
  /** The reply is not bound to its request: no xrd:requestHash (SOAP), no request hash in the reply JWS (REST). */
  | 'drop-request-binding'
  /** The answer starts at once (status and headers) and its body comes one byte per second, never finishing. */
  | 'trickle'
  /** The request is answered `307 Temporary Redirect` to `location` (another address), which would receive it again if followed. */
  | 'redirect';

export interface FaultSetting {
  mode: FaultMode;
  /** For latency: how long to wait before answering normally. */
  latencyMs?: number;
  /** Apply to this many requests, then go back to normal (unset: until changed). */
  count?: number;
  /** For redirect: the absolute http(s) URL the 307 points to. */
  location?: string;
}

const FAULT_MODES: readonly FaultMode[] = [
  'none',
  'latency',
  'server-error',
  'soap-fault',
  'malformed-body',
  'bad-signature',
  'invalid-schema',
  'drop-connection',
  'down',
  'wrong-signer',
  'drop-request-binding',
  'trickle',
  'redirect',
];

/** How long a trickled answer goes on at most (one byte a second) when the caller never hangs up. */
const TRICKLE_MAX_MS = 10 * 60 * 1000;
/**
 * Answers remembered for redeliveries: the most recent ones, as a real partner keeps a bounded window of ids it has
 * seen (unbounded, the simulator grew by 340 MB over the 200,000-message soak and hid the apps' own figures).
 */
const MAX_REMEMBERED = 20_000;
/** Answer order kept for the ordering tests (GET /_sim/stats shows the last 1,000). */
const MAX_ORDER = 1_000;

/**
 * What every simulator shares: the fault switch, and a memory of the message ids it has answered,
 * so a redelivered message is answered from memory and counted as a duplicate, as a real partner
 * on an X-Road-style layer would drop it.
 */
export class SimulatorControls {
  private fault: FaultSetting = { mode: 'none' };
  private readonly answered = new Map<string, { status: number; contentType: string; body: string }>();
  /** Message ids in the order they were first answered, for ordering tests (the last 1,000). */
  private answerOrder: string[] = [];
  received = 0;
  duplicates = 0;
  /** Requests per verified TLS client certificate (subject CN), on a simulator that serves HTTPS. */
  private tlsClients: Record<string, number> = {};

  noteTlsClient(name: string | undefined): void {
    if (name) this.tlsClients[name] = (this.tlsClients[name] ?? 0) + 1;
  }

  /**
   * Takes the next fault and plays the ones every simulator plays alike: a dropped connection ('down',
   * 'drop-connection'), a trickled answer ('trickle') or a redirect ('redirect') — each resolves undefined, the
   * request is over — or latency before the normal answer. Any other fault is returned for the simulator to play
   * in its own protocol.
   */
  async playNextFault(request: FastifyRequest, reply: FastifyReply): Promise<FaultSetting | undefined> {
    const fault = this.nextFault();
    if (fault.mode === 'down' || fault.mode === 'drop-connection') {
      request.raw.socket.destroy();
      return undefined;
    }
    if (fault.mode === 'trickle') {
      trickle(request, reply);
      return undefined;
    }
    if (fault.mode === 'redirect') {
      await reply.status(307).header('location', fault.location).send();
      return undefined;
    }
    if (fault.mode === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 2000));
    return fault;
  }

  /** The fault to apply to this request (and counts it down). */
  nextFault(): FaultSetting {
    const current = this.fault;
    if (current.mode !== 'none' && current.count !== undefined) {
      current.count -= 1;
      if (current.count <= 0) this.fault = { mode: 'none' };
    }
    return current;
  }

  remembered(messageId: string | undefined): { status: number; contentType: string; body: string } | undefined {
    this.received += 1;
    const answer = messageId ? this.answered.get(messageId) : undefined;
    if (answer) this.duplicates += 1;
    return answer;
  }

  remember(messageId: string | undefined, answer: { status: number; contentType: string; body: string }): void {
    if (!messageId) return;
    if (!this.answered.has(messageId)) {
      this.answerOrder.push(messageId);
      if (this.answerOrder.length > 2 * MAX_ORDER) this.answerOrder = this.answerOrder.slice(-MAX_ORDER);
    }
    this.answered.set(messageId, answer);
    if (this.answered.size > MAX_REMEMBERED) this.answered.delete(this.answered.keys().next().value as string);
  }

  register(app: FastifyInstance): void {
    app.post('/_sim/faults', async (request, reply: FastifyReply) => {
      // A simulator may parse JSON bodies as text (to check signatures over the exact bytes).
      const raw = request.body ?? {};
      const body = (typeof raw === 'string' ? JSON.parse(raw || '{}') : raw) as Partial<FaultSetting>;
      if (!body.mode || !FAULT_MODES.includes(body.mode)) {
        return reply.status(400).send({ error: `mode must be one of ${FAULT_MODES.join(', ')}` });
      }
      if (body.mode === 'redirect' && !/^https?:\/\//.test(String(body.location ?? ''))) {
        return reply.status(400).send({ error: 'mode redirect needs location, an absolute http(s) URL' });
      }
      this.fault = { mode: body.mode, latencyMs: body.latencyMs, count: body.count, location: body.location };
      return { fault: this.fault };
    });
    // Like every Körpü process, a simulator answers liveness and readiness probes.
    app.get('/health', async () => ({ status: 'up' }));
    app.get('/ready', async () => ({ status: 'ready' }));
    app.get('/_sim/stats', async () => ({
      received: this.received,
      duplicates: this.duplicates,
      unique: this.answered.size,
      order: this.answerOrder.slice(-MAX_ORDER),
      fault: this.fault,
      tlsClients: this.tlsClients,
    }));
    app.post('/_sim/reset', async () => {
      this.fault = { mode: 'none' };
      this.answered.clear();
      this.answerOrder = [];
      this.received = 0;
      this.duplicates = 0;
      this.tlsClients = {};
      return { reset: true };
    });
  }
}

/**
 * Answers 200 at once with the content type the caller accepts, then one byte of body a second until the caller
 * hangs up (or TRICKLE_MAX_MS): the connection is never idle, so only a deadline on the whole exchange ends it.
 */
function trickle(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const accept = String(request.headers.accept ?? '').split(',')[0].trim();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': accept && accept !== '*/*' ? accept : 'application/octet-stream' });
  raw.write(' ');
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started >= TRICKLE_MAX_MS) {
      clearInterval(timer);
      raw.end();
      return;
    }
    raw.write(' ');
  }, 1000);
  raw.on('close', () => clearInterval(timer));
}
