import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { PartnerConfig } from '@korpu/contracts';

/** Largest reply body read from a partner; a longer one is cut off unread (PARTNER_REPLY_TOO_LARGE). */
export const MAX_REPLY_BYTES = 10 * 1024 * 1024;

/** One request to a partner: `path` is joined to the partner's endpoint URL (absent: the endpoint URL itself). */
export interface PartnerHttpRequest {
  method: string;
  path?: string;
  body: string;
  headers: Record<string, string>;
}

/** The partner's answer, whatever its status (the driver decides what a status means). Header names lower-case. */
export interface PartnerHttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A request that got no whole answer. `code` is Node's (ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED, ERR_SSL_…,
 * ERR_TLS_…) or one of ours: PARTNER_DEADLINE (no whole answer within the partner's timeoutMs),
 * REPLY_TOO_LARGE (the body passed MAX_REPLY_BYTES).
 */
export class PartnerHttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'PartnerHttpError';
  }
}

export const DEADLINE = 'PARTNER_DEADLINE';
export const TOO_LARGE = 'REPLY_TOO_LARGE';

interface Client {
  base: URL;
  agent: http.Agent;
  transport: typeof http | typeof https;
}

/**
 * One HTTP client per partner, as its partner.json describes it: keep-alive connections bounded by its
 * maxConcurrency (so a slow partner cannot take the sockets of the others), its timeout, and its TLS material
 * (CA to verify the partner, client certificate for mutual TLS). Every driver sends through `send`.
 *
 * The partner's `timeoutMs` is a deadline over the whole exchange — waiting for a connection, connect, TLS,
 * sending, and the whole reply — not an idle timer: a partner that trickles its answer a byte at a time is cut off
 * at `timeoutMs` like one that says nothing (PARTNER_TIMEOUT), and the slot is free again. Redirects are never
 * followed: a 3xx comes back as the partner's answer (PARTNER_REDIRECTED), so a signed request never goes to an
 * address the contract does not name.
 *
 * Node's own http client, not a library over it: the partner call runs for every delivered message, and axios'
 * configuration merging and header normalisation cost the dispatcher 7–8 % of its CPU (bench profile, #12).
 */
@Injectable()
export class PartnerHttpClients implements OnApplicationShutdown {
  private readonly clients = new Map<string, Client>();

  /** Sends one request to the partner under its deadline; resolves with any status, rejects with PartnerHttpError. */
  send(partner: PartnerConfig, request: PartnerHttpRequest): Promise<PartnerHttpResponse> {
    const client = this.for(partner);
    const url = request.path === undefined ? client.base : joinUrl(client.base, request.path);
    const body = Buffer.from(request.body, 'utf8');
    return new Promise<PartnerHttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: PartnerHttpError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        reject(error);
      };
      const outgoing = client.transport.request(url, {
        method: request.method,
        agent: client.agent,
        headers: { ...request.headers, 'content-length': String(body.length) },
      });
      const timer = setTimeout(
        () => fail(new PartnerHttpError(DEADLINE, `no whole answer from partner ${partner.id} within ${partner.timeoutMs} ms`)),
        partner.timeoutMs,
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => fail(new PartnerHttpError(error.code ?? 'ECONNRESET', error.message, error)));
      outgoing.on('response', (incoming) => {
        const declared = Number(incoming.headers['content-length']);
        if (declared > MAX_REPLY_BYTES) {
          fail(new PartnerHttpError(TOO_LARGE, `partner ${partner.id} announced a reply of ${declared} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        incoming.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_REPLY_BYTES) fail(new PartnerHttpError(TOO_LARGE, `partner ${partner.id} sent more than ${MAX_REPLY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        incoming.on('error', (error: NodeJS.ErrnoException) => fail(new PartnerHttpError(error.code ?? 'ECONNRESET', error.message, error)));
        incoming.on('aborted', () => fail(new PartnerHttpError('ECONNRESET', `partner ${partner.id} closed the connection mid-reply`)));
        incoming.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks, received).toString('utf8') });
        });
      });
      outgoing.end(body);
    });
  }

  private for(partner: PartnerConfig): Client {
    let client = this.clients.get(partner.id);
    if (!client) {
      const base = new URL(partner.endpoint.url);
      const tls = partner.endpoint.tls;
      const agentOptions: http.AgentOptions = { keepAlive: true, maxSockets: partner.maxConcurrency, maxFreeSockets: partner.maxConcurrency };
      client =
        base.protocol === 'https:'
          ? {
              base,
              transport: https,
              agent: new https.Agent({
                ...agentOptions,
                ca: tls?.ca ? fs.readFileSync(tls.ca) : undefined,
                cert: tls?.certificate ? fs.readFileSync(tls.certificate) : undefined,
                key: tls?.key ? fs.readFileSync(tls.key) : undefined,
              }),
            }
          : { base, transport: http, agent: new http.Agent(agentOptions) };
      this.clients.set(partner.id, client);
    }
    return client;
  }

  onApplicationShutdown(): void {
    for (const client of this.clients.values()) client.agent.destroy();
    this.clients.clear();
  }
}

/** The endpoint URL and an operation's path, one slash between them (as the contract writes both). */
export function joinUrl(base: URL, path: string): URL {
  if (!path) return base;
  const joined = `${base.href.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return new URL(joined);
}
