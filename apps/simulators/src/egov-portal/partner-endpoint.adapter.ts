import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

/**
 * Which TLS client certificate the portal presents to an https:// partner endpoint: its own (`portal`), none,
 * one from the untrusted CA, or the TLS certificate of another registered client (the population registry).
 */
export type PortalTls = 'portal' | 'none' | 'untrusted' | 'other-client';
export const PORTAL_TLS_CHOICES: readonly PortalTls[] = ['portal', 'none', 'untrusted', 'other-client'];

export interface TlsClientFiles {
  certFile?: string;
  keyFile?: string;
}

export interface EndpointResponse {
  status: number;
  header(name: string): string | undefined;
  /** Every response header (lower-case names), e.g. for a JWS that covers some of them. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** The portal's HTTP(S) connection to the ministry's partner endpoint: one keep-alive agent per TLS identity. */
export class PartnerEndpointAdapter {
  private readonly agents = new Map<PortalTls, https.Agent>();
  private readonly plain = new http.Agent({ keepAlive: true });

  constructor(
    private readonly endpoint: URL,
    private readonly caFile: string,
    private readonly identities: Record<PortalTls, TlsClientFiles>,
  ) {}

  get secure(): boolean {
    return this.endpoint.protocol === 'https:';
  }

  post(path: string, headers: Record<string, string>, body: string, tls: PortalTls = 'portal'): Promise<EndpointResponse> {
    return this.send('POST', path, headers, body, tls);
  }

  get(path: string, headers: Record<string, string>, tls: PortalTls = 'portal'): Promise<EndpointResponse> {
    return this.send('GET', path, headers, '', tls);
  }

  private send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string, tls: PortalTls): Promise<EndpointResponse> {
    const url = new URL(`${this.endpoint.pathname.replace(/\/+$/, '')}${path}`, this.endpoint);
    const length: Record<string, number> = method === 'POST' ? { 'content-length': Buffer.byteLength(body) } : {};
    const agent = this.secure ? this.agent(tls) : this.plain;
    const request = this.secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { method, agent, headers: { ...headers, ...length } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const value = (name: string) => {
            const raw = response.headers[name.toLowerCase()];
            return Array.isArray(raw) ? raw.join(', ') : raw;
          };
          resolve({ status: response.statusCode ?? 0, header: value, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      outgoing.setTimeout(30000, () => outgoing.destroy(new Error('the partner endpoint did not answer in 30 s')));
      outgoing.on('error', reject);
      outgoing.end(method === 'POST' ? body : undefined);
    });
  }

  private agent(tls: PortalTls): https.Agent {
    let agent = this.agents.get(tls);
    if (!agent) {
      const { certFile, keyFile } = this.identities[tls];
      agent = new https.Agent({
        keepAlive: true,
        ca: fs.readFileSync(this.caFile),
        ...(certFile && keyFile ? { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } : {}),
      });
      this.agents.set(tls, agent);
    }
    return agent;
  }
}
