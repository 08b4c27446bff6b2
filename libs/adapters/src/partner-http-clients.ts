import { Injectable } from '@nestjs/common';
import axios, { AxiosInstance } from 'axios';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { PartnerConfig } from '@korpu/contracts';

const MAX_REPLY_BYTES = 10 * 1024 * 1024;

/**
 * One HTTP client per partner, as its partner.json describes it: keep-alive connections bounded by its
 * maxConcurrency (so a slow partner cannot take the sockets of the others), its timeout, and its TLS material
 * (CA to verify the partner, client certificate for mutual TLS). Every driver takes its clients from here.
 */
@Injectable()
export class PartnerHttpClients {
  private readonly clients = new Map<string, AxiosInstance>();

  /** Replies come back as text; a non-2xx status rejects unless the request says otherwise (SOAP Faults come with 500). */
  for(partner: PartnerConfig): AxiosInstance {
    let client = this.clients.get(partner.id);
    if (!client) {
      const tls = partner.endpoint.tls;
      const agentOptions = { keepAlive: true, maxSockets: partner.maxConcurrency, maxFreeSockets: partner.maxConcurrency };
      client = axios.create({
        baseURL: partner.endpoint.url,
        timeout: partner.timeoutMs,
        maxContentLength: MAX_REPLY_BYTES,
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
