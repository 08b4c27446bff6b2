import { Injectable } from '@nestjs/common';
import axios, { AxiosInstance } from 'axios';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { OperationConfig, PartnerConfig } from '@korpu/contracts';
import { ContentType, Envelope } from '@korpu/envelope';
import { PartnerErrorCode, PartnerException } from '../partner.exception';
import { PartnerDriver, PartnerReply } from '../partner-client.port';
import { XRoadHeader } from '../xroad-headers';
import { classifyRestError } from './classify-rest-error';

/**
 * Calls a partner's REST API as its partner.json describes: one keep-alive connection pool per
 * partner, bounded by its maxConcurrency, so a slow partner cannot take the sockets of the others.
 */
@Injectable()
export class RestPartnerDriver implements PartnerDriver {
  private readonly clients = new Map<string, AxiosInstance>();

  private client(partner: PartnerConfig): AxiosInstance {
    let client = this.clients.get(partner.id);
    if (!client) {
      const tls = partner.endpoint.tls;
      const agentOptions = { keepAlive: true, maxSockets: partner.maxConcurrency, maxFreeSockets: partner.maxConcurrency };
      client = axios.create({
        baseURL: partner.endpoint.url,
        timeout: partner.timeoutMs,
        maxContentLength: 10 * 1024 * 1024,
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

  async send(partner: PartnerConfig, operation: OperationConfig, request: Envelope): Promise<PartnerReply> {
    let response;
    try {
      response = await this.client(partner).request<string>({
        method: operation.method ?? 'POST',
        url: operation.path,
        data: request.payload,
        headers: {
          'content-type': request.contentType,
          accept: 'application/json',
          [XRoadHeader.CLIENT]: request.client,
          [XRoadHeader.SERVICE]: partner.xroadService ?? `${partner.id}/${operation.name}`,
          [XRoadHeader.ID]: request.messageId,
          [XRoadHeader.ISSUE]: request.correlationId,
          ...(request.userId ? { [XRoadHeader.USER_ID]: request.userId } : {}),
          [XRoadHeader.MESSAGE_TYPE]: request.messageType,
          [XRoadHeader.SCHEMA_VERSION]: request.schemaVersion,
        },
      });
    } catch (error) {
      throw classifyRestError(error, partner.id);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    const type: ContentType | undefined = contentType.includes('json')
      ? 'application/json'
      : contentType.includes('xml')
        ? 'application/xml'
        : undefined;
    if (!type) {
      throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with content type "${contentType}"`);
    }
    const payload = response.data ?? '';
    if (type === 'application/json') {
      try {
        JSON.parse(payload);
      } catch {
        throw new PartnerException(PartnerErrorCode.REPLY_MALFORMED, `partner ${partner.id} replied with malformed JSON`, {
          body: payload.slice(0, 200),
        });
      }
    }
    const version = response.headers[XRoadHeader.SCHEMA_VERSION.toLowerCase()];
    return { contentType: type, payload, schemaVersion: typeof version === 'string' ? version : undefined };
  }
}
