import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { repoRoot } from '@korpu/testing';

/** The development PKI folder the stacks use (certs-dev/out). */
export const DEV_PKI_DIR = path.join(repoRoot, 'certs-dev/out');

/** A subsystem of contracts/clients.json with a TLS client certificate in the dev PKI (`tls/<name>.crt`). */
export type DevSubsystem = 'pensions' | 'benefits' | 'disability';

/** Who a request is from: a dev subsystem's certificate, any certificate files, or nobody (no client certificate). */
export type Identity = DevSubsystem | { certFile: string; keyFile: string } | null;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

const agents = new Map<string, https.Agent>();

function agentFor(identity: Identity, keepAlive = true): https.Agent {
  const key = `${keepAlive ? 'k' : 'n'}:${identity === null ? '-' : typeof identity === 'string' ? identity : `${identity.certFile}|${identity.keyFile}`}`;
  let agent = agents.get(key);
  if (!agent) {
    const files =
      identity === null
        ? undefined
        : typeof identity === 'string'
          ? { certFile: path.join(DEV_PKI_DIR, 'tls', `${identity}.chain.crt`), keyFile: path.join(DEV_PKI_DIR, 'tls', `${identity}.key`) }
          : identity;
    agent = new https.Agent({
      keepAlive,
      maxSockets: 64,
      ca: fs.readFileSync(path.join(DEV_PKI_DIR, 'ca', 'trust-bundle.crt')),
      ...(files ? { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile) } : {}),
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes the kept-alive connections (call in afterAll, so no socket keeps Jest waiting). */
export function closeHttpsAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** One HTTPS request trusting the dev CA, with the identity's TLS client certificate; JSON bodies parsed. */
export function httpsRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    identity?: Identity;
    timeoutMs?: number;
    /** false: a connection of its own (a fuzzer's odd requests may make the server end a kept-alive one). */
    keepAlive?: boolean;
  } = {},
): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? 60000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      fn();
    };
    // One deadline for the whole exchange (connect, TLS, request, response), and an answer for every way it can end.
    const deadline = setTimeout(() => {
      request.destroy();
      settle(() => reject(new Error(`no complete answer within ${timeoutMs} ms: ${url}`)));
    }, timeoutMs);
    let answered = false;
    const request = https.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: agentFor(options.identity ?? null, options.keepAlive ?? true) },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => settle(() => reject(error)));
        response.on('close', () => settle(() => reject(new Error(`connection closed before the answer ended: ${url}`))));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
          }
          settle(() => resolve({ status: response.statusCode ?? 0, headers, body, text }));
        });
      },
    );
    request.on('error', (error) => settle(() => reject(error)));
    request.on('close', () => {
      // Closed with neither an answer nor an error (the agent gave up a socket): never leave the caller waiting.
      if (!answered) settle(() => reject(new Error(`connection closed without an answer: ${url}`)));
    });
    request.end(options.body);
  });
}
