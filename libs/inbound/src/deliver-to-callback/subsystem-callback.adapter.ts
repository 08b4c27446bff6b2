import axios, { AxiosInstance } from 'axios';
import * as http from 'node:http';
import { Envelope } from '@korpu/envelope';
import { InboundCallbackHeader } from '../inbound-callback-header';

export interface CallbackAnswer {
  status: number;
  contentType: string;
  body: string;
  schemaVersion?: string;
}

/** POSTs an inbound request to a subsystem's callback URL (keep-alive), returning whatever it answered. */
export class SubsystemCallbackAdapter {
  private readonly http: AxiosInstance;

  constructor(timeoutMs: number) {
    this.http = axios.create({
      timeout: timeoutMs,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    });
  }

  async post(url: string, request: Envelope): Promise<CallbackAnswer> {
    const response = await this.http.post<string>(url, request.payload, {
      headers: {
        'content-type': 'application/xml',
        [InboundCallbackHeader.CLIENT]: request.client,
        [InboundCallbackHeader.ID]: request.messageId,
        [InboundCallbackHeader.OPERATION]: request.service.operation,
        [InboundCallbackHeader.MESSAGE_TYPE]: request.messageType,
        [InboundCallbackHeader.SCHEMA_VERSION]: request.schemaVersion,
        ...(request.userId ? { [InboundCallbackHeader.USER_ID]: request.userId } : {}),
      },
    });
    const version = response.headers[InboundCallbackHeader.SCHEMA_VERSION.toLowerCase()];
    return {
      status: response.status,
      contentType: String(response.headers['content-type'] ?? ''),
      body: typeof response.data === 'string' ? response.data : '',
      schemaVersion: typeof version === 'string' ? version : undefined,
    };
  }
}
