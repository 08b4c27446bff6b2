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
  | 'drop-request-binding';

export interface FaultSetting {
  mode: FaultMode;
  /** For latency: how long to wait before answering normally. */
  latencyMs?: number;
  /** Apply to this many requests, then go back to normal (unset: until changed). */
  count?: number;
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
];

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
   * 'drop-connection': resolves undefined, the request is over) or latency before the normal answer. Any other
   * fault is returned for the simulator to play in its own protocol.
   */
  async playNextFault(request: FastifyRequest): Promise<FaultSetting | undefined> {
    const fault = this.nextFault();
    if (fault.mode === 'down' || fault.mode === 'drop-connection') {
      request.raw.socket.destroy();
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
    if (!this.answered.has(messageId)) this.answerOrder.push(messageId);
    this.answered.set(messageId, answer);
  }

  register(app: FastifyInstance): void {
    app.post('/_sim/faults', async (request, reply: FastifyReply) => {
      // A simulator may parse JSON bodies as text (to check signatures over the exact bytes).
      const raw = request.body ?? {};
      const body = (typeof raw === 'string' ? JSON.parse(raw || '{}') : raw) as Partial<FaultSetting>;
      if (!body.mode || !FAULT_MODES.includes(body.mode)) {
        return reply.status(400).send({ error: `mode must be one of ${FAULT_MODES.join(', ')}` });
      }
      this.fault = { mode: body.mode, latencyMs: body.latencyMs, count: body.count };
      return { fault: this.fault };
    });
    // Like every Körpü process, a simulator answers liveness and readiness probes.
    app.get('/health', async () => ({ status: 'up' }));
    app.get('/ready', async () => ({ status: 'ready' }));
    app.get('/_sim/stats', async () => ({
      received: this.received,
      duplicates: this.duplicates,
      unique: this.answered.size,
      order: this.answerOrder.slice(-1000),
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
