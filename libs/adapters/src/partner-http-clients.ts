import { Injectable } from '@nestjs/common';
import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { PartnerConfig } from '@korpu/contracts';

/** Largest reply body read from a partner; a longer one is cut off unread (PARTNER_REPLY_TOO_LARGE). */
export const MAX_REPLY_BYTES = 10 * 1024 * 1024;

/**
 * One HTTP client per partner, as its partner.json describes it: keep-alive connections bounded by its
 * maxConcurrency (so a slow partner cannot take the sockets of the others), its timeout, and its TLS material
 * (CA to verify the partner, client certificate for mutual TLS). Every driver sends through `send`.
 *
 * The partner's `timeoutMs` is a deadline over the whole exchange — connect, TLS, sending, and the whole reply —
 * not an idle timer: a partner that trickles its answer a byte at a time is cut off at `timeoutMs` like one that
 * says nothing (PARTNER_TIMEOUT), and the slot is free again. Redirects are never followed: a 3xx comes back as
 * the partner's answer (PARTNER_REDIRECTED), so a signed request never goes to an address the contract does not name.
 */
@Injectable()
export class PartnerHttpClients {
  private readonly clients = new Map<string, AxiosInstance>();

  /**
   * Sends one request to the partner under its deadline. Replies come back as text; a non-2xx status rejects
   * unless the request says otherwise (SOAP Faults come with 500).
   */
  async send<T>(partner: PartnerConfig, request: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), partner.timeoutMs);
    try {
      return await this.for(partner).request<T>({ ...request, signal: deadline.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  private for(partner: PartnerConfig): AxiosInstance {
    let client = this.clients.get(partner.id);
    if (!client) {
      const tls = partner.endpoint.tls;
      const agentOptions = { keepAlive: true, maxSockets: partner.maxConcurrency, maxFreeSockets: partner.maxConcurrency };
      client = axios.create({
        baseURL: partner.endpoint.url,
        // Also the idle timer of the socket; the deadline in send() bounds the whole exchange.
        timeout: partner.timeoutMs,
        maxContentLength: MAX_REPLY_BYTES,
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: (status) => status >= 200 && status < 300,
        httpAgent: new http.Agent(agentOptions),
        httpsAgent: new https.Agent({
          ...agentOptions,
          ca: tls?.ca ? fs.readFileSync(tls.ca) : undefined,
          cert: tls?.certificate ? fs.readFileSync(tls.certificate) : undefined,
          key: tls?.key ? fs.readFileSync(tls.key) : undefined,
        }),
      });
      this.clients.set(partner.id, client);
    }
    return client;
  }
}
